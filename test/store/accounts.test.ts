import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, newId, newSecret, TOKEN_PREFIX } from '../../src/auth/secrets.js';
import { accountsOf, type AccountStore, type StoredUser } from '../../src/store/accounts.js';
import { storeFactories } from './stores.js';

const T0 = '2026-11-30T10:00:00.000Z';

function userNamed(name: string, role: StoredUser['role'] = 'viewer'): StoredUser {
  return { id: newId('u'), name, role, disabled: false, passwordHash: 'scrypt$16384$8$1$c2FsdA$a2V5', createdAt: T0, updatedAt: T0 };
}

describe.each(storeFactories('accounts'))('the account store on $name', (factory) => {
  let accounts: AccountStore;

  beforeAll(async () => {
    const store = await factory.create();
    await store.migrate();
    accounts = accountsOf(store);
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  it('creates, reads, lists, updates and deletes users, refusing a taken name with a conflict', async () => {
    const ada = await accounts.createUser(userNamed('ada', 'admin'));
    expect(ada).not.toHaveProperty('passwordHash');
    await accounts.createUser(userNamed('bo'));
    await expect(accounts.createUser(userNamed('ada'))).rejects.toMatchObject({ code: 'conflict' });

    expect((await accounts.getUserByName('ada'))?.passwordHash).toBe('scrypt$16384$8$1$c2FsdA$a2V5');
    expect((await accounts.getUser(ada.id))?.role).toBe('admin');
    expect((await accounts.listUsers()).map((u) => u.name)).toEqual(['ada', 'bo']);
    expect(await accounts.updateUser('u_missing', { role: 'viewer', updatedAt: T0 })).toBeNull();
    expect(await accounts.countActiveAdmins()).toBe(1);

    // The last enabled admin can be neither demoted, disabled nor deleted.
    await expect(accounts.updateUser(ada.id, { disabled: true, updatedAt: T0 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(accounts.updateUser(ada.id, { role: 'viewer', updatedAt: T0 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(accounts.deleteUser(ada.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await accounts.updateUser(ada.id, { role: 'admin', passwordHash: null, updatedAt: T0 })).toMatchObject({ role: 'admin' });
    const second = await accounts.createUser(userNamed('second-admin', 'admin'));

    const disabled = await accounts.updateUser(ada.id, { disabled: true, role: 'analyst', updatedAt: '2026-11-30T11:00:00.000Z' });
    expect(disabled).toMatchObject({ disabled: true, role: 'analyst', updatedAt: '2026-11-30T11:00:00.000Z' });
    expect(await accounts.countActiveAdmins()).toBe(1);
    await expect(accounts.updateUser(second.id, { disabled: true, updatedAt: T0 })).rejects.toMatchObject({ code: 'conflict' });
    expect(await accounts.updateUser('u_missing', { role: 'admin', updatedAt: T0 })).toBeNull();

    expect(await accounts.deleteUser(ada.id)).toBe(true);
    expect(await accounts.deleteUser(ada.id)).toBe(false);
    expect(await accounts.getUser(ada.id)).toBeNull();
  });

  it('keeps an enabled admin when two admins demote each other at once', async () => {
    const a = await accounts.createUser(userNamed('race-a', 'admin'));
    const b = await accounts.createUser(userNamed('race-b', 'admin'));
    // Leave only these two enabled admins.
    for (const user of await accounts.listUsers()) {
      if (user.role === 'admin' && !user.disabled && user.id !== a.id && user.id !== b.id) await accounts.updateUser(user.id, { role: 'analyst', updatedAt: T0 });
    }
    const results = await Promise.allSettled([
      accounts.updateUser(a.id, { role: 'viewer', updatedAt: T0 }),
      accounts.updateUser(b.id, { role: 'viewer', updatedAt: T0 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await accounts.countActiveAdmins()).toBe(1);
  });

  it('keeps tokens by their hash only, finds them with their user, revokes them once', async () => {
    const owner = await accounts.createUser(userNamed('token-owner', 'analyst'));
    const secret = newSecret(TOKEN_PREFIX);
    const token = { id: newId('t'), userId: owner.id, name: 'scripts', prefix: secret.slice(0, 8), createdAt: T0, expiresAt: null, lastUsedAt: null, revokedAt: null };
    await accounts.createToken(token, hashSecret(secret));

    const found = await accounts.findToken(hashSecret(secret));
    expect(found?.token).toEqual(token);
    expect(found?.user.name).toBe('token-owner');
    expect(await accounts.findToken(hashSecret(`${secret}x`))).toBeNull();

    await accounts.touchToken(token.id, '2026-11-30T12:00:00.000Z');
    expect((await accounts.getToken(token.id))?.lastUsedAt).toBe('2026-11-30T12:00:00.000Z');
    expect((await accounts.listTokens(owner.id)).map((t) => t.id)).toEqual([token.id]);
    expect((await accounts.listTokens()).map((t) => t.id)).toContain(token.id);

    expect(await accounts.revokeToken(token.id, '2026-11-30T13:00:00.000Z')).toBe(true);
    expect(await accounts.revokeToken(token.id, '2026-11-30T14:00:00.000Z')).toBe(false);
    expect((await accounts.getToken(token.id))?.revokedAt).toBe('2026-11-30T13:00:00.000Z');
  });

  it('ends sessions one by one, per user, when expired, and with their user', async () => {
    const user = await accounts.createUser(userNamed('sessions-user'));
    const session = (n: number, expiresAt: string) => ({ idHash: hashSecret(`session-${n}`), userId: user.id, createdAt: T0, expiresAt });
    await accounts.createSession(session(1, '2026-11-30T20:00:00.000Z'));
    await accounts.createSession(session(2, '2026-11-30T09:00:00.000Z'));
    await accounts.createSession(session(3, '2026-12-01T20:00:00.000Z'));

    expect((await accounts.findSession(hashSecret('session-1')))?.user.id).toBe(user.id);
    expect(await accounts.deleteExpiredSessions(T0)).toBe(1);
    expect(await accounts.findSession(hashSecret('session-2'))).toBeNull();
    expect(await accounts.deleteSession(hashSecret('session-1'))).toBe(true);
    expect(await accounts.deleteSession(hashSecret('session-1'))).toBe(false);
    await accounts.createSession(session(5, '2026-12-01T20:00:00.000Z'));
    expect(await accounts.deleteUserSessions(user.id, hashSecret('session-5'))).toBe(1);
    expect(await accounts.findSession(hashSecret('session-3'))).toBeNull();
    expect(await accounts.deleteUserSessions(user.id)).toBe(1);

    await accounts.createSession(session(4, '2026-12-01T20:00:00.000Z'));
    await accounts.deleteUser(user.id);
    expect(await accounts.findSession(hashSecret('session-4'))).toBeNull();
  });

  it('appends to the audit log and pages through it newest first, with filters', async () => {
    const written = [];
    for (let n = 0; n < 5; n += 1) {
      written.push(
        await accounts.appendAudit({
          at: `2026-11-30T10:0${n}:00.000Z`,
          actorId: n % 2 === 0 ? 'u_even' : null,
          actorName: n % 2 === 0 ? 'even' : 'anonymous',
          action: n === 4 ? 'auth.login_failed' : 'incident.edit',
          target: `/api/incidents/${n}`,
          outcome: n === 4 ? 'failed' : 'ok',
          ip: '192.0.2.1',
          detail: n === 0 ? null : { n, nested: { ok: true } },
        }),
      );
    }
    const seqs = written.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    const first = await accounts.listAudit({ limit: 2 });
    expect(first.map((e) => e.seq)).toEqual([seqs[4], seqs[3]]);
    expect(first[0]).toEqual(written[4]);
    const second = await accounts.listAudit({ limit: 10, before: first[1]!.seq });
    expect(second.map((e) => e.seq)).toEqual([seqs[2], seqs[1], seqs[0]]);
    expect(second[2]?.detail).toBeNull();
    expect(second[1]?.detail).toEqual({ n: 1, nested: { ok: true } });

    expect((await accounts.listAudit({ limit: 10, action: 'auth.login_failed' })).map((e) => e.seq)).toEqual([seqs[4]]);
    expect((await accounts.listAudit({ limit: 10, actorId: 'u_even' })).map((e) => e.seq)).toEqual([seqs[4], seqs[2], seqs[0]]);
  });
});
