import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import { asReadResults, ingestReports, type IngestOptions } from '../../src/pipeline/ingest.js';
import { relinkStore } from '../../src/pipeline/link-incidents.js';
import { mergeIncidents, splitIncident } from '../../src/store/review.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory, type StoreFactory } from '../store/stores.js';
import { asInput, fixtureExtractor, LINKING_FIXTURE, pairwiseScores, type FixtureReport } from './linking-fixtures.js';

const options: IngestOptions = {
  extractor: fixtureExtractor(LINKING_FIXTURE),
  source: { kind: 'batch', locator: 'linking-fixture', name: 'linking fixture' },
  now: () => new Date('2026-04-01T00:00:00Z'),
};

async function ingest(store: Store, reports: readonly FixtureReport[]): Promise<void> {
  const summary = await ingestReports(store, asReadResults(reports.map(asInput)), options);
  expect(summary.rejected).toEqual([]);
}

async function liveIncidents(store: Store): Promise<Incident[]> {
  const out: Incident[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listIncidents({ limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** The report id → the incident holding its mention. */
async function clusterOfReports(store: Store): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const incident of await liveIncidents(store)) {
    const mentions = await store.getMentions(incident.mentionIds);
    const documents = await store.getDocuments(mentions.map((m) => m.documentId));
    for (const document of documents) out.set(document.externalId ?? document.id, incident.id);
  }
  return out;
}

/** The incidents as sets of report ids with their fields, independent of ids and of mention order. */
async function shape(store: Store): Promise<{ reports: string[]; fields: unknown; status: string }[]> {
  const out: { reports: string[]; fields: unknown; status: string }[] = [];
  for (const incident of await liveIncidents(store)) {
    const mentions = await store.getMentions(incident.mentionIds);
    const documents = await store.getDocuments(mentions.map((m) => m.documentId));
    out.push({ reports: documents.map((d) => d.externalId ?? '').sort(), fields: incident.fields, status: incident.status });
  }
  return out.sort((a, b) => (a.reports[0] ?? '').localeCompare(b.reports[0] ?? ''));
}

function describeLinking(factory: StoreFactory, runs: { order: number; mergeSplit: number }): void {
  afterEach(() => factory.closeAll());
  afterAll(() => factory.cleanup());

  async function freshStore(): Promise<Store> {
    const store = await factory.create();
    await store.migrate();
    return store;
  }

  it('links reports of one attack and keeps look-alikes apart: pairwise F1 ≥ 0.95 on our fixture', async () => {
    const store = await freshStore();
    await ingest(store, LINKING_FIXTURE);
    const truth = new Map(LINKING_FIXTURE.map((r) => [r.id, r.attack]));
    const scores = pairwiseScores(truth, await clusterOfReports(store));
    expect(scores.truePairs).toBe(15);
    expect(scores.f1).toBeGreaterThanOrEqual(0.95);
    expect(scores.precision).toBe(1);
    expect((await store.counts()).incidents).toBe(new Set(truth.values()).size);
  });

  it('stores each link with its explanation and reconciles the incident across its reports', async () => {
    const store = await freshStore();
    await ingest(store, LINKING_FIXTURE.filter((r) => r.attack === 'dikwa' || r.attack === 'gwoza'));
    const incidents = await liveIncidents(store);
    expect(incidents).toHaveLength(2);
    const dikwa = incidents.find((i) => i.mentionIds.length === 3) as Incident;
    expect(dikwa.fields.killed).toEqual({ low: 9, best: 9, high: 12 });
    expect(dikwa.fields.claimedKilled).toEqual({ low: 20, best: 20, high: 20 });
    expect(dikwa.fields.wounded).toEqual({ low: 5, best: 5, high: 7 });
    expect(dikwa.fields.figures?.filter((f) => f.field === 'killed').map((f) => [f.kind, f.best])).toEqual(
      expect.arrayContaining([['reported', 9], ['reported', 12], ['claimed', 20]]),
    );
    expect(dikwa.fields.attributions?.map((a) => a.attribution).sort()).toEqual(['claimed', 'suspected', 'suspected']);
    expect(dikwa.fields.date).toEqual({ start: '2025-05-13', end: '2025-05-13', precision: 'day' });
    const links = await store.getLinks(dikwa.id);
    expect(links).toHaveLength(3);
    const machine = links.filter((l) => l.decidedBy === 'system:link');
    expect(machine).toHaveLength(2);
    for (const link of machine) {
      expect(link.score).toBeGreaterThanOrEqual(2.5);
      expect(link.explanation).toMatchObject({ agreed: expect.arrayContaining(['place']), disagreed: expect.any(Array), fields: expect.any(Object) });
    }
    const revisions = await store.getRevisions(dikwa.id);
    expect(revisions.map((r) => [r.action, r.by])).toEqual([['create', 'system:ingest'], ['link', 'system:link'], ['link', 'system:link']]);
  });

  it('keeps two bombs of one day in two cities as two incidents', async () => {
    const store = await freshStore();
    await ingest(store, LINKING_FIXTURE.filter((r) => r.attack === 'baghdad' || r.attack === 'kirkuk'));
    const clusters = await clusterOfReports(store);
    expect(clusters.get('baghdad-1')).toBe(clusters.get('baghdad-2'));
    expect(clusters.get('kirkuk-1')).toBe(clusters.get('kirkuk-2'));
    expect(clusters.get('baghdad-1')).not.toBe(clusters.get('kirkuk-1'));
  });

  it('changes nothing when the same reports are ingested again', async () => {
    const store = await freshStore();
    await ingest(store, LINKING_FIXTURE);
    const before = { counts: await store.counts(), shape: await shape(store) };
    const again = await ingestReports(store, asReadResults([...LINKING_FIXTURE].reverse().map(asInput)), options);
    expect(again).toMatchObject({ stored: 0, duplicates: LINKING_FIXTURE.length, linked: 0, incidents: 0 });
    expect({ counts: await store.counts(), shape: await shape(store) }).toEqual(before);
  });

  it('links a store ingested without linking when linking is run again, and a second run changes nothing, nor undoes a split', async () => {
    const store = await freshStore();
    await ingestReports(store, asReadResults(LINKING_FIXTURE.map(asInput)), { ...options, linking: false });
    expect((await store.counts()).incidents).toBe(LINKING_FIXTURE.length);
    const first = await relinkStore(store, { now: options.now });
    expect(first.considered).toBe(LINKING_FIXTURE.length);
    const truth = new Map(LINKING_FIXTURE.map((r) => [r.id, r.attack]));
    expect(pairwiseScores(truth, await clusterOfReports(store)).f1).toBeGreaterThanOrEqual(0.95);

    const kabul = (await liveIncidents(store)).find((i) => i.mentionIds.length === 3 && i.fields.location?.country === 'AF') as Incident;
    await splitIncident(store, { id: kabul.id, revision: kabul.revision, mentionIds: kabul.mentionIds.slice(2), by: 'analyst', reason: 'the claim is of another attack' });
    const before = await shape(store);
    const second = await relinkStore(store, { now: options.now });
    expect(second).toMatchObject({ linked: 0, updated: 0 });
    expect(await shape(store)).toEqual(before);
  });

  it('gives the same incidents whatever order the reports come in (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([...LINKING_FIXTURE], { minLength: 2 }), fc.integer({ min: 0, max: 1000 }), async (subset, seed) => {
        const canonical = await freshStore();
        await ingest(canonical, [...subset].sort((a, b) => a.id.localeCompare(b.id)));
        const shuffled = await freshStore();
        const order = [...subset].sort((a, b) => ((a.id.length * 31 + seed) % 7) - ((b.id.length * 31 + seed) % 7) || a.id.localeCompare(b.id));
        await ingest(shuffled, subset.length % 2 === 0 ? order : [...order].reverse());
        expect(await shape(shuffled)).toEqual(await shape(canonical));
        await factory.closeAll();
      }),
      { numRuns: runs.order },
    );
  });

  it('gives the original incidents back after a merge then a split (property)', async () => {
    const store = await freshStore();
    await ingest(store, LINKING_FIXTURE);
    const incidents = await liveIncidents(store);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: incidents.length - 1 }), fc.integer({ min: 1, max: incidents.length - 1 }), async (i, step) => {
        const live = await liveIncidents(store);
        const before = await shape(store);
        const survivor = live[i % live.length] as Incident;
        const absorbed = live[(i + step) % live.length] as Incident;
        await mergeIncidents(store, { survivor: { id: survivor.id, revision: survivor.revision }, absorbed: [{ id: absorbed.id, revision: absorbed.revision }], by: 'analyst', reason: 'same attack?' });
        const merged = (await store.getIncident(survivor.id)) as Incident;
        expect(merged.mentionIds).toEqual([...survivor.mentionIds, ...absorbed.mentionIds]);
        const result = await splitIncident(store, { id: survivor.id, revision: merged.revision, mentionIds: absorbed.mentionIds, by: 'analyst', reason: 'no, two attacks' });
        expect(result.incidents.map((x) => x.id)).toEqual([survivor.id, absorbed.id]);
        const after = await shape(store);
        // The reports and reconciled fields are as before; the two incidents are now reviewed.
        expect(after.map((x) => ({ reports: x.reports, fields: x.fields }))).toEqual(before.map((x) => ({ reports: x.reports, fields: x.fields })));
        expect((await store.getIncident(absorbed.id))?.apartFrom).toContain(survivor.id);
      }),
      { numRuns: runs.mergeSplit },
    );
  });
}

// Each run of the order property makes two fresh stores: fewer runs on PostgreSQL, where that costs more.
describe('linking at ingest on sqlite', () => describeLinking(sqliteFactory(), { order: 12, mergeSplit: 6 }));
describe('linking at ingest on postgres', () => describeLinking(postgresFactory('linking'), { order: 3, mergeSplit: 3 }));
