import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { importDataset as ImportDataset } from '../../src/pipeline/import.js';
import type { SqliteStore as SqliteStoreClass } from '../../src/store/sqlite/sqlite-store.js';

/*
 * `vigil serve` on a SQLite file answers listings and rollups from read worker threads (the
 * compiled worker: these tests run the built CLI from dist/, as a user does). The same requests
 * with VIGIL_READ_WORKERS=0 (everything on the server's thread) must give the same answers.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'dist');
const load = async <T>(relative: string): Promise<T> => {
  const file = path.join(DIST, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm install does) before the tests`);
  return (await import(pathToFileURL(file).href)) as T;
};

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-serve-workers-'));
const db = path.join(dir, 'vigil.db');
const children: ChildProcess[] = [];

beforeAll(async () => {
  const { importDataset } = await load<{ importDataset: typeof ImportDataset }>('pipeline/import.js');
  const { SqliteStore } = await load<{ SqliteStore: typeof SqliteStoreClass }>('store/sqlite/sqlite-store.js');
  const store = new SqliteStore(db);
  await store.migrate();
  const summary = await importDataset(store, 'acled', path.join(ROOT, 'test', 'datasets', 'fixtures', 'acled.csv'));
  expect(summary.imported).toBeGreaterThan(1);
  await store.close();
});

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `vigil serve` on the store and returns its address and what it printed at start. */
async function serve(env: Record<string, string>): Promise<{ base: string; output: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'vigil.js'), 'serve', '--db', db, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil serve did not start: ${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Vigil is serving (http:\/\/[^/\s]+)\//.exec(output);
      // The read-worker line (if any) is printed right after the address.
      if (url !== null && output.includes('Press Ctrl+C to stop.\n')) {
        setTimeout(() => {
          clearTimeout(timer);
          resolve({ base: url[1] ?? '', output });
        }, 200);
      }
    });
    child.on('exit', (code) => reject(new Error(`vigil serve exited with ${code}: ${output}`)));
  });
}

const READS = [
  'api/incidents?limit=100',
  'api/incidents?limit=2',
  'api/incidents?country=NG&format=geojson',
  'api/stats?group_by=country&rolling=12m&end=2030-12-31',
  'api/stats?group_by=month&from=2020-01-01&to=2031-12-31',
];

async function answers(base: string): Promise<unknown[]> {
  return Promise.all(
    READS.map(async (read) => {
      const response = await fetch(`${base}/${read}`);
      expect(response.status, read).toBe(200);
      return response.json();
    }),
  );
}

describe('vigil serve with read worker threads (compiled code)', () => {
  it('answers listings and rollups from two workers by default, as the server thread alone does', async () => {
    const withWorkers = await serve({});
    expect(withWorkers.output).toContain('Listings and rollups are answered by 2 read worker threads');
    const alone = await serve({ VIGIL_READ_WORKERS: '0' });
    expect(alone.output).not.toContain('read worker threads');
    const a = await answers(withWorkers.base);
    expect(a).toEqual(await answers(alone.base));
    expect((a[0] as { items: unknown[] }).items.length).toBeGreaterThan(1);
    // A bad filter is refused the same way from a worker.
    const bad = await fetch(`${withWorkers.base}/api/stats?group_by=galaxy`);
    expect(bad.status).toBe(422);
  });

  it('refuses a VIGIL_READ_WORKERS that is not a count', async () => {
    await expect(serve({ VIGIL_READ_WORKERS: 'many' })).rejects.toThrow(/VIGIL_READ_WORKERS must be an integer from 0 to 16/);
  });
});
