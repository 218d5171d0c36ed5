import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import { accountsOf } from '../../src/store/accounts.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-users-cli-'));
  db = path.join(dir, 'accounts.db');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a request against the API of the test database, then closes it. */
async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const store = await openStore(db);
  try {
    const app = createApp({ store, config: loadConfig({}), log: () => undefined });
    const response = await app.request(url, init);
    await response.clone().arrayBuffer();
    return response;
  } finally {
    await store.close();
  }
}

describe('vigil users and vigil tokens', () => {
  it('creates the first admin with a generated password shown once, who can then sign in', async () => {
    const run = await runCli(['users', 'add', 'Ada', '--role', 'admin', '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const password = /Password \(shown once, stored only as a hash\): (\S+)/.exec(run.stdout)?.[1];
    expect(password).toBeDefined();
    const login = await request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ada', password }) });
    expect(login.status).toBe(200);
  });

  it('takes a password from an environment variable, never from the command line', async () => {
    const run = await runCli(['users', 'add', 'bo', '--role', 'analyst', '--password-env', 'BO_PASSWORD', '--db', db], { env: { BO_PASSWORD: 'bo has a long password' } });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Password');
    const login = await request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bo', password: 'bo has a long password' }) });
    expect(login.status).toBe(200);
    const missing = await runCli(['users', 'add', 'cy', '--role', 'viewer', '--password-env', 'NOT_SET', '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('password-env: the environment variable NOT_SET is not set');
  });

  it('lists users, changes roles, disables, and refuses bad input and the last admin', async () => {
    const list = await runCli(['users', 'list', '--db', db]);
    expect(list.stdout).toMatch(/^NAME\s+ROLE\s+STATE/);
    expect(list.stdout).toMatch(/\nada\s+admin\s+active/);
    expect(list.stdout).toMatch(/\nbo\s+analyst\s+active/);

    expect((await runCli(['users', 'set-role', 'bo', 'viewer', '--db', db])).stdout).toBe('bo is now a viewer.\n');
    const badRole = await runCli(['users', 'set-role', 'bo', 'root', '--db', db]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('role: "root" is not a role: use one of viewer, analyst, admin');
    const nobody = await runCli(['users', 'disable', 'nobody', '--db', db]);
    expect(nobody.stderr).toContain('no user named "nobody"');
    const lastAdmin = await runCli(['users', 'disable', 'ada', '--db', db]);
    expect(lastAdmin.code).toBe(2);
    expect(lastAdmin.stderr).toContain('last enabled admin');

    expect((await runCli(['users', 'disable', 'bo', '--db', db])).code).toBe(0);
    const login = await request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bo', password: 'bo has a long password' }) });
    expect(login.status).toBe(401);
    expect((await runCli(['users', 'enable', 'bo', '--db', db])).stdout).toBe('bo is enabled.\n');
  });

  it('sets a new password (generated and shown once), ending the sessions', async () => {
    const run = await runCli(['users', 'set-password', 'bo', '--db', db]);
    expect(run.code).toBe(0);
    const password = /Password \(shown once, stored only as a hash\): (\S+)/.exec(run.stdout)?.[1];
    const login = (pw: string | undefined) => request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bo', password: pw }) });
    expect((await login('bo has a long password')).status).toBe(401);
    const session = await login(password);
    expect(session.status).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await runCli(['users', 'set-password', 'bo', '--password-env', 'P', '--db', db], { env: { P: 'yet another password' } })).stdout).toBe('New password set for bo; 1 session(s) ended.\n');
    expect(((await (await request('/api/auth/me', { headers: { cookie } })).json()) as { user: unknown }).user).toBeNull();
  });

  it('makes a token printed once that works until revoked, and audits it all', async () => {
    const created = await runCli(['tokens', 'create', 'ada', '--name', 'nightly export', '--expires-days', '30', '--db', db]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^vgt_[A-Za-z0-9_-]{43}$/);
    const id = /Token (t_[0-9a-f]+)/.exec(created.stderr)?.[1] ?? '';
    expect((await request('/api/users', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);

    const list = await runCli(['tokens', 'list', 'ada', '--db', db]);
    expect(list.stdout).toContain(id);
    expect(list.stdout).not.toContain(secret);
    expect(list.stdout).toMatch(/nightly export\s+vgt_\S+…\s+active/);

    expect((await runCli(['tokens', 'revoke', id, '--db', db])).stdout).toBe(`Revoked ${id}.\n`);
    expect((await request('/api/users', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    const again = await runCli(['tokens', 'revoke', id, '--db', db]);
    expect(again.stderr).toContain('already revoked');
    const badDays = await runCli(['tokens', 'create', 'ada', '--name', 'x', '--expires-days', 'soon', '--db', db]);
    expect(badDays.stderr).toContain('expires-days');

    const store = await openStore(db);
    try {
      const log = await accountsOf(store).listAudit({ limit: 100 });
      const cli = log.filter((e) => e.actorName === 'system:cli').map((e) => e.action);
      expect(cli).toEqual(expect.arrayContaining(['user.create', 'user.update', 'token.create', 'token.revoke']));
    } finally {
      await store.close();
    }

    const shown = await runCli(['audit', '--limit', '3', '--db', db]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')[0]).toMatch(/^AT\s+WHO\s+ACTION\s+OUTCOME\s+TARGET\s+FROM$/);
    expect(shown.stdout.trim().split('\n')).toHaveLength(4);
    expect(shown.stdout).toMatch(/system:cli\s+token\.revoke\s+ok\s+t_/);
    const failures = await runCli(['audit', '--action', 'auth.login_failed', '--json', '--db', db]);
    const lines = failures.stdout.trim().split('\n').map((line) => JSON.parse(line) as { action: string; detail: { name: string } });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((e) => e.action === 'auth.login_failed' && e.detail.name === 'bo')).toBe(true);
  });
});
