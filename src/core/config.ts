import { VigilError } from './errors.js';

/** Vigil's configuration: validated once at start-up, frozen, and passed in. */
export interface Config {
  /** A SQLite file path, or a postgres:// URL. */
  readonly db: string;
  readonly host: string;
  readonly port: number;
  /** Log level for the server and workers. */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Access settings; present only where a VIGIL_* variable sets them (see `accessSettings` for the defaults). */
  readonly access?: Partial<AccessSettings>;
  /**
   * VIGIL_READ_WORKERS: worker threads that answer the server's listings and rollups on a SQLite
   * store (0 to 16; present only where set: the server's default is 2). PostgreSQL ignores it.
   */
  readonly readWorkers?: number;
}

/** Who may read, how sessions and rate limits behave. */
export interface AccessSettings {
  /** VIGIL_OPEN_READS: anyone may read incidents without signing in (default true, for the local demo). */
  readonly openReads: boolean;
  /** VIGIL_SECURE_COOKIES: the session cookie is sent over HTTPS only (default false; set it behind TLS). */
  readonly secureCookies: boolean;
  /** VIGIL_SESSION_HOURS: how long a web session lasts (default 12). */
  readonly sessionHours: number;
  /** VIGIL_RATE_LIMIT: API requests per minute per token, user or address; 0 turns the limit off (default 600). */
  readonly rateLimitPerMinute: number;
  /** VIGIL_LOGIN_RATE_LIMIT: sign-in attempts per minute per address, and failures per account name (default 10). */
  readonly loginRateLimitPerMinute: number;
  /** VIGIL_TRUST_PROXY: take the client address from X-Forwarded-For (default false; set it behind a reverse proxy). */
  readonly trustProxy: boolean;
}

/** The access settings when no variable sets them. */
export const ACCESS_DEFAULTS: AccessSettings = Object.freeze({
  openReads: true,
  secureCookies: false,
  sessionHours: 12,
  rateLimitPerMinute: 600,
  loginRateLimitPerMinute: 10,
  trustProxy: false,
});

/** The access settings of a configuration, with the defaults for what it does not set. */
export function accessSettings(config: Config): AccessSettings {
  return { ...ACCESS_DEFAULTS, ...config.access };
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new VigilError('config', `${name} must be true or false, got "${raw}"`);
}

function count(env: Readonly<Record<string, string | undefined>>, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VigilError('config', `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function loadAccess(env: Readonly<Record<string, string | undefined>>): Partial<AccessSettings> | undefined {
  const settings: Record<string, boolean | number | undefined> = {
    openReads: flag(env, 'VIGIL_OPEN_READS'),
    secureCookies: flag(env, 'VIGIL_SECURE_COOKIES'),
    sessionHours: count(env, 'VIGIL_SESSION_HOURS', 1, 24 * 90),
    rateLimitPerMinute: count(env, 'VIGIL_RATE_LIMIT', 0, 1_000_000),
    loginRateLimitPerMinute: count(env, 'VIGIL_LOGIN_RATE_LIMIT', 1, 10_000),
    trustProxy: flag(env, 'VIGIL_TRUST_PROXY'),
  };
  const set = Object.entries(settings).filter(([, value]) => value !== undefined);
  return set.length === 0 ? undefined : (Object.freeze(Object.fromEntries(set)) as Partial<AccessSettings>);
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Reads VIGIL_* variables (and explicit overrides, e.g. from CLI flags) into a frozen Config. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: { db?: string | undefined; host?: string | undefined; port?: number | string | undefined } = {},
): Config {
  const db = overrides.db ?? env['VIGIL_DB'] ?? './vigil.db';
  if (db.trim() === '') throw new VigilError('config', 'VIGIL_DB (or --db) is empty: give a SQLite file path or a postgres:// URL');
  const rawPort = overrides.port ?? env['VIGIL_PORT'] ?? '8080';
  const port = typeof rawPort === 'number' ? rawPort : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new VigilError('config', `port must be an integer from 0 to 65535, got "${String(rawPort)}"`);
  }
  const host = overrides.host ?? env['VIGIL_HOST'] ?? '127.0.0.1';
  const rawLevel = env['VIGIL_LOG_LEVEL'] ?? 'info';
  const logLevel = LOG_LEVELS.find((level) => level === rawLevel);
  if (logLevel === undefined) {
    throw new VigilError('config', `VIGIL_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}"`);
  }
  const access = loadAccess(env);
  const readWorkers = count(env, 'VIGIL_READ_WORKERS', 0, 16);
  return Object.freeze({ db, host, port, logLevel, ...(access === undefined ? {} : { access }), ...(readWorkers === undefined ? {} : { readWorkers }) });
}

/** True when the db setting names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}
