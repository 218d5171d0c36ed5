import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { apiRoutes, type RegisteredRoute } from '../../src/api/openapi.js';
import { issueToken } from '../../src/api/routes/users.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { ROUTE_RULES, type AccessLevel } from '../../src/auth/policy.js';
import { newId } from '../../src/auth/secrets.js';
import { loadConfig } from '../../src/core/config.js';
import { loadGazetteer } from '../../src/gazetteer/index.js';
import { accountsOf } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

/*
 * The role matrix: every route the app registers × every caller (anonymous, viewer, analyst,
 * admin; by API token and by session cookie) × reads open and closed. Who may call what is written
 * here from the rules of access, independently of src/auth/policy.ts, so a route given the wrong
 * rule — or none — fails.
 */

type Caller = 'anonymous' | 'viewer' | 'analyst' | 'admin';
const CALLERS: readonly Caller[] = ['anonymous', 'viewer', 'analyst', 'admin'];

/** Which access a route must have, by what it is. */
function requiredAccess(route: RegisteredRoute): AccessLevel {
  const { method, path } = route;
  if (path === '/api/auth/password') return 'signed_in';
  if (['/api/health', '/api/openapi.json', '/api/docs'].includes(path) || path.startsWith('/api/auth/')) return 'public';
  if (path === '/api/users' || path.startsWith('/api/users/') || path === '/api/audit') return 'admin';
  if (path === '/api/tokens' || path.startsWith('/api/tokens/')) return 'signed_in';
  return method === 'GET' ? 'read' : 'write';
}

/** What a caller gets at each level: through (to the route: neither 401/403 nor 429 or a server error), or refused with 401 or 403. */
function expectedOutcome(access: AccessLevel, caller: Caller, openReads: boolean): 'through' | 401 | 403 {
  switch (access) {
    case 'public':
      return 'through';
    case 'read':
      return caller === 'anonymous' && !openReads ? 401 : 'through';
    case 'signed_in':
      return caller === 'anonymous' ? 401 : 'through';
    case 'write':
      return caller === 'anonymous' ? 401 : caller === 'viewer' ? 403 : 'through';
    case 'admin':
      return caller === 'anonymous' ? 401 : caller === 'admin' ? 'through' : 403;
  }
}

/** A concrete URL for a route: each path parameter an id that does not exist, so that nothing changes. */
function urlOf(route: RegisteredRoute): string {
  const path = route.path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, 'matrix-missing-id');
  return route.method === 'GET' && path === '/api/places' ? `${path}?q=kabul` : path;
}

describe.each([sqliteFactory(), postgresFactory('authmatrix')])('the role matrix on $name', (factory) => {
  let store: Store;
  const tokens: Partial<Record<Caller, string>> = {};
  const sessions: Partial<Record<Caller, { cookie: string; csrf: string }>> = {};
  const apps: Record<'open' | 'closed', Hono> = {} as never;

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    const accounts = accountsOf(store);
    const at = new Date().toISOString();
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const user = await accounts.createUser({ id: newId('u'), name: `matrix-${role}`, role, disabled: false, passwordHash: await hashPassword(`password of ${role}`), createdAt: at, updatedAt: at });
      tokens[role] = (await issueToken(accounts, { userId: user.id, name: 'matrix', now: new Date() })).secret;
    }
    const config = (openReads: boolean) => loadConfig({ VIGIL_OPEN_READS: String(openReads), VIGIL_RATE_LIMIT: '0', VIGIL_LOGIN_RATE_LIMIT: '1000' });
    // The gazetteer behind /api/places loads (or builds) once per process: here, not inside a test.
    const gazetteer = loadGazetteer();
    apps.open = createApp({ store, config: config(true), log: () => undefined, gazetteer });
    apps.closed = createApp({ store, config: config(false), log: () => undefined, gazetteer });
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const response = await apps.open.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `matrix-${role}`, password: `password of ${role}` }) });
      expect(response.status).toBe(200);
      const cookie = /vigil_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '';
      sessions[role] = { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
    }
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  it('has an explicit access rule for every route the app registers, and the right one', () => {
    const routes = apiRoutes(apps.open);
    expect(routes.length).toBeGreaterThanOrEqual(16);
    for (const route of routes) {
      const rule = ROUTE_RULES.find((r) => r.method === route.method && r.path === route.path);
      expect(rule, `${route.method} ${route.path} has no rule in src/auth/policy.ts ROUTE_RULES`).toBeDefined();
      expect(rule?.access, `${route.method} ${route.path}`).toBe(requiredAccess(route));
      if (route.method !== 'GET') expect(rule?.action, `${route.method} ${route.path} needs an audit action name`).toMatch(/^[a-z]+\.[a-z_]+$/);
    }
  });

  for (const reads of ['open', 'closed'] as const) {
    for (const via of ['token', 'session'] as const) {
      it(`answers every route × caller as the rules say (reads ${reads}, credentials by ${via})`, async () => {
        const app = apps[reads];
        const routes = apiRoutes(app);
        const mismatches: string[] = [];
        let checked = 0;
        for (const route of routes) {
          for (const caller of CALLERS) {
            if (via === 'session' && caller === 'anonymous') continue;
            const headers: Record<string, string> = {};
            if (caller !== 'anonymous' && via === 'token') headers['authorization'] = `Bearer ${tokens[caller]}`;
            if (caller !== 'anonymous' && via === 'session') {
              headers['cookie'] = `vigil_session=${sessions[caller]!.cookie}`;
              headers['x-csrf-token'] = sessions[caller]!.csrf;
            }
            const init: RequestInit = { method: route.method, headers };
            if (route.method !== 'GET') {
              headers['content-type'] = 'application/json';
              init.body = route.path === '/api/auth/logout' ? '{}' : '{"matrix": true}';
            }
            // Signing out would end the caller's session for the rest of the matrix: checked separately.
            if (route.path === '/api/auth/logout' && via === 'session') continue;
            const response = await app.request(urlOf(route), init);
            const expected = expectedOutcome(requiredAccess(route), caller, reads === 'open');
            const status = response.status;
            const body = (await response.text()).slice(0, 200);
            checked += 1;
            if (expected === 'through' ? status === 401 || status === 403 || status >= 429 : status !== expected) {
              mismatches.push(`${route.method} ${route.path} as ${caller}: expected ${expected}, got ${status} ${body}`);
            } else if (expected !== 'through') {
              const code = (JSON.parse(body) as { error: { code: string } }).error.code;
              if (code !== (expected === 401 ? 'unauthorised' : 'forbidden')) mismatches.push(`${route.method} ${route.path} as ${caller}: code ${code}`);
            }
          }
        }
        expect(mismatches).toEqual([]);
        expect(checked).toBeGreaterThanOrEqual(routes.length * (via === 'token' ? 4 : 3) - 3);
      });
    }
  }

  it('lets every signed-in caller sign out of their own session', async () => {
    for (const role of ['viewer', 'analyst', 'admin'] as const) {
      const { cookie, csrf } = sessions[role]!;
      const response = await apps.closed.request('/api/auth/logout', { method: 'POST', headers: { cookie: `vigil_session=${cookie}`, 'x-csrf-token': csrf } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ signedOut: true });
      expect((await apps.closed.request('/api/incidents', { headers: { cookie: `vigil_session=${cookie}` } })).status).toBe(401);
    }
  });
});
