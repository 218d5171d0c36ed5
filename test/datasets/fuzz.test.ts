import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import type { DatasetKind } from '../../src/datasets/index.js';
import { importDataset, type ImportSummary } from '../../src/pipeline/import.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../store/stores.js';
import { fixture, readAll, tempFile } from './helpers.js';

/*
 * Damaged dataset files: truncated lines, stray and unclosed quotes, byte-order marks in the
 * middle, Latin-1 bytes, huge fields, rows and headers missing columns. Whatever the damage, the
 * import must not crash, every byte of the file must belong to a row that was imported, found
 * already stored or rejected, and what was stored before must be left exactly as it was (and, on
 * SQLite, the database, its full-text index and its R*Tree must pass their integrity checks).
 */

const NOW = () => new Date('2030-06-01T00:00:00.000Z');

const accounted = (s: ImportSummary): number => s.imported + s.updated + s.alreadyPresent + s.rejected.length;

/** The header and rows of a fixture, as values. */
async function table(kind: DatasetKind, name: string): Promise<{ header: string[]; rows: string[][] }> {
  const items = await readAll(kind, fixture(name));
  const header = items.find((i) => i.type === 'header');
  if (header?.type !== 'header') throw new Error(`${name} has no header`);
  return { header: [...header.columns], rows: items.flatMap((i) => (i.type === 'row' ? [[...i.record.values]] : [])) };
}

const csvLine = (values: readonly string[]): string => values.map((v) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');

type Damage = (line: Buffer) => Buffer;
const at = (n: number, line: Buffer): number => n % (line.length + 1);
const insert = (n: number, bytes: Buffer | number[]): Damage => (line) =>
  Buffer.concat([line.subarray(0, at(n, line)), Buffer.from(bytes), line.subarray(at(n, line))]);

/** One kind of damage to one line, or none. A truncated line keeps at least one byte (blank lines are not rows). */
const damage: fc.Arbitrary<{ name: string; hurt: Damage }> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ name: 'none', hurt: (line: Buffer) => line }) },
  fc.nat().map((n) => ({ name: 'truncated', hurt: (line: Buffer) => line.subarray(0, Math.max(1, n % (line.length + 1))) })),
  fc.nat().map((n) => ({ name: 'stray quote', hurt: insert(n, Buffer.from('"')) })),
  fc.nat().map((n) => ({ name: 'unclosed quoted field', hurt: insert(n, Buffer.from(',"never closed')) })),
  fc.nat().map((n) => ({ name: 'byte-order mark', hurt: insert(n, [0xef, 0xbb, 0xbf]) })),
  fc.nat().map((n) => ({ name: 'Latin-1 bytes', hurt: insert(n, [0xe9, 0x20, 0xfc]) })),
  fc.integer({ min: 1, max: 300_000 }).map((n) => ({ name: 'huge field', hurt: (line: Buffer) => Buffer.concat([line, Buffer.from(`,"${'x'.repeat(n)}"`)]) })),
  fc.integer({ min: 1, max: 300_000 }).map((n) => ({ name: 'huge value', hurt: insert(7, Buffer.from('y'.repeat(n))) })),
  fc.nat().map((n) => ({ name: 'missing columns', hurt: (line: Buffer) => Buffer.from(line.toString('latin1').split(',').slice(0, (n % 12) + 1).join(','), 'latin1') })),
);

/** SQLite's own checks, with a second connection to the store's file. */
function sqliteChecks(store: Store): void {
  if (!(store instanceof SqliteStore)) return;
  const db = new Database(store.path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM bulk_writes').pluck().get()).toBe(0);
    const points = db.prepare('SELECT count(*) FROM incident_points').pluck().get();
    expect(points).toBe(db.prepare('SELECT count(*) FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL').pluck().get());
    // The space-time R*Tree holds one box per incident with a point and a date, at its own seq.
    const boxed = db.prepare('SELECT count(*) FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL AND (date_start IS NOT NULL OR date_end IS NOT NULL)').pluck().get();
    expect(db.prepare('SELECT count(*) FROM incident_space_time').pluck().get()).toBe(boxed);
    expect(db.prepare('SELECT count(*) FROM incident_space_time AS t JOIN incidents AS i ON i.seq = t.id').pluck().get()).toBe(boxed);
    // Every incident was queued for the statistics facts (or already turned into facts).
    expect(
      db.prepare('SELECT count(*) FROM incidents WHERE id NOT IN (SELECT incident_id FROM stats_queue) AND id NOT IN (SELECT incident_id FROM stats_facts)').pluck().get(),
    ).toBe(0);
    const documents = db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
    expect(db.prepare(`SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'invented'`).pluck().get()).toBeGreaterThan(0);
    expect(documents).toBeGreaterThan(0);
  } finally {
    db.close();
  }
  const writer = new Database(store.path);
  try {
    writer.prepare(`INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)`).run();
  } finally {
    writer.close();
  }
}

