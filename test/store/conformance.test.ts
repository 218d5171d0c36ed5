import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isVigilError, type VigilError } from '../../src/core/errors.js';
import { incidentIdFor } from '../../src/core/ids.js';
import { DocumentSchema, IncidentSchema, LinkSchema, MentionSchema, RevisionSchema, SourceSchema, type Incident } from '../../src/core/model.js';
import type { ExtractionBundle, IncidentFilter, Store } from '../../src/store/store.js';
import {
  actor,
  AT,
  bundleFor,
  idsOf,
  incidentOf,
  listAll,
  makeDocument,
  makeSource,
  newestFirst,
  richBundle,
  saveAll,
} from './fixtures.js';
import { storeFactories } from './stores.js';
import { rejectionOf } from '../helpers/promises.js';


describe.each(storeFactories('conformance'))('$name store', (factory) => {
  afterEach(() => factory.closeAll());
  afterAll(() => factory.cleanup());

  async function freshStore(): Promise<Store> {
    const store = await factory.create();
    await store.migrate();
    return store;
  }

  describe('migrations', () => {
    it('starts an empty database at version 0 and applies every migration, once', async () => {
      const store = await factory.create();
      expect(await store.schemaVersion()).toBe(0);

      expect(await store.migrate()).toEqual(factory.migrationNames);
      expect(await store.schemaVersion()).toBe(factory.latestVersion);

      expect(await store.migrate()).toEqual([]);
      expect(await store.migrate()).toEqual([]);
      expect(await store.schemaVersion()).toBe(factory.latestVersion);
    });

    it('keeps stored records when migrate runs again', async () => {
      const store = await freshStore();
      const bundle = bundleFor({ key: 'kept', date: '2024-01-01' });
      await store.saveExtraction(bundle);

      await store.migrate();

      expect(await store.getIncident(incidentOf(bundle).id)).toStrictEqual(incidentOf(bundle));
      expect(await store.counts()).toEqual({ sources: 1, documents: 1, mentions: 1, incidents: 1 });
    });
  });

  describe('saving and reading back', () => {
    it('reads back every record of a bundle exactly as saved, and each parses with its schema', async () => {
      const store = await freshStore();
      const bundle = richBundle();

      expect(await store.saveExtraction(bundle)).toEqual({ stored: true });

      const source = await store.getSource(bundle.source.id);
      expect(source).toStrictEqual(bundle.source);
      expect(SourceSchema.parse(source)).toStrictEqual(bundle.source);

      const document = await store.getDocument(bundle.document.id);
      expect(document).toStrictEqual(bundle.document);
      expect(DocumentSchema.parse(document)).toStrictEqual(bundle.document);

      const mentions = await store.getMentions(bundle.mentions.map((m) => m.id));
      expect(mentions).toStrictEqual(bundle.mentions);
      expect(mentions.map((m) => MentionSchema.parse(m))).toStrictEqual(bundle.mentions);

      for (const saved of bundle.incidents) {
        const incident = await store.getIncident(saved.id);
        expect(incident).toStrictEqual(saved);
        expect(IncidentSchema.parse(incident)).toStrictEqual(saved);
      }

      const [main, rejected] = bundle.incidents;
      const revisions = await store.getRevisions(main?.id ?? '');
      const expectedRevisions = bundle.revisions.filter((r) => r.incidentId === main?.id).sort((a, b) => a.revision - b.revision);
      expect(revisions).toStrictEqual(expectedRevisions);
      expect(revisions.map((r) => RevisionSchema.parse(r))).toStrictEqual(expectedRevisions);
      expect(await store.getRevisions(rejected?.id ?? '')).toStrictEqual(bundle.revisions.filter((r) => r.incidentId === rejected?.id));

      const links = await store.getLinks(main?.id ?? '');
      expect(links).toStrictEqual(bundle.links);
      expect(links.map((l) => LinkSchema.parse(l))).toStrictEqual(bundle.links);

      expect(await store.counts()).toEqual({ sources: 1, documents: 1, mentions: 2, incidents: 2 });
    });

    it('lists a saved incident exactly as getIncident reads it', async () => {
      const store = await freshStore();
      const bundle = richBundle();
      await store.saveExtraction(bundle);

      const page = await store.listIncidents({ limit: 10 });

      expect(page.items).toStrictEqual(newestFirst(bundle.incidents));
      expect(page.nextCursor).toBeNull();
    });

    it('returns documents and mentions in the order asked for, without repeats, leaving out unknown ids', async () => {
      const store = await freshStore();
      const [a, b, c] = [bundleFor({ key: 'a' }), bundleFor({ key: 'b', mentions: 2 }), bundleFor({ key: 'c' })];
      await saveAll(store, [a, b, c]);

      const documents = await store.getDocuments([c.document.id, 'f'.repeat(64), a.document.id, c.document.id]);
      expect(documents).toStrictEqual([c.document, a.document]);

      const mentionIds = [...b.mentions, ...a.mentions].map((m) => m.id);
      const mentions = await store.getMentions(['m_unknown', ...mentionIds, mentionIds[0] ?? '']);
      expect(mentions).toStrictEqual([...b.mentions, ...a.mentions]);

      expect(await store.getDocuments([])).toEqual([]);
      expect(await store.getMentions([])).toEqual([]);
    });

    it('reads unknown ids as null or as nothing', async () => {
      const store = await freshStore();
      await store.saveExtraction(bundleFor({ key: 'present' }));

      expect(await store.getSource('s_unknown')).toBeNull();
      expect(await store.getDocument('0'.repeat(64))).toBeNull();
      expect(await store.getIncident('i_unknown')).toBeNull();
      expect(await store.getRevisions('i_unknown')).toEqual([]);
      expect(await store.getLinks('i_unknown')).toEqual([]);
    });

    it('stores a source once for all the documents that come from it', async () => {
      const store = await freshStore();
      const source = makeSource('feeds/one.xml', 'feed');

      await saveAll(store, [bundleFor({ key: 'first', source }), bundleFor({ key: 'second', source })]);

      expect(await store.counts()).toEqual({ sources: 1, documents: 2, mentions: 2, incidents: 2 });
      expect(await store.getSource(source.id)).toStrictEqual(source);
    });

    it('stores a document saved twice only once, and writes nothing of the second bundle', async () => {
      const store = await freshStore();
      const bundle = bundleFor({ key: 'twice', date: '2024-02-02' });
      expect(await store.saveExtraction(bundle)).toEqual({ stored: true });
      const counts = await store.counts();

      expect(await store.saveExtraction(bundle)).toEqual({ stored: false });
      const otherSource = makeSource('another/copy.jsonl');
      const incident = incidentOf(bundle);
      const variant: ExtractionBundle = {
        ...bundle,
        source: otherSource,
        document: { ...bundle.document, sourceId: otherSource.id, title: 'A second copy' },
        incidents: [{ ...incident, id: incidentIdFor('another founding mention') }],
        links: [],
        revisions: [],
      };
      expect(await store.saveExtraction(variant)).toEqual({ stored: false });

      expect(await store.counts()).toEqual(counts);
      expect(await store.getSource(otherSource.id)).toBeNull();
      expect(await store.getDocument(bundle.document.id)).toStrictEqual(bundle.document);
      expect(await store.getIncident(incidentIdFor('another founding mention'))).toBeNull();
    });

    it('stores a document saved by several callers at once only once', async () => {
      const store = await freshStore();
      const bundle = bundleFor({ key: 'concurrent', mentions: 3 });

      const results = await Promise.all(Array.from({ length: 5 }, () => store.saveExtraction(bundle)));

      expect(results.filter((r) => r.stored)).toHaveLength(1);
      expect(await store.counts()).toEqual({ sources: 1, documents: 1, mentions: 3, incidents: 1 });
    });

    it('keeps the order of an incident’s mention ids and related incident ids', async () => {
      const store = await freshStore();
      const bundle = bundleFor({ key: 'ordered', mentions: 4, related: ['i_zzz', 'i_aaa', 'i_mmm'] });
      const incident = incidentOf(bundle);
      const reversed = { ...bundle, incidents: [{ ...incident, mentionIds: [...incident.mentionIds].reverse() }] };

      await store.saveExtraction(reversed);

      const stored = await store.getIncident(incident.id);
      expect(stored?.mentionIds).toEqual([...incident.mentionIds].reverse());
      expect(stored?.relatedIncidentIds).toEqual(['i_zzz', 'i_aaa', 'i_mmm']);
    });
  });

  describe('a bundle that fails part of the way writes nothing', () => {
    const earlier = bundleFor({ key: 'earlier', date: '2024-01-10', country: 'AF', perpetrators: [actor('is-khorasan')] });
    const source = makeSource('failing/source.jsonl');
    const good = bundleFor({ key: 'later', date: '2024-01-11', source, mentions: 2, country: 'IQ', point: { lat: 36.3, lon: 43.1 } });
    const goodIncident = incidentOf(good);

    const breakages: [string, string, () => ExtractionBundle][] = [
      [
        'a mention of a document that is not stored',
        'mention',
        () => ({ ...good, mentions: [good.mentions[0]!, { ...good.mentions[1]!, documentId: 'f'.repeat(64) }] }),
      ],
      ['two incidents with one id', 'incident', () => ({ ...good, incidents: [goodIncident, { ...goodIncident, status: 'reviewed' }] })],
      ['an incident id that is already stored', 'incident', () => ({ ...good, incidents: [{ ...goodIncident, id: incidentOf(earlier).id }] })],
      ['an incident naming a mention that does not exist', 'mention m_missing', () => ({ ...good, incidents: [{ ...goodIncident, mentionIds: [...goodIncident.mentionIds, 'm_missing'] }] })],
      ['a revision of an incident that does not exist', 'revision', () => ({ ...good, revisions: [...good.revisions, { ...good.revisions[0]!, incidentId: 'i_missing' }] })],
      ['a link, written last, to an incident that does not exist', 'link', () => ({ ...good, links: [...good.links, { ...good.links[0]!, incidentId: 'i_missing' }] })],
    ];

    it.each(breakages)('%s: rolls back with a store error naming the %s', async (_, named, broken) => {
      const store = await freshStore();
      await store.saveExtraction(earlier);
      const before = await store.counts();

      const error = await rejectionOf(store.saveExtraction(broken()));

      expect(isVigilError(error, 'store')).toBe(true);
      expect((error as VigilError).message).toContain(good.document.id);
      expect((error as VigilError).message).toContain(named);
      expect((error as VigilError).cause).toBeDefined();
      expect(await store.counts()).toEqual(before);
      expect(await store.getDocument(good.document.id)).toBeNull();
      expect(await store.getSource(source.id)).toBeNull();
      expect(await store.getMentions(good.mentions.map((m) => m.id))).toEqual([]);
      expect(await store.getIncident(goodIncident.id)).toBeNull();
      expect(await store.getIncident(incidentOf(earlier).id)).toStrictEqual(incidentOf(earlier));
      expect(await store.getRevisions(incidentOf(earlier).id)).toStrictEqual(earlier.revisions);
      expect(idsOf(await listAll(store, { actor: 'is-khorasan' }))).toEqual([incidentOf(earlier).id]);
      expect(await listAll(store, { country: 'IQ' })).toEqual([]);

      expect(await store.saveExtraction(good)).toEqual({ stored: true });
      expect(await store.getIncident(goodIncident.id)).toStrictEqual(goodIncident);
      expect(await store.counts()).toEqual({ sources: 2, documents: 2, mentions: 3, incidents: 2 });
    });

    it('refuses an incident dated on a day that does not exist, as bad input, writing nothing', async () => {
      const store = await freshStore();
      const bundle = bundleFor({ key: 'thirtieth', date: '2025-02-30' });

      const error = await rejectionOf(store.saveExtraction(bundle));

      expect(isVigilError(error, 'bad_input')).toBe(true);
      expect((error as VigilError).message).toContain('2025-02-30');
      expect(await store.counts()).toEqual({ sources: 0, documents: 0, mentions: 0, incidents: 0 });
    });
  });

  describe('saving in batches', () => {
    /** Everything a store holds about some bundles, to compare two stores. */
    async function contents(store: Store, bundles: readonly ExtractionBundle[]): Promise<unknown> {
      const incidents = bundles.flatMap((b) => b.incidents.map((i) => i.id));
      return {
        counts: await store.counts(),
        listing: await listAll(store, {}),
        sources: await Promise.all(bundles.map((b) => store.getSource(b.source.id))),
        documents: await store.getDocuments(bundles.map((b) => b.document.id)),
        mentions: await store.getMentions(bundles.flatMap((b) => b.mentions.map((m) => m.id))),
        revisions: await Promise.all(incidents.map((id) => store.getRevisions(id))),
        links: await Promise.all(incidents.map((id) => store.getLinks(id))),
      };
    }

    it('stores the new bundles of a batch, skips stored and repeated ones, and reports the invalid ones alone', async () => {
      const store = await freshStore();
      const earlier = bundleFor({ key: 'batch-earlier', date: '2024-05-01', country: 'AF', perpetrators: [actor('is-khorasan')] });
      await store.saveExtraction(earlier);
      const before = await store.counts();

      const fresh1 = bundleFor({ key: 'batch-1', date: '2024-05-02', country: 'IQ', mentions: 2 });
      const fresh2 = bundleFor({ key: 'batch-2', date: '2024-05-03', point: { lat: 11.8, lon: 13.1 }, perpetrators: [actor('boko-haram')] });
      const fresh3 = bundleFor({ key: 'batch-3', source: makeSource('batch/other.jsonl'), related: ['i_other'] });
      const badSource = makeSource('batch/bad.jsonl');
      const bad = bundleFor({ key: 'batch-bad', source: badSource, mentions: 2 });
      const broken: ExtractionBundle = { ...bad, incidents: [{ ...incidentOf(bad), mentionIds: [...incidentOf(bad).mentionIds, 'm_missing'] }] };
      const undated = bundleFor({ key: 'batch-no-day', date: '2025-02-30', source: badSource });

      const result = await store.saveExtractions([fresh1, earlier, fresh2, broken, fresh1, undated, fresh3, fresh2]);

      expect(result.stored).toEqual([true, false, true, false, false, false, true, false]);
      expect(result.errors.map((e) => e?.code ?? null)).toEqual([null, null, null, 'store', null, 'bad_input', null, null]);
      expect(result.errors[3]?.message).toContain(bad.document.id);
      expect(result.errors[3]?.message).toContain('mention m_missing');
      expect(result.errors[5]?.message).toContain('2025-02-30');

      for (const bundle of [earlier, fresh1, fresh2, fresh3]) {
        const incident = incidentOf(bundle);
        expect(await store.getSource(bundle.source.id)).toStrictEqual(bundle.source);
        expect(await store.getDocument(bundle.document.id)).toStrictEqual(bundle.document);
        expect(await store.getMentions(bundle.mentions.map((m) => m.id))).toStrictEqual(bundle.mentions);
        expect(await store.getIncident(incident.id)).toStrictEqual(incident);
        expect(await store.getRevisions(incident.id)).toStrictEqual(bundle.revisions);
        expect(await store.getLinks(incident.id)).toStrictEqual(bundle.links);
      }
      expect(await store.getSource(badSource.id)).toBeNull();
      expect(await store.getDocument(bad.document.id)).toBeNull();
      expect(await store.getMentions(bad.mentions.map((m) => m.id))).toEqual([]);
      expect(await store.getIncident(incidentOf(bad).id)).toBeNull();
      expect(await store.getDocument(undated.document.id)).toBeNull();
      expect(await store.counts()).toEqual({
        sources: before.sources + 1,
        documents: before.documents + 3,
        mentions: before.mentions + 4,
        incidents: before.incidents + 3,
      });
      expect(idsOf(await listAll(store, { actor: 'is-khorasan' }))).toEqual([incidentOf(earlier).id]);
      expect(idsOf(await listAll(store, { actor: 'boko-haram' }))).toEqual([incidentOf(fresh2).id]);
      expect(idsOf(await listAll(store, { bbox: [13, 11, 14, 12] }))).toEqual([incidentOf(fresh2).id]);

      expect(await store.saveExtractions([])).toEqual({ stored: [], errors: [] });
      expect(await store.saveExtractions([bad])).toEqual({ stored: [true], errors: [null] });
    });

    it('stores the second of two copies of a document when the first is refused', async () => {
      const store = await freshStore();
      const good = bundleFor({ key: 'batch-second-copy', mentions: 2 });
      const broken: ExtractionBundle = { ...good, links: [...good.links, { ...good.links[0]!, incidentId: 'i_missing' }] };

      const result = await store.saveExtractions([broken, good, good]);

      expect(result.stored).toEqual([false, true, false]);
      expect(isVigilError(result.errors[0], 'store')).toBe(true);
      expect(await store.getIncident(incidentOf(good).id)).toStrictEqual(incidentOf(good));
      expect(await store.getLinks(incidentOf(good).id)).toStrictEqual(good.links);
    });

    it('throws a store error, storing nothing, when the database is gone', async () => {
      const store = await freshStore();
      await store.close();
      expect(isVigilError(await rejectionOf(store.saveExtractions([bundleFor({ key: 'batch-late' })])), 'store')).toBe(true);
    });

    it('gives the same store contents and flags in batches of any size as one by one', async () => {
      const shared = makeSource('batches/feed.xml', 'feed');
      const valid = [
        bundleFor({ key: 'q1', date: '2024-03-03', country: 'AF', source: shared, perpetrators: [actor('is-khorasan')] }),
        bundleFor({ key: 'q2', date: '2024-03-04', country: 'IQ', source: shared, mentions: 2 }),
        bundleFor({ key: 'q3', date: ['2024-02-01', '2024-03-10'], point: { lat: -18.1, lon: 178.4 } }),
        bundleFor({ key: 'q4', country: 'NG', mentions: 3, perpetrators: [actor('boko-haram'), actor('boko-haram', 'suspected')] }),
        bundleFor({ key: 'q5', date: '2023-11-11', source: makeSource('batches/other.jsonl'), status: 'reviewed' }),
      ];
      const q6 = bundleFor({ key: 'q6', source: makeSource('batches/third.jsonl') });
      const universe = [
        ...valid,
        q6,
        // refused: an incident id that q1 holds; a mention of a document that is not stored; a day that does not exist
        { ...q6, incidents: [{ ...incidentOf(q6), id: incidentOf(valid[0]!).id }], links: [], revisions: [] },
        bundleFor({ key: 'q8', date: '2024-02-30' }),
        { ...valid[1]!, mentions: [valid[1]!.mentions[0]!, { ...valid[1]!.mentions[1]!, documentId: 'e'.repeat(64) }] },
      ];
      const plan = fc.record({
        order: fc.array(fc.nat({ max: universe.length - 1 }), { minLength: 1, maxLength: 14 }),
        cuts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 14, maxLength: 14 }),
      });
      await fc.assert(
        fc.asyncProperty(plan, async ({ order, cuts }) => {
          const bundles = order.map((n) => universe[n]!);
          const oneByOne = await freshStore();
          const batched = await freshStore();
          try {
            const expected: boolean[] = [];
            for (const bundle of bundles) {
              expected.push(await oneByOne.saveExtraction(bundle).then((r) => r.stored, () => false));
            }
            const flags: boolean[] = [];
            let at = 0;
            for (const size of cuts) {
              if (at >= bundles.length) break;
              const result = await batched.saveExtractions(bundles.slice(at, at + size));
              flags.push(...result.stored);
              at += size;
            }
            if (at < bundles.length) flags.push(...(await batched.saveExtractions(bundles.slice(at))).stored);
            expect(flags).toEqual(expected);
            expect(await contents(batched, universe)).toStrictEqual(await contents(oneByOne, universe));
          } finally {
            await oneByOne.close();
            await batched.close();
          }
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('listIncidents filters', () => {
    const kabul = bundleFor({
      key: 'kabul',
      date: '2024-05-10',
      country: 'AF',
      admin1: 'Kabul',
      point: { lat: 34.53, lon: 69.17 },
      perpetrators: [actor('is-khorasan')],
      status: 'reviewed',
    });
    const jalalabad = bundleFor({
      key: 'jalalabad',
      date: ['2024-05-01', '2024-05-03'],
      country: 'AF',
      point: { lat: 34.43, lon: 70.45 },
      perpetrators: [actor('is-khorasan', 'attributed'), actor('ttp', 'suspected'), actor('is-khorasan', 'claimed')],
    });
    const maiduguri = bundleFor({ key: 'maiduguri', date: '2024-04-20', country: 'NG', point: { lat: 11.85, lon: 13.16 }, perpetrators: [actor('is-west-africa')], status: 'reviewed' });
    const suva = bundleFor({ key: 'suva', date: '2024-03-01', country: 'FJ', point: { lat: -18.14, lon: 178.44 } });
    const apia = bundleFor({ key: 'apia', date: '2024-02-15', country: 'WS', point: { lat: -13.83, lon: -171.76 } });
    const honolulu = bundleFor({ key: 'honolulu', date: '2024-01-05', country: 'US', point: { lat: 21.31, lon: -157.86 } });
    const gao = bundleFor({ key: 'gao', date: ['2023-12-25', '2024-01-02'], country: 'ML', admin1: 'Gao', perpetrators: [{ name: 'unknown gunmen', attribution: 'suspected' }] });
    const mosul = bundleFor({ key: 'mosul', date: '2023-06-30', country: 'IQ', point: { lat: 36.34, lon: 43.13 }, perpetrators: [actor('is-iraq', 'denied')] });
    const undated = bundleFor({ key: 'undated', country: 'AF', point: { lat: 34.5, lon: 69.2 }, perpetrators: [actor('is-khorasan')], status: 'rejected' });
    const scenario = [undated, gao, kabul, apia, mosul, jalalabad, honolulu, maiduguri, suva];
    const id = (bundle: ExtractionBundle): string => incidentOf(bundle).id;

    async function listed(filter: Omit<IncidentFilter, 'limit'>): Promise<string[]> {
      const store = await freshStore();
      await saveAll(store, scenario);
      return idsOf(await listAll(store, filter));
    }

    it('lists every incident newest first, undated ones last, with no filter', async () => {
      expect(await listed({})).toEqual([kabul, jalalabad, maiduguri, suva, apia, honolulu, gao, mosul, undated].map(id));
    });

    it('keeps incidents whose date range overlaps the from–to window, bounds included, and drops undated ones', async () => {
      expect(await listed({ from: '2024-01-01', to: '2024-04-30' })).toEqual([maiduguri, suva, apia, honolulu, gao].map(id));
      expect(await listed({ from: '2024-05-03' })).toEqual([kabul, jalalabad].map(id));
      expect(await listed({ from: '2024-05-04' })).toEqual([kabul].map(id));
      expect(await listed({ to: '2023-12-25' })).toEqual([gao, mosul].map(id));
      expect(await listed({ to: '2023-12-24' })).toEqual([mosul].map(id));
      expect(await listed({ from: '2024-05-02', to: '2024-05-02' })).toEqual([jalalabad].map(id));
      expect(await listed({ from: '2025-01-01' })).toEqual([]);
    });

    it('filters by country', async () => {
      expect(await listed({ country: 'AF' })).toEqual([kabul, jalalabad, undated].map(id));
      expect(await listed({ country: 'ML' })).toEqual([gao].map(id));
      expect(await listed({ country: 'FR' })).toEqual([]);
    });

    it('filters by an actor that perpetrators resolved to, whatever the attribution', async () => {
      expect(await listed({ actor: 'is-khorasan' })).toEqual([kabul, jalalabad, undated].map(id));
      expect(await listed({ actor: 'ttp' })).toEqual([jalalabad].map(id));
      expect(await listed({ actor: 'is-iraq' })).toEqual([mosul].map(id));
      expect(await listed({ actor: 'unknown gunmen' })).toEqual([]);
      expect(await listed({ actor: 'is' })).toEqual([]);
    });

    it('filters by status', async () => {
      expect(await listed({ status: 'reviewed' })).toEqual([kabul, maiduguri].map(id));
      expect(await listed({ status: 'rejected' })).toEqual([undated].map(id));
    });

    it('keeps incidents with a point inside a bounding box, edges included', async () => {
      expect(await listed({ bbox: [60, 29, 75, 39] })).toEqual([kabul, jalalabad, undated].map(id));
      expect(await listed({ bbox: [69.17, 34.53, 69.17, 34.53] })).toEqual([kabul].map(id));
      expect(await listed({ bbox: [-180, -90, 180, 90] })).toEqual([kabul, jalalabad, maiduguri, suva, apia, honolulu, mosul, undated].map(id));
      expect(await listed({ bbox: [0, 0, 10, 10] })).toEqual([]);
    });

    it('keeps incidents inside a bounding box that crosses the antimeridian (west > east)', async () => {
      expect(await listed({ bbox: [170, -30, -170, 0] })).toEqual([suva, apia].map(id));
      expect(await listed({ bbox: [170, -30, -150, 30] })).toEqual([suva, apia, honolulu].map(id));
      expect(await listed({ bbox: [179, -30, -179, 30] })).toEqual([]);
      expect(await listed({ bbox: [178.44, -20, -171.76, -10] })).toEqual([suva, apia].map(id));
    });

    it('combines filters with AND', async () => {
      expect(await listed({ country: 'AF', actor: 'is-khorasan', from: '2024-05-05' })).toEqual([kabul].map(id));
      expect(await listed({ actor: 'is-khorasan', bbox: [70, 30, 71, 35] })).toEqual([jalalabad].map(id));
      expect(await listed({ status: 'reviewed', bbox: [170, -30, -170, 0] })).toEqual([]);
    });

    it.each<[string, Omit<IncidentFilter, 'limit'>]>([
      ['a from that is not a day', { from: '2024-13-01' }],
      ['a to that is not a day', { to: 'yesterday' }],
      ['a bbox whose south is north of its north', { bbox: [0, 10, 10, 0] }],
      ['a bbox beyond the poles', { bbox: [0, -91, 10, 0] }],
      ['a bbox with a longitude out of range', { bbox: [-190, 0, 10, 10] }],
      ['a cursor this store did not make', { cursor: 'not-a-cursor' }],
      ['a cursor of the wrong shape', { cursor: Buffer.from('{"a":1}').toString('base64url') }],
    ])('refuses %s as bad input', async (_, filter) => {
      const store = await freshStore();
      const error = await rejectionOf(store.listIncidents({ ...filter, limit: 10 }));
      expect(isVigilError(error, 'bad_input')).toBe(true);
    });
  });

  describe('pagination', () => {
    const countries = ['AF', 'IQ', 'NG'];
    const sixty = Array.from({ length: 60 }, (_, n) =>
      bundleFor({
        key: `page-${n}`,
        date: n % 7 === 0 ? null : `2024-0${1 + (n % 5)}-1${n % 3}`,
        country: countries[n % 3] ?? null,
      }),
    );
    const all = newestFirst(sixty.map(incidentOf));

    it.each([1, 6, 7, 59, 60, 61])('visits each of 60 incidents exactly once, in order, with pages of %i', async (size) => {
      const store = await freshStore();
      await saveAll(store, sixty);

      const pages: Incident[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store.listIncidents({ limit: size, cursor });
        pages.push(page.items);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }

      expect(pages.flat()).toStrictEqual(all);
      expect(pages).toHaveLength(Math.ceil(60 / size));
      expect(pages.slice(0, -1).every((p) => p.length === size)).toBe(true);
    });

    it('pages through a filtered listing the same way', async () => {
      const store = await freshStore();
      await saveAll(store, sixty);

      const iraq = await listAll(store, { country: 'IQ' }, 3);

      expect(iraq).toStrictEqual(all.filter((i) => i.fields.location?.country === 'IQ'));
      expect(await listAll(store, { country: 'IQ', from: '2024-03-01' }, 4)).toStrictEqual(
        all.filter((i) => i.fields.location?.country === 'IQ' && (i.fields.date?.end ?? '') >= '2024-03-01'),
      );
    });

    it('neither skips nor repeats incidents saved between pages', async () => {
      const store = await freshStore();
      await saveAll(store, sixty.slice(0, 30));
      const first = await store.listIncidents({ limit: 10 });

      await saveAll(store, sixty.slice(30));
      const rest = await listAll(store, { cursor: first.nextCursor ?? undefined }, 10);

      const seen = [...first.items, ...rest];
      expect(new Set(idsOf(seen)).size).toBe(seen.length);
      expect(rest).toStrictEqual(all.filter((i) => newestFirst([i, first.items.at(-1)!])[0] !== i));
    });

    it('clamps the page size to 1..1000', async () => {
      const store = await freshStore();
      const source = makeSource('bulk');
      const document = makeDocument(source, 'A dataset of one thousand and one rows.', { kind: 'dataset_row' });
      const incidents = Array.from({ length: 1001 }, (_, n): Incident => ({
        ...incidentOf(bundleFor({ key: 'bulk' })),
        id: incidentIdFor(`bulk-${n}`),
        mentionIds: [],
        createdAt: AT,
      }));
      await store.saveExtraction({ source, document, mentions: [], incidents, links: [], revisions: [] });

      const big = await store.listIncidents({ limit: 5000 });
      expect(big.items).toHaveLength(1000);
      expect(big.nextCursor).not.toBeNull();
      expect(await store.listIncidents({ limit: 0 })).toMatchObject({ items: [expect.anything()] });
      expect((await store.listIncidents({ limit: -3 })).items).toHaveLength(1);
      expect((await store.listIncidents({ limit: 2.9 })).items).toHaveLength(2);
      expect(await listAll(store, {}, 1000)).toHaveLength(1001);
    });
  });

  describe('revisions and links', () => {
    it('returns revisions oldest first, whatever order they were saved in', async () => {
      const store = await freshStore();
      const bundle = bundleFor({ key: 'revised' });
      const incidentId = incidentOf(bundle).id;
      const revisions = [3, 1, 4, 2].map((revision) => ({ ...bundle.revisions[0]!, revision, reason: `change ${revision}` }));
      await store.saveExtraction({ ...bundle, incidents: [{ ...incidentOf(bundle), revision: 4 }], revisions });

      expect((await store.getRevisions(incidentId)).map((r) => r.revision)).toEqual([1, 2, 3, 4]);
      expect((await store.getRevisions(incidentId)).map((r) => r.reason)).toEqual(['change 1', 'change 2', 'change 3', 'change 4']);
    });

    it('returns the links of an incident in the order they were saved, and only its own', async () => {
      const store = await freshStore();
      const one = bundleFor({ key: 'links-one', mentions: 3 });
      const two = bundleFor({ key: 'links-two', mentions: 2 });
      await saveAll(store, [{ ...one, links: [...one.links].reverse() }, two]);

      expect(await store.getLinks(incidentOf(one).id)).toStrictEqual([...one.links].reverse());
      expect(await store.getLinks(incidentOf(two).id)).toStrictEqual(two.links);
    });
  });

  describe('health', () => {
    it('answers ping while open, and a store error once closed', async () => {
      const store = await freshStore();
      await expect(store.ping()).resolves.toBeUndefined();

      await store.close();
      await store.close();

      const error = await rejectionOf(store.ping());
      expect(isVigilError(error, 'store')).toBe(true);
      expect(isVigilError(await rejectionOf(store.counts()), 'store')).toBe(true);
      expect(isVigilError(await rejectionOf(store.saveExtraction(bundleFor({ key: 'late' }))), 'store')).toBe(true);
    });
  });

  describe('properties', () => {
    const shared = makeSource('shared/feed.xml', 'feed');
    const universe = [
      bundleFor({ key: 'p1', date: '2024-03-03', country: 'AF', source: shared, perpetrators: [actor('is-khorasan')] }),
      bundleFor({ key: 'p2', date: '2024-03-03', country: 'IQ', source: shared, mentions: 2 }),
      bundleFor({ key: 'p3', date: ['2024-02-01', '2024-03-10'], point: { lat: -18.1, lon: 178.4 } }),
      bundleFor({ key: 'p4', country: 'NG', mentions: 3 }),
      bundleFor({ key: 'p5', date: '2023-11-11', source: makeSource('other.jsonl'), status: 'reviewed' }),
      bundleFor({ key: 'p6', date: '2024-03-03', related: ['i_p1'] }),
    ];

    it('gives the same counts and listing whatever order bundles are saved in, with repeats', async () => {
      const reference = await freshStore();
      await saveAll(reference, universe);
      const counts = await reference.counts();
      const listing = await listAll(reference, {});
      expect(counts).toEqual({ sources: 3, documents: 6, mentions: 9, incidents: 6 });
      expect(listing).toStrictEqual(newestFirst(universe.map(incidentOf)));

      const orders = fc.array(fc.nat({ max: universe.length - 1 }), { maxLength: 8 }).chain((repeats) => {
        const all = [...universe.keys(), ...repeats];
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
      });
      await fc.assert(
        fc.asyncProperty(orders, async (order) => {
          const store = await freshStore();
          try {
            for (const n of order) await store.saveExtraction(universe[n]!);
            expect(await store.counts()).toEqual(counts);
            expect(await listAll(store, {}, 2)).toStrictEqual(listing);
          } finally {
            await store.close();
          }
        }),
        { numRuns: 20 },
      );
    });
  });
});
