import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionFields, PlaceRef } from '../../src/core/model.js';
import { incidentFeature } from '../../src/export/geojson.js';
import { exportStore } from '../../src/export/stream.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields } from '../helpers/records.js';
import { storeFactories } from '../store/stores.js';
import { anyIncidentRecord } from './arbitraries.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const decimals = (n: number): number => (Number.isInteger(n) ? 0 : (String(n).split('.')[1] ?? '').replace(/e.*$/, '').length);

/**
 * The RFC 7946 rules a FeatureCollection of points breaks, as messages (none for a valid one):
 * section 3.1.1 positions, 3.1.2 Point, 3.2 Feature, 3.3 FeatureCollection, 4 (WGS 84, no crs),
 * 5 bbox, 7.1 members that must not appear, 11.2 coordinate precision (advice, checked at 6 places).
 */
function rfc7946Errors(value: Json): string[] {
  const errors: string[] = [];
  const walkForCrs = (v: Json, where: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walkForCrs(x, `${where}[${i}]`));
    else if (isObject(v)) {
      if ('crs' in v) errors.push(`${where}: a "crs" member (removed by RFC 7946 section 4)`);
      for (const [k, x] of Object.entries(v)) if (k !== 'properties') walkForCrs(x, `${where}.${k}`);
    }
  };
  walkForCrs(value, '$');
  if (!isObject(value) || value['type'] !== 'FeatureCollection') return [...errors, '$: not a FeatureCollection (3.3)'];
  for (const banned of ['coordinates', 'geometry', 'properties', 'geometries']) if (banned in value) errors.push(`$: FeatureCollection with "${banned}" (7.1)`);
  const features = value['features'];
  if (!Array.isArray(features)) return [...errors, '$: "features" is not an array (3.3)'];
  features.forEach((feature, i) => {
    const at = `features[${i}]`;
    if (!isObject(feature) || feature['type'] !== 'Feature') return void errors.push(`${at}: not a Feature (3.2)`);
    if (!('geometry' in feature)) errors.push(`${at}: no "geometry" member (3.2)`);
    if (!('properties' in feature)) errors.push(`${at}: no "properties" member (3.2)`);
    if ('properties' in feature && feature['properties'] !== null && !isObject(feature['properties'])) errors.push(`${at}: properties neither object nor null (3.2)`);
    if ('id' in feature && typeof feature['id'] !== 'string' && typeof feature['id'] !== 'number') errors.push(`${at}: id neither string nor number (3.2)`);
    for (const banned of ['coordinates', 'geometries', 'features']) if (banned in feature) errors.push(`${at}: Feature with "${banned}" (7.1)`);
    const geometry = feature['geometry'];
    if (geometry === null || geometry === undefined) return;
    if (!isObject(geometry) || geometry['type'] !== 'Point') return void errors.push(`${at}.geometry: not a Point`);
    for (const banned of ['geometry', 'properties', 'features']) if (banned in geometry) errors.push(`${at}.geometry: Point with "${banned}" (7.1)`);
    const position = geometry['coordinates'];
    if (!Array.isArray(position) || position.length < 2 || position.length > 3 || !position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return void errors.push(`${at}.geometry: coordinates are not a position [lon, lat] (3.1.1)`);
    }
    const [lon, lat] = position as number[];
    if (lon! < -180 || lon! > 180) errors.push(`${at}.geometry: longitude ${lon} outside -180..180 (4)`);
    if (lat! < -90 || lat! > 90) errors.push(`${at}.geometry: latitude ${lat} outside -90..90 (4)`);
    if (position.some((n) => decimals(n as number) > 6)) errors.push(`${at}.geometry: more than 6 decimal places (11.2)`);
    if ('bbox' in geometry || 'bbox' in feature) errors.push(`${at}: a bbox on a point adds nothing`);
  });
  return errors;
}

function fieldsAt(day: string, place: PlaceRef | null): MentionFields {
  const f = noFields();
  const evidence = [{ start: 0, end: 6 }];
  f.date = { value: { start: day, end: day, precision: 'day' }, evidence, confidence: 0.9 };
  if (place !== null) f.location = { value: place, evidence, confidence: 0.9 };
  f.attackTypes = [{ value: 'bombing', evidence, confidence: 0.9 }];
  return f;
}

