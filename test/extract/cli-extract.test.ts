import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerExtract } from '../../src/cli/commands/extract.js';
import type { CliContext } from '../../src/cli/main.js';
import { contractErrors } from './contract-validator.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-extract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function runCli(args: string[]): Promise<{ exit: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const ctx: CliContext = { env: {}, stdout: out.stream, stderr: err.stream, cwd: dir };
  let exit = 0;
  const program = new Command('vigil').exitOverride().configureOutput({ writeOut: (s) => out.stream.write(s), writeErr: (s) => err.stream.write(s) });
  registerExtract(program, ctx, (code) => {
    exit = Math.max(exit, code);
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof Error && 'exitCode' in error)) throw error;
    exit = Number((error as { exitCode: number }).exitCode);
  }
  return { exit, stdout: out.text(), stderr: err.text() };
}

const LINES = [
  JSON.stringify({ id: 'a1', text: 'Gunmen shot dead two police officers in Kabul, Afghanistan, on Friday.', published: '2024-03-11' }),
  '{"id": "broken", "text": ',
  JSON.stringify({ id: 'a3', text: 'Annual figures show a steady rise in the number of reported incidents over the past decade.', published: '2024-03-11' }),
  JSON.stringify({ id: 'a4', text: '' }),
  JSON.stringify({ id: 'a5', text: 'A bomb exploded at a market in Mogadishu, Somalia.', published: 'last week' }),
  JSON.stringify({ text: 'An explosion hit a bus.' }),
  JSON.stringify({ id: 'a7', text: 'A car bomb exploded outside a hotel in Mogadishu, Somalia, killing five people.', published: '2024-02-02T08:30:00Z' }),
];

describe('vigil extract', () => {
  it('writes one aligned output line per input line and reports bad lines', async () => {
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(input, `${LINES.join('\n')}\n`);
    const result = await runCli(['extract', '--input', 'in.jsonl', '--output', 'out.jsonl']);
    expect(result.exit).toBe(1);
    const out = readFileSync(path.join(dir, 'out.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string | null; incidents: unknown[]; error?: string });
    expect(out.map((o) => o.id)).toEqual(['a1', null, 'a3', 'a4', 'a5', null, 'a7']);
    expect(out[0]?.incidents).toHaveLength(1);
    expect(out[1]?.error).toMatch(/^line: not valid JSON/);
    expect(out[2]?.incidents).toEqual([]);
    expect(out[2]?.error).toBeUndefined();
    expect(out[3]?.error).toBe('text: empty');
    expect(out[4]?.error).toMatch(/^published: /);
    expect(out[5]?.error).toMatch(/^id: missing/);
    expect(out[6]?.incidents).toHaveLength(1);
    out.forEach((line, i) => {
      const text = (JSON.parse(LINES[i]?.startsWith('{"id": "broken"') ? '{}' : (LINES[i] ?? '{}')) as { text?: string }).text ?? '';
      expect(contractErrors(line, text.length)).toEqual([]);
    });
    const errors = result.stderr.trim().split('\n');
    expect(errors).toContain('in.jsonl:4: text: empty');
    expect(errors.some((e) => e.startsWith('in.jsonl:2: line: not valid JSON'))).toBe(true);
    expect(errors.some((e) => e.startsWith('in.jsonl:5: published: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('in.jsonl:6: id: missing'))).toBe(true);
    expect(errors[errors.length - 1]).toMatch(/^7 lines, 2 incidents, 4 rejected \(\d+\.\d s\)$/);
  });

  it('exits 0 when every line is good, writing to standard output with -', async () => {
    const input = path.join(dir, 'good.jsonl');
    writeFileSync(input, `${LINES[0] ?? ''}\n${LINES[2] ?? ''}\n`);
    const result = await runCli(['extract', '--input', input, '--output', '-']);
    expect(result.exit).toBe(0);
    const out = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(out.map((o) => o.id)).toEqual(['a1', 'a3']);
  });

  it('documents itself with an example', async () => {
    const result = await runCli(['extract', '--help']);
    expect(result.stdout).toContain('--input');
    expect(result.stdout).toContain('Example:');
    expect(result.stdout).toContain('vigil extract --input reports.jsonl --output incidents.jsonl');
  });

  it('fails cleanly on a missing input file', async () => {
    await expect(runCli(['extract', '--input', 'nope.jsonl', '--output', 'x.jsonl'])).rejects.toThrow(/cannot read nope.jsonl/);
  });
});
