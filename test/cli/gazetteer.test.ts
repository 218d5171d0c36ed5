import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../../src/gazetteer/index.js';
import { runCli } from '../helpers/cli.js';

describe('vigil gazetteer', () => {
  // The index built at install (or by the first test that needed it) lives in the default cache folder.
  const env = { VIGIL_CACHE_DIR: cacheDir(process.env) };
  const empty = mkdtempSync(path.join(os.tmpdir(), 'vigil-gaz-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('searches places by prefix with precision and radius', async () => {
    const run = await runCli(['gazetteer', 'search', 'Mogadi', '--limit', '3'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^city\s+Mogadishu, .*SO .*±10 km/);
  });

  it('writes JSON lines on request and filters by country', async () => {
    const run = await runCli(['gazetteer', 'search', 'Hyderabad', '--country', 'PK', '--json'], { env });
    expect(run.code).toBe(0);
    const hits = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { country: string });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.country === 'PK')).toBe(true);
  });

  it('rejects a bad --limit naming the flag, and says when nothing matches', async () => {
    const bad = await runCli(['gazetteer', 'search', 'Kabul', '--limit', '0'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('limit');
    const none = await runCli(['gazetteer', 'search', 'Qqqqzzzx'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no place starts with');
  });

  it('reports an index that is not built yet, and one that is', async () => {
    const missing = await runCli(['gazetteer', 'info'], { env: { VIGIL_CACHE_DIR: empty } });
    expect(missing.stdout).toContain('no gazetteer index yet');
    const present = await runCli(['gazetteer', 'build', '--if-missing'], { env });
    expect(present.code).toBe(0);
    expect(present.stdout).toMatch(/up to date|index built/);
  });
});