const PLACES: Array<PlaceRef | null> = [
  { name: 'Gao', admin1: 'Gao', country: 'ML', lat: 16.2719273456789, lon: -0.0445912345678, precision: 'city', radiusKm: 10 },
  { name: 'Near the date line', country: 'FJ', lat: -16.5, lon: 179.9999999, precision: 'exact', radiusKm: 1 },
  { admin1: 'Borno', country: 'NG', lat: null, lon: null, precision: 'admin1', radiusKm: 150 },
  // A country-precision place that still carries a centroid: no point is written for it.
  { country: 'SO', lat: 5.15, lon: 46.2, precision: 'country', radiusKm: 1000 },
  null,
];

describe('rfc7946Errors', () => {
  it('finds each rule a broken collection breaks', () => {
    const point = (coordinates: Json): JsonObject => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: {} });
    expect(rfc7946Errors({ type: 'FeatureCollection', features: [point([13.1, 11.8])] })).toEqual([]);
    expect(rfc7946Errors({ type: 'FeatureCollection', crs: { type: 'name' }, features: [] })[0]).toContain('"crs"');
    expect(rfc7946Errors({ type: 'FeatureCollection', features: [point([11.8, 193.1])] })[0]).toContain('latitude 193.1');
    expect(rfc7946Errors({ type: 'FeatureCollection', features: [point([13.1234567, 11.8])] })[0]).toContain('6 decimal places');
    expect(rfc7946Errors({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null }] })[0]).toContain('no "properties"');
    expect(rfc7946Errors({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: null, id: true }] })[0]).toContain('id neither');
  });
});

describe('incidentFeature', () => {
  it('gives a valid RFC 7946 feature for any incident', () => {
    fc.assert(
      fc.property(fc.array(anyIncidentRecord, { maxLength: 5 }), (records) => {
        const collection = JSON.parse(JSON.stringify({ type: 'FeatureCollection', features: records.map((r) => incidentFeature(r.incident)) })) as Json;
        expect(rfc7946Errors(collection)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(storeFactories('export_geojson'))('GeoJSON export on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    for (const [i, place] of PLACES.entries()) {
      await store.saveExtraction(bundleOf({ text: `Report ${i}: a bomb exploded.` }, fieldsAt(`2031-08-0${i + 1}`, place)));
    }
  });
  afterAll(() => factory.cleanup());

  const geojson = async (filter = {}, pageSize?: number): Promise<Json> => {
    let text = '';
    for await (const chunk of exportStore(store, filter, 'geojson', { pageSize })) text += chunk;
    return JSON.parse(text) as Json;
  };

  it('is a valid RFC 7946 FeatureCollection, streamed page by page', async () => {
    const collection = await geojson({}, 2);
    expect(rfc7946Errors(collection)).toEqual([]);
    expect((collection as { features: unknown[] }).features).toHaveLength(PLACES.length);
  });

  it('writes [longitude, latitude] at 6 decimal places, and null geometry where there is no point', async () => {
    const { features } = (await geojson()) as { features: Array<{ geometry: { coordinates: number[] } | null; properties: { date: string; precision: string | null } }> };
    const byDay = new Map(features.map((f) => [f.properties.date, f]));
    expect(byDay.get('2031-08-01')?.geometry?.coordinates).toEqual([-0.044591, 16.271927]);
    expect(byDay.get('2031-08-02')?.geometry?.coordinates).toEqual([180, -16.5]);
    expect(byDay.get('2031-08-03')?.geometry).toBeNull();
    expect(byDay.get('2031-08-04')?.geometry).toBeNull();
    expect(byDay.get('2031-08-04')?.properties.precision).toBe('country');
    expect(byDay.get('2031-08-05')?.geometry).toBeNull();
  });

  it('applies the bbox filter to points only', async () => {
    const { features } = (await geojson({ bbox: [-5, 10, 5, 20] })) as { features: unknown[] };
    expect(features).toHaveLength(1);
  });
});
