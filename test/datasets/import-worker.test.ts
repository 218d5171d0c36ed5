import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { importDataset as ImportDataset, ImportSummary } from '../../src/pipeline/import.js';
import type { importWorkerAvailable as ImportWorkerAvailable } from '../../src/datasets/import-reader.js';
import type { SqliteStore as SqliteStoreClass } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { fixture, tempFile, tempPath } from './helpers.js';

/*
 * The import's worker thread (src/datasets/import-worker.ts) runs only from the compiled code: the
 * TypeScript sources the other tests run cannot start it. These tests load the compiled importer
 * from dist/ (built by `npm install`, or `npm run build`) and compare an import through the worker
 * with the same import made in the calling thread: the same counts, the same rejections (file,
 * line, field) in the same order, the same rejects file, and the same stored records.
 */

const DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const load = async <T>(relative: string): Promise<T> => {
  const file = path.join(DIST, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm install does) before the tests`);
  return (await import(pathToFileURL(file).href)) as T;
};
const { importDataset } = await load<{ importDataset: typeof ImportDataset }>('pipeline/import.js');
const { importWorkerAvailable } = await load<{ importWorkerAvailable: typeof ImportWorkerAvailable }>('datasets/import-reader.js');
const { SqliteStore } = await load<{ SqliteStore: typeof SqliteStoreClass }>('store/sqlite/sqlite-store.js');

const NOW = () => new Date('2030-06-01T00:00:00.000Z');
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
});

async function fresh(name: string): Promise<Store> {
  const store = new SqliteStore(tempPath(`${name}-${stores.length}.db`));
  stores.push(store);
  await store.migrate();
  return store;
}

/** Everything a store holds about its incidents, in a stable order. */
async function contents(store: Store): Promise<unknown> {
  const incidents = (await store.listIncidents({ limit: 1000 })).items.sort((a, b) => a.id.localeCompare(b.id));
  const mentions = await store.getMentions(incidents.flatMap((i) => i.mentionIds));
  const documents = await store.getDocuments(mentions.map((m) => m.documentId));
  const revisions = await Promise.all(incidents.map((i) => store.getRevisions(i.id)));
  return { counts: await store.counts(), incidents, mentions, documents, revisions };
}

const comparable = (s: ImportSummary): Omit<ImportSummary, 'seconds'> => {
  const { seconds: _seconds, ...rest } = s;
  return rest;
};

/** A GTD core file with good rows and bad ones (a wrong day, a short row, a duplicate id, a broken quote). */
function badGtdFile(): string {
  const lines = readFileSync(fixture('gtd-core.csv'), 'utf8').split('\n').filter((l) => l !== '');
  const [header, good] = [lines[0]!, lines[1]!];
  const row = (id: string, change: (fields: string[]) => void = () => undefined): string => {
    const fields = good.split(',');
    fields[0] = id;
    change(fields);
    return fields.join(',');
  };
  const iday = header.split(',').indexOf('iday');
  return tempFile(
    'worker-bad.csv',
    [
      header,
      row('203000000101'),
      row('203000000102', (f) => (f[iday] = '45')),
      good.split(',').slice(0, 5).join(','),
      row('203000000101'),
      row('203000000105'),
      '203000000106,2030,"broken',
    ].join('\n'),
  );
}

describe('the import worker thread (compiled code)', () => {
  it('is available from the compiled code', () => {
    expect(importWorkerAvailable()).toBe(true);
  });

  it.each([
    ['gtd', 'gtd-core.csv'],
    ['gtd', 'gtd-full.csv'],
    ['acled', 'acled.csv'],
    ['ucdp', 'ucdp.csv'],
    ['gtd', 'bad'],
  ] as const)('imports %s %s exactly as the calling thread does', async (kind, name) => {
    const file = name === 'bad' ? badGtdFile() : fixture(name);
    const viaWorker = await fresh('worker');
    const here = await fresh('here');
    const rejectsWorker = tempPath(`rejects-worker-${name}.csv`);
    const rejectsHere = tempPath(`rejects-here-${name}.csv`);
    // Small chunks and batches, so that rows cross the thread boundary in several messages.
    const a = await importDataset(viaWorker, kind, file, { now: NOW, rejectsPath: rejectsWorker, displayName: name, batchSize: 2 });
    const b = await importDataset(here, kind, file, { now: NOW, rejectsPath: rejectsHere, displayName: name, batchSize: 2, worker: false });
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.read).toBeGreaterThan(0);
    expect(a.imported + a.updated + a.alreadyPresent + a.rejected.length).toBe(a.read);
    if (name === 'bad') {
      expect(a.rejected.map((r) => [r.location.line, r.location.field])).toEqual([
        [3, 'iday'],
        [4, 'extended'],
        [5, 'eventid'],
        [7, 'imonth'],
      ]);
    }
    expect(readFileSync(rejectsWorker).equals(readFileSync(rejectsHere))).toBe(true);
    expect(await contents(viaWorker)).toEqual(await contents(here));

    const again = await importDataset(viaWorker, kind, file, { now: NOW, displayName: name });
    expect(again).toMatchObject({ imported: 0, updated: 0, alreadyPresent: a.imported + a.updated, rejected: a.rejected });
  });

  it('passes the worker\'s refusal of a file through, and stores nothing', async () => {
    const store = await fresh('refused');
    const refusal = importDataset(store, 'ucdp', fixture('acled.csv'));
    await expect(refusal).rejects.toThrow(/not a UCDP GED file: the header lacks "id"/);
    await expect(refusal).rejects.toMatchObject({ code: 'bad_input' });
    expect((await store.counts()).documents).toBe(0);
  });
});
