import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { checkedUserName } from '../../auth/names.js';
import { hashPassword, MAX_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { roleAtLeast, ROLES, type Principal } from '../../auth/roles.js';
import { hashSecret, newId, newSecret, TOKEN_PREFIX } from '../../auth/secrets.js';
import { VigilError } from '../../core/errors.js';
import { publicUser, type AccountStore, type ApiToken, type User } from '../../store/accounts.js';
import { writeAudit } from '../middleware/audit.js';
import type { AccessDeps } from '../middleware/auth.js';
import { jsonBody } from '../middleware/body.js';
import { currentUser } from '../middleware/context.js';

const name = z.string().transform((value, ctx) => {
  try {
    return checkedUserName(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});
const password = z.string().max(MAX_PASSWORD_LENGTH);

const NewUserSchema = z.object({ name, role: z.enum(ROLES), password }).strict();
const UserPatchSchema = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional(), password: password.optional() })
  .strict()
  .refine((p) => p.role !== undefined || p.disabled !== undefined || p.password !== undefined, { message: 'give role, disabled or password' });
const NewTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Days until the token expires; without it the token lasts until revoked. */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** Admins only: make the token for another user. */
    userId: z.string().min(1).optional(),
  })
  .strict();
const TokenListSchema = z.object({ user: z.string().min(1).optional() }).strict();

/** The first characters of a token's secret: enough to recognise it, far too few to use it. */
export function tokenPrefix(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 6);
}

/**
 * Makes an API token for a user; the secret is returned once and only its SHA-256 is stored.
 * Shared by POST /api/tokens and `vigil tokens create`.
 */
export async function issueToken(
  accounts: AccountStore,
  input: { userId: string; name: string; now: Date; expiresInDays?: number | undefined },
): Promise<{ token: ApiToken; secret: string }> {
  const secret = newSecret(TOKEN_PREFIX);
  const token: ApiToken = {
    id: newId('t'),
    userId: input.userId,
    name: input.name,
    prefix: tokenPrefix(secret),
    createdAt: input.now.toISOString(),
    expiresAt: input.expiresInDays === undefined ? null : new Date(input.now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await accounts.createToken(token, hashSecret(secret));
  return { token, secret };
}

function signedIn(c: Context): Principal {
  const user = currentUser(c);
  if (user === null) throw new VigilError('unauthorised', 'sign in or send an API token');
  return user;
}

/**
 * Account management for admins (`/api/users`) and API tokens (`/api/tokens`: admins see and
 * revoke every token, other users their own).
 */
export function registerUserRoutes(app: Hono, deps: AccessDeps): void {
  const { accounts } = deps;
  const now = () => deps.now().toISOString();

  async function userOr404(id: string): Promise<User> {
    const user = await accounts.getUser(id);
    if (user === null) throw new VigilError('not_found', `no user with id "${id}"`);
    return publicUser(user);
  }

  app.get('/api/users', async (c) => c.json({ items: await accounts.listUsers() }));

  app.post('/api/users', async (c) => {
    const input = await jsonBody(c, NewUserSchema);
    const passwordHash = await hashPassword(input.password);
    const at = now();
    const user = await accounts.createUser({ id: newId('u'), name: input.name, role: input.role, disabled: false, passwordHash, createdAt: at, updatedAt: at });
    await writeAudit(c, deps, { action: 'user.create', target: user.id, outcome: 'ok', detail: { name: user.name, role: user.role } });
    return c.json({ user }, 201);
  });

  app.get('/api/users/:id', async (c) => c.json({ user: await userOr404(c.req.param('id')) }));

  app.patch('/api/users/:id', async (c) => {
    const before = await userOr404(c.req.param('id'));
    const patch = await jsonBody(c, UserPatchSchema);
    // The store refuses (409) a change that would leave no enabled admin: nobody could manage accounts any more.
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    const user = await accounts.updateUser(before.id, { role: patch.role, disabled: patch.disabled, passwordHash, updatedAt: now() });
    if (user === null) throw new VigilError('not_found', `no user with id "${before.id}"`);
    const endedSessions = patch.disabled === true || passwordHash !== undefined ? await accounts.deleteUserSessions(user.id) : 0;
    const changed: Record<string, unknown> = {};
    if (patch.role !== undefined) changed['role'] = { before: before.role, after: user.role };
    if (patch.disabled !== undefined) changed['disabled'] = { before: before.disabled, after: user.disabled };
    if (passwordHash !== undefined) changed['password'] = 'changed';
    await writeAudit(c, deps, { action: 'user.update', target: user.id, outcome: 'ok', detail: { name: user.name, changed, endedSessions } });
    return c.json({ user });
  });

  app.delete('/api/users/:id', async (c) => {
    const user = await userOr404(c.req.param('id'));
    const deleted = await accounts.deleteUser(user.id); // 409 for the last enabled admin
    if (!deleted) throw new VigilError('not_found', `no user with id "${user.id}"`);
    await writeAudit(c, deps, { action: 'user.delete', target: user.id, outcome: 'ok', detail: { name: user.name, role: user.role } });
    return c.json({ deleted: true });
  });

  app.get('/api/tokens', async (c) => {
    const me = signedIn(c);
    const { user } = TokenListSchema.parse(c.req.query());
    const isAdmin = roleAtLeast(me.role, 'admin');
    if (user !== undefined && user !== me.id && !isAdmin) throw new VigilError('forbidden', 'only admins can list the tokens of other users');
    const owner = user === 'all' && isAdmin ? undefined : (user ?? me.id);
    return c.json({ items: await accounts.listTokens(owner) });
  });

  app.post('/api/tokens', async (c) => {
    const me = signedIn(c);
    const input = await jsonBody(c, NewTokenSchema);
    const userId = input.userId ?? me.id;
    if (userId !== me.id) {
      if (!roleAtLeast(me.role, 'admin')) throw new VigilError('forbidden', 'only admins can make tokens for other users');
      const owner = await accounts.getUser(userId);
      if (owner === null) throw new VigilError('not_found', `no user with id "${userId}"`, { location: { field: 'userId' } });
    }
    const { token, secret } = await issueToken(accounts, { userId, name: input.name, now: deps.now(), expiresInDays: input.expiresInDays });
    await writeAudit(c, deps, { action: 'token.create', target: token.id, outcome: 'ok', detail: { owner: userId, name: token.name, expiresAt: token.expiresAt } });
    return c.json({ token, secret, note: 'Store the secret now: it is not shown again and the server keeps only its hash.' }, 201);
  });

  app.delete('/api/tokens/:id', async (c) => {
    const me = signedIn(c);
    const id = c.req.param('id');
    const token = await accounts.getToken(id);
    // Someone else's token is "not found" to a non-admin: its existence is not theirs to know.
    if (token === null || (token.userId !== me.id && !roleAtLeast(me.role, 'admin'))) throw new VigilError('not_found', `no token with id "${id}"`);
    if (token.revokedAt !== null) throw new VigilError('conflict', `token ${id} was already revoked at ${token.revokedAt}`);
    await accounts.revokeToken(id, now());
    await writeAudit(c, deps, { action: 'token.revoke', target: id, outcome: 'ok', detail: { owner: token.userId, name: token.name } });
    return c.json({ token: await accounts.getToken(id) });
  });
}
