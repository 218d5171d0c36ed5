import { VigilError } from './errors.js';

/** Vigil's configuration: validated once at start-up, frozen, and passed in. */
export interface Config {
  /** A SQLite file path, or a postgres:// URL. */
  readonly db: string;
  readonly host: string;
  readonly port: number;
  /** Log level for the server and workers. */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
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
  return Object.freeze({ db, host, port, logLevel });
}

/** True when the db setting names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}
