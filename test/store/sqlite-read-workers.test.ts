import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import type { Incident } from '../../src/core/model.js';
import { SqliteReadWorkers, withReadWorkers } from '../../src/store/sqlite/read-workers.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createIncidents, getJson, incidentOf, randomFields, seeded } from '../api/stats-helpers.js';

// The worker script is TypeScript here: it is bundled to JavaScript first (packages stay imports,
// resolved from the project's node_modules, so the bundle is written inside the project).
let dir: string;
let workerUrl: URL;
let plain: SqliteStore;
let pooled: Store & SqliteStore;
let incidents: Incident[];

beforeAll(async () => {
  mkdirSync(path.resolve('tmp'), { recursive: true });
  dir = mkdtempSync(path.resolve('tmp', 'read-workers-'));
  const file = path.join(dir, 'read-worker.mjs');
  await build({ input: path.resolve('src/store/sqlite/read-worker.ts'), platform: 'node', external: [/^[^./]/], output: { file, format: 'esm' }, logLevel: 'silent' });
  workerUrl = pathToFileURL(file);
  plain = new SqliteStore(path.join(dir, 'store.db'));
  await plain.migrate();
  const rand = seeded(77);
  incidents = Array.from({ length: 300 }, (_, n) => incidentOf(`inc_w${String(n).padStart(4, '0')}`, randomFields(rand, n), '2025-06-01T00:00:00.000Z'));
  await createIncidents(plain, incidents);
  pooled = withReadWorkers(new SqliteStore(path.join(dir, 'store.db')), { workers: 2, workerUrl });
}, 120_000);

afterAll(async () => {
  await pooled?.close();
  await plain?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite read workers', () => {
  const config = loadConfig({ VIGIL_RATE_LIMIT: '0' });

  it('answer listings and rollups exactly as the store on the main thread does', async () => {
    const direct = createApp({ store: plain, config, log: () => undefined });
    const workers = createApp({ store: pooled, config, log: () => undefined });
    const urls = [
      '/api/incidents?limit=50',
      '/api/incidents?actor=islamic-state&limit=20',
      '/api/incidents?bbox=30,0,80,40&from=2015-01-01&to=2024-12-31&limit=500&format=geojson',
      '/api/stats?group_by=actor&rollup=true&from=2010-01-01&to=2025-12-31',
      '/api/stats?group_by=month&from=2015-01-01&to=2024-12-31',
      '/api/stats?actor=islamic-state&attribution=claimed&rolling=12m&end=2024-06-30',
    ];
    const answers = await Promise.all(urls.map((url) => getJson<unknown>(workers, url)));
    for (const [n, url] of urls.entries()) expect(answers[n], url).toEqual(await getJson<unknown>(direct, url));
    expect(((await getJson<{ items: unknown[] }>(workers, '/api/incidents?limit=1000')).items).length).toBe(incidents.length);
  });

  it('see writes made on the main connection, rollups included', async () => {
    const before = await pooled.incidentStats({ filter: {}, from: '1900-01-01', to: '2100-12-31', groupBy: 'none', rollup: false });
    const extra = incidentOf('inc_w_extra', randomFields(seeded(5), 1), '2025-07-01T00:00:00.000Z');
    await createIncidents(pooled, [extra]);
    const after = await pooled.incidentStats({ filter: {}, from: '1900-01-01', to: '2100-12-31', groupBy: 'none', rollup: false });
    expect(after[0]?.incidents).toBe((before[0]?.incidents ?? 0) + (extra.fields.date === null ? 0 : 1));
    const page = await pooled.listIncidents({ limit: 1000 });
    expect(page.items.map((i) => i.id)).toContain('inc_w_extra');
  });

  it('give bad input back as the store\'s own errors (422 through the API), and refuse in-memory databases', async () => {
    const workers = createApp({ store: pooled, config, log: () => undefined });
    const response = await workers.request('/api/incidents?bbox=10,50,20,40');
    expect(response.status).toBe(422);
    await expect(pooled.listIncidents({ limit: 10, bbox: [0, 50, 10, 40] })).rejects.toMatchObject({ name: 'VigilError', code: 'bad_input' });
    expect(() => new SqliteReadWorkers(':memory:', { workerUrl })).toThrow(/database file/);
  });
});
