import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/export/csv.js';
import { allIncidents, exportIncidents } from '../../src/export/stream.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { bundleOf, noFields } from '../helpers/records.js';

let dir: string;
let db: string;
let store: Store;

function fieldsAt(day: string, place: { name: string | null; country: string; lat: number | null; lon: number | null; precision: 'city' | 'admin1' }) {
  const fields = noFields();
  const evidence = [{ start: 0, end: 4 }];
  fields.date = { value: { start: day, end: day, precision: 'day' }, evidence, confidence: 0.9 };
  fields.location = { value: { ...place, admin1: place.precision === 'admin1' ? 'Borno' : null }, evidence, confidence: 0.9 };
  fields.killed = { value: { low: 3, best: 3, high: null, kind: 'reported' }, evidence, confidence: 0.9 };
  fields.perpetrators = [{ value: { name: '=HYPERLINK("x")', attribution: 'suspected' }, evidence, confidence: 0.5 }];
  return fields;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-export-'));
  db = path.join(dir, 'export.db');
  store = await openStore(db);
  for (let day = 1; day <= 7; day += 1) {
    const date = `2025-03-0${day}`;
    const place = day === 4
      ? { name: null, country: 'NG', lat: null, lon: null, precision: 'admin1' as const }
      : { name: `Town "${day}", North`, country: 'NG', lat: 11 + day / 10, lon: 13 + day / 10, precision: 'city' as const };
    await store.saveExtraction(bundleOf({ text: `Report ${day}: gunmen attacked a town.`, published: date }, fieldsAt(date, place)));
  }
});

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('allIncidents', () => {
  it('pages through every incident exactly once', async () => {
    const ids: string[] = [];
    for await (const incident of allIncidents(store, {}, 2)) ids.push(incident.id);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });
});

describe('csvField', () => {
  it('quotes what RFC 4180 requires and disarms spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a "quoted", text')).toBe('"a ""quoted"", text"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});

describe('vigil export', () => {
  it('writes a valid RFC 7946 FeatureCollection with no false points', async () => {
    const out = path.join(dir, 'all.geojson');
    const run = await runCli(['export', '--format', 'geojson', '--db', db, '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const collection = JSON.parse(await readFile(out, 'utf8')) as {
      type: string;
      features: Array<{ type: string; geometry: { type: string; coordinates: [number, number] } | null; properties: { precision: string } }>;
    };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(7);
    for (const feature of collection.features) {
      expect(feature.type).toBe('Feature');
      if (feature.properties.precision === 'admin1') {
        expect(feature.geometry).toBeNull();
      } else {
        const [lon, lat] = feature.geometry!.coordinates;
        expect(feature.geometry!.type).toBe('Point');
        expect(lon).toBeGreaterThanOrEqual(-180);
        expect(lat).toBeLessThanOrEqual(90);
      }
    }
  });

  it('writes CSV to standard output with the same filters as the API', async () => {
    const run = await runCli(['export', '--db', db, '--from', '2025-03-02', '--to', '2025-03-03']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,status,title,date_start/);
    expect(lines).toHaveLength(3);
    expect(run.stdout).toContain('"Town ""3"", North"');
    expect(run.stdout).toContain(`"'=HYPERLINK(""x"") (suspected)"`);
  });

  it('refuses an unknown format or a bad filter, naming it', async () => {
    const badFormat = await runCli(['export', '--db', db, '--format', 'xlsx']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('unknown format "xlsx"');
    const badDate = await runCli(['export', '--db', db, '--from', '03/02/2025']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--from');
  });
});

describe('exportIncidents', () => {
  it('writes an empty but valid collection when nothing matches', async () => {
    let text = '';
    for await (const chunk of exportIncidents(allIncidents(store, { country: 'FJ' }), 'geojson')) text += chunk;
    expect(JSON.parse(text)).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