async function everyIncident(store: Store): Promise<Incident[]> {
  const out: Incident[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listIncidents({ limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

describe.each(storeFactories('fuzz'))('damaged dataset files on $name', (factory) => {
  afterAll(() => factory.cleanup());

  it.each([
    ['gtd', 'gtd-core.csv'],
    ['acled', 'acled.csv'],
  ] as const)('%s: no crash, every byte and row accounted for, stored incidents untouched', async (kind, name) => {
    const store = await factory.create();
    await store.migrate();
    await importDataset(store, kind, fixture(name), { now: NOW });
    const before = await everyIncident(store);
    const { header, rows } = await table(kind, name);
    const idColumn = kind === 'gtd' ? 'eventid' : 'event_id_cnty';
    const idAt = header.indexOf(idColumn);
    const rowId = (n: number): string => (kind === 'gtd' ? `2040${String(n).padStart(8, '0')}` : `FUZ${n}`);
    // A header may lack some optional columns (the same ones in every row).
    const droppable = header.map((c, i) => [c, i] as const).filter(([c]) => !['eventid', 'iyear', 'imonth', 'iday', 'country_txt', 'event_id_cnty', 'event_date', 'event_type', 'country'].includes(c));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: rows.length - 1 }), fc.integer({ min: 1, max: 99_999 }), damage, fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 10 }),
        fc.subarray(droppable.map(([, i]) => i), { maxLength: 5 }),
        fc.boolean(),
        async (lines, dropped, bom) => {
          run += 1;
          const keep = (values: readonly string[]): string[] => values.filter((_, i) => !dropped.includes(i));
          const body = lines.map(([source, n, { hurt }, eol]) => {
            const values = [...rows[source]!];
            values[idAt] = rowId(n);
            return Buffer.concat([hurt(Buffer.from(csvLine(keep(values)), 'utf8')), Buffer.from(eol)]);
          });
          const bytes = Buffer.concat([Buffer.from(`${bom ? '\uFEFF' : ''}${csvLine(keep(header))}\n`), ...body]);
          const file = tempFile(`fuzz-${factory.name}-${kind}-${run}.csv`, bytes);
          const summary = await importDataset(store, kind, file, { now: NOW, rejectsPath: `${file}.rejects` });
          expect(accounted(summary)).toBe(summary.read);
          expect(summary.bytes).toBe(statSync(file).size);
          expect(summary.read).toBeLessThanOrEqual(lines.length);
          if (lines.every(([, , d]) => d.name === 'none')) {
            expect(summary.read).toBe(lines.length);
            const distinct = new Set(lines.map(([source, n]) => `${source} ${n}`)).size;
            expect(summary.imported + summary.updated + summary.alreadyPresent + summary.rejected.filter((r) => r.reason.startsWith('duplicate')).length).toBe(lines.length);
            expect(summary.imported + summary.updated + summary.alreadyPresent).toBeLessThanOrEqual(distinct);
          }
          const rejects = readFileSync(`${file}.rejects`);
          expect(rejects.subarray(0, bytes.indexOf(0x0a) + 1).equals(bytes.subarray(0, bytes.indexOf(0x0a) + 1))).toBe(true);
          for (const r of summary.rejected) {
            expect(r.location.file).toBe(file);
            expect(r.location.line).toBeGreaterThanOrEqual(2);
          }
        },
      ),
      { numRuns: factory.name === 'postgres' ? 12 : 30 },
    );
    const after = await everyIncident(store);
    for (const incident of before) expect(after.find((i) => i.id === incident.id)).toEqual(incident);
    sqliteChecks(store);
  }, 180_000);
});
