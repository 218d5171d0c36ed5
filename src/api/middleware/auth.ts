import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { accessFor, decide, ruleFor } from '../../auth/policy.js';
import { SlidingWindowLimiter } from '../../auth/rate-limit.js';
import type { Principal } from '../../auth/roles.js';
import { csrfTokenOf, hashSecret, looksLikeToken } from '../../auth/secrets.js';
import type { AccessSettings } from '../../core/config.js';
import { VigilError } from '../../core/errors.js';
import { publicUser, type AccountStore, type StoredUser, type User } from '../../store/accounts.js';
import { writeAudit } from './audit.js';
import { clientAddress, type Credential } from './context.js';

/** The header a cookie-authenticated change must carry, with the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';
/** How often the last use of a token is written (at most once per token in this interval). */
const TOKEN_TOUCH_MS = 60_000;
const MINUTE_MS = 60_000;

/** What the access middleware and the account routes share. */
export interface AccessDeps {
  readonly accounts: AccountStore;
  readonly settings: AccessSettings;
  readonly now: () => Date;
  readonly log: (message: string) => void;
  /** Every API request, per token, user or address; null when rate limits are off. */
  readonly requestLimiter: SlidingWindowLimiter | null;
  /** Sign-in attempts per address. */
  readonly loginLimiter: SlidingWindowLimiter;
  /** Failed sign-ins per account name. */
  readonly loginFailures: SlidingWindowLimiter;
  readonly trustProxy: boolean;
}

/** Makes the shared state of access control: the rate limiters live as long as the app. */
export function accessDeps(accounts: AccountStore, settings: AccessSettings, options: { now: () => Date; log: (message: string) => void }): AccessDeps {
  const clock = () => options.now().getTime();
  const login = { limit: settings.loginRateLimitPerMinute, windowMs: MINUTE_MS };
  return {
    accounts,
    settings,
    now: options.now,
    log: options.log,
    requestLimiter: settings.rateLimitPerMinute > 0 ? new SlidingWindowLimiter({ limit: settings.rateLimitPerMinute, windowMs: MINUTE_MS }, clock) : null,
    loginLimiter: new SlidingWindowLimiter(login, clock),
    loginFailures: new SlidingWindowLimiter(login, clock),
    trustProxy: settings.trustProxy,
  };
}

/** The session cookie's name: `__Host-` prefixed when it is Secure, so no subdomain can set it. */
export function sessionCookieName(settings: AccessSettings): string {
  return settings.secureCookies ? '__Host-vigil_session' : 'vigil_session';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure when configured, expiring with the session. */
export function setSessionCookie(c: Context, settings: AccessSettings, secret: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName(settings), secret, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: settings.secureCookies,
    path: '/',
    expires: expiresAt,
    maxAge: settings.sessionHours * 3600,
  });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(c: Context, settings: AccessSettings): void {
  deleteCookie(c, sessionCookieName(settings), { path: '/', secure: settings.secureCookies, httpOnly: true, sameSite: 'Strict' });
}

function principalOf(user: StoredUser): Principal {
  return { id: user.id, name: user.name, role: user.role };
}

function unauthorised(message: string): VigilError {
  return new VigilError('unauthorised', message);
}

type Identity = { user: Principal | null; account: User | null; credential: Credential | null; refused: VigilError | null };

/** Checks an `Authorization: Bearer` token: unknown, revoked or expired tokens and disabled users are refused. */
async function tokenIdentity(deps: AccessDeps, header: string): Promise<Identity> {
  const refused = (message: string): Identity => ({ user: null, account: null, credential: null, refused: unauthorised(message) });
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) return refused('the Authorization header must be "Bearer <API token>"');
  const secret = match[1] as string;
  if (!looksLikeToken(secret)) return refused('that is not a Vigil API token (they start with vgt_)');
  const found = await deps.accounts.findToken(hashSecret(secret));
  if (found === null) return refused('unknown API token');
  const { token, user } = found;
  const now = deps.now();
  if (token.revokedAt !== null) return refused('this API token was revoked');
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return refused('this API token has expired');
  if (user.disabled) return refused(`the account ${user.name} is disabled`);
  if (token.lastUsedAt === null || now.getTime() - Date.parse(token.lastUsedAt) >= TOKEN_TOUCH_MS) {
    deps.accounts.touchToken(token.id, now.toISOString()).catch((error: unknown) => deps.log(`cannot record the use of token ${token.id}: ${String(error)}`));
  }
  return { user: principalOf(user), account: publicUser(user), credential: { kind: 'token', tokenId: token.id }, refused: null };
}

