import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importDataset, type ImportSummary } from '../../src/pipeline/import.js';
import type { Incident } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { storeFactories } from '../store/stores.js';
import { fixture, tempFile, tempPath } from './helpers.js';

const NOW = () => new Date('2030-06-01T00:00:00.000Z');
const accounted = (s: ImportSummary): number => s.imported + s.updated + s.alreadyPresent + s.rejected.length;

const coreBytes = readFileSync(fixture('gtd-core.csv'));
const coreLines = coreBytes.toString('utf8').split('\n').filter((l) => l !== '');
const HEADER = coreLines[0]!;
const GOOD = coreLines[1]!;
const COLUMNS = HEADER.split(',');

/** A core-layout GTD row from the good fixture row with some columns replaced (values written as CSV). */
function gtdRow(eventid: string, changes: Record<string, string> = {}): string {
  const fields = parseSimple(GOOD);
  fields[0] = eventid;
  for (const [column, value] of Object.entries(changes)) fields[COLUMNS.indexOf(column)] = value;
  return fields.map((v) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

function parseSimple(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (line[q + 1] === '"') {
          v += line.slice(i, q + 1);
          i = q + 2;
        } else {
          v += line.slice(i, q);
          i = q + 1;
          break;
        }
      }
      out.push(v);
    } else {
      const c = line.indexOf(',', i);
      out.push(line.slice(i, c === -1 ? undefined : c));
      i = c === -1 ? line.length : c;
    }
    if (i >= line.length) return out;
    i += 1;
  }
}

async function snapshot(store: Store): Promise<{ counts: unknown; incidents: Incident[]; documents: Array<{ id: string }> }> {
  const page = await store.listIncidents({ limit: 1000 });
  const mentions = await store.getMentions(page.items.flatMap((i) => i.mentionIds));
  const documents = await store.getDocuments(mentions.map((m) => m.documentId));
  return { counts: await store.counts(), incidents: page.items, documents };
}

