import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import type { Incident } from '../../src/core/model.js';
import { editIncident, mergeIncidents, rejectIncident } from '../../src/store/review.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields, spanOf } from '../helpers/records.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { getJson } from './stats-helpers.js';

/*
 * as_of: a figure computed at T is the same when recomputed later with as_of=T, after edits,
 * merges, rejections and new incidents; incidents created after T are absent, and changed ones
 * read as they were.
 */

interface Report {
  text: string;
  day: string;
  country: string;
  admin1: string;
  lat: number;
  lon: number;
  killed: number;
  actor: string;
}

const REPORTS: Report[] = [
  { text: 'A suicide bomber struck a mosque in Jalalabad, killing 4 worshippers. Islamic State Khorasan Province claimed it.', day: '2025-03-02', country: 'AF', admin1: 'Nangarhar', lat: 34.43, lon: 70.45, killed: 4, actor: 'is-khorasan' },
  { text: 'Islamic State Khorasan Province claimed a bombing of a mosque in Jalalabad that killed 6 people.', day: '2025-03-02', country: 'AF', admin1: 'Nangarhar', lat: 34.44, lon: 70.46, killed: 6, actor: 'is-khorasan' },
  { text: 'Gunmen killed 9 villagers near Gao; JNIM claimed responsibility.', day: '2025-04-10', country: 'ML', admin1: 'Gao', lat: 16.27, lon: -0.04, killed: 9, actor: 'jnim' },
  { text: 'Islamic State West Africa Province claimed an attack on a base in Borno that killed 3 soldiers.', day: '2025-05-20', country: 'NG', admin1: 'Borno', lat: 11.85, lon: 13.16, killed: 3, actor: 'is-west-africa' },
];
const LATE: Report = { text: 'Islamic State West Africa Province claimed a raid in Yobe that killed 7.', day: '2025-05-25', country: 'NG', admin1: 'Yobe', lat: 12.0, lon: 11.5, killed: 7, actor: 'is-west-africa' };

function bundle(report: Report, at: string) {
  const fields = noFields();
  const all = { start: 0, end: report.text.length };
  fields.date = { value: { start: report.day, end: report.day, precision: 'day' }, evidence: [all], confidence: 0.9 };
  fields.location = { value: { name: 'somewhere', admin1: report.admin1, country: report.country, lat: report.lat, lon: report.lon, precision: 'city', radiusKm: 10 }, evidence: [all], confidence: 0.9 };
  fields.killed = { value: { low: report.killed, best: report.killed, high: report.killed, kind: 'reported' }, evidence: [spanOf(report.text, `${report.killed}`)], confidence: 0.9 };
  fields.attackTypes = [{ value: 'bombing', evidence: [all], confidence: 0.9 }];
  fields.perpetrators = [{ value: { name: report.actor, actorId: report.actor, attribution: 'claimed' }, evidence: [all], confidence: 0.9 }];
  return bundleOf({ text: report.text, published: report.day }, fields, at);
}

const T0 = '2025-06-01T00:00:00.000Z';
const T1 = '2025-06-15T00:00:00.000Z';
const QUERIES = [
  '/api/stats?from=2025-01-01&to=2025-12-31&group_by=country',
  '/api/stats?actor=islamic-state&attribution=claimed&rolling=12m&end=2025-06-30&group_by=actor',
  '/api/stats?rolling=6m&end=2025-06-30&group_by=admin1&min_killed=5',
];

type ListBody = { items: Incident[]; nextCursor: string | null };
const comparable = (i: Incident) => ({ id: i.id, status: i.status, fields: i.fields, mentionIds: i.mentionIds, mergedInto: i.mergedInto ?? null, revision: i.revision });
const withoutAsOf = (body: Record<string, unknown>) => ({ ...body, asOf: null });

