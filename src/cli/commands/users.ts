import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { issueToken } from '../../api/routes/users.js';
import { checkedUserName } from '../../auth/names.js';
import { hashPassword } from '../../auth/passwords.js';
import { isRole, ROLES, type Role } from '../../auth/roles.js';
import { newId } from '../../auth/secrets.js';
import { VigilError } from '../../core/errors.js';
import { accountsOf, type AccountStore, type NewAuditEntry, type StoredUser } from '../../store/accounts.js';
import type { CliContext } from '../main.js';
import { configFrom, openConfiguredStore, withDbOption } from './common.js';

type DbFlags = { db?: string };

/** Opens the configured store, runs `work` on its accounts, and closes it. */
async function withAccounts<T>(ctx: CliContext, flags: DbFlags, work: (accounts: AccountStore) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(configFrom(ctx, flags));
  try {
    return await work(accountsOf(store));
  } finally {
    await store.close();
  }
}

/** The audit entry of a change made from the command line. */
function cliAudit(action: string, target: string, detail: Record<string, unknown>): NewAuditEntry {
  return { at: new Date().toISOString(), actorId: null, actorName: 'system:cli', action, target, outcome: 'ok', ip: null, detail };
}

function checkedRole(value: string): Role {
  if (!isRole(value)) throw new VigilError('bad_input', `"${value}" is not a role: use one of ${ROLES.join(', ')}`, { location: { field: 'role' } });
  return value;
}

async function userNamed(accounts: AccountStore, name: string): Promise<StoredUser> {
  const user = await accounts.getUserByName(checkedUserName(name));
  if (user === null) throw new VigilError('not_found', `no user named "${name}" (see: vigil users list)`, { location: { field: 'name' } });
  return user;
}

