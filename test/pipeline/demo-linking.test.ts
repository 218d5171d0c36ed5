import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { sqliteFactory } from '../store/stores.js';

/*
 * The bundled demo reports through the real extractor and linking: the reports that tell one
 * attack end in one incident, the look-alikes (another town, another day) stay apart.
 */

const demo = readFileSync(new URL('../../data/demo/reports.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { id: string; text: string; title: string; published: string; url: string });

describe('the demo reports, extracted and linked', () => {
  const factory = sqliteFactory();
  afterAll(() => factory.cleanup());

  it('puts reports of one attack in one incident and keeps look-alikes apart', async () => {
    const store = await factory.create();
    await store.migrate();
    const summary = await ingestReports(
      store,
      asReadResults(demo.map((r) => ({ id: r.id, text: r.text, title: r.title, published: r.published, url: r.url }))),
      { extractor: createExtractor(), source: { kind: 'batch', locator: 'data/demo/reports.jsonl', name: 'demo' } },
    );
    expect(summary).toMatchObject({ read: demo.length, stored: demo.length, rejected: [] });
    expect(summary.linked).toBeGreaterThanOrEqual(5);

    // The incidents that hold each report's main mention (the one whose text starts the report).
    const holders = new Map<string, Set<string>>();
    let cursor: string | undefined;
    do {
      const page = await store.listIncidents({ limit: 1000, cursor });
      for (const incident of page.items) {
        const mentions = await store.getMentions(incident.mentionIds);
        const documents = new Map((await store.getDocuments(mentions.map((m) => m.documentId))).map((d) => [d.id, d.externalId ?? '']));
        for (const mention of mentions) {
          if (mention.span.start !== 0) continue;
          const report = documents.get(mention.documentId) ?? '';
          holders.set(report, (holders.get(report) ?? new Set()).add(incident.id));
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const incidentOf = (id: string): string => [...(holders.get(id) ?? [])].join(',');

    for (const group of [['demo-005', 'demo-006', 'demo-007'], ['demo-014', 'demo-015'], ['demo-019', 'demo-020'], ['demo-031', 'demo-032']]) {
      expect(new Set(group.map(incidentOf)).size, group.join(' ')).toBe(1);
    }
    expect(incidentOf('demo-017')).not.toBe(incidentOf('demo-018'));
    expect(incidentOf('demo-028')).not.toBe(incidentOf('demo-029'));
  }, 60_000);
});
