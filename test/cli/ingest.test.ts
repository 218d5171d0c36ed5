import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';

const REPORT_A = `KANO, Nigeria, March 3 (Vigil Test Wire) — Gunmen opened fire on a market in Kano on Monday, killing four traders and wounding nine others, police said. No group has claimed responsibility.`;
const REPORT_B = `KABUL, May 12 (Vigil Test Wire) — A roadside bomb struck a police vehicle in Kabul on Tuesday, killing two officers, the interior ministry said.`;
const REPORT_C = `MOGADISHU, June 2 (Vigil Test Wire) — A car bomb exploded outside a hotel in Mogadishu on Sunday, killing at least seven people. Al-Shabaab claimed responsibility.`;

let dir: string;
let db: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-ingest-'));
  db = path.join(dir, 'test.db');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function documentCount(): Promise<number> {
  const store = await openStore(db);
  try {
    return (await store.counts()).documents;
  } finally {
    await store.close();
  }
}

describe('vigil ingest', () => {
  it('stores good reports, names every bad input with file, line and field, and exits 1', async () => {
    const inbox = path.join(dir, 'inbox');
    await mkdir(inbox);
    await writeFile(path.join(inbox, 'a.txt'), `Title: Market attack in Kano\nPublished: 2025-03-03\n\n${REPORT_A}\n`);
    await writeFile(
      path.join(inbox, 'b.html'),
      `<html><head><title>Bomb in Kabul</title><meta property="article:published_time" content="2025-05-13"></head><body><p>${REPORT_B}</p><script>alert(1)</script></body></html>`,
    );
    const lines = [
      JSON.stringify({ id: 'c', text: REPORT_C, published: '2025-06-02' }),
      '{"id": "broken", "text": "unterminated',
      JSON.stringify({ id: 'no-text', published: '2025-06-02' }),
      JSON.stringify({ id: 'bad-date', text: REPORT_C.replace('seven', 'eight'), published: 'yesterday' }),
    ];
    await writeFile(path.join(inbox, 'c.jsonl'), `${lines.join('\n')}\n`);
    await writeFile(path.join(inbox, 'empty.txt'), '');
    await writeFile(path.join(inbox, 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
    await writeFile(path.join(inbox, 'latin1.txt'), Buffer.from('Attentat \xe0 Paris', 'latin1'));

    const run = await runCli(['ingest', inbox, '--db', db]);

    expect(run.code).toBe(1);
    const jsonl = path.join(inbox, 'c.jsonl');
    expect(run.stderr).toContain(`${jsonl}:2: not valid JSON`);
    expect(run.stderr).toContain(`${jsonl}:3: text: is missing`);
    expect(run.stderr).toContain(`${jsonl}:4: published: is not an ISO 8601 date or date-time`);
    expect(run.stderr).toContain(`${path.join(inbox, 'empty.txt')}: file is empty`);
    expect(run.stderr).toContain(`${path.join(inbox, 'binary.txt')}: looks like a binary file`);
    expect(run.stderr).toContain(`${path.join(inbox, 'latin1.txt')}: is not valid UTF-8`);
    expect(run.stderr).toMatch(/9 reports read: 3 stored, 0 already stored, 6 rejected/);
    expect(await documentCount()).toBe(3);
  });

  it('stores a report once however often it is ingested, and keeps what was stored before a bad batch', async () => {
    const good = path.join(dir, 'good.jsonl');
    await writeFile(good, `${JSON.stringify({ id: 'a', text: REPORT_A, published: '2025-03-03' })}\n`);
    expect((await runCli(['ingest', good, '--db', db])).code).toBe(0);

    const again = await runCli(['ingest', good, '--db', db]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('1 reports read: 0 stored, 1 already stored, 0 rejected');

    const bad = path.join(dir, 'bad.jsonl');
    await writeFile(bad, `not json\n${JSON.stringify({ id: 'b', text: REPORT_B, published: '2025-05-13' })}\n`);
    const mixed = await runCli(['ingest', bad, '--db', db]);
    expect(mixed.code).toBe(1);
    expect(await documentCount()).toBe(2);
  });

  it('reports a path that does not exist and goes on with the others', async () => {
    const good = path.join(dir, 'good.txt');
    await writeFile(good, REPORT_B);
    const run = await runCli(['ingest', path.join(dir, 'missing'), good, '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path.join(dir, 'missing')}: no such file or folder`);
    expect(await documentCount()).toBe(1);
  });

  it('explains itself with --help and an example', async () => {
    const run = await runCli(['ingest', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Example:');
    expect(run.stdout).toContain('vigil ingest');
  });
});

describe('vigil demo', () => {
  it('builds a fresh demo database from the bundled reports', async () => {
    const demoDb = path.join(dir, 'demo.db');
    const first = await runCli(['demo', '--no-serve', '--db', demoDb]);
    expect(first.stderr).not.toContain('rejected:');
    expect(first.code).toBe(0);
    const second = await runCli(['demo', '--no-serve', '--db', demoDb]);
    expect(second.code).toBe(0);
    const store = await openStore(demoDb);
    try {
      const counts = await store.counts();
      expect(counts.documents).toBeGreaterThanOrEqual(30);
      expect(counts.incidents).toBeGreaterThanOrEqual(25);
    } finally {
      await store.close();
    }
  });
});

describe('vigil --help', () => {
  it.each([[[]], [['serve']], [['demo']], [['extract']]])('shows usage and an example for %j', async (command) => {
    const run = await runCli([...command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples?:/);
  });
});