/** The password named by --password-env, or a generated one (to be printed once). */
function passwordFrom(ctx: CliContext, variable: string | undefined): { password: string; generated: boolean } {
  if (variable === undefined) return { password: randomBytes(18).toString('base64url'), generated: true };
  const value = ctx.env[variable];
  if (value === undefined || value === '') throw new VigilError('bad_input', `the environment variable ${variable} is not set`, { location: { field: 'password-env' } });
  return { password: value, generated: false };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, n) => Math.max(...rows.map((row) => (row[n] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, n) => cell.padEnd(widths[n] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

/** `vigil users add|list|set-role|set-password|disable|enable`, `vigil tokens create|list|revoke` and `vigil audit`. */
export function registerUsers(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('Manage the accounts of the API and the web app (roles: viewer, analyst, admin)');
  users.addHelpText(
    'after',
    `
Examples:
  $ vigil users add ada --role admin              prints a generated password once
  $ VIGIL_NEW_PASSWORD='…' vigil users add bo --role analyst --password-env VIGIL_NEW_PASSWORD
  $ vigil users set-role bo viewer
  $ vigil users disable bo`,
  );

  withDbOption(
    users
      .command('add <name>')
      .description('Create a user; without --password-env a random password is generated and printed once')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--password-env <variable>', 'read the password from this environment variable (never from the command line, where others can see it)'),
  ).action(async (name: string, flags: DbFlags & { role: string; passwordEnv?: string }) => {
    const role = checkedRole(flags.role);
    const userName = checkedUserName(name);
    const { password, generated } = passwordFrom(ctx, flags.passwordEnv);
    const passwordHash = await hashPassword(password);
    await withAccounts(ctx, flags, async (accounts) => {
      const at = new Date().toISOString();
      const user = await accounts.createUser({ id: newId('u'), name: userName, role, disabled: false, passwordHash, createdAt: at, updatedAt: at });
      await accounts.appendAudit(cliAudit('user.create', user.id, { name: user.name, role }));
      ctx.stdout.write(`Created ${role} ${user.name} (${user.id}).\n`);
      if (generated) ctx.stdout.write(`Password (shown once, stored only as a hash): ${password}\n`);
    });
  });

  withDbOption(users.command('list').description('List users with their roles')).action(async (flags: DbFlags) => {
    await withAccounts(ctx, flags, async (accounts) => {
      const all = await accounts.listUsers();
      if (all.length === 0) {
        ctx.stdout.write('No users yet. Create the first admin: vigil users add NAME --role admin\n');
        return;
      }
      ctx.stdout.write(table([['NAME', 'ROLE', 'STATE', 'ID', 'CREATED'], ...all.map((u) => [u.name, u.role, u.disabled ? 'disabled' : 'active', u.id, u.createdAt])]));
    });
  });

  withDbOption(users.command('set-role <name> <role>').description(`Change a user's role (${ROLES.join(', ')})`)).action(async (name: string, roleText: string, flags: DbFlags) => {
    const role = checkedRole(roleText);
    await withAccounts(ctx, flags, async (accounts) => {
      const user = await userNamed(accounts, name);
      await accounts.updateUser(user.id, { role, updatedAt: new Date().toISOString() });
      await accounts.appendAudit(cliAudit('user.update', user.id, { name: user.name, changed: { role: { before: user.role, after: role } } }));
      ctx.stdout.write(`${user.name} is now ${role === 'admin' ? 'an' : 'a'} ${role}.\n`);
    });
  });

  withDbOption(
    users
      .command('set-password <name>')
      .description("Set a user's password (e.g. a forgotten one); their sessions end. Without --password-env one is generated and printed once")
      .option('--password-env <variable>', 'read the password from this environment variable'),
  ).action(async (name: string, flags: DbFlags & { passwordEnv?: string }) => {
    const { password, generated } = passwordFrom(ctx, flags.passwordEnv);
    const passwordHash = await hashPassword(password);
    await withAccounts(ctx, flags, async (accounts) => {
      const user = await userNamed(accounts, name);
      await accounts.updateUser(user.id, { passwordHash, updatedAt: new Date().toISOString() });
      const ended = await accounts.deleteUserSessions(user.id);
      await accounts.appendAudit(cliAudit('user.update', user.id, { name: user.name, changed: { password: 'changed' }, endedSessions: ended }));
      ctx.stdout.write(`New password set for ${user.name}${ended > 0 ? `; ${ended} session(s) ended` : ''}.\n`);
      if (generated) ctx.stdout.write(`Password (shown once, stored only as a hash): ${password}\n`);
    });
  });

  for (const [command, disabled] of [['disable', true], ['enable', false]] as const) {
    withDbOption(
      users.command(`${command} <name>`).description(disabled ? 'Disable a user: no sign-in, no tokens, sessions ended' : 'Enable a disabled user again'),
    ).action(async (name: string, flags: DbFlags) => {
      await withAccounts(ctx, flags, async (accounts) => {
        const user = await userNamed(accounts, name);
        await accounts.updateUser(user.id, { disabled, updatedAt: new Date().toISOString() });
        const ended = disabled ? await accounts.deleteUserSessions(user.id) : 0;
        await accounts.appendAudit(cliAudit('user.update', user.id, { name: user.name, changed: { disabled: { before: user.disabled, after: disabled } }, endedSessions: ended }));
        ctx.stdout.write(`${user.name} is ${disabled ? 'disabled' : 'enabled'}.\n`);
      });
    });
  }

  const tokens = program.command('tokens').description('Manage API tokens (sent as Authorization: Bearer <token>)');
  tokens.addHelpText(
    'after',
    `
Examples:
  $ vigil tokens create ada --name "nightly export" --expires-days 90
  $ vigil tokens list ada
  $ vigil tokens revoke t_0123abcd…`,
  );

  withDbOption(
    tokens
      .command('create <user>')
      .description("Make an API token for a user; the token is printed once, the database keeps only its SHA-256")
      .requiredOption('--name <label>', 'what the token is for')
      .option('--expires-days <days>', 'days until it expires (default: until revoked)'),
  ).action(async (userName: string, flags: DbFlags & { name: string; expiresDays?: string }) => {
    const expiresInDays = flags.expiresDays === undefined ? undefined : Number(flags.expiresDays);
    if (expiresInDays !== undefined && (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650)) {
      throw new VigilError('bad_input', `--expires-days must be a whole number of days from 1 to 3650, got "${flags.expiresDays}"`, { location: { field: 'expires-days' } });
    }
    const label = flags.name.trim();
    if (label === '') throw new VigilError('bad_input', '--name must not be empty', { location: { field: 'name' } });
    await withAccounts(ctx, flags, async (accounts) => {
      const user = await userNamed(accounts, userName);
      const { token, secret } = await issueToken(accounts, { userId: user.id, name: label, now: new Date(), expiresInDays });
      await accounts.appendAudit(cliAudit('token.create', token.id, { owner: user.id, name: label, expiresAt: token.expiresAt }));
      ctx.stderr.write(`Token ${token.id} for ${user.name} (${user.role})${token.expiresAt === null ? '' : `, expires ${token.expiresAt}`}. Shown once; keep it secret:\n`);
      ctx.stdout.write(`${secret}\n`);
    });
  });

  withDbOption(tokens.command('list [user]').description("List tokens (never their secrets), of one user or everyone's")).action(async (userName: string | undefined, flags: DbFlags) => {
    await withAccounts(ctx, flags, async (accounts) => {
      const owner = userName === undefined ? undefined : await userNamed(accounts, userName);
      const names = new Map((await accounts.listUsers()).map((u) => [u.id, u.name]));
      const all = await accounts.listTokens(owner?.id);
      ctx.stdout.write(
        table([
          ['ID', 'USER', 'NAME', 'PREFIX', 'STATE', 'LAST USED'],
          ...all.map((t) => [t.id, names.get(t.userId) ?? t.userId, t.name, `${t.prefix}…`, t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'active', t.lastUsedAt ?? '-']),
        ]),
      );
    });
  });

  withDbOption(
    program
      .command('audit')
      .description('Show the audit log, newest first: sign-ins (and failed ones), account changes, changes to incidents')
      .option('--limit <n>', 'how many entries', '50')
      .option('--action <action>', 'only this action, e.g. auth.login_failed or incident.edit')
      .option('--json', 'one JSON object per line instead of a table'),
  ).action(async (flags: DbFlags & { limit: string; action?: string; json?: boolean }) => {
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
      throw new VigilError('bad_input', `--limit must be a whole number from 1 to 100000, got "${flags.limit}"`, { location: { field: 'limit' } });
    }
    await withAccounts(ctx, flags, async (accounts) => {
      const entries = await accounts.listAudit({ limit, action: flags.action });
      if (flags.json === true) {
        for (const entry of entries) ctx.stdout.write(`${JSON.stringify(entry)}\n`);
        return;
      }
      ctx.stdout.write(
        table([
          ['AT', 'WHO', 'ACTION', 'OUTCOME', 'TARGET', 'FROM'],
          ...entries.map((e) => [e.at, e.actorName, e.action, e.outcome, e.target ?? '-', e.ip ?? '-']),
        ]),
      );
    });
  });

  withDbOption(tokens.command('revoke <id>').description('Revoke a token by its id (t_…)')).action(async (id: string, flags: DbFlags) => {
    await withAccounts(ctx, flags, async (accounts) => {
      const token = await accounts.getToken(id);
      if (token === null) throw new VigilError('not_found', `no token with id "${id}" (see: vigil tokens list)`, { location: { field: 'id' } });
      if (!(await accounts.revokeToken(id, new Date().toISOString()))) throw new VigilError('conflict', `token ${id} was already revoked at ${token.revokedAt ?? '?'}`);
      await accounts.appendAudit(cliAudit('token.revoke', id, { owner: token.userId, name: token.name }));
      ctx.stdout.write(`Revoked ${id}.\n`);
    });
  });
}
