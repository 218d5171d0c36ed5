import { VigilError } from '../core/errors.js';

/** One step of a dialect's schema history, applied once, in its own transaction. */
export interface Migration {
  /** 1, 2, 3, …: the schema version once this migration is applied. */
  readonly version: number;
  /** A short kebab-case name, recorded in `schema_migrations`. */
  readonly name: string;
  readonly sql: string;
}

/**
 * The migrations not yet applied, in order. A database already at a version this code does not
 * know was migrated by a newer Vigil: that is a VigilError('store') rather than a guess.
 */
export function pendingMigrations(migrations: readonly Migration[], applied: readonly number[]): Migration[] {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const newest = applied.reduce((max, v) => Math.max(max, v), 0);
  if (newest > latest) {
    throw new VigilError(
      'store',
      `the database schema is at version ${newest}, newer than this Vigil knows (${latest}): upgrade Vigil, or use another database`,
    );
  }
  const done = new Set(applied);
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => !done.has(m.version));
}
