import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { issueToken } from '../../src/api/routes/users.js';
import { newId } from '../../src/auth/secrets.js';
import { loadConfig } from '../../src/core/config.js';
import { accountsOf } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/store.js';
import { sqliteFactory } from '../store/stores.js';

describe('the sources API', () => {
  let store: Store;
  let app: Hono;
  let analyst = '';

  beforeAll(async () => {
    store = await sqliteFactory().create();
    await store.migrate();
    const at = new Date().toISOString();
    const user = await accountsOf(store).createUser({ id: newId('u'), name: 'sources-analyst', role: 'analyst', disabled: false, passwordHash: null, createdAt: at, updatedAt: at });
    analyst = (await issueToken(accountsOf(store), { userId: user.id, name: 'test', now: new Date() })).secret;
    app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
  });
  afterAll(() => store.close());

  const call = (method: string, url: string, body?: unknown) =>
    app.request(url, { method, headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('adds a feed, lists it with its health, and removes it', async () => {
    const added = await call('POST', '/api/sources', { kind: 'feed', locator: 'https://news.example/rss.xml', interval: '30m' });
    expect(added.status).toBe(201);
    const source = (await added.json()) as { id: string; intervalSeconds: number; state: { failures: number; lastSuccessAt: string | null } };
    expect(source).toMatchObject({ intervalSeconds: 1800, state: { failures: 0, lastSuccessAt: null } });
    const listed = (await (await app.request('/api/sources')).json()) as { items: { id: string }[] };
    expect(listed.items.map((s) => s.id)).toEqual([source.id]);
    expect((await call('POST', '/api/sources', { kind: 'feed', locator: 'https://news.example/rss.xml' })).status).toBe(409);
    expect((await call('DELETE', `/api/sources/${source.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/sources/${source.id}`)).status).toBe(404);
  });

  it.each([
    [{ kind: 'radio', locator: 'x' }, 'kind'],
    [{ kind: 'feed', locator: 'gopher://old.example/feed' }, 'url'],
    [{ kind: 'feed', locator: 'https://x.example/f', interval: 'often' }, 'interval'],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const response = await call('POST', '/api/sources', body);
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain(field);
  });

  it('lets an anonymous caller read the list (open reads) but not add to it', async () => {
    expect((await app.request('/api/sources')).status).toBe(200);
    const anonymous = await app.request('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'feed', locator: 'https://a.example/f' }) });
    expect(anonymous.status).toBe(401);
  });
});
