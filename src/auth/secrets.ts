import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** The prefix of API tokens, so that a leaked one is recognisable (e.g. by secret scanners). */
export const TOKEN_PREFIX = 'vgt_';
/** The prefix of session secrets (the value of the session cookie). */
export const SESSION_PREFIX = 'vgs_';

/** A new secret: the prefix and 32 random bytes in base64url. Shown once, stored only as its hash. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 of a secret, in hex: what the database keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The CSRF token of a session: derived from the session secret (which only the browser holds, in
 * an HttpOnly cookie), so a page on another site can neither read nor compute it.
 */
export function csrfTokenOf(sessionSecret: string): string {
  return createHash('sha256').update(`vigil-csrf\0${sessionSecret}`, 'utf8').digest('base64url');
}

/** True when a bearer credential has the shape of a Vigil API token. */
export function looksLikeToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(TOKEN_PREFIX.length));
}

/** A new record id with a kind prefix (`u_…`, `t_…`). */
export function newId(kind: 'u' | 't'): string {
  return `${kind}_${randomUUID().replaceAll('-', '')}`;
}
