import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open.js';
import { postgresMigrations } from '../../src/store/postgres/migrations.js';
import { sqliteMigrations } from '../../src/store/sqlite/migrations.js';
import { bundleFor } from './fixtures.js';
import { TEST_PG_URL } from './stores.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-open-'));
const schema = `vigil_t_open_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
});

describe('openStore', () => {
  it('opens a migrated SQLite store at a path, creating its directory', async () => {
    const path = join(dir, 'nested', 'data', 'vigil.db');
    const store = await openStore(path);
    try {
      expect(store.dialect).toBe('sqlite');
      expect(existsSync(path)).toBe(true);
      expect(await store.schemaVersion()).toBe(sqliteMigrations.length);
      expect(await store.saveExtraction(bundleFor({ key: 'opened' }))).toEqual({ stored: true });
    } finally {
      await store.close();
    }
  });

  it('opens the same SQLite file again with its records', async () => {
    const path = join(dir, 'again.db');
    const first = await openStore(path);
    await first.saveExtraction(bundleFor({ key: 'again' }));
    await first.close();

    const second = await openStore(path);
    try {
      expect((await second.counts()).documents).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore(':memory:');
    try {
      expect(await store.schemaVersion()).toBe(sqliteMigrations.length);
    } finally {
      await store.close();
    }
  });

  it('opens a migrated PostgreSQL store in the given schema for a postgres:// or postgresql:// URL', async () => {
    for (const url of [TEST_PG_URL, TEST_PG_URL.replace(/^postgres(ql)?:/, 'postgresql:')]) {
      const store = await openStore(url, { schema });
      try {
        expect(store.dialect).toBe('postgres');
        expect(await store.schemaVersion()).toBe(postgresMigrations.length);
      } finally {
        await store.close();
      }
    }
  });

  it('fails with a store error when PostgreSQL cannot be reached', async () => {
    let error: unknown;
    try {
      await openStore('postgres://postgres:hidden@127.0.0.1:1/test');
    } catch (caught) {
      error = caught;
    }
    expect(isVigilError(error, 'store')).toBe(true);
    expect((error as Error).message).toContain('cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/test');
    expect((error as Error).message).not.toContain('hidden');
  });
});
