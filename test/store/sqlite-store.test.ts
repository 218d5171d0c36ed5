import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/core/errors.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { bundleFor, incidentOf, richBundle, saveAll } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
let made = 0;
const stores: SqliteStore[] = [];

async function freshStore(): Promise<SqliteStore> {
  made += 1;
  const store = new SqliteStore(join(dir, `sqlite-${made}.db`));
  stores.push(store);
  await store.migrate();
  return store;
}

/** A second, plain connection to a store's file, to look at what the store wrote. */
function inspect<T>(store: SqliteStore, look: (db: Database.Database) => T): T {
  const db = new Database(store.path, { readonly: true });
  try {
    return look(db);
  } finally {
    db.close();
  }
}

afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore', () => {
  it('puts its file in WAL mode', async () => {
    const store = await freshStore();
    expect(inspect(store, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('fills the full-text index with the title and text of each document, in any script', async () => {
    const store = await freshStore();
    const rich = richBundle();
    await saveAll(store, [rich, bundleFor({ key: 'other' })]);

    const matches = (query: string): string[] =>
      inspect(store, (db) =>
        db
          .prepare(
            `SELECT d.id FROM documents_fts AS f JOIN documents AS d ON d.seq = f.rowid
             WHERE documents_fts MATCH ? ORDER BY d.id`,
          )
          .pluck()
          .all(query) as string[],
      );
    expect(matches('jalalabad')).toEqual([rich.document.id]);
    expect(matches('title:patrol')).toEqual([rich.document.id]);
    expect(matches('الشرطة')).toEqual([rich.document.id]);
    expect(matches('attack')).toHaveLength(1);
    expect(matches('nowhere')).toEqual([]);
  });

  it('keeps one R*Tree box per incident that has a point, at that point', async () => {
    const store = await freshStore();
    const placed = bundleFor({ key: 'placed', date: '2024-01-01', point: { lat: -18.14, lon: 178.44 } });
    await saveAll(store, [placed, bundleFor({ key: 'unplaced', country: 'ML' })]);

    const boxes = inspect(store, (db) =>
      db
        .prepare(`SELECT p.min_lon, p.max_lon, p.min_lat, p.max_lat, i.id FROM incident_points AS p JOIN incidents AS i ON i.seq = p.id`)
        .all(),
    ) as { min_lon: number; max_lon: number; min_lat: number; max_lat: number; id: string }[];
    expect(boxes).toHaveLength(1);
    const [box] = boxes;
    expect(box?.id).toBe(incidentOf(placed).id);
    expect(box?.min_lon).toBeCloseTo(178.44, 4);
    expect(box?.max_lat).toBeCloseTo(-18.14, 4);
  });

  it('reports a file it cannot open as a store error naming the path', () => {
    const path = join(dir, 'missing', 'directory', 'vigil.db');
    let error: unknown;
    try {
      new SqliteStore(path);
    } catch (caught) {
      error = caught;
    }
    expect(isVigilError(error, 'store')).toBe(true);
    expect((error as Error).message).toContain(path);
  });

  it('works in memory', async () => {
    const store = new SqliteStore(':memory:');
    stores.push(store);
    await store.migrate();
    await store.saveExtraction(bundleFor({ key: 'memory' }));
    expect((await store.counts()).documents).toBe(1);
  });
});
