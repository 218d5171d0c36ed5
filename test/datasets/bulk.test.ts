import { afterAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/core/model.js';
import { datasetBundle } from '../../src/datasets/index.js';
import { importDataset } from '../../src/pipeline/import.js';
import { datasetImporter } from '../../src/store/bulk-import.js';
import type { ExtractionBundle } from '../../src/store/store.js';
import { storeFactories } from '../store/stores.js';
import { fixture, records, tempFile } from './helpers.js';

const AT = '2030-06-01T00:00:00.000Z';
const source: Source = { id: 's_bulktest', kind: 'acled', locator: 'acled.csv', name: 'ACLED acled.csv', createdAt: AT };

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

  it('a NUL character: PostgreSQL refuses the row (COPY fails, the batch goes row by row), SQLite stores it', async () => {
    const store = await factory.create();
    await store.migrate();
    const [header, first, second] = (await import('node:fs')).readFileSync(fixture('acled.csv'), 'utf8').split('\n');
    const file = tempFile(`nul-${factory.name}.csv`, `${header}\n${first}\n${second?.replace('clashes', 'cla\u0000shes')}\n`);
    const summary = await importDataset(store, 'acled', file);
    if (factory.name === 'postgres') {
      expect(summary).toMatchObject({ read: 2, imported: 1 });
      expect(summary.rejected).toEqual([{ location: { file, line: 3 }, reason: expect.stringMatching(/0x00|null character|invalid byte sequence/i) }]);
    } else expect(summary).toMatchObject({ read: 2, imported: 2, rejected: [] });
  });
});
