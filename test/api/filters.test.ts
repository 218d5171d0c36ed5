import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import type { Incident } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields } from '../helpers/records.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { allPages, createIncidents, getJson, incidentOf, randomFields, seeded } from './stats-helpers.js';

/*
 * The filters of GET /api/incidents on both stores, each checked against a plain TypeScript reading
 * of the same random incidents; full-text search; formats; and keyset pagination while other
 * incidents are being inserted.
 */

const IS_FAMILY = ['islamic-state', 'is-khorasan', 'is-west-africa', 'is-sahel'];
const CREATED = '2025-06-01T00:00:00.000Z';

/** The expected listing, computed here without the store: filter, then newest first, undated last, then id. */
function expected(incidents: readonly Incident[], keep: (i: Incident) => boolean): string[] {
  return incidents
    .filter(keep)
    .sort((a, b) => {
      const da = a.fields.date?.start ?? '';
      const db = b.fields.date?.start ?? '';
      if (da !== db) return da === '' ? 1 : db === '' ? -1 : da < db ? 1 : -1;
      return a.id < b.id ? -1 : 1;
    })
    .map((i) => i.id);
}

const best = (r: { best: number | null } | null): number | null => r?.best ?? null;

/** The incident's date range overlaps the window (either end may be open). */
const overlaps = (i: Incident, from: string | null, to: string | null): boolean =>
  i.fields.date !== null && (from === null || i.fields.date.end >= from) && (to === null || i.fields.date.start <= to);

/** The incident's point lies in the box (west > east crosses the antimeridian). */
const inBox = (i: Incident, [west, south, east, north]: [number, number, number, number]): boolean => {
  const l = i.fields.location;
  if (l == null || l.lat == null || l.lon == null || l.lat < south || l.lat > north) return false;
  return west <= east ? l.lon >= west && l.lon <= east : l.lon >= west || l.lon <= east;
};

const CASES_IS = (i: Incident): boolean => i.fields.perpetrators.some((p) => p.actorId != null && IS_FAMILY.includes(p.actorId));

const CASES: [string, (i: Incident) => boolean][] = [
  ['actor=islamic-state', (i) => i.fields.perpetrators.some((p) => p.actorId != null && IS_FAMILY.includes(p.actorId))],
  ['actor=islamic-state&subgroups=false', (i) => i.fields.perpetrators.some((p) => p.actorId === 'islamic-state')],
  ['actor=islamic-state&attribution=claimed', (i) => i.fields.perpetrators.some((p) => p.actorId != null && IS_FAMILY.includes(p.actorId) && p.attribution === 'claimed')],
  ['attribution=suspected,denied', (i) => i.fields.perpetrators.some((p) => p.actorId != null && (p.attribution === 'suspected' || p.attribution === 'denied'))],
  ['country=ng&admin1=Borno', (i) => i.fields.location?.country === 'NG' && i.fields.location.admin1 === 'Borno'],
  ['attack_type=bombing', (i) => i.fields.attackTypes.includes('bombing')],
  ['attack_type=bombing,armed_assault&country=AF', (i) => i.fields.location?.country === 'AF' && i.fields.attackTypes.some((t) => t === 'bombing' || t === 'armed_assault')],
  ['target_type=business', (i) => i.fields.targetTypes.includes('business')],
  ['weapon_type=chemical', (i) => i.fields.weaponTypes.includes('chemical')],
  ['min_killed=5', (i) => (best(i.fields.killed) ?? -1) >= 5],
  ['min_wounded=8', (i) => (best(i.fields.wounded) ?? -1) >= 8],
  ['min_casualties=12', (i) => (best(i.fields.killed) ?? 0) + (best(i.fields.wounded) ?? 0) >= 12],
  ['from=2024-01-01&to=2024-06-30&min_killed=1', (i) => i.fields.date !== null && i.fields.date.end >= '2024-01-01' && i.fields.date.start <= '2024-06-30' && (best(i.fields.killed) ?? -1) >= 1],
  [
    'bbox=178,-20,-179,-14',
    (i) => {
      const l = i.fields.location;
      return l != null && l.lat != null && l.lon != null && l.lat >= -20 && l.lat <= -14 && (l.lon >= 178 || l.lon <= -179);
    },
  ],
  // Map queries: a box and a window of days (SQLite's space-time R*Tree, PostgreSQL's GiST index).
  ['bbox=68,33,70,35&from=2024-01-01&to=2024-06-30', (i) => inBox(i, [68, 33, 70, 35]) && overlaps(i, '2024-01-01', '2024-06-30')],
  ['bbox=68,33,70,35&from=2024-03-01', (i) => inBox(i, [68, 33, 70, 35]) && overlaps(i, '2024-03-01', null)],
  ['bbox=68,33,70,35&to=2023-06-30', (i) => inBox(i, [68, 33, 70, 35]) && overlaps(i, null, '2023-06-30')],
  ['bbox=178,-20,-179,-14&from=2023-06-01&to=2024-12-31', (i) => inBox(i, [178, -20, -179, -14]) && overlaps(i, '2023-06-01', '2024-12-31')],
  ['bbox=66,30,72,38&from=2024-01-01&to=2024-01-01&actor=islamic-state', (i) => inBox(i, [66, 30, 72, 38]) && overlaps(i, '2024-01-01', '2024-01-01') && CASES_IS(i)],
  ['actor=is-sahel&from=2024-01-01&to=2024-12-31', (i) => i.fields.perpetrators.some((p) => p.actorId === 'is-sahel') && overlaps(i, '2024-01-01', '2024-12-31')],
  ['actor=is-khorasan&attack_type=bombing&min_casualties=1', (i) => i.fields.perpetrators.some((p) => p.actorId === 'is-khorasan') && i.fields.attackTypes.includes('bombing') && (best(i.fields.killed) ?? 0) + (best(i.fields.wounded) ?? 0) >= 1],
];

