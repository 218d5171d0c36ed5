import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('vigil sources and vigil watch', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-sources-cli-'));
  const db = path.join(dir, 'vigil.db');
  const inbox = path.join(dir, 'inbox');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a folder, polls it once, lists its health and removes it', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inbox);
    writeFileSync(path.join(inbox, 'one.txt'), 'Title: Checkpoint attack\nPublished: 2024-04-02\n\nGunmen attacked a checkpoint near Ramadi, Iraq, killing two soldiers.');
    const added = await runCli(['sources', 'add', 'folder', inbox, '--db', db, '--interval', '1m']);
    expect(added.code).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^src_/);
    const watched = await runCli(['watch', '--once', '--db', db]);
    expect(watched.code).toBe(0);
    expect(watched.stderr).toMatch(/ok, 1 new: 1 stored/);
    const listed = await runCli(['sources', 'list', '--json', '--db', db]);
    const [source] = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; state: { itemsSeen: number; failures: number } });
    expect(source).toMatchObject({ id, state: { itemsSeen: 1, failures: 0 } });
    expect((await runCli(['sources', 'remove', id, '--db', db])).code).toBe(0);
    expect((await runCli(['sources', 'remove', id, '--db', db])).code).toBe(1);
  });

  it('refuses an unknown kind and a duplicate with a clear message', async () => {
    const bad = await runCli(['sources', 'add', 'radio', 'x', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown source kind');
    await runCli(['sources', 'add', 'feed', 'https://news.example/rss', '--db', db]);
    const again = await runCli(['sources', 'add', 'feed', 'https://news.example/rss', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already watched');
  });
});
