import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { decide, type AccessLevel } from '../../auth/policy.js';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../../auth/passwords.js';
import { csrfTokenOf, hashSecret, newSecret, SESSION_PREFIX } from '../../auth/secrets.js';
import { VigilError } from '../../core/errors.js';
import { publicUser } from '../../store/accounts.js';
import { writeAudit } from '../middleware/audit.js';
import { clearSessionCookie, sessionCookieName, setSessionCookie, type AccessDeps } from '../middleware/auth.js';
import { jsonBody } from '../middleware/body.js';
import { clientAddress, currentUser } from '../middleware/context.js';

const LoginSchema = z
  .object({
    name: z.string().min(1).max(64),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

const PasswordChangeSchema = z
  .object({
    currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    newPassword: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .strict();

/** The answer to a failed sign-in, the same whatever failed, so that it does not tell which names exist. */
const WRONG = 'wrong user name or password';

/**
 * POST /api/auth/login (a session cookie for the web app), POST /api/auth/logout (ends it, on the
 * server too), GET /api/auth/me (who is signed in, what they may do, the CSRF token of the session)
 * and POST /api/auth/password (a signed-in user changes their own password).
 */
export function registerAuthRoutes(app: Hono, deps: AccessDeps): void {
  const { accounts, settings } = deps;

  app.post('/api/auth/login', async (c) => {
    const ip = clientAddress(c, deps.trustProxy) ?? 'unknown';
    const byAddress = deps.loginLimiter.hit(`ip:${ip}`);
    if (!byAddress.allowed) {
      c.header('retry-after', String(byAddress.retryAfterSeconds));
      throw new VigilError('rate_limited', `too many sign-in attempts from this address; retry in ${byAddress.retryAfterSeconds} s`);
    }
    const { name, password } = await jsonBody(c, LoginSchema);
    const folded = name.trim().toLowerCase();
    const byName = deps.loginFailures.check(`name:${folded}`);
    if (!byName.allowed) {
      await writeAudit(c, deps, { action: 'auth.login_failed', target: folded, outcome: 'denied', detail: { reason: 'too many failures for this name' } }, { id: null, name: folded });
      c.header('retry-after', String(byName.retryAfterSeconds));
      throw new VigilError('rate_limited', `too many failed sign-ins for ${folded}; retry in ${byName.retryAfterSeconds} s`);
    }

    const user = await accounts.getUserByName(folded);
    const matches = await verifyPassword(password, user?.passwordHash ?? null);
    if (user === null || !matches || user.disabled) {
      deps.loginFailures.record(`name:${folded}`);
      const reason = user === null ? 'no such user' : !matches ? 'wrong password' : 'account disabled';
      await writeAudit(c, deps, { action: 'auth.login_failed', target: user?.id ?? folded, outcome: 'failed', detail: { name: folded, reason } }, { id: user?.id ?? null, name: folded });
      throw new VigilError('unauthorised', WRONG);
    }

    deps.loginFailures.reset(`name:${folded}`);
    const now = deps.now();
    await accounts.deleteExpiredSessions(now.toISOString());
    // A new session for every sign-in; the one the browser came with (if any) ends.
    const previous = c.get('credential');
    if (previous?.kind === 'session') await accounts.deleteSession(previous.idHash);
    const secret = newSecret(SESSION_PREFIX);
    const expiresAt = new Date(now.getTime() + settings.sessionHours * 3_600_000);
    await accounts.createSession({ idHash: hashSecret(secret), userId: user.id, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    setSessionCookie(c, settings, secret, expiresAt);
    await writeAudit(c, deps, { action: 'auth.login', target: user.id, outcome: 'ok', detail: { via: 'password' } }, { id: user.id, name: user.name });
    return c.json({ user: publicUser(user), csrfToken: csrfTokenOf(secret), expiresAt: expiresAt.toISOString() });
  });

  app.post('/api/auth/logout', async (c) => {
    const credential = c.get('credential');
    const signedOut = credential?.kind === 'session' ? await accounts.deleteSession(credential.idHash) : false;
    if (getCookie(c, sessionCookieName(settings)) !== undefined) clearSessionCookie(c, settings);
    if (signedOut) await writeAudit(c, deps, { action: 'auth.logout', target: currentUser(c)?.id ?? null, outcome: 'ok' });
    else c.set('audited', true);
    return c.json({ signedOut });
  });

  app.get('/api/auth/me', async (c) => {
    const user = currentUser(c);
    const credential = c.get('credential');
    const may = (level: AccessLevel) => decide(level, user, { openReads: settings.openReads }).allowed;
    return c.json({
      user: c.get('account') ?? null,
      via: credential?.kind ?? null,
      csrfToken: credential?.kind === 'session' ? csrfTokenOf(credential.secret) : null,
      openReads: settings.openReads,
      can: { read: may('read'), change: may('write'), manageAccounts: may('admin') },
    });
  });

  app.post('/api/auth/password', async (c) => {
    const me = currentUser(c);
    if (me === null) throw new VigilError('unauthorised', 'sign in or send an API token');
    const input = await jsonBody(c, PasswordChangeSchema);
    const user = await accounts.getUser(me.id);
    if (user === null || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await writeAudit(c, deps, { action: 'auth.password_change', target: me.id, outcome: 'failed', detail: { reason: 'wrong current password' } });
      throw new VigilError('unauthorised', 'the current password is wrong', { location: { field: 'currentPassword' } });
    }
    const passwordHash = await hashPassword(input.newPassword).catch((error: unknown) => {
      throw error instanceof VigilError ? new VigilError(error.code, error.message, { location: { field: 'newPassword' } }) : error;
    });
    await accounts.updateUser(user.id, { passwordHash, updatedAt: deps.now().toISOString() });
    // Every other session of the user ends; the one making the change (if any) stays.
    const credential = c.get('credential');
    const endedSessions = await accounts.deleteUserSessions(user.id, credential?.kind === 'session' ? credential.idHash : undefined);
    await writeAudit(c, deps, { action: 'auth.password_change', target: user.id, outcome: 'ok', detail: { endedSessions } });
    return c.json({ changed: true });
  });
}