/**
 * Incidents over several days around the windows of the map cases, in the box: they overlap a
 * window without starting or ending in it.
 */
function longIncidents(): Incident[] {
  const spans: [string, string][] = [
    ['2023-12-20', '2024-01-10'],
    ['2024-06-25', '2024-07-05'],
    ['2023-06-01', '2024-09-30'],
    ['2024-02-27', '2024-03-02'],
    ['2023-06-30', '2023-07-01'],
    ['2023-12-31', '2024-01-01'],
  ];
  return spans.map(([start, end], n) => {
    const fields = randomFields(seeded(500 + n), 500 + n);
    fields.date = { start, end, precision: 'day' };
    fields.location = { name: `Long ${n}`, admin1: 'Kabul', country: 'AF', lat: 33.5 + n * 0.2, lon: 68.5 + n * 0.2, precision: 'city', radiusKm: 10 };
    fields.perpetrators = n % 2 === 0 ? [{ name: 'IS', actorId: 'is-khorasan', attribution: 'claimed', attributedBy: null }] : [];
    return incidentOf(`inc_long_${n}`, fields, CREATED);
  });
}

describe.each([
  { label: 'sqlite', factory: sqliteFactory() },
  { label: 'sqlite, actors probed in date order', factory: sqliteFactory({ actorDriveBelow: 0 }) },
  { label: 'postgres', factory: postgresFactory('filters') },
])('incident filters on $label', ({ factory }) => {
  let store: Store;
  let app: Hono;
  let incidents: Incident[];

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    const rand = seeded(7);
    incidents = [...Array.from({ length: 400 }, (_, n) => incidentOf(`inc_f${String(n).padStart(4, '0')}`, randomFields(rand, n), CREATED)), ...longIncidents()];
    await createIncidents(store, incidents);
    app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  it.each(CASES)('%s gives the incidents a plain reading of the data gives, in order, across pages', async (query, keep) => {
    const want = expected(incidents, keep);
    expect(want.length, 'the random data should exercise this filter').toBeGreaterThan(0);
    expect(want.length).toBeLessThan(incidents.length);
    const got = await allPages(app, `/api/incidents?${query}&limit=23`);
    expect(got.map((i) => i.id)).toEqual(want);
  });

  it('refuses unknown codebook values and bad minimums with 422 naming the field', async () => {
    const bad = await getJson<{ error: { code: string; field: string } }>(app, '/api/incidents?attribution=rumoured', 422);
    expect(bad.error).toMatchObject({ code: 'bad_input', field: 'attribution' });
    expect((await getJson<{ error: { field: string } }>(app, '/api/incidents?attack_type=piracy', 422)).error.field).toBe('attack_type');
    expect((await getJson<{ error: { field: string } }>(app, '/api/incidents?min_killed=-1', 422)).error.field).toBe('min_killed');
    expect((await getJson<{ error: { field: string } }>(app, '/api/incidents?as_of=yesterday', 422)).error.field).toBe('as_of');
  });

  it('streams CSV with a header, one line per incident and the next cursor in a header', async () => {
    const response = await app.request('/api/incidents?country=AF&limit=7&format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]?.startsWith('id,status,title')).toBe(true);
    expect(lines).toHaveLength(8);
    const cursor = response.headers.get('x-next-cursor');
    expect(cursor).not.toBeNull();
    const next = await getJson<{ items: Incident[] }>(app, `/api/incidents?country=AF&limit=7&cursor=${encodeURIComponent(cursor ?? '')}`);
    const want = expected(incidents, (i) => i.fields.location?.country === 'AF');
    expect(next.items.map((i) => i.id)).toEqual(want.slice(7, 14));
  });

  it('gives GeoJSON with the same incidents', async () => {
    const body = await getJson<{ type: string; features: { id?: string; properties: { id: string } }[]; nextCursor: string | null }>(app, '/api/incidents?actor=islamic-state&limit=1000&format=geojson');
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f) => f.properties.id)).toEqual(expected(incidents, CASES[0]![1]));
  });

  it('pages neither skip nor repeat while incidents are inserted between pages', async () => {
    const rand = seeded(99);
    const before = expected(incidents, (i) => i.fields.location?.country === 'NG');
    let added = 0;
    const insertSome = async (): Promise<void> => {
      const batch = Array.from({ length: 5 }, () => {
        const fields = randomFields(rand, 1000 + added);
        if (fields.location !== null) fields.location = { ...fields.location, country: 'NG' };
        return incidentOf(`inc_new_${String(added++).padStart(4, '0')}`, fields, CREATED);
      });
      await createIncidents(store, batch);
    };
    const got = (await allPages(app, '/api/incidents?country=NG&limit=9', insertSome)).map((i) => i.id);
    expect(added).toBeGreaterThan(20);
    expect(new Set(got).size, 'no incident is listed twice').toBe(got.length);
    const listed = new Set(got);
    expect(before.filter((id) => !listed.has(id)), 'every incident there at the start is listed').toEqual([]);
    // The listing is still in order, new incidents included where they fell after the cursor.
    const order = expected([...incidents, ...(await store.getIncidents(got.filter((id) => id.startsWith('inc_new_'))))], (i) => listed.has(i.id));
    expect(got).toEqual(order);
  });

  it('a map query follows an incident moved in place and time by an edit', async () => {
    const url = '/api/incidents?bbox=100,10,102,12&from=2030-01-01&to=2030-12-31';
    const ids = async (): Promise<string[]> => (await getJson<{ items: Incident[] }>(app, url)).items.map((i) => i.id);
    const fields = randomFields(seeded(11), 7000);
    fields.date = { start: '2029-05-01', end: '2029-05-01', precision: 'day' };
    fields.location = { name: 'Elsewhere', admin1: null, country: 'TH', lat: 15, lon: 101, precision: 'city', radiusKm: 10 };
    const moving = incidentOf('inc_moving', fields, CREATED);
    await createIncidents(store, [moving]);
    expect(await ids()).toEqual([]);
    const edit = async (next: Incident, revision: number): Promise<void> => {
      await store.applyChanges({
        writes: [
          {
            incident: { ...next, revision },
            expectedRevision: revision - 1,
            revision: { incidentId: next.id, revision, at: CREATED, by: 'system:test', action: 'edit', before: null, after: { fields: next.fields, mentionIds: [] }, reason: null },
          },
        ],
        links: [],
      });
    };
    const moved = { ...moving, fields: { ...fields, date: { start: '2029-12-30', end: '2030-01-02', precision: 'day' as const }, location: { ...fields.location, lat: 11, lon: 101 } } };
    await edit(moved, 2);
    expect(await ids()).toEqual(['inc_moving']);
    const later = { ...moved, fields: { ...moved.fields, date: { start: '2031-01-01', end: '2031-01-01', precision: 'day' as const } } };
    await edit(later, 3);
    expect(await ids()).toEqual([]);
  });

  it('updated_since lists incidents changed at or after an instant', async () => {
    const later = incidentOf('inc_later', randomFields(seeded(3), 5000), '2025-09-01T00:00:00.000Z');
    await createIncidents(store, [later]);
    const body = await getJson<{ items: Incident[] }>(app, '/api/incidents?updated_since=2025-08-01T00:00:00Z');
    expect(body.items.map((i) => i.id)).toEqual(['inc_later']);
  });
});

