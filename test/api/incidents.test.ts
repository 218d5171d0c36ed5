import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import type { Incident } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields, spanOf } from '../helpers/records.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

const KABUL = `KABUL, May 12 (Test Wire) — A roadside bomb struck a police vehicle in Kabul, killing two officers. Islamic State Khorasan Province claimed the attack.`;
const MAIDUGURI = `MAIDUGURI, Nigeria, March 3 (Test Wire) — Insurgents stormed a village near Maiduguri, killing 11 farmers.`;
const SUVA = `SUVA, Jan 4 (Test Wire) — A man set fire to a government office in Suva. Nobody was hurt.`;
const TAVEUNI = `TAVEUNI, Jan 9 (Test Wire) — An arson attack destroyed a warehouse on Taveuni island.`;
const PROVINCE_ONLY = `Gunmen attacked a convoy somewhere in Borno State on Friday.`;

function kabulFields() {
  const fields = noFields();
  fields.date = { value: { start: '2025-05-12', end: '2025-05-12', precision: 'day' }, evidence: [spanOf(KABUL, 'May 12')], confidence: 0.9 };
  fields.location = {
    value: { name: 'Kabul', admin1: 'Kabul', country: 'AF', lat: 34.5253, lon: 69.1783, precision: 'city', radiusKm: 10 },
    evidence: [spanOf(KABUL, 'Kabul')],
    confidence: 0.9,
  };
  fields.killed = { value: { low: 2, best: 2, high: 2, kind: 'reported' }, evidence: [spanOf(KABUL, 'killing two officers')], confidence: 0.9 };
  fields.attackTypes = [{ value: 'bombing', evidence: [spanOf(KABUL, 'roadside bomb')], confidence: 0.9 }];
  fields.perpetrators = [
    {
      value: { name: 'Islamic State Khorasan Province', actorId: 'is-khorasan', attribution: 'claimed' },
      evidence: [spanOf(KABUL, 'Islamic State Khorasan Province claimed')],
      confidence: 0.9,
    },
  ];
  return fields;
}

function placeFields(text: string, date: string, place: { name: string | null; country: string; lat: number | null; lon: number | null; precision: 'city' | 'admin1' }) {
  const fields = noFields();
  fields.date = { value: { start: date, end: date, precision: 'day' }, evidence: [{ start: 0, end: 5 }], confidence: 0.8 };
  fields.location = { value: { ...place, admin1: null, radiusKm: place.precision === 'city' ? 10 : 150 }, evidence: [{ start: 0, end: 5 }], confidence: 0.8 };
  fields.attackTypes = [{ value: 'armed_assault', evidence: [{ start: 0, end: 5 }], confidence: 0.8 }];
  return fields;
}

