import { afterAll, describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import type { ReadResult } from '../../src/sources/report.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

const REPORTS = [
  {
    id: 'r1',
    published: '2025-09-16',
    text: 'DJIBO, Burkina Faso, Sept 15 (Test Wire) — Gunmen attacked an army post in Djibo on Monday, killing six soldiers and wounding four, security sources said.',
  },
  {
    id: 'r2',
    published: '2025-08-22',
    text: 'MOGADISHU, Aug 21 (Test Wire) — A car bomb exploded outside a restaurant in Mogadishu on Thursday, killing at least seven people and wounding 15. Al-Shabaab claimed responsibility.',
  },
  {
    id: 'r3',
    published: '2025-05-02',
    text: 'Police in Madrid said on Friday they had arrested three men suspected of planning an attack on a concert hall.',
  },
];

const options = {
  extractor: createExtractor(),
  source: { kind: 'batch' as const, locator: 'pipeline-test', name: 'pipeline test' },
  now: () => new Date('2025-10-01T00:00:00Z'),
};

describe.each([sqliteFactory(), postgresFactory('pipeline')])('ingestReports on $name', (factory) => {
  afterAll(() => factory.cleanup());

  it('stores each report as a document with its incidents, once however often it is ingested', async () => {
    const store = await factory.create();
    await store.migrate();
    const first = await ingestReports(store, asReadResults(REPORTS), options);
    expect(first).toMatchObject({ read: 3, stored: 3, duplicates: 0, rejected: [] });
    const counts = await store.counts();
    expect(counts.documents).toBe(3);
    expect(counts.incidents).toBe(first.incidents);
    expect(first.incidents).toBeGreaterThanOrEqual(2);

    const again = await ingestReports(store, asReadResults([...REPORTS].reverse()), options);
    expect(again).toMatchObject({ read: 3, stored: 0, duplicates: 3 });
    expect(await store.counts()).toEqual(counts);
  });

  it('every stored incident has a creation revision and evidence inside its document', async () => {
    const store = await factory.create();
    await store.migrate();
    await ingestReports(store, asReadResults(REPORTS.slice(0, 2)), options);
    const page = await store.listIncidents({ limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const incident of page.items) {
      const revisions = await store.getRevisions(incident.id);
      expect(revisions.map((r) => r.action)).toEqual(['create']);
      const mentions = await store.getMentions(incident.mentionIds);
      const [document] = await store.getDocuments(mentions.map((m) => m.documentId));
      expect(document).toBeDefined();
      const killed = mentions[0]?.fields.killed;
      expect(killed).toBeDefined();
      for (const span of killed?.evidence ?? []) {
        expect(span.end).toBeLessThanOrEqual(document?.text.length ?? 0);
        expect(document?.text.slice(span.start, span.end)).toMatch(/kill/);
      }
    }
  });

  it('collects rejected inputs and stores the rest', async () => {
    const store = await factory.create();
    await store.migrate();
    const inputs: ReadResult[] = [
      { ok: false, rejection: { location: { file: 'in.jsonl', line: 1 }, reason: 'not valid JSON' } },
      { ok: true, report: REPORTS[0]! },
      { ok: true, report: { text: '   \n ', origin: 'in.jsonl:3' } },
    ];
    const summary = await ingestReports(store, inputs, options);
    expect(summary.stored).toBe(1);
    expect(summary.rejected).toEqual([
      { location: { file: 'in.jsonl', line: 1 }, reason: 'not valid JSON' },
      { location: { file: 'in.jsonl', line: 3, field: 'text' }, reason: 'the report has no text' },
    ]);
  });
});