describe.each([sqliteFactory(), postgresFactory('filters_q')])('full-text search on $name', (factory) => {
  let store: Store;
  let app: Hono;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    const reports = {
      market: 'GAROWE (Test Wire) — A car bomb exploded near the cattle market, wounding nine traders.',
      checkpoint: 'Gunmen fired on a checkpoint outside the town at dawn; two soldiers were killed.',
      school: 'Unknown attackers set fire to a girls school overnight. No one was hurt, the market stayed closed.',
    };
    for (const [name, text] of Object.entries(reports)) {
      const fields = noFields();
      fields.date = { value: { start: '2025-04-0' + (Object.keys(ids).length + 1), end: '2025-04-0' + (Object.keys(ids).length + 1), precision: 'day' }, evidence: [{ start: 0, end: 5 }], confidence: 0.9 };
      const bundle = bundleOf({ text, published: '2025-04-10', title: `Report about the ${name}` }, fields);
      ids[name] = bundle.incidents[0]!.id;
      await store.saveExtraction(bundle);
    }
    app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  const search = async (q: string): Promise<string[]> =>
    (await getJson<{ items: Incident[] }>(app, `/api/incidents?q=${encodeURIComponent(q)}`)).items.map((i) => i.id).sort();

  it('finds incidents by words of their documents, all words required, titles included', async () => {
    expect(await search('market')).toEqual([ids['market'], ids['school']].sort());
    expect(await search('cattle market')).toEqual([ids['market']]);
    expect(await search('checkpoint')).toEqual([ids['checkpoint']]);
    expect(await search('Report school')).toEqual([ids['school']]);
    expect(await search('submarine')).toEqual([]);
  });

  it('takes operators and quotes in user text as plain words', async () => {
    expect(await search('"market" OR (')).toEqual([]);
    expect(await search('market*')).toEqual([ids['market'], ids['school']].sort());
    expect((await getJson<{ error: { field: string } }>(app, '/api/incidents?q=%22%28%29', 422)).error.field).toBe('q');
  });
});