describe.each(storeFactories('datasets'))('importDataset on $name', (factory) => {
  afterAll(() => factory.cleanup());

  async function fresh(): Promise<Store> {
    const store = await factory.create();
    await store.migrate();
    return store;
  }

  it('imports every fixture row once; importing again stores nothing new', async () => {
    const store = await fresh();
    const files = [
      ['gtd', 'gtd-full.csv', 3],
      ['gtd', 'gtd-core.csv', 2],
      ['acled', 'acled.csv', 3],
      ['ucdp', 'ucdp.csv', 3],
    ] as const;
    for (const [kind, name, rows] of files) {
      const first = await importDataset(store, kind, fixture(name), { now: NOW });
      expect(first).toMatchObject({ read: rows, imported: rows, alreadyPresent: 0, rejected: [] });
    }
    const before = await snapshot(store);
    expect(before).toMatchObject({ counts: { documents: 11, mentions: 11, incidents: 11 } });
    for (const [kind, name, rows] of files) {
      const again = await importDataset(store, kind, fixture(name), { now: () => new Date('2031-01-01T00:00:00Z') });
      expect(again).toMatchObject({ read: rows, imported: 0, alreadyPresent: rows, rejected: [] });
    }
    expect(await snapshot(store)).toEqual(before);
    const page = await store.listIncidents({ limit: 100, actor: 'is-khorasan' });
    expect(page.items).toHaveLength(1);
    const incident = page.items[0]!;
    expect(incident.fields).toMatchObject({ killed: { best: 3 }, perpetratorsKilled: { best: 1 }, attackTypes: ['bombing', 'armed_assault'] });
    const revisions = await store.getRevisions(incident.id);
    expect(revisions).toEqual([expect.objectContaining({ action: 'import', by: 'system:import:gtd', revision: 1 })]);
    const [mention] = await store.getMentions(incident.mentionIds);
    const [doc] = await store.getDocuments([mention!.documentId]);
    expect(doc).toMatchObject({ kind: 'dataset_row', externalId: 'gtd:203001050001', raw: expect.stringMatching(/^gtd-full\.csv:2\n\{"eventid":"203001050001",/) });
  });

  it('a newer release updates the incident of a changed row with an import revision, never a second incident', async () => {
    const store = await fresh();
    const release1 = tempFile(`gtd-release-1-${factory.name}.csv`, `${HEADER}\n${gtdRow('203100000001')}\n${gtdRow('203100000002')}\n`);
    const first = await importDataset(store, 'gtd', release1, { now: NOW });
    expect(first).toMatchObject({ imported: 2, updated: 0 });
    const before = await snapshot(store);
    const original = before.incidents.find((i) => i.fields.killed?.best === 9);
    expect(before.incidents).toHaveLength(2);

    const later = () => new Date('2031-03-01T00:00:00.000Z');
    const release2 = tempFile(
      `gtd-release-2-${factory.name}.csv`,
      `${HEADER}\n${gtdRow('203100000001', { nkill: '11' })}\n${gtdRow('203100000002')}\n${gtdRow('203100000003')}\n`,
    );
    const second = await importDataset(store, 'gtd', release2, { now: later });
    expect(second).toMatchObject({ read: 3, imported: 1, updated: 1, alreadyPresent: 1, rejected: [] });
    expect(await importDataset(store, 'gtd', release2, { now: later })).toMatchObject({ imported: 0, updated: 0, alreadyPresent: 3 });

    const after = await snapshot(store);
    expect(after.counts).toMatchObject({ documents: 4, mentions: 4, incidents: 3 });
    const changed = (await store.listIncidents({ limit: 10 })).items.find((i) => i.fields.killed?.best === 11);
    expect(changed).toBeDefined();
    const firstMentions = await store.getMentions(changed!.mentionIds);
    const documents = await store.getDocuments(firstMentions.map((m) => m.documentId));
    expect(documents.map((d) => d.externalId)).toEqual(['gtd:203100000001', 'gtd:203100000001']);
    expect(changed).toMatchObject({ revision: 2, createdAt: NOW().toISOString(), updatedAt: later().toISOString() });
    const unchanged = after.incidents.find((i) => i.id !== changed!.id && before.incidents.some((b) => b.id === i.id));
    expect(unchanged).toEqual(before.incidents.find((i) => i.id === unchanged?.id));
    expect(changed!.id).toBe(original?.id);

    const revisions = await store.getRevisions(changed!.id);
    expect(revisions.map((r) => [r.revision, r.action, r.by])).toEqual([
      [1, 'import', 'system:import:gtd'],
      [2, 'import', 'system:import:gtd'],
    ]);
    const update = revisions[1]!;
    expect(update.reason).toMatch(/^changed row: imported gtd:203100000001 from gtd-release-2-/);
    expect(update.before).toMatchObject({ state: { fields: { killed: { best: 9 } }, mentionIds: [changed!.mentionIds[0]] } });
    expect(update.after).toMatchObject({ state: { fields: { killed: { best: 11 } }, mentionIds: changed!.mentionIds }, changed: ['fields.killed', 'mentionIds'] });
    const links = await store.getLinks(changed!.id);
    expect(links.map((l) => l.mentionId).sort()).toEqual([...changed!.mentionIds].sort());

    // The older release again changes nothing: its row's document is still stored.
    expect(await importDataset(store, 'gtd', release1, { now: later })).toMatchObject({ imported: 0, updated: 0, alreadyPresent: 2 });
  });

  it('reports bad rows with line and field, imports the others, writes rejects untouched', async () => {
    const store = await fresh();
    const [before, after] = gtdRow('203000000013', { city: 'B~ni' }).split('~');
    const latin1 = Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xe9]), Buffer.from(`${after ?? ''}\r\n`)]);
    const lines: Array<string | Buffer> = [
      `\uFEFF${HEADER}\r\n`,
      `${gtdRow('203000000001')}\r\n`,
      `${gtdRow('203000000002', { iday: '31', imonth: '2' })}\r\n`,
      `${gtdRow('203000000003', { nkill: 'many' })}\r\n`,
      `${GOOD.split(',').slice(0, 10).join(',')}\r\n`,
      `${gtdRow('203000000005', { summary: 'A "quoted" word and a comma, and\na line break' })}\r\n`,
      `${gtdRow('203000000006', { eventid: '' })}\r\n`,
      latin1,
      `${gtdRow('203000000001')}\r\n`,
      `${gtdRow('203000000009', { attacktype1_txt: 'Telepathy' })}\r\n`,
      '\r\n',
      `${gtdRow('203000000010').replace('Villagers', 'Vill"agers')}\r\n`,
      `${gtdRow('203000000011')}\r\n`,
      `203000000012,2030,"broken\r\n`,
      `${gtdRow('203000000014')}`,
    ];
    const bytes = Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l, 'utf8') : l)));
    const file = tempFile(`bad-${factory.name}.csv`, bytes);
    const rejectsPath = tempPath(`rejects-${factory.name}.csv`);
    const summary = await importDataset(store, 'gtd', file, { now: NOW, rejectsPath, displayName: 'bad.csv' });
    const where = summary.rejected.map((r) => [r.location.line, r.location.field, r.location.column ?? null]);
    expect(where).toEqual([
      [3, 'iday', null],
      [4, 'nkill', null],
      [5, 'latitude', null],
      [8, 'eventid', null],
      [9, 'city', null],
      [10, 'eventid', null],
      [11, 'attacktype1_txt', null],
      [13, 'target1', expect.any(Number)],
      [15, 'imonth', 19],
    ]);
    expect(summary.rejected.every((r) => r.location.file === 'bad.csv')).toBe(true);
    expect(summary.rejected[0]?.reason).toContain('not a calendar day');
    expect(summary.rejected[2]?.reason).toContain('expected 47 fields');
    expect(summary.rejected[3]?.reason).toContain('is empty');
    expect(summary.rejected[4]?.reason).toContain('invalid UTF-8');
    expect(summary.rejected[5]?.reason).toContain('duplicate eventid');
    expect(summary.rejected[7]?.reason).toContain('quote inside an unquoted field');
    expect(summary.rejected[8]?.reason).toContain('never closed');
    expect(summary).toMatchObject({ read: 13, imported: 4 });
    expect(accounted(summary)).toBe(summary.read);
    const rejected = readFileSync(rejectsPath);
    const expected = Buffer.concat([2, 3, 4, 6, 7, 8, 9, 11, 13].map((i) => (typeof lines[i] === 'string' ? Buffer.from(lines[i], 'utf8') : (lines[i] as Buffer))));
    expect(rejected.equals(Buffer.concat([Buffer.from(`\uFEFF${HEADER}\r\n`), expected]))).toBe(true);

    const asLatin1 = await importDataset(store, 'gtd', file, { now: NOW, encoding: 'latin1' });
    expect(asLatin1.imported).toBe(1);
    expect(asLatin1.alreadyPresent).toBe(4);
  });

  it('refuses a file whose header is not the dataset\'s', async () => {
    const store = await fresh();
    await expect(importDataset(store, 'ucdp', fixture('acled.csv'))).rejects.toThrow(/not a UCDP GED file: the header lacks "id"/);
    await expect(importDataset(store, 'gtd', tempFile('empty.csv', ''))).rejects.toThrow(/empty/);
    expect((await store.counts()).documents).toBe(0);
  });
});
