import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { VigilError } from '../core/errors.js';

/** scrypt cost parameters; stored with each hash so they can be raised without breaking old ones. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 32 MiB and a few tens of milliseconds per hash on a current CPU. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Refuses passwords too short to resist guessing or long enough to be a denial of service. */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new VigilError('bad_input', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`, { location: { field: 'password' } });
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new VigilError('bad_input', `the password must have at most ${MAX_PASSWORD_LENGTH} characters`, { location: { field: 'password' } });
  }
}

/**
 * A salted scrypt hash of a password, as `scrypt$N$r$p$salt$key` (salt and key in base64url).
 * The password itself is never stored.
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  checkPasswordStrength(password);
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Reads a hash made by `hashPassword`; null for anything else. */
function parseHash(encoded: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || (N & (N - 1)) !== 0) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || key.length === 0) return null;
  return { params: { N, r, p }, salt, key };
}

/** A hash of a random password, checked against when a user does not exist so that timing does not tell. */
let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches the stored hash, compared in constant time. A missing hash (unknown
 * user, or a user without a password) costs the same time as a real check and is never a match.
 */
export async function verifyPassword(password: string, encoded: string | null): Promise<boolean> {
  const parsed = encoded === null ? null : parseHash(encoded);
  if (parsed === null || password.length > MAX_PASSWORD_LENGTH) {
    decoy ??= hashPassword(randomBytes(18).toString('base64url'));
    const fake = parseHash(await decoy);
    if (fake !== null) await derive(password.slice(0, MAX_PASSWORD_LENGTH), fake.salt, fake.params);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}
