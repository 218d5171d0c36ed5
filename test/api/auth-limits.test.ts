import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { issueToken } from '../../src/api/routes/users.js';
import { startServer } from '../../src/api/server.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { newId } from '../../src/auth/secrets.js';
import { loadConfig } from '../../src/core/config.js';
import { accountsOf, type AccountStore } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

describe.each([sqliteFactory(), postgresFactory('authlimits')])('rate limits on $name', (factory) => {
  let store: Store;
  let accounts: AccountStore;
  const tokens: string[] = [];

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    accounts = accountsOf(store);
    const at = new Date().toISOString();
    const user = await accounts.createUser({ id: newId('u'), name: 'limited', role: 'analyst', disabled: false, passwordHash: await hashPassword('the right password'), createdAt: at, updatedAt: at });
    for (let n = 0; n < 2; n += 1) tokens.push((await issueToken(accounts, { userId: user.id, name: `t${n}`, now: new Date() })).secret);
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  it('answers 429 with Retry-After past the limit, per token and per address, and lets requests through again later', async () => {
    let now = new Date('2026-11-30T12:00:10.000Z');
    const app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '5', VIGIL_TRUST_PROXY: 'true' }), log: () => undefined, clock: () => now });
    const get = (headers: Record<string, string>) => app.request('/api/incidents', { headers });
    const first = { authorization: `Bearer ${tokens[0]}` };

    for (let n = 0; n < 5; n += 1) expect((await get(first)).status).toBe(200);
    const refused = await get(first);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);

    expect((await get({ authorization: `Bearer ${tokens[1]}` })).status).toBe(200);
    for (let n = 0; n < 5; n += 1) expect((await get({ 'x-forwarded-for': '198.51.100.7' })).status).toBe(200);
    expect((await get({ 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    expect((await get({ 'x-forwarded-for': '198.51.100.8, 10.0.0.1' })).status).toBe(200);

    now = new Date(now.getTime() + retryAfter * 1000);
    expect((await get(first)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless told to trust a proxy, so clients cannot pick their own address', async () => {
    const app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '3' }), log: () => undefined });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n += 1) statuses.push((await app.request('/api/health', { headers: { 'x-forwarded-for': `192.0.2.${n}` } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('limits sign-in attempts per address, and failures per name across addresses', async () => {
    let now = new Date('2026-11-30T12:00:00.000Z');
    const app = createApp({ store, config: loadConfig({ VIGIL_LOGIN_RATE_LIMIT: '3', VIGIL_TRUST_PROXY: 'true' }), log: () => undefined, clock: () => now });
    const login = (password: string, ip: string) =>
      app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ name: 'limited', password }) });

    for (let n = 0; n < 3; n += 1) expect((await login('wrong password', '203.0.113.1')).status).toBe(401);
    const byAddress = await login('the right password', '203.0.113.1');
    expect(byAddress.status).toBe(429);
    expect(Number(byAddress.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // The name has had 3 failures: even the right password from another address waits.
    const byName = await login('the right password', '203.0.113.2');
    expect(byName.status).toBe(429);
    expect(await byName.json()).toMatchObject({ error: { code: 'rate_limited' } });

    now = new Date(now.getTime() + 120_000);
    expect((await login('the right password', '203.0.113.3')).status).toBe(200);
    const audit = await accounts.listAudit({ limit: 50, action: 'auth.login_failed' });
    expect(audit.filter((e) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(1);
    expect(audit.filter((e) => e.outcome === 'failed').length).toBeGreaterThanOrEqual(3);
  });
});

describe('over a real socket', () => {
  const factory = sqliteFactory();
  afterAll(async () => {
    await factory.cleanup();
  });

  it('limits anonymous clients by their socket address, and carries the session cookie over HTTP', async () => {
    const store = await factory.create();
    await store.migrate();
    const at = new Date().toISOString();
    await accountsOf(store).createUser({ id: newId('u'), name: 'socket-user', role: 'analyst', disabled: false, passwordHash: await hashPassword('socket password'), createdAt: at, updatedAt: at });
    const server = await startServer({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '4', VIGIL_PORT: '0' }) });
    try {
      const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'socket-user', password: 'socket password' }) });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/^vigil_session=vgs_/);
      const me = (await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json()) as { user: { name: string } | null };
      expect(me.user?.name).toBe('socket-user');

      // The address 127.0.0.1 made one request (the login); the signed-in user counts apart.
      const statuses: number[] = [];
      for (let n = 0; n < 4; n += 1) statuses.push((await fetch(`${server.url}/api/health`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const audit = await accountsOf(store).listAudit({ limit: 5, action: 'auth.login' });
      expect(audit[0]?.ip).toMatch(/127\.0\.0\.1/);
    } finally {
      await server.close();
    }
  });
});
