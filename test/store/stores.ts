import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { postgresMigrations } from '../../src/store/postgres/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations.js';
import type { Store } from '../../src/store/store.js';

/** The PostgreSQL the store tests run against. If it cannot be reached, the tests fail. */
export const TEST_PG_URL = process.env['VIGIL_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Makes fresh, empty stores of one dialect for one test file, and removes them all afterwards. */
export interface StoreFactory {
  readonly name: 'sqlite' | 'postgres';
  /** The schema version a fully migrated store reports. */
  readonly latestVersion: number;
  /** The names of the migrations a new database gets, in order. */
  readonly migrationNames: readonly string[];
  /** A new store over an empty database, not yet migrated. */
  create(): Promise<Store>;
  /** Closes every store made so far (their databases stay until `cleanup`). */
  closeAll(): Promise<void>;
  /** Closes every store made and deletes their databases (files, or PostgreSQL schemas). */
  cleanup(): Promise<void>;
}

/** SQLite stores, each in its own file under one temporary directory, opened with `options`. */
export function sqliteFactory(options?: ConstructorParameters<typeof SqliteStore>[1]): StoreFactory {
  let dir: string | undefined;
  let made = 0;
  const stores: Store[] = [];
  return {
    name: 'sqlite',
    latestVersion: Math.max(...sqliteMigrations.map((m) => m.version)),
    migrationNames: sqliteMigrations.map((m) => m.name),
    async create() {
      dir ??= mkdtempSync(join(tmpdir(), 'vigil-store-'));
      made += 1;
      const store = new SqliteStore(join(dir, `store-${made}.db`), options);
      stores.push(store);
      return store;
    },
    async closeAll() {
      await Promise.all(stores.map((s) => s.close()));
    },
    async cleanup() {
      await Promise.all(stores.map((s) => s.close()));
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * PostgreSQL stores in `TEST_PG_URL`, each in a fresh schema whose name is unique to this test
 * file and run (`vigil_t_<file tag>_<random>_<n>`), all dropped by `cleanup`.
 */
export function postgresFactory(fileTag: string): StoreFactory {
  const prefix = `vigil_t_${fileTag}_${randomBytes(4).toString('hex')}`;
  const schemas: string[] = [];
  const stores: Store[] = [];
  return {
    name: 'postgres',
    latestVersion: Math.max(...postgresMigrations.map((m) => m.version)),
    migrationNames: postgresMigrations.map((m) => m.name),
    async create() {
      const schema = `${prefix}_${schemas.length + 1}`;
      schemas.push(schema);
      const store = new PostgresStore({ connectionString: TEST_PG_URL, schema });
      stores.push(store);
      return store;
    },
    async closeAll() {
      await Promise.all(stores.map((s) => s.close()));
    },
    async cleanup() {
      await Promise.all(stores.map((s) => s.close()));
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** One factory per dialect, for `describe.each`. */
export function storeFactories(fileTag: string): StoreFactory[] {
  return [sqliteFactory(), postgresFactory(fileTag)];
}
