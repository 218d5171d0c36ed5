import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/core/errors.js';
import { postgresMigrations } from '../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { bundleFor } from './fixtures.js';
import { postgresFactory, TEST_PG_URL } from './stores.js';
import { rejectionOf } from '../helpers/promises.js';

const factory = postgresFactory('pg');
afterAll(() => factory.cleanup());


describe('PostgresStore', () => {
  it('creates its schema and every table in it', async () => {
    const store = await factory.create();
    await store.migrate();
    const schema = (store as PostgresStore).schema ?? '';

    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      // The incident tables (other features, such as accounts, add theirs beside them).
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining([
        'documents',
        'incident_actors',
        'incident_mentions',
        'incident_related',
        'incidents',
        'links',
        'mentions',
        'revisions',
        'schema_migrations',
        'sources',
      ]));
      const publicTables = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'incidents'`);
      expect(publicTables.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('migrates one schema from several stores at once without conflict', async () => {
    const first = (await factory.create()) as PostgresStore;
    const others = Array.from({ length: 3 }, () => new PostgresStore({ connectionString: TEST_PG_URL, schema: first.schema }));
    try {
      const applied = await Promise.all([first, ...others].map((s) => s.migrate()));
      expect(applied.flat()).toEqual(postgresMigrations.map((m) => m.name));
      await others[0]?.saveExtraction(bundleFor({ key: 'shared schema' }));
      expect((await first.counts()).documents).toBe(1);
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });

  it('says which server it cannot reach, without the password, and what to do', async () => {
    const store = new PostgresStore({ connectionString: 'postgres://vigil:s3cret@127.0.0.1:1/vigil?password=s3cret', connectTimeoutMs: 2000 });
    try {
      for (const attempt of [store.ping(), store.migrate(), store.counts(), store.saveExtraction(bundleFor({ key: 'unreachable' }))]) {
        const error = await rejectionOf(attempt);
        expect(isVigilError(error, 'store')).toBe(true);
        const message = (error as Error).message;
        expect(message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/vigil@127\.0\.0\.1:1\/vigil: .+\. Is it running\?/);
        expect(message).not.toContain('s3cret');
      }
    } finally {
      await store.close();
    }
  });

  it('names a database that does not exist', async () => {
    const url = new URL(TEST_PG_URL);
    url.pathname = '/vigil_no_such_database';
    const store = new PostgresStore({ connectionString: url.toString() });
    try {
      const error = await rejectionOf(store.ping());
      expect(isVigilError(error, 'store')).toBe(true);
      expect((error as Error).message).toContain('vigil_no_such_database');
      expect((error as Error).message).toContain('createdb');
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain lower-case identifier', () => {
    for (const schema of ['Vigil', 'vigil; DROP TABLE x', '1vigil', '']) {
      let error: unknown;
      try {
        new PostgresStore({ connectionString: TEST_PG_URL, schema });
      } catch (caught) {
        error = caught;
      }
      expect(isVigilError(error, 'config')).toBe(true);
    }
  });
});