/** Checks the session cookie; a session that ended, expired or whose user is disabled makes the request anonymous. */
async function sessionIdentity(c: Context, deps: AccessDeps, secret: string): Promise<Identity> {
  const anonymous: Identity = { user: null, account: null, credential: null, refused: null };
  const idHash = hashSecret(secret);
  const found = await deps.accounts.findSession(idHash);
  if (found === null) {
    clearSessionCookie(c, deps.settings);
    return anonymous;
  }
  if (Date.parse(found.session.expiresAt) <= deps.now().getTime() || found.user.disabled) {
    await deps.accounts.deleteSession(idHash);
    clearSessionCookie(c, deps.settings);
    return anonymous;
  }
  return { user: principalOf(found.user), account: publicUser(found.user), credential: { kind: 'session', idHash, secret }, refused: null };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request method only reads. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The access middleware of every /api request, in this order: who is asking (a Bearer token, else
 * the session cookie), the rate limit of that token, user or address (429 with Retry-After), the
 * CSRF token of cookie-authenticated changes (403 `csrf`), the route's access rule (401 or 403),
 * then, after the route ran, an audit entry for a change that the route did not audit itself.
 */
export function accessMiddleware(deps: AccessDeps): MiddlewareHandler {
  return async (c, next) => {
    c.set('audited', false);
    const authorization = c.req.header('authorization');
    const cookie = getCookie(c, sessionCookieName(deps.settings));
    const identity: Identity =
      authorization !== undefined
        ? await tokenIdentity(deps, authorization)
        : cookie !== undefined && cookie !== ''
          ? await sessionIdentity(c, deps, cookie)
          : { user: null, account: null, credential: null, refused: null };
    c.set('user', identity.user);
    c.set('credential', identity.credential);
    c.set('account', identity.account);

    if (deps.requestLimiter !== null) {
      const credential = identity.credential;
      const key =
        credential?.kind === 'token'
          ? `token:${credential.tokenId}`
          : identity.user !== null
            ? `user:${identity.user.id}`
            : `ip:${clientAddress(c, deps.trustProxy) ?? 'unknown'}`;
      const decision = deps.requestLimiter.hit(key);
      if (!decision.allowed) {
        c.header('retry-after', String(decision.retryAfterSeconds));
        throw new VigilError('rate_limited', `too many requests: at most ${deps.settings.rateLimitPerMinute} a minute; retry in ${decision.retryAfterSeconds} s`);
      }
    }
    if (identity.refused !== null) throw identity.refused;

    const method = c.req.method;
    const path = c.req.path;
    const rule = ruleFor(method, path);
    const audited = async (outcome: 'denied', reason: string) => {
      if (isSafeMethod(method)) return;
      await writeAudit(c, deps, { action: rule?.action ?? `${method} ${path}`, target: path, outcome, detail: { method, reason } });
    };

    if (identity.credential?.kind === 'session' && !isSafeMethod(method) && rule?.path !== '/api/auth/login') {
      const sent = c.req.header(CSRF_HEADER);
      if (sent === undefined || !sameText(sent, csrfTokenOf(identity.credential.secret))) {
        await audited('denied', 'csrf');
        throw new VigilError('csrf', `changes made with the session cookie need the ${CSRF_HEADER} header, whose value /api/auth/login and /api/auth/me return`);
      }
    }

    const decision = decide(rule?.access ?? accessFor(method, path), identity.user, { openReads: deps.settings.openReads });
    if (!decision.allowed) {
      await audited('denied', decision.reason);
      throw new VigilError(decision.reason === 'unauthenticated' ? 'unauthorised' : 'forbidden', decision.message);
    }

    await next();

    if (!isSafeMethod(method) && !c.get('audited')) {
      const status = c.res.status;
      await writeAudit(c, deps, {
        action: rule?.action ?? `${method} ${path}`,
        target: path,
        outcome: status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : 'failed',
        detail: { method, status },
      }).catch((error: unknown) => deps.log(`cannot write the audit log for ${method} ${path}: ${String(error)}`));
    }
  };
}

/** Installs the access middleware on every /api route of the app. */
export function installAccess(app: Hono, deps: AccessDeps): void {
  app.use('/api/*', accessMiddleware(deps));
}
