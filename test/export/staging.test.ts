import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvModule from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRecords, exportStore } from '../../src/export/stream.js';
import { importDataset } from '../../src/pipeline/import.js';
import type { Store } from '../../src/store/store.js';
import { sqliteFactory } from '../store/stores.js';

/*
 * The round trip on the real dataset samples of ../shared/data/staging, when they are there (they
 * never enter the repository): every row imported from a release comes back the same after an
 * export and a re-import.
 */

const STAGING = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/staging');
const FILES = [
  ['gtd', 'gtd-2021q1/gtd_2021q1_full.csv'],
  ['gtd', 'gtd-2021q1/gtd_2021q1_core.csv'],
  ['acled', 'acled-2020-sample/acled.csv'],
  ['acled', 'acled-2016-sample/acled.csv'],
] as const;

const factory = sqliteFactory();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-staging-export-'));
});
afterAll(async () => {
  await factory.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function contents(store: Store) {
  const out = [];
  for await (const { incident, mentions, documents } of exportRecords(store, {}, { sources: true })) {
    out.push({ id: incident.id, fields: incident.fields, mentions: mentions.map((m) => m.fields), documents: documents.map((d) => [d.id, d.externalId, d.publishedAt]) });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

describe.each(FILES)('the %s sample %s', (kind, file) => {
  const source = path.join(STAGING, file);
  it.skipIf(!existsSync(source))('re-imports from its export into the same store contents', async () => {
    const first = await factory.create();
    await first.migrate();
    const imported = await importDataset(first, kind, source);
    expect(imported.imported).toBeGreaterThan(0);

    let exported = '';
    for await (const chunk of exportStore(first, {}, kind)) exported += chunk;
    const copy = path.join(dir, `${kind}-${path.basename(path.dirname(file))}-${path.basename(file)}`);
    await writeFile(copy, exported);
    const second = await factory.create();
    await second.migrate();
    const again = await importDataset(second, kind, copy);
    expect(again.rejected).toEqual([]);
    expect(again.imported).toBe(imported.imported);
    expect(await contents(second)).toEqual(await contents(first));
  }, 300_000);
});

const ALL = [...FILES, ['ucdp', 'ucdp-ged-sample/ucdpged_sample.csv']] as const;
const TARGETS = ['gtd', 'acled'] as const;

describe.each(ALL.flatMap(([kind, file]) => TARGETS.map((target) => [kind, file, target] as const)))('the %s sample %s as %s', (kind, file, target) => {
  const source = path.join(STAGING, file);
  it.skipIf(!existsSync(source))('is written whole and read back without a rejection', async () => {
    const first = await factory.create();
    await first.migrate();
    const imported = await importDataset(first, kind, source);
    let exported = '';
    let skipped = 0;
    for await (const chunk of exportStore(first, {}, target, { onSkip: () => (skipped += 1) })) exported += chunk;
    expect(skipped).toBe(0);
    const copy = path.join(dir, `${kind}-as-${target}-${path.basename(file)}`);
    await writeFile(copy, exported);
    const second = await factory.create();
    await second.migrate();
    const again = await importDataset(second, target, copy);
    expect(again.rejected).toEqual([]);
    expect(again.imported).toBe(imported.imported);
  }, 300_000);
});

describe.each(ALL)('the %s sample %s as STIX', (kind, file) => {
  const source = path.join(STAGING, file);
  it.skipIf(!existsSync(source))('passes the STIX 2.1 schema', async () => {
    const ajv = new ajvModule.default({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('./stix-schemas/stix-2.1-bundle.schema.json', import.meta.url), 'utf8')) as object);
    const store = await factory.create();
    await store.migrate();
    const imported = await importDataset(store, kind, source);
    let text = '';
    for await (const chunk of exportStore(store, {}, 'stix')) text += chunk;
    const bundle = JSON.parse(text) as { objects: Array<{ type: string }> };
    expect(validate(bundle), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bundle.objects.filter((o) => o.type === 'incident')).toHaveLength(imported.imported);
  }, 300_000);
});
