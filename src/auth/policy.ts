import { roleAtLeast, type Principal } from './roles.js';

/**
 * Who may call a route:
 * - `public`: anyone, signed in or not (health, the API description, signing in and out);
 * - `read`: any signed-in user, and anonymous callers too when reads are open;
 * - `signed_in`: any signed-in user (their own API tokens and password);
 * - `write`: analysts and admins (every change to incidents);
 * - `admin`: admins only (accounts, the audit log).
 */
export const ACCESS_LEVELS = ['public', 'read', 'signed_in', 'write', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The access rule of one route, with the audit action a change through it is logged as. */
export interface RouteRule {
  readonly method: HttpMethod;
  /** The route as registered, `:name` for a path parameter: `/api/incidents/:id`. */
  readonly path: string;
  readonly access: AccessLevel;
  /** For routes that change something: the audit log's name of the change (`incident.edit`). */
  readonly action?: string;
}

/**
 * Every route of the API with who may call it. A route missing here is treated as `read` (GET) or
 * `write` (anything else), and test/api/auth-matrix.test.ts fails until it is added.
 */
export const ROUTE_RULES: readonly RouteRule[] = [
  { method: 'GET', path: '/api/health', access: 'public' },
  { method: 'GET', path: '/api/openapi.json', access: 'public' },
  { method: 'GET', path: '/api/docs', access: 'public' },
  { method: 'POST', path: '/api/auth/login', access: 'public', action: 'auth.login' },
  { method: 'POST', path: '/api/auth/logout', access: 'public', action: 'auth.logout' },
  { method: 'GET', path: '/api/auth/me', access: 'public' },
  { method: 'POST', path: '/api/auth/password', access: 'signed_in', action: 'auth.password_change' },

  { method: 'GET', path: '/api/incidents', access: 'read' },
  { method: 'GET', path: '/api/incidents/:id', access: 'read' },
  { method: 'GET', path: '/api/incidents/:id/history', access: 'read' },
  { method: 'GET', path: '/api/places', access: 'read' },
  { method: 'GET', path: '/api/stats', access: 'read' },
  { method: 'GET', path: '/api/sources', access: 'read' },
  { method: 'GET', path: '/api/alerts', access: 'read' },
  { method: 'GET', path: '/api/alert-rules', access: 'read' },

  { method: 'POST', path: '/api/incidents/merge', access: 'write', action: 'incident.merge' },
  { method: 'POST', path: '/api/incidents/:id/edit', access: 'write', action: 'incident.edit' },
  { method: 'POST', path: '/api/incidents/:id/accept', access: 'write', action: 'incident.accept' },
  { method: 'POST', path: '/api/incidents/:id/reject', access: 'write', action: 'incident.reject' },
  { method: 'POST', path: '/api/incidents/:id/split', access: 'write', action: 'incident.split' },
  { method: 'POST', path: '/api/incidents/:id/undo', access: 'write', action: 'incident.undo' },
  { method: 'POST', path: '/api/sources', access: 'write', action: 'source.add' },
  { method: 'DELETE', path: '/api/sources/:id', access: 'write', action: 'source.remove' },
  { method: 'POST', path: '/api/alert-rules', access: 'write', action: 'alert.rule_add' },
  { method: 'DELETE', path: '/api/alert-rules/:id', access: 'write', action: 'alert.rule_remove' },

  { method: 'GET', path: '/api/tokens', access: 'signed_in' },
  { method: 'POST', path: '/api/tokens', access: 'signed_in', action: 'token.create' },
  { method: 'DELETE', path: '/api/tokens/:id', access: 'signed_in', action: 'token.revoke' },

  { method: 'GET', path: '/api/users', access: 'admin' },
  { method: 'POST', path: '/api/users', access: 'admin', action: 'user.create' },
  { method: 'GET', path: '/api/users/:id', access: 'admin' },
  { method: 'PATCH', path: '/api/users/:id', access: 'admin', action: 'user.update' },
  { method: 'DELETE', path: '/api/users/:id', access: 'admin', action: 'user.delete' },
  { method: 'GET', path: '/api/audit', access: 'admin' },
];

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** How well a rule's path matches a request path: null when it does not, higher for more literal segments. */
function matchScore(pattern: string, path: string): number | null {
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return null;
  let score = 0;
  for (let n = 0; n < want.length; n += 1) {
    const w = want[n] as string;
    const g = got[n] as string;
    if (w === g) score += 1;
    else if (!w.startsWith(':') || g === '') return null;
  }
  return score;
}

/** The rule of a request (its method and concrete path, or a route pattern); undefined when none is written down. */
export function ruleFor(method: string, path: string, rules: readonly RouteRule[] = ROUTE_RULES): RouteRule | undefined {
  const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  let best: RouteRule | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    if (rule.method !== upper) continue;
    const score = matchScore(rule.path, path);
    if (score !== null && score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

/** The access level of a request: its rule's, or by default `read` for GET and HEAD and `write` for the rest. */
export function accessFor(method: string, path: string): AccessLevel {
  const rule = ruleFor(method, path);
  if (rule !== undefined) return rule.access;
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' || upper === 'OPTIONS' ? 'read' : 'write';
}

/** What the authorisation check decided: allowed, or refused because no one (401) or the wrong one (403) asks. */
export type Decision = { allowed: true } | { allowed: false; reason: 'unauthenticated' | 'forbidden'; message: string };

/** Whether `who` (null: nobody signed in) may call a route of the given access level. */
export function decide(access: AccessLevel, who: Principal | null, options: { openReads: boolean }): Decision {
  const allowed: Decision = { allowed: true };
  const unauthenticated = (message: string): Decision => ({ allowed: false, reason: 'unauthenticated', message });
  const forbidden = (message: string): Decision => ({ allowed: false, reason: 'forbidden', message });
  switch (access) {
    case 'public':
      return allowed;
    case 'read':
      if (who !== null || options.openReads) return allowed;
      return unauthenticated('sign in or send an API token (Authorization: Bearer …) to read; reads are not open on this server');
    case 'signed_in':
      return who === null ? unauthenticated('sign in or send an API token (Authorization: Bearer …)') : allowed;
    case 'write':
      if (who === null) return unauthenticated('changes need an analyst or admin: sign in or send an API token');
      return roleAtLeast(who.role, 'analyst') ? allowed : forbidden(`changes need the analyst or admin role; ${who.name} is a ${who.role}`);
    case 'admin':
      if (who === null) return unauthenticated('this needs an admin: sign in or send an API token');
      return roleAtLeast(who.role, 'admin') ? allowed : forbidden(`this needs the admin role; ${who.name} is a ${who.role}`);
  }
}