describe.each([sqliteFactory(), postgresFactory('as_of')])('as_of on $name', (factory) => {
  let store: Store;
  let app: Hono;
  let ids: string[];
  let lateId: string;
  const atT1: { stats: unknown[]; list: ListBody | null; first: Incident | null } = { stats: [], list: null, first: null };

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    const bundles = REPORTS.map((r) => bundle(r, T0));
    ids = bundles.map((b) => b.incidents[0]!.id);
    for (const b of bundles) await store.saveExtraction(b);
    app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });

    // What was published at T1 (nothing changed between T0 and T1).
    for (const q of QUERIES) atT1.stats.push(await getJson(app, q));
    atT1.list = await getJson<ListBody>(app, '/api/incidents?limit=100');
    atT1.first = (await getJson<{ incident: Incident }>(app, `/api/incidents/${ids[0]}`)).incident;

    // Later: an edit, a merge, a rejection and a new report.
    const [a, b, c] = ids as [string, string, string];
    await editIncident(store, { id: a, revision: 1, field: 'killed', value: { low: 10, best: 12, high: 15 }, by: 'analyst', reason: 'the ministry gave 12', at: '2025-07-01T00:00:00.000Z' });
    await mergeIncidents(store, { survivor: { id: a, revision: 2 }, absorbed: [{ id: b, revision: 1 }], by: 'analyst', reason: 'same attack', at: '2025-07-02T00:00:00.000Z' });
    await rejectIncident(store, { id: c, revision: 1, by: 'analyst', reason: 'duplicate of a dataset row', at: '2025-07-03T00:00:00.000Z' });
    const late = bundle(LATE, '2025-07-04T00:00:00.000Z');
    lateId = late.incidents[0]!.id;
    await store.saveExtraction(late);
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  it('the data did change after T1 (else the test proves nothing)', async () => {
    for (const [k, q] of QUERIES.entries()) expect(await getJson(app, q), q).not.toEqual(atT1.stats[k]);
    expect((await getJson<ListBody>(app, '/api/incidents?limit=100')).items.map(comparable)).not.toEqual(atT1.list?.items.map(comparable));
  });

  it('recomputes every figure published at T1 exactly with as_of=T1', async () => {
    for (const [k, q] of QUERIES.entries()) {
      const again = await getJson<Record<string, unknown>>(app, `${q}&as_of=${T1}`);
      expect(again.asOf).toBe(T1);
      expect(withoutAsOf(again), q).toEqual(atT1.stats[k]);
    }
  });

  it('lists incidents as they were at T1: the later one absent, the merged one separate, the edited one unedited', async () => {
    const past = await getJson<ListBody>(app, `/api/incidents?limit=100&as_of=${T1}`);
    expect(past.items.map(comparable)).toEqual(atT1.list?.items.map(comparable));
    expect(past.items.map((i) => i.id)).not.toContain(lateId);
    const paged = [
      ...(await getJson<ListBody>(app, `/api/incidents?limit=2&as_of=${T1}`)).items,
      ...(await getJson<ListBody>(app, `/api/incidents?limit=2&as_of=${T1}&cursor=${(await getJson<ListBody>(app, `/api/incidents?limit=2&as_of=${T1}`)).nextCursor}`)).items,
    ];
    expect(paged.map((i) => i.id)).toEqual(past.items.map((i) => i.id));
  });

  it('filters as of a moment with the live semantics: actor sub-groups, minimums, text', async () => {
    const is = await getJson<ListBody>(app, `/api/incidents?actor=islamic-state&min_killed=5&as_of=2025-07-01T12:00:00Z`);
    // After the edit (A: 12 killed), before the merge (B: 6 killed, still on its own).
    expect(is.items.map((i) => i.id).sort()).toEqual([ids[0], ids[1]].sort());
    const text = await getJson<ListBody>(app, `/api/incidents?q=Jalalabad&as_of=2025-07-02T12:00:00Z`);
    expect(text.items.map((i) => i.id)).toEqual([ids[0]]);
  });

  it('gives one incident as it stood, and 404 before it existed', async () => {
    const past = await getJson<{ incident: Incident; revisions: unknown[] }>(app, `/api/incidents/${ids[0]}?as_of=${T1}`);
    expect(comparable(past.incident)).toEqual(comparable(atT1.first as Incident));
    expect(past.revisions).toHaveLength(1);
    const now = await getJson<{ incident: Incident }>(app, `/api/incidents/${ids[0]}`);
    expect(now.incident.fields.killed?.best).toBe(12);
    await getJson(app, `/api/incidents/${lateId}?as_of=${T1}`, 404);
    const merged = await getJson<{ incident: Incident }>(app, `/api/incidents/${ids[1]}?as_of=2025-07-02T00:00:00Z`);
    expect(merged.incident.mergedInto).toBe(ids[0]);
  });

  it('as_of now answers as the live query does', async () => {
    const now = new Date(Date.now() + 60_000).toISOString();
    for (const q of QUERIES) expect(withoutAsOf(await getJson(app, `${q}&as_of=${now}`)), q).toEqual(await getJson(app, q));
    const live = await getJson<ListBody>(app, '/api/incidents?limit=100');
    expect((await getJson<ListBody>(app, `/api/incidents?limit=100&as_of=${now}`)).items.map(comparable)).toEqual(live.items.map(comparable));
  });
});
