import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { issueToken } from '../../src/api/routes/users.js';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/roles.js';
import { hashSecret, newId } from '../../src/auth/secrets.js';
import { loadConfig } from '../../src/core/config.js';
import { accountsOf, type AccountStore, type AuditEntry } from '../../src/store/accounts.js';
import { type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields } from '../helpers/records.js';
import { postgresFactory, sqliteFactory, TEST_PG_URL } from '../store/stores.js';

const PASSWORD = 'correct horse battery';

/** A user made straight in the store, with a password and an API token. */
async function seedUser(accounts: AccountStore, name: string, role: Role): Promise<{ id: string; token: string }> {
  const at = new Date().toISOString();
  const user = await accounts.createUser({ id: newId('u'), name, role, disabled: false, passwordHash: await hashPassword(PASSWORD), createdAt: at, updatedAt: at });
  const { secret } = await issueToken(accounts, { userId: user.id, name: 'test', now: new Date() });
  return { id: user.id, token: secret };
}

/** Every text the database holds in its account tables, concatenated: to look for secrets that must not be there. */
async function accountTablesText(store: Store): Promise<string> {
  const tables = ['users', 'api_tokens', 'sessions', 'audit_log'];
  if (store instanceof SqliteStore) {
    const db = new Database(store.path, { readonly: true });
    try {
      return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join('\n');
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${(store as PostgresStore).schema ?? 'public'}`);
    const parts: string[] = [];
    for (const t of tables) parts.push(JSON.stringify((await client.query(`SELECT * FROM ${t}`)).rows));
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

function cookieOf(response: Response): { value: string; header: string } {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /vigil_session=([^;]*)/.exec(header);
  return { value: match?.[1] ?? '', header };
}

describe.each([sqliteFactory(), postgresFactory('auth')])('accounts, sessions and audit on $name', (factory) => {
  let store: Store;
  let accounts: AccountStore;
  let app: Hono;
  let now = new Date('2026-11-30T12:00:00.000Z');
  const users: Record<'viewer' | 'analyst' | 'admin', { id: string; token: string }> = {} as never;

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    accounts = accountsOf(store);
    users.viewer = await seedUser(accounts, 'vera', 'viewer');
    users.analyst = await seedUser(accounts, 'anil', 'analyst');
    users.admin = await seedUser(accounts, 'ada', 'admin');
    app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0', VIGIL_LOGIN_RATE_LIMIT: '1000' }), log: () => undefined, clock: () => now });
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function login(name: string, password = PASSWORD): Promise<{ response: Response; cookie: string; csrf: string }> {
    const response = await app.request('/api/auth/login', json({ name, password }));
    const body = (await response.clone().json()) as { csrfToken?: string };
    return { response, cookie: cookieOf(response).value, csrf: body.csrfToken ?? '' };
  }

  async function auditActions(filter = ''): Promise<AuditEntry[]> {
    const response = await app.request(`/api/audit?limit=1000${filter}`, { headers: bearer(users.admin.token) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: AuditEntry[] }).items;
  }

  it('signs in with a password: an HttpOnly, SameSite=Strict session cookie, the user and a CSRF token', async () => {
    const { response, cookie, csrf } = await login('Anil');
    expect(response.status).toBe(200);
    const header = cookieOf(response).header;
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Secure/);
    expect(cookie).toMatch(/^vgs_/);
    expect(csrf.length).toBeGreaterThan(20);
    const body = (await response.json()) as { user: { name: string; role: string; passwordHash?: string }; expiresAt: string };
    expect(body.user).toMatchObject({ name: 'anil', role: 'analyst' });
    expect(body.user.passwordHash).toBeUndefined();
    expect(body.expiresAt).toBe('2026-12-01T00:00:00.000Z');

    const me = await app.request('/api/auth/me', { headers: { cookie: `vigil_session=${cookie}` } });
    expect(await me.json()).toMatchObject({ user: { name: 'anil' }, via: 'session', csrfToken: csrf, openReads: true });
  });

  it('takes credentials only as JSON, which a form on another site cannot send', async () => {
    const form = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `name=anil&password=${encodeURIComponent(PASSWORD)}` });
    expect(form.status).toBe(422);
    expect(await form.json()).toMatchObject({ error: { code: 'bad_input', field: 'content-type' } });
    expect(form.headers.get('set-cookie')).toBeNull();
    const missing = await app.request('/api/auth/login', json({ name: 'anil' }));
    expect(await missing.json()).toMatchObject({ error: { code: 'bad_input', field: 'password' } });
  });

  it('gives a new session at every sign-in and ends the one the browser came with', async () => {
    const first = await login('vera');
    const second = await app.request('/api/auth/login', json({ name: 'vera', password: PASSWORD }, { cookie: `vigil_session=${first.cookie}` }));
    expect(second.status).toBe(200);
    const renewed = cookieOf(second).value;
    expect(renewed).not.toBe(first.cookie);
    expect(await accounts.findSession(hashSecret(first.cookie))).toBeNull();
    expect(await accounts.findSession(hashSecret(renewed))).not.toBeNull();
  });

  it("tells the UI what the caller may do", async () => {
    const can = async (headers: Record<string, string>) => ((await (await app.request('/api/auth/me', { headers })).json()) as { can: unknown }).can;
    expect(await can({})).toEqual({ read: true, change: false, manageAccounts: false });
    expect(await can(bearer(users.viewer.token))).toEqual({ read: true, change: false, manageAccounts: false });
    expect(await can(bearer(users.analyst.token))).toEqual({ read: true, change: true, manageAccounts: false });
    expect(await can(bearer(users.admin.token))).toEqual({ read: true, change: true, manageAccounts: true });
  });

  it('lets a user change their own password, ending their other sessions', async () => {
    const name = 'pat';
    const at = new Date().toISOString();
    await accounts.createUser({ id: newId('u'), name, role: 'viewer', disabled: false, passwordHash: await hashPassword(PASSWORD), createdAt: at, updatedAt: at });
    const elsewhere = await login(name);
    const here = await login(name);
    const headers = { cookie: `vigil_session=${here.cookie}`, 'x-csrf-token': here.csrf };
    const change = (body: unknown) => app.request('/api/auth/password', json(body, headers));

    const wrong = await change({ currentPassword: 'not it at all', newPassword: 'a brand new password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorised', field: 'currentPassword' } });
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'tiny' });
    expect(await weak.json()).toMatchObject({ error: { code: 'bad_input', field: 'newPassword' } });

    const ok = await change({ currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(ok.status).toBe(200);
    expect(await accounts.findSession(hashSecret(elsewhere.cookie))).toBeNull();
    expect(await accounts.findSession(hashSecret(here.cookie))).not.toBeNull();
    expect((await login(name)).response.status).toBe(401);
    expect((await login(name, 'a brand new password')).response.status).toBe(200);
    const entries = (await auditActions('&action=auth.password_change')).map((e) => [e.actorName, e.outcome, e.detail?.['status'] ?? e.detail?.['reason']]);
    expect(entries).toEqual([
      [name, 'ok', undefined],
      [name, 'failed', 422],
      [name, 'failed', 'wrong current password'],
    ]);
  });

  it('marks the cookie Secure (and __Host-) when VIGIL_SECURE_COOKIES is set', async () => {
    const secure = createApp({ store, config: loadConfig({ VIGIL_SECURE_COOKIES: 'true' }), log: () => undefined });
    const response = await secure.request('/api/auth/login', json({ name: 'anil', password: PASSWORD }));
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-vigil_session=vgs_[^;]+;.*Secure/);
  });

  it('refuses a wrong password or an unknown name with the same 401, and audits both', async () => {
    const wrong = await login('anil', 'not the password');
    const unknown = await login('nobody-here', PASSWORD);
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    const a = (await wrong.response.json()) as { error: { code: string; message: string } };
    const b = (await unknown.response.json()) as { error: { code: string; message: string } };
    expect(a).toEqual(b);
    expect(a.error.code).toBe('unauthorised');
    expect(wrong.response.headers.get('set-cookie')).toBeNull();

    const failures = await auditActions('&action=auth.login_failed');
    expect(failures.map((e) => e.detail?.['reason'])).toEqual(expect.arrayContaining(['wrong password', 'no such user']));
    expect(failures.find((e) => e.detail?.['name'] === 'anil')).toMatchObject({ outcome: 'failed', actorId: users.analyst.id });
    const successes = await auditActions('&action=auth.login');
    expect(successes.some((e) => e.actorId === users.analyst.id && e.outcome === 'ok')).toBe(true);
  });

  it('needs the CSRF header for changes made with the session cookie, not for reads or tokens', async () => {
    const { cookie, csrf } = await login('anil');
    const cookieHeader = { cookie: `vigil_session=${cookie}` };
    expect((await app.request('/api/tokens', { headers: cookieHeader })).status).toBe(200);

    const without = await app.request('/api/tokens', json({ name: 'no csrf' }, cookieHeader));
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const forged = await app.request('/api/tokens', json({ name: 'forged' }, { ...cookieHeader, 'x-csrf-token': 'A'.repeat(43) }));
    expect(forged.status).toBe(403);
    const ok = await app.request('/api/tokens', json({ name: 'with csrf' }, { ...cookieHeader, 'x-csrf-token': csrf }));
    expect(ok.status).toBe(201);

    const other = await login('vera');
    const crossed = await app.request('/api/tokens', json({ name: 'crossed' }, { ...cookieHeader, 'x-csrf-token': other.csrf }));
    expect(crossed.status).toBe(403);

    const csrfDenials = (await auditActions('&action=token.create')).filter((e) => e.outcome === 'denied');
    expect(csrfDenials.length).toBeGreaterThanOrEqual(3);
    expect(csrfDenials[0]?.detail).toMatchObject({ reason: 'csrf' });
  });

  it('signs out on the server: the old cookie no longer works', async () => {
    const { cookie, csrf } = await login('ada');
    const cookieHeader = { cookie: `vigil_session=${cookie}` };
    expect(((await (await app.request('/api/auth/me', { headers: cookieHeader })).json()) as { user: unknown }).user).not.toBeNull();

    const out = await app.request('/api/auth/logout', { method: 'POST', headers: { ...cookieHeader, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    expect(out.headers.get('set-cookie')).toMatch(/vigil_session=;.*Max-Age=0/);
    expect(await accounts.findSession(hashSecret(cookie))).toBeNull();

    const replay = await app.request('/api/auth/me', { headers: cookieHeader });
    expect(((await replay.json()) as { user: unknown }).user).toBeNull();
    const write = await app.request('/api/users', { headers: cookieHeader });
    expect(write.status).toBe(401);
    expect((await auditActions('&action=auth.logout')).some((e) => e.actorId === users.admin.id)).toBe(true);
  });

  it('ends a session when it expires', async () => {
    const { cookie } = await login('vera');
    const cookieHeader = { cookie: `vigil_session=${cookie}` };
    expect((await app.request('/api/tokens', { headers: cookieHeader })).status).toBe(200);
    const before = now;
    now = new Date(before.getTime() + 12 * 3_600_000 + 1000);
    try {
      expect((await app.request('/api/tokens', { headers: cookieHeader })).status).toBe(401);
      expect(await accounts.findSession(hashSecret(cookie))).toBeNull();
    } finally {
      now = before;
    }
  });

  it('keeps only the SHA-256 of API tokens and session secrets, never the secrets or passwords', async () => {
    const created = await app.request('/api/tokens', json({ name: 'look for me' }, bearer(users.analyst.token)));
    expect(created.status).toBe(201);
    const { secret, token } = (await created.json()) as { secret: string; token: { id: string; prefix: string } };
    expect(secret).toMatch(/^vgt_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    expect((await app.request('/api/auth/me', { headers: bearer(secret) })).status).toBe(200);
    const { cookie } = await login('anil');

    const text = await accountTablesText(store);
    expect(text).toContain(hashSecret(secret));
    expect(text).toContain(hashSecret(cookie));
    for (const plain of [secret, cookie, users.admin.token, users.viewer.token, PASSWORD]) expect(text).not.toContain(plain);
    expect(text).not.toContain(secret.slice(token.prefix.length, token.prefix.length + 20));
    expect(text).toMatch(/scrypt\$32768\$8\$1\$/);

    const listed = await app.request('/api/tokens', { headers: bearer(users.analyst.token) });
    expect(JSON.stringify(await listed.json())).not.toContain(secret);
  });

  it('refuses unknown, malformed, revoked and expired tokens and disabled users with 401', async () => {
    const expectUnauthorised = async (headers: Record<string, string>, message: RegExp) => {
      const response = await app.request('/api/incidents', { headers });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorised');
      expect(body.error.message).toMatch(message);
    };
    await expectUnauthorised(bearer(`vgt_${'x'.repeat(43)}`), /unknown API token/);
    await expectUnauthorised(bearer('hello'), /not a Vigil API token/);
    await expectUnauthorised({ authorization: 'Basic YWRhOnB3' }, /Bearer/);

    const victim = await seedUser(accounts, 'temp-analyst', 'analyst');
    const found = await accounts.findToken(hashSecret(victim.token));
    const revoked = await app.request(`/api/tokens/${found!.token.id}`, { method: 'DELETE', headers: bearer(victim.token) });
    expect(revoked.status).toBe(200);
    await expectUnauthorised(bearer(victim.token), /revoked/);
    const again = await app.request(`/api/tokens/${found!.token.id}`, { method: 'DELETE', headers: bearer(users.admin.token) });
    expect(again.status).toBe(409);

    const short = await issueToken(accounts, { userId: victim.id, name: 'short', now, expiresInDays: 1 });
    expect((await app.request('/api/incidents', { headers: bearer(short.secret) })).status).toBe(200);
    const before = now;
    now = new Date(before.getTime() + 86_400_000);
    try {
      await expectUnauthorised(bearer(short.secret), /expired/);
    } finally {
      now = before;
    }

    const disable = await app.request(`/api/users/${victim.id}`, { method: 'PATCH', headers: { ...bearer(users.admin.token), 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
    expect(disable.status).toBe(200);
    await expectUnauthorised(bearer(short.secret), /disabled/);
  });

  it("lets users see and revoke only their own tokens; admins everyone's", async () => {
    const mine = await app.request('/api/tokens', { headers: bearer(users.viewer.token) });
    const items = ((await mine.json()) as { items: Array<{ userId: string }> }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((t) => t.userId === users.viewer.id)).toBe(true);
    expect((await app.request(`/api/tokens?user=${users.admin.id}`, { headers: bearer(users.viewer.token) })).status).toBe(403);
    const all = await app.request('/api/tokens?user=all', { headers: bearer(users.admin.token) });
    expect(new Set(((await all.json()) as { items: Array<{ userId: string }> }).items.map((t) => t.userId)).size).toBeGreaterThanOrEqual(3);

    const adminToken = (await accounts.findToken(hashSecret(users.admin.token)))!.token;
    const steal = await app.request(`/api/tokens/${adminToken.id}`, { method: 'DELETE', headers: bearer(users.viewer.token) });
    expect(steal.status).toBe(404);
    const forOther = await app.request('/api/tokens', json({ name: 'for vera', userId: users.viewer.id }, bearer(users.analyst.token)));
    expect(forOther.status).toBe(403);
    const byAdmin = await app.request('/api/tokens', json({ name: 'for vera', userId: users.viewer.id, expiresInDays: 30 }, bearer(users.admin.token)));
    expect(byAdmin.status).toBe(201);
    expect(((await byAdmin.json()) as { token: { userId: string; expiresAt: string } }).token).toMatchObject({ userId: users.viewer.id, expiresAt: '2026-12-30T12:00:00.000Z' });
  });

  it('manages users: create, read, change, delete, with 409 and 422 errors that name the field', async () => {
    const admin = { ...bearer(users.admin.token), 'content-type': 'application/json' };
    const created = await app.request('/api/users', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'New.Analyst', role: 'analyst', password: 'a long enough password' }) });
    expect(created.status).toBe(201);
    const user = ((await created.json()) as { user: { id: string; name: string } }).user;
    expect(user.name).toBe('new.analyst');

    const duplicate = await app.request('/api/users', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'new.analyst', role: 'viewer', password: 'a long enough password' }) });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({ error: { code: 'conflict', field: 'name' } });
    const short = await app.request('/api/users', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'shorty', role: 'viewer', password: 'short' }) });
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({ error: { code: 'bad_input', field: 'password' } });
    const badRole = await app.request('/api/users', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'x-user', role: 'root', password: 'a long enough password' }) });
    expect(await badRole.json()).toMatchObject({ error: { code: 'bad_input', field: 'role' } });
    const badName = await app.request('/api/users', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'a b', role: 'viewer', password: 'a long enough password' }) });
    expect(await badName.json()).toMatchObject({ error: { code: 'bad_input', field: 'name' } });
    const notJson = await app.request('/api/users', { method: 'POST', headers: { ...bearer(users.admin.token), 'content-type': 'text/plain' }, body: 'name=x' });
    expect(notJson.status).toBe(422);

    const promoted = await app.request(`/api/users/${user.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify({ role: 'admin', password: 'another long password' }) });
    expect(((await promoted.json()) as { user: { role: string } }).user.role).toBe('admin');
    expect((await login('new.analyst', 'another long password')).response.status).toBe(200);
    expect((await app.request(`/api/users/${user.id}`, { headers: bearer(users.admin.token) })).status).toBe(200);
    expect((await app.request('/api/users/u_nobody', { headers: bearer(users.admin.token) })).status).toBe(404);

    const removed = await app.request(`/api/users/${user.id}`, { method: 'DELETE', headers: bearer(users.admin.token) });
    expect(removed.status).toBe(200);
    expect((await login('new.analyst', 'another long password')).response.status).toBe(401);

    const actions = (await auditActions()).filter((e) => e.target === user.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'user.delete', 'auth.login']));
  });

  it('never removes, demotes or disables the last enabled admin (409)', async () => {
    const admin = { ...bearer(users.admin.token), 'content-type': 'application/json' };
    expect(await accounts.countActiveAdmins()).toBe(1);
    const demote = await app.request(`/api/users/${users.admin.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify({ role: 'analyst' }) });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await app.request(`/api/users/${users.admin.id}`, { method: 'PATCH', headers: admin, body: JSON.stringify({ disabled: true }) })).status).toBe(409);
    expect((await app.request(`/api/users/${users.admin.id}`, { method: 'DELETE', headers: admin })).status).toBe(409);
  });

  it('records who changed an incident in its revision and in the audit log', async () => {
    const text = 'GAROWE, March 9 (Test Wire) — A grenade was thrown at a checkpoint in Garowe; nobody was hurt.';
    const bundle = bundleOf({ text, published: '2025-03-09' }, noFields());
    await store.saveExtraction(bundle);
    const incident = bundle.incidents[0]!;
    const reject = (token: string) => app.request(`/api/incidents/${incident.id}/reject`, json({ revision: incident.revision, reason: 'not an attack' }, bearer(token)));

    expect((await reject(users.viewer.token)).status).toBe(403);
    const done = await reject(users.analyst.token);
    expect(done.status, await done.clone().text()).toBe(200);
    const revisions = await store.getRevisions(incident.id);
    expect(revisions[revisions.length - 1]).toMatchObject({ action: 'reject', by: 'anil', reason: 'not an attack' });
    const stale = await reject(users.admin.token);
    expect(stale.status).toBe(409);

    const entries = (await auditActions('&action=incident.reject')).filter((e) => e.target === `/api/incidents/${incident.id}/reject`);
    expect(entries.map((e) => [e.actorName, e.outcome, e.detail?.['status'] ?? e.detail?.['reason']])).toEqual([
      ['ada', 'failed', 409],
      ['anil', 'ok', 200],
      ['vera', 'denied', 'forbidden'],
    ]);
  });

  it('audits changes made through any write route, denied ones too, and pages the log with a cursor', async () => {
    const denied = await app.request('/api/users', json({ name: 'sneaky', role: 'admin', password: 'a long enough password' }, bearer(users.viewer.token)));
    expect(denied.status).toBe(403);
    const anonymous = await app.request('/api/users', json({ name: 'sneaky', role: 'admin', password: 'a long enough password' }));
    expect(anonymous.status).toBe(401);
    const entries = await auditActions('&action=user.create');
    expect(entries.find((e) => e.actorId === users.viewer.id)).toMatchObject({ outcome: 'denied', detail: { reason: 'forbidden' } });
    expect(entries.find((e) => e.actorName === 'anonymous')).toMatchObject({ outcome: 'denied', detail: { reason: 'unauthenticated' } });

    // A write route with no audit of its own (the API's fallback) still gets an entry from the middleware.
    const unknown = await app.request('/api/nothing-here', json({}, bearer(users.analyst.token)));
    expect(unknown.status).toBe(404);
    expect((await auditActions()).find((e) => e.action === 'POST /api/nothing-here')).toMatchObject({ outcome: 'failed', detail: { status: 404 } });

    const everything = await auditActions();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/audit?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await (await app.request(url, { headers: bearer(users.admin.token) })).json()) as { items: AuditEntry[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(everything.map((e) => e.seq));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const bad = await app.request('/api/audit?cursor=bm9wZQ', { headers: bearer(users.admin.token) });
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_input', field: 'cursor' } });
  });
});
