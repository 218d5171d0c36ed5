import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPostgresUrl } from '../core/config.js';
import { storeError } from './store-error.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** PostgreSQL only: the schema that holds Vigil's tables (created if missing). Ignored for SQLite. */
  schema?: string | undefined;
}

/**
 * Opens the store a `db` setting names, migrated to the newest schema: a postgres:// or
 * postgresql:// URL is a PostgresStore, anything else the path of a SQLite file (its directory is
 * created if missing) or ':memory:'.
 */
export async function openStore(db: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = isPostgresUrl(db) ? new PostgresStore({ connectionString: db, schema: options.schema }) : openSqlite(db);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

function openSqlite(path: string): SqliteStore {
  if (path !== ':memory:' && path !== '') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw storeError(`cannot create the directory of the SQLite database ${path}`, error);
    }
  }
  return new SqliteStore(path);
}
