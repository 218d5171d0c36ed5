import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/core/model.js';
import { datasetBundle } from '../../src/datasets/index.js';
import { importDataset } from '../../src/pipeline/import.js';
import { datasetImporter } from '../../src/store/bulk-import.js';
import type { ExtractionBundle } from '../../src/store/store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories, TEST_PG_URL } from '../store/stores.js';
import { fixture, records, tempFile } from './helpers.js';

const AT = '2030-06-01T00:00:00.000Z';
const source: Source = { id: 's_bulktest', kind: 'acled', locator: 'acled.csv', name: 'ACLED acled.csv', createdAt: AT };

/** Sets an incident's pins as the store's review operations would (the `pins` column of migration 2). */
async function setPins(store: Store, incidentId: string, pins: string): Promise<void> {
  if (store instanceof SqliteStore) {
    const db = new Database(store.path);
    db.prepare('UPDATE incidents SET pins = ? WHERE id = ?').run(pins, incidentId);
    db.close();
  } else if (store instanceof PostgresStore) {
    const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${store.schema}` });
    await client.connect();
    await client.query('UPDATE incidents SET pins = $1::jsonb WHERE id = $2', [pins, incidentId]);
    await client.end();
  }
}

describe.each(storeFactories('bulk'))('the bulk import path of $name', (factory) => {
  afterAll(() => factory.cleanup());

  it('leaves out only the row the store refuses; the rest of the batch is stored, each row whole', async () => {
    const store = await factory.create();
    await store.migrate();
    const importer = datasetImporter(store);
    expect(importer).not.toBeNull();
    const rows = [...(await records('acled', fixture('acled.csv'))).values()];
    const bundles: ExtractionBundle[] = rows.map((record) => ({ source, ...datasetBundle(record, source, AT) }));
    // The middle row's mention points at a document that does not exist: a foreign key it breaks.
    const broken = bundles[1]!;
    bundles[1] = { ...broken, mentions: [{ ...broken.mentions[0]!, documentId: 'f'.repeat(64) }] };
    const result = await importer!.importBundles([...bundles, bundles[0]!]);
    expect(result.outcomes).toEqual(['stored', null, 'stored', 'present']);
    expect(result.errors[1]?.message).toMatch(/cannot save document [0-9a-f]{64}, nothing of it was stored/);
    expect(await store.counts()).toMatchObject({ documents: 2, mentions: 2, incidents: 2 });
    expect(await store.getDocument(broken.document.id)).toBeNull();
    expect(await importer!.storedDocumentIds([bundles[0]!.document.id, broken.document.id, bundles[2]!.document.id])).toEqual(
      new Set([bundles[0]!.document.id, bundles[2]!.document.id]),
    );
  });

  it('tells whether documents of another source kind are stored (linking at import is skipped without them)', async () => {
    const store = await factory.create();
    await store.migrate();
    const importer = datasetImporter(store);
    expect(await importer!.hasOtherTellers!('acled')).toBe(false);
    await importDataset(store, 'acled', fixture('acled.csv'), { now: () => new Date(AT) });
    // Only ACLED rows: nothing another teller tells for an ACLED import; everything for a GTD one.
    expect(await importer!.hasOtherTellers!('acled')).toBe(false);
    expect(await importer!.hasOtherTellers!('gtd')).toBe(true);
    // A second release of the same dataset is the same teller.
    const [header, first] = readFileSync(fixture('acled.csv'), 'utf8').split('\n');
    const again = await importDataset(store, 'acled', tempFile(`tellers-${factory.name}.csv`, `${header}\n${first}\n`), { now: () => new Date(AT) });
    expect(again).toMatchObject({ read: 1, linked: 0 });
    expect(await importer!.hasOtherTellers!('acled')).toBe(false);
    await importDataset(store, 'gtd', fixture('gtd-core.csv'), { now: () => new Date(AT) });
    expect(await importer!.hasOtherTellers!('acled')).toBe(true);
    await store.close();
  });

  it('a changed row keeps the values of the fields an analyst pinned', async () => {
    const store = await factory.create();
    await store.migrate();
    const [header, first] = readFileSync(fixture('acled.csv'), 'utf8').split('\n');
    const columns = (header ?? '').split(',');
    const release1 = tempFile(`pins-1-${factory.name}.csv`, `${header}\n${first}\n`);
    await importDataset(store, 'acled', release1, { now: () => new Date(AT) });
    const [incident] = (await store.listIncidents({ limit: 10 })).items;
    expect(incident?.fields.killed?.best).toBe(5);
    await setPins(store, incident!.id, '{"pinnedFields":["killed"]}');
    const values = (first ?? '').split(',');
    const at = columns.indexOf('fatalities') - columns.length;
    // fatalities is the third column from the end, after the quoted notes (which hold commas).
    values[values.length + at] = '8';
    // location comes before the notes, so its index in the naive split is right.
    values[columns.indexOf('location')] = 'Konduga town';
    const release2 = tempFile(`pins-2-${factory.name}.csv`, `${header}\n${values.join(',')}\n`);
    const summary = await importDataset(store, 'acled', release2, { now: () => new Date('2030-07-01T00:00:00.000Z') });
    expect(summary).toMatchObject({ updated: 1, imported: 0, rejected: [] });
    const after = await store.getIncident(incident!.id);
    expect(after?.fields.killed?.best).toBe(5);
    expect(after?.fields.location?.name).toBe('Konduga town');
    const revisions = await store.getRevisions(incident!.id);
    expect(revisions[1]?.after).toMatchObject({ state: { pinnedFields: ['killed'] }, changed: expect.not.arrayContaining(['fields.killed']) });
    expect((revisions[1]?.after as { changed: string[] }).changed).toContain('fields.location');
  });

  it('a NUL character: PostgreSQL refuses the row (COPY fails, the batch goes row by row), SQLite stores it', async () => {
    const store = await factory.create();
    await store.migrate();
    const [header, first, second] = readFileSync(fixture('acled.csv'), 'utf8').split('\n');
    const file = tempFile(`nul-${factory.name}.csv`, `${header}\n${first}\n${second?.replace('clashes', 'cla\u0000shes')}\n`);
    const summary = await importDataset(store, 'acled', file);
    if (factory.name === 'postgres') {
      expect(summary).toMatchObject({ read: 2, imported: 1 });
      expect(summary.rejected).toEqual([{ location: { file, line: 3 }, reason: expect.stringMatching(/0x00|null character|invalid byte sequence/i) }]);
    } else expect(summary).toMatchObject({ read: 2, imported: 2, rejected: [] });
  });
});