describe.each([sqliteFactory(), postgresFactory('api')])('the HTTP API on $name', (factory) => {
  let store: Store;
  let app: Hono;
  let kabulId: string;

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    const kabul = bundleOf({ text: KABUL, published: '2025-05-12', title: 'Bomb hits police in Kabul' }, kabulFields());
    kabulId = kabul.incidents[0]!.id;
    await store.saveExtraction(kabul);
    await store.saveExtraction(bundleOf({ text: MAIDUGURI, published: '2025-03-03' }, placeFields(MAIDUGURI, '2025-03-03', { name: 'Maiduguri', country: 'NG', lat: 11.8464, lon: 13.1603, precision: 'city' })));
    await store.saveExtraction(bundleOf({ text: SUVA, published: '2025-01-04' }, placeFields(SUVA, '2025-01-04', { name: 'Suva', country: 'FJ', lat: -18.1416, lon: 178.4419, precision: 'city' })));
    await store.saveExtraction(bundleOf({ text: TAVEUNI, published: '2025-01-09' }, placeFields(TAVEUNI, '2025-01-09', { name: 'Taveuni', country: 'FJ', lat: -16.85, lon: -179.97, precision: 'city' })));
    await store.saveExtraction(bundleOf({ text: PROVINCE_ONLY, published: '2025-02-07' }, placeFields(PROVINCE_ONLY, '2025-02-07', { name: null, country: 'NG', lat: null, lon: null, precision: 'admin1' })));
    app = createApp({ store, config: loadConfig({}), log: () => undefined });
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  async function getJson<T>(url: string, status = 200): Promise<T> {
    const response = await app.request(url);
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  }

  type ListBody = { items: Incident[]; nextCursor: string | null };

  describe('GET /api/health', () => {
    it('reports the store and its counts', async () => {
      const body = await getJson<{ status: string; store: string; counts: { incidents: number } }>('/api/health');
      expect(body.status).toBe('ok');
      expect(body.store).toBe(factory.name);
      expect(body.counts.incidents).toBe(5);
    });
  });

  describe('GET /api/incidents', () => {
    it('lists incidents newest first', async () => {
      const body = await getJson<ListBody>('/api/incidents');
      expect(body.items.map((i) => i.fields.date?.start)).toEqual(['2025-05-12', '2025-03-03', '2025-02-07', '2025-01-09', '2025-01-04']);
      expect(body.nextCursor).toBeNull();
    });

    it('filters by date window, country and actor', async () => {
      expect((await getJson<ListBody>('/api/incidents?from=2025-03-01&to=2025-03-31')).items.map((i) => i.fields.location?.name)).toEqual(['Maiduguri']);
      expect((await getJson<ListBody>('/api/incidents?country=ng')).items).toHaveLength(2);
      expect((await getJson<ListBody>('/api/incidents?actor=is-khorasan')).items.map((i) => i.id)).toEqual([kabulId]);
    });

    it('filters by a bounding box, also across the antimeridian', async () => {
      expect((await getJson<ListBody>('/api/incidents?bbox=60,29,75,38')).items.map((i) => i.fields.location?.name)).toEqual(['Kabul']);
      const fiji = await getJson<ListBody>('/api/incidents?bbox=177,-20,-179,-15');
      expect(fiji.items.map((i) => i.fields.location?.name).sort()).toEqual(['Suva', 'Taveuni']);
    });

    it('pages with a cursor without skipping or repeating', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/incidents?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const page: ListBody = await getJson<ListBody>(url);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    });

    it('answers GeoJSON with points only where a point is known', async () => {
      const response = await app.request('/api/incidents?format=geojson');
      expect(response.headers.get('content-type')).toContain('application/geo+json');
      const body = (await response.json()) as { type: string; features: Array<{ geometry: { coordinates: number[] } | null; properties: { id: string; precision: string; killed: number | null } }> };
      expect(body.type).toBe('FeatureCollection');
      const kabul = body.features.find((f) => f.properties.id === kabulId);
      expect(kabul?.geometry?.coordinates).toEqual([69.1783, 34.5253]);
      expect(kabul?.properties.killed).toBe(2);
      const provinceOnly = body.features.find((f) => f.properties.precision === 'admin1');
      expect(provinceOnly?.geometry).toBeNull();
    });

    it('rejects bad parameters with 422 naming the field', async () => {
      const bad = await getJson<{ error: { code: string; field: string } }>('/api/incidents?from=2025-13-45', 422);
      expect(bad.error).toMatchObject({ code: 'bad_input', field: 'from' });
      expect((await getJson<{ error: { field: string } }>('/api/incidents?bbox=1,2,3', 422)).error.field).toBe('bbox');
      expect((await getJson<{ error: { field: string } }>('/api/incidents?limit=0', 422)).error.field).toBe('limit');
      expect((await getJson<{ error: { code: string } }>('/api/incidents?colour=red', 422)).error.code).toBe('bad_input');
    });
  });

  describe('GET /api/incidents/:id', () => {
    it('returns the incident with its evidence and source documents', async () => {
      const body = await getJson<{
        incident: Incident;
        mentions: Array<{ documentId: string; fields: { killed?: { evidence: Array<{ start: number; end: number }> } } }>;
        documents: Array<{ id: string; text: string; title: string }>;
        revisions: Array<{ action: string; by: string }>;
      }>(`/api/incidents/${kabulId}`);
      expect(body.incident.fields.killed).toEqual({ low: 2, best: 2, high: 2 });
      expect(body.incident.fields.perpetrators[0]).toMatchObject({ actorId: 'is-khorasan', attribution: 'claimed' });
      const document = body.documents[0]!;
      expect(document.title).toBe('Bomb hits police in Kabul');
      const span = body.mentions[0]!.fields.killed!.evidence[0]!;
      expect(document.text.slice(span.start, span.end)).toBe('killing two officers');
      expect(body.revisions).toEqual([expect.objectContaining({ action: 'create', by: 'system:ingest' })]);
    });

    it('answers 404 with a code for an unknown id', async () => {
      const body = await getJson<{ error: { code: string } }>('/api/incidents/i_nope', 404);
      expect(body.error.code).toBe('not_found');
    });
  });

  describe('the web app', () => {
    it('serves index.html at / with a strict content security policy', async () => {
      const response = await app.request('/');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.text()).toContain('<div');
    });

    it('does not serve files outside the web root', async () => {
      const response = await app.request('/..%2F..%2Fpackage.json');
      expect(response.status).toBe(404);
    });
  });
});
