import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, MentionFields, Perpetrator, PlaceRef } from '../../src/core/model.js';
import { exportRecords, exportStore, type ExportFormat, type SkippedIncident } from '../../src/export/stream.js';
import { importDataset } from '../../src/pipeline/import.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields } from '../helpers/records.js';
import { storeFactories } from '../store/stores.js';
import { ACLED_HEADER, ACLED_ROWS, GTD_HEADER, GTD_ROWS, csvFile } from './fixtures.js';

const NOW = () => new Date('2031-07-01T00:00:00.000Z');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-roundtrip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportText(store: Store, format: ExportFormat, skipped: SkippedIncident[] = []): Promise<string> {
  let text = '';
  for await (const chunk of exportStore(store, {}, format, { onSkip: (s) => skipped.push(s) })) text += chunk;
  return text;
}

async function importText(store: Store, kind: 'gtd' | 'acled', name: string, text: string) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return importDataset(store, kind, file, { now: NOW });
}

/** What a store holds that an import decides: incidents, their mentions and documents (not the file they came from). */
async function contents(store: Store) {
  const out = [];
  for await (const { incident, mentions, documents } of exportRecords(store, {}, { sources: true })) {
    out.push({
      id: incident.id,
      status: incident.status,
      fields: incident.fields,
      mentions: mentions.map((m) => ({ id: m.id, documentId: m.documentId, extractor: m.extractor, fields: m.fields })),
      documents: documents.map((d) => ({ id: d.id, text: d.text, externalId: d.externalId, publishedAt: d.publishedAt, kind: d.kind, title: d.title })),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

const sortedLines = (csv: string): string[] => csv.split('\r\n').sort();

const ev = [{ start: 0, end: 6 }];
const field = <T>(value: T) => ({ value, evidence: ev, confidence: 0.8 });

function place(p: Partial<PlaceRef> & Pick<PlaceRef, 'precision'>): PlaceRef {
  const radius = { exact: 1, city: 10, admin2: 50, admin1: 150, country: 1000 }[p.precision];
  return { name: null, admin1: null, country: null, lat: null, lon: null, radiusKm: radius, placeId: null, ...p };
}

/** Incidents as the extractor makes them from news reports (not from a dataset). */
function newsFields(): MentionFields[] {
  const a = noFields();
  a.date = field({ start: '2031-06-01', end: '2031-06-01', precision: 'day' as const });
  a.location = field(place({ name: 'Maiduguri', admin1: 'Borno', country: 'NG', lat: 11.846, lon: 13.160, precision: 'city' }));
  a.perpetrators = [
    field<Perpetrator>({ name: 'ISWAP', actorId: 'is-west-africa', attribution: 'claimed', attributedBy: 'ISWAP' }),
    field<Perpetrator>({ name: 'Boko Haram', actorId: 'boko-haram', attribution: 'suspected', attributedBy: 'police' }),
  ];
  a.attackTypes = [field('bombing' as const)];
  a.targetTypes = [field('private_citizens' as const)];
  a.weaponTypes = [field('explosives' as const)];
  a.suicide = field(true);
  a.killed = field({ low: 10, best: 12, high: 15, kind: 'reported' as const });
  a.wounded = field({ low: 20, best: 20, high: null, kind: 'reported' as const });

  const b = noFields();
  b.date = field({ start: '2031-06-02', end: '2031-06-08', precision: 'week' as const });
  b.location = field(place({ admin1: 'Mopti', country: 'ML', precision: 'admin1' }));
  b.perpetrators = [field<Perpetrator>({ name: 'JNIM', actorId: 'jnim', attribution: 'attributed', attributedBy: 'officials' })];
  b.attackTypes = [field('armed_assault' as const)];
  b.killed = field({ low: 7, best: 7, high: null, kind: 'reported' as const });

  const c = noFields();
  c.date = field({ start: '2031-05-01', end: '2031-05-31', precision: 'month' as const });
  c.location = field(place({ country: 'SO', precision: 'country' }));
  c.perpetrators = [field<Perpetrator>({ name: 'Al-Shabaab', actorId: 'al-shabaab', attribution: 'denied', attributedBy: 'Al-Shabaab' })];
  c.attackTypes = [field('kidnapping' as const)];

  const undated = noFields();
  undated.location = field(place({ name: 'Kabul', country: 'AF', lat: 34.5281, lon: 69.1723, precision: 'city' }));
  undated.attackTypes = [field('bombing' as const)];
  return [a, b, c, undated];
}

async function storeNews(store: Store): Promise<Incident[]> {
  const made: Incident[] = [];
  for (const [i, fields] of newsFields().entries()) {
    const bundle = bundleOf({ text: `Report ${i}: an invented attack for the export round trip.` }, fields);
    await store.saveExtraction(bundle);
    made.push(...bundle.incidents);
  }
  return made;
}

/** The incidents of a store by the dataset row id they were imported from. */
async function byRowId(store: Store): Promise<Map<string, Incident>> {
  const out = new Map<string, Incident>();
  for await (const { incident, documents } of exportRecords(store, {}, { sources: true })) {
    for (const d of documents) if (d.externalId !== null) out.set(d.externalId.replace(/^\w+:/, ''), incident);
  }
  return out;
}

describe.each(storeFactories('export_roundtrip'))('dataset-shaped export on $name', (factory) => {
  afterAll(() => factory.cleanup());
  const fresh = async (): Promise<Store> => {
    const store = await factory.create();
    await store.migrate();
    return store;
  };

  it.each([
    ['gtd', csvFile(GTD_HEADER, GTD_ROWS), GTD_ROWS.length],
    ['acled', csvFile(ACLED_HEADER, ACLED_ROWS), ACLED_ROWS.length],
  ] as const)('%s: importing the export of an import gives the same store contents, and the same export', async (kind, original, rows) => {
    const first = await fresh();
    const imported = await importText(first, kind, `${kind}-original-${factory.name}.csv`, original);
    expect(imported.rejected).toEqual([]);
    expect(imported.imported).toBe(rows);

    const exported = await exportText(first, kind);
    const second = await fresh();
    const reimported = await importText(second, kind, `${kind}-export-${factory.name}.csv`, exported);
    expect(reimported.rejected).toEqual([]);
    expect(reimported.imported).toBe(rows);

    const before = await contents(first);
    expect(before).toHaveLength(rows);
    expect(await contents(second)).toEqual(before);
    expect(await exportText(second, kind)).toBe(exported);

    // Imported back into the store it came from, the export changes nothing.
    const back = await importText(first, kind, `${kind}-export-again-${factory.name}.csv`, exported);
    expect([back.imported, back.alreadyPresent, back.rejected.length]).toEqual([0, rows, 0]);
    expect(await contents(first)).toEqual(before);
  });

  it('acled: an imported row keeps its own, finer sub-event type and actor type where they still agree with the incident', async () => {
    const store = await fresh();
    await importText(store, 'acled', `acled-own-${factory.name}.csv`, csvFile(ACLED_HEADER, ACLED_ROWS));
    const rows = (await exportText(store, 'acled')).split('\r\n');
    const drone = rows.find((r) => r.includes(',YEM81002,'));
    expect(drone).toContain(',Explosions/Remote violence,Air/drone strike,');
    expect(drone).toContain(',Military Forces of Invented Land,,8,');
    expect(rows.find((r) => r.includes(',XKX81003,'))).toContain(',Protests,Peaceful protest,');
  });

  it('gtd: incidents read from reports keep their key fields through export and import', async () => {
    const first = await fresh();
    const made = await storeNews(first);
    const skipped: SkippedIncident[] = [];
    const exported = await exportText(first, 'gtd', skipped);
    expect(skipped).toEqual([{ incidentId: made[3]?.id, reason: 'it has no date, and a GTD row needs iyear' }]);

    const second = await fresh();
    const summary = await importText(second, 'gtd', `news-${factory.name}.gtd.csv`, exported);
    expect(summary.rejected).toEqual([]);
    expect(summary.imported).toBe(3);
    const back = [...(await byRowId(second)).values()].sort((x, y) => (x.fields.date?.start ?? '').localeCompare(y.fields.date?.start ?? ''));
    const sent = made.slice(0, 3).sort((x, y) => (x.fields.date?.start ?? '').localeCompare(y.fields.date?.start ?? ''));
    expect(back).toHaveLength(3);
    for (const [i, original] of sent.entries()) {
      const o = original.fields;
      const r = back[i]!.fields;
      expect(r.date).toEqual(o.date);
      expect({ ...r.location, placeId: null }).toEqual({ ...o.location, placeId: null });
      expect(r.attackTypes).toEqual(o.attackTypes);
      expect(r.targetTypes).toEqual(o.targetTypes);
      expect(r.weaponTypes).toEqual(o.weaponTypes);
      expect(r.suicide).toEqual(o.suicide);
      expect(r.killed?.best).toEqual(o.killed?.best);
      expect(r.wounded?.best).toEqual(o.wounded?.best);
      // GTD has no "denied": a group that denies is written as uncertain (suspected).
      const attribution = (p: Perpetrator) => (p.attribution === 'denied' ? 'suspected' : p.attribution);
      expect(r.perpetrators.map((p) => [p.name, p.actorId, p.attribution])).toEqual(o.perpetrators.map((p) => [p.name, p.actorId, attribution(p)]));
    }
    // After one trip the export is a fixed point.
    const again = await exportText(second, 'gtd');
    expect(sortedLines(again)).toEqual(sortedLines(exported));
  });

  it('acled: incidents read from reports keep their key fields through export and import', async () => {
    const first = await fresh();
    const made = await storeNews(first);
    const skipped: SkippedIncident[] = [];
    const exported = await exportText(first, 'acled', skipped);
    expect(skipped.map((s) => s.incidentId)).toEqual([made[3]?.id]);

    const second = await fresh();
    const summary = await importText(second, 'acled', `news-${factory.name}.acled.csv`, exported);
    expect(summary.rejected).toEqual([]);
    const back = [...(await byRowId(second)).values()];
    expect(back).toHaveLength(3);
    const find = (start: string) => back.find((i) => i.fields.date?.start === start)!.fields;

    const [a, b, c] = made.map((i) => i.fields);
    const ra = find('2031-06-01');
    expect(ra.date).toEqual(a?.date);
    expect({ ...ra.location, placeId: null }).toEqual({ ...a?.location, placeId: null });
    expect(ra.attackTypes).toEqual(['bombing']);
    expect(ra.weaponTypes).toEqual(['explosives']);
    expect(ra.suicide).toBe(true);
    expect(ra.targetTypes).toEqual(['private_citizens']);
    expect(ra.killed?.best).toBe(12);
    // ACLED has one actor and no claims: the first perpetrator, attributed.
    expect(ra.perpetrators.map((p) => [p.name, p.actorId, p.attribution])).toEqual([['ISWAP', 'is-west-africa', 'attributed']]);

    const rb = find('2031-06-02');
    expect(rb.date).toEqual(b?.date);
    expect(rb.location).toMatchObject({ admin1: 'Mopti', country: 'ML', precision: 'admin1' });
    expect(rb.attackTypes).toEqual(['armed_assault']);
    expect(rb.targetTypes).toEqual([]);
    expect(rb.killed?.best).toBe(7);

    const rc = find('2031-05-01');
    expect(rc.date).toEqual(c?.date);
    // ACLED has no country precision: the place reads back as the country at admin-1 precision, without a point.
    expect(rc.location).toMatchObject({ country: 'SO', precision: 'admin1', lat: null, lon: null });
    expect(rc.attackTypes).toEqual(['kidnapping']);

    const again = await exportText(second, 'acled');
    const third = await fresh();
    await importText(third, 'acled', `news-again-${factory.name}.acled.csv`, again);
    expect(sortedLines(await exportText(third, 'acled'))).toEqual(sortedLines(again));
  });
});
