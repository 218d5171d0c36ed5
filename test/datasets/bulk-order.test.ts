import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/core/model.js';
import { readImportItemsHere } from '../../src/datasets/import-reader.js';
import type { DatasetKind } from '../../src/datasets/index.js';
import { RowBundle, setWriteTime } from '../../src/store/bulk-import.js';
import { importBundlesSqlite } from '../../src/store/sqlite/bulk.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fixture, tempPath } from './helpers.js';
// @ts-expect-error: the benchmarks' generator of invented GTD rows is plain JavaScript
import { writeSyntheticGtd } from '../../bench/synthetic-gtd.mjs';

/*
 * The SQLite bulk path writes a batch of new rows table by table (every document, then every
 * mention, every incident, …) and any other batch row by row. Both orders must leave the same
 * database: the same rows with the same rowids in every table, the same full-text index, R*Trees
 * and statistics queue.
 */

const AT = '2030-06-01T00:00:00.000Z';
const TABLES = ['sources', 'documents', 'mentions', 'incidents', 'incident_mentions', 'incident_related', 'incident_actors', 'revisions', 'links', 'incident_points', 'incident_space_time', 'stats_queue'];
const open: Database.Database[] = [];
afterAll(() => {
  for (const db of open) db.close();
});

/** A fresh migrated SQLite file and a connection of its own to it. */
async function freshDb(name: string): Promise<Database.Database> {
  const file = tempPath(`${name}-${open.length}.db`);
  const store = new SqliteStore(file);
  await store.migrate();
  await store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}

/** The bundles of a file's rows, as the import builds them, with one write time. */
async function bundlesOf(kind: DatasetKind, file: string): Promise<RowBundle[]> {
  const source: Source = { id: `s_order_${kind}`, kind, locator: 'order.csv', name: `${kind} order.csv`, createdAt: AT };
  const out: RowBundle[] = [];
  for await (const item of readImportItemsHere(kind, file, source)) {
    if (item.type !== 'row') continue;
    setWriteTime(item.write, AT);
    out.push(new RowBundle(source, item.write));
  }
  return out;
}

/** Every row of the tables the bulk path writes, in rowid order, and the full-text index's rows. */
function dump(db: Database.Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().all();
  out.fts = db.prepare("SELECT rowid, title, text FROM documents_fts WHERE documents_fts MATCH 'killed OR attack OR place' ORDER BY rowid").raw().all();
  out.integrity = [db.prepare("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')").run().changes];
  return out;
}

const refuses = (): boolean => true;

describe('the SQLite bulk path, table by table and row by row', () => {
  it.each([
    ['gtd', 'synthetic'],
    ['gtd', 'gtd-full.csv'],
    ['gtd', 'gtd-core.csv'],
    ['acled', 'acled.csv'],
    ['ucdp', 'ucdp.csv'],
  ] as const)('leaves the same database after a first import of %s %s', async (kind, name) => {
    let file = fixture(name);
    if (name === 'synthetic') {
      file = tempPath('synthetic-gtd.csv');
      await (writeSyntheticGtd as (file: string, rows: number) => Promise<void>)(file, 400);
    }
    const bundles = await bundlesOf(kind, file);
    expect(bundles.length).toBeGreaterThanOrEqual(name === 'synthetic' ? 400 : 2);
    const byTable = await freshDb('tables');
    const byRow = await freshDb('rows');
    // Two batches each, the second after the first is stored.
    const half = Math.floor(bundles.length / 2);
    for (const part of [bundles.slice(0, half), bundles.slice(half)]) {
      const a = importBundlesSqlite(byTable, part, refuses);
      const b = importBundlesSqlite(byRow, part, refuses, { rowByRow: true });
      expect(a).toEqual(b);
      expect(a.outcomes.every((o) => o === 'stored')).toBe(true);
    }
    const tables = dump(byTable);
    expect(tables.incidents).toHaveLength(bundles.length);
    if (name === 'synthetic') expect(tables.incident_actors?.length).toBeGreaterThan(100);
    expect(tables).toEqual(dump(byRow));
  });

  it('writes a batch with a row stored before, or a row twice, row by row, with the same outcomes', async () => {
    const bundles = await bundlesOf('acled', fixture('acled.csv'));
    const [first, second, ...rest] = bundles;
    const batch = [second!, first!, ...rest, second!];
    const dbs = [await freshDb('mixed-tables'), await freshDb('mixed-rows')];
    const results = dbs.map((db, n) => {
      importBundlesSqlite(db, [first!], refuses, { rowByRow: n === 1 });
      return importBundlesSqlite(db, batch, refuses, { rowByRow: n === 1 });
    });
    expect(results[0]!.outcomes).toEqual(['stored', 'present', ...rest.map(() => 'stored'), 'present']);
    expect(results[0]).toEqual(results[1]);
    expect(dump(dbs[0]!)).toEqual(dump(dbs[1]!));
  });

  it('stores nothing of a batch whose new rows the store refuses, in either order', async () => {
    const bundles = await bundlesOf('ucdp', fixture('ucdp.csv'));
    const db = await freshDb('refused');
    // Another document already holds the first row's mention id: its mention cannot be written.
    const [first] = bundles;
    db.prepare("INSERT INTO sources (id, kind, locator, name, created_at) VALUES ('s_other', 'article', 'x', 'x', ?)").run(AT);
    db.prepare("INSERT INTO documents (id, source_id, text, fetched_at, kind) VALUES (?, 's_other', 'x', ?, 'article')").run('f'.repeat(64), AT);
    db.prepare("INSERT INTO mentions (id, document_id, extractor, span_start, span_end, fields, confidence, created_at) VALUES (?, ?, 'x', 0, 1, '{}', 1, ?)").run(first!.write.mention.id, 'f'.repeat(64), AT);
    const result = importBundlesSqlite(db, bundles, (error) => String(error).includes('UNIQUE'));
    expect(result.outcomes[0]).toBeNull();
    expect(result.errors[0]?.message).toMatch(/UNIQUE/);
    expect(result.outcomes.slice(1).every((o) => o === 'stored')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(bundles.length - 1);
    expect(db.prepare('SELECT count(*) FROM documents WHERE id = ?').pluck().get(first!.write.document.id)).toBe(0);
  });
});
