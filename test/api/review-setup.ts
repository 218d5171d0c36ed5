import type { Hono } from 'hono';
import { createApp } from '../../src/api/app.js';
import { issueToken } from '../../src/api/routes/users.js';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/roles.js';
import { newId } from '../../src/auth/secrets.js';
import { loadConfig } from '../../src/core/config.js';
import type { Incident } from '../../src/core/model.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { accountsOf } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/store.js';
import { asInput, fixtureExtractor, LINKING_FIXTURE } from '../pipeline/linking-fixtures.js';

/** An app over `store` with the fixture reports of `reports` ingested, and an API token per role. */
export async function reviewApp(store: Store, reports: readonly string[], linking = true): Promise<{ app: Hono; tokens: Record<Role, string> }> {
  await store.migrate();
  await ingestReports(store, asReadResults(LINKING_FIXTURE.filter((r) => reports.includes(r.id)).map(asInput)), {
    extractor: fixtureExtractor(LINKING_FIXTURE),
    source: { kind: 'batch', locator: 'api-review', name: 'api review' },
    now: () => new Date('2026-04-01T00:00:00Z'),
    ...(linking ? {} : { linking: false as const }),
  });
  const accounts = accountsOf(store);
  const at = new Date().toISOString();
  const tokens = {} as Record<Role, string>;
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    const user = await accounts.createUser({ id: newId('u'), name: `${role}-ana`, role, disabled: false, passwordHash: await hashPassword(`password of ${role}`), createdAt: at, updatedAt: at });
    tokens[role] = (await issueToken(accounts, { userId: user.id, name: 'review tests', now: new Date() })).secret;
  }
  const app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
  return { app, tokens };
}

/** A JSON POST with a bearer token. */
export function post(app: Hono, path: string, token: string | null, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  return Promise.resolve(app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

/** Every listed incident. */
export async function listed(store: Store): Promise<Incident[]> {
  return (await store.listIncidents({ limit: 1000 })).items;
}
