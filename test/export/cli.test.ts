import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionFields } from '../../src/core/model.js';
import { GTD_COLUMNS } from '../../src/export/gtd.js';
import { exportStore } from '../../src/export/stream.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { bundleOf, noFields } from '../helpers/records.js';

let dir: string;
let db: string;
let store: Store;
let undatedId: string;

function fields(day: string | null, actor: { name: string; actorId: string | null } | null, lat: number, lon: number): MentionFields {
  const f = noFields();
  const evidence = [{ start: 0, end: 6 }];
  if (day !== null) f.date = { value: { start: day, end: day, precision: 'day' }, evidence, confidence: 0.9 };
  f.location = { value: { name: 'Somewhere', country: 'NE', lat, lon, precision: 'city', radiusKm: 10 }, evidence, confidence: 0.9 };
  if (actor !== null) f.perpetrators = [{ value: { ...actor, attribution: 'claimed', attributedBy: actor.name }, evidence, confidence: 0.9 }];
  f.attackTypes = [{ value: 'armed_assault', evidence, confidence: 0.9 }];
  f.killed = { value: { low: 2, best: 2, high: null, kind: 'reported' }, evidence, confidence: 0.9 };
  return f;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-export-cli-'));
  db = path.join(dir, 'cli.db');
  store = await openStore(db);
  await store.saveExtraction(bundleOf({ text: 'Report A: JNIM fighters attacked a post.' }, fields('2031-09-01', { name: 'JNIM', actorId: 'jnim' }, 14.2, 1.45)));
  await store.saveExtraction(bundleOf({ text: 'Report B: ISGS fighters attacked a village.' }, fields('2031-09-02', { name: 'ISGS', actorId: 'is-sahel' }, 15.1, 0.9)));
  await store.saveExtraction(bundleOf({ text: 'Report C: gunmen attacked a market.' }, fields('2031-09-03', null, 13.5, 2.1)));
  const undated = bundleOf({ text: 'Report D: an attack, date unknown.' }, fields(null, null, 13.6, 2.2));
  await store.saveExtraction(undated);
  undatedId = undated.incidents[0]!.id;
});

afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('vigil export formats', () => {
  it('lists every format in its help', async () => {
    const run = await runCli(['export', '--help']);
    expect(run.code).toBe(0);
    for (const format of ['csv', 'geojson', 'jsonl', 'stix', 'acled', 'gtd']) expect(run.stdout).toMatch(new RegExp(`^  ${format} `, 'm'));
  });

  it('writes a STIX bundle to a file, with the actor filter of the API', async () => {
    const out = path.join(dir, 'jnim.stix.json');
    const run = await runCli(['export', '--db', db, '--format', 'stix', '--actor', 'jnim', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const bundle = JSON.parse(await readFile(out, 'utf8')) as { type: string; objects: Array<{ type: string; name?: string }> };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o) => o.type === 'incident')).toHaveLength(1);
    expect(bundle.objects.filter((o) => o.type === 'threat-actor').map((o) => o.name)).toEqual(['Jamaat Nusrat al-Islam wal Muslimin']);
  });

  it('points incidents at their places with targets for OpenCTI when asked', async () => {
    const relationships = async (args: string[]) => {
      const run = await runCli(['export', '--db', db, '--format', 'stix', '--actor', 'jnim', ...args]);
      expect(run.code, run.stderr).toBe(0);
      const bundle = JSON.parse(run.stdout) as { objects: Array<{ type: string; relationship_type?: string; target_ref?: string }> };
      return bundle.objects.filter((o) => o.type === 'relationship' && o.target_ref?.startsWith('location--')).map((o) => o.relationship_type);
    };
    expect(await relationships([])).toEqual(['located-at']);
    expect(await relationships(['--stix-location-relationship', 'targets'])).toEqual(['targets']);
    const bad = await runCli(['export', '--db', db, '--format', 'stix', '--stix-location-relationship', 'near']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stix-location-relationship: unknown relationship "near"');
  });

  it('writes GTD-shaped CSV to standard output and reports the incidents it cannot write', async () => {
    const run = await runCli(['export', '--db', db, '--format', 'gtd']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(GTD_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    expect(run.stderr).toBe(`vigil export: 1 incident(s) not written as gtd: 1 because it has no date, and a GTD row needs iyear (the first: ${undatedId})\n`);
  });

  it('writes ACLED-shaped CSV with the date and bbox filters', async () => {
    const run = await runCli(['export', '--db', db, '--format', 'acled', '--from', '2031-09-02', '--bbox', '0,14,2,16']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',2031-09-02,2031,1,Battles,Armed clash,ISGS,');
  });

  it('writes the file whole or not at all, and names an output it cannot write', async () => {
    const out = path.join(dir, 'all.gtd.csv');
    const run = await runCli(['export', '--db', db, '--format', 'gtd', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(out, 'utf8')).split('\r\n')[0]).toBe(GTD_COLUMNS.join(','));
    expect(await readdir(dir)).not.toContain('all.gtd.csv.partial');
    const bad = await runCli(['export', '--db', db, '--format', 'gtd', '-o', path.join(dir, 'no-such-folder', 'x.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^vigil: output: cannot write .*no-such-folder.*x\.csv/);
  });

  it('names a bad filter', async () => {
    const run = await runCli(['export', '--db', db, '--format', 'stix', '--bbox', '10,20,30']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--bbox: expected west,south,east,north in degrees');
    const status = await runCli(['export', '--db', db, '--format', 'gtd', '--status', 'guessed']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status');
  });
});

describe('streaming', () => {
  it('writes the first incidents before it reads the next page', async () => {
    const pages: number[] = [];
    const listIncidents: Store['listIncidents'] = async (filter) => {
      const page = await store.listIncidents(filter);
      pages.push(page.items.length);
      return page;
    };
    const counting = new Proxy(store, {
      get(target, property) {
        if (property === 'listIncidents') return listIncidents;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const newest = { gtd: /,2031,9,3,/, stix: /2031-09-03/, geojson: /"2031-09-03"/ };
    for (const format of ['gtd', 'stix', 'geojson'] as const) {
      pages.length = 0;
      const chunks = exportStore(counting, {}, format, { pageSize: 1 });
      let text = '';
      while (!newest[format].test(text)) {
        const next = await chunks.next();
        if (next.done === true) throw new Error(`${format}: the newest incident never came`);
        text += next.value;
      }
      expect(pages, format).toEqual([1]);
      await chunks.return(undefined);
    }
  });
});
