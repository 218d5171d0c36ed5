import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { asInput, fixtureExtractor, LINKING_FIXTURE } from './linking-fixtures.js';

describe('vigil review', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-review-cli-'));
  const db = join(dir, 'review.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges, edits, undoes and shows the history, refusing a stale --expect with a conflict', async () => {
    const store = await openStore(db);
    await ingestReports(store, asReadResults(LINKING_FIXTURE.filter((r) => r.attack === 'lyon').map(asInput)), {
      extractor: fixtureExtractor(LINKING_FIXTURE),
      source: { kind: 'batch', locator: 'cli', name: 'cli' },
      linking: false,
    });
    const [a, b] = (await store.listIncidents({ limit: 10 })).items;
    await store.close();
    if (a === undefined || b === undefined) throw new Error('expected two incidents');
    const env = { VIGIL_USER: 'amina' };

    const merge = await runCli(['review', 'merge', a.id, b.id, '--db', db, '--reason', 'one stabbing'], { env });
    expect(merge).toMatchObject({ code: 0, stderr: '' });
    expect(merge.stdout).toContain(`${a.id} r2 reviewed`);
    expect(merge.stdout).toContain(`merged into ${a.id}`);

    const stale = await runCli(['review', 'edit', a.id, 'wounded', '{"low":2,"best":3,"high":3}', '--db', db, '--reason', 'update', '--expect', `${a.id}@1`], { env });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/revision 2, not 1/);

    const edit = await runCli(['review', 'edit', a.id, 'wounded', '{"low":2,"best":3,"high":3}', '--db', db, '--reason', 'update', '--expect', `${a.id}@2`], { env });
    expect(edit.code).toBe(0);
    const badJson = await runCli(['review', 'edit', a.id, 'title', 'no quotes', '--db', db, '--reason', 'x'], { env });
    expect(badJson.stderr).toMatch(/json-value: .*not JSON/);

    expect((await runCli(['review', 'undo', a.id, '--db', db], { env })).code).toBe(0);
    const history = await runCli(['review', 'history', a.id, '--db', db, '--json']);
    expect(history.code).toBe(0);
    const entries = history.stdout.trim().split('\n').map((line) => JSON.parse(line) as { action: string; by: string });
    expect(entries.map((e) => [e.action, e.by])).toEqual([['create', 'system:ingest'], ['merge', 'amina'], ['edit', 'amina'], ['undo', 'amina']]);
    const relink = await runCli(['review', 'relink', '--db', db]);
    expect(relink).toMatchObject({ code: 0, stdout: '' });
    expect(relink.stderr).toMatch(/^0 untouched incidents compared: 0 folded/);
    const text = await runCli(['review', 'history', a.id, '--db', db]);
    expect(text.stdout).toMatch(/r2 .* amina merge — one stabbing/);
  });
});
