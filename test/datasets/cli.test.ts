import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerImport } from '../../src/cli/commands/import.js';
import type { CliContext } from '../../src/cli/main.js';
import { fixture, tempFile } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

async function run(args: string[], options: { tty?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = Object.assign(sink(), { isTTY: options.tty === true });
  const ctx: CliContext = { env: {}, stdout, stderr, cwd: dir };
  let code = 0;
  const program = new Command('vigil').exitOverride().configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  registerImport(program, ctx, (c) => (code = Math.max(code, c)));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('vigil import', () => {
  it('imports a file, prints a summary and exits 0; again stores nothing new', async () => {
    const db = path.join(dir, 'a.db');
    const first = await run(['import', 'acled', fixture('acled.csv'), '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/3 rows read: 3 imported, 0 updated \(changed since an earlier release\), 0 already present, 0 rejected/);
    expect(first.stderr).not.toContain('[#');
    const again = await run(['import', 'acled', fixture('acled.csv'), '--db', db]);
    expect(again.stderr).toMatch(/3 rows read: 0 imported, 0 updated .*, 3 already present, 0 rejected/);
  });

  it('reports rejected rows as FILE:LINE: FIELD: reason, writes --rejects, exits 1', async () => {
    const header = readFileSync(fixture('ucdp.csv'), 'utf8').split('\n')[0];
    const file = tempFile('bad-ucdp.csv', `${header}\n9900009,x,2030,1,Clear,9,,,,,,,,,,,,,,,,,,,1,,,,,1,1,,,Syria,,,,1,2030-01-01,2030-01-01,0,0,0,0,1,1,1,,\n`);
    const db = path.join(dir, 'b.db');
    const result = await run(['import', 'ucdp', file, '--db', db, '--rejects', 'rejects.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`rejected: ${file}:2: type_of_violence: 9 is not a UCDP type of violence`);
    expect(result.stderr).toMatch(/1 rows read: 0 imported, 0 updated .*, 0 already present, 1 rejected/);
    expect(readFileSync(path.join(dir, 'rejects.csv'), 'utf8')).toBe(readFileSync(file, 'utf8'));
  });

  it('shows a progress bar on a terminal only, then clears it before the summary', async () => {
    const db = path.join(dir, 'tty.db');
    const result = await run(['import', 'gtd', fixture('gtd-full.csv'), '--db', db], { tty: true });
    expect(result.code).toBe(0);
    const clear = '\r\u001b[2K';
    expect(result.stderr.startsWith(`${clear}importing gtd [${'#'.repeat(24)}] 100% 3 rows, `)).toBe(true);
    expect(result.stderr).toMatch(/100% 3 rows, [\d,]+ rows\/s, 0 rejected/);
    expect(result.stderr).toContain(`${clear}3 rows read: 3 imported`);
  });

  it('has help with an example and refuses unknown datasets', async () => {
    const help = await run(['import', '--help']);
    expect(help.stdout).toContain('$ vigil import gtd');
    expect(help.stdout).toContain('--rejects <file>');
    const bad = await run(['import', 'wiki', fixture('acled.csv')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/'wiki' is invalid .*gtd, acled, ucdp/);
  });
});
