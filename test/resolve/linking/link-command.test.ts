import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerLink, runLink } from '../../../src/cli/commands/link.js';

function line(id: string, source: string, location: string, killed: number, date = '2018-03-01'): string {
  return JSON.stringify({ id, source, date, date_end: null, date_precision: 'day', country: 'AF', admin1: null, location, perpetrator: 'Taliban', attack_type: 'Bombing', killed, killed_perpetrators: null, wounded: null, description: `A bomb in ${location}.` });
}

async function collect(stream: PassThrough): Promise<string> {
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => stream.on('end', resolve));
  return out;
}

describe('vigil link', () => {
  it('writes one cluster line per good record in input order and reports bad lines as FILE:LINE: field: reason', async () => {
    const input = Readable.from([
      `${line('a', 'wire', 'Ghazni, Afghanistan', 5)}\n`,
      'not json\n',
      `${line('b', 'dataset', 'Ghazni', 5)}\n`,
      `${JSON.stringify({ id: 'c', source: 'x', date: 'yesterday' })}\n`,
      `${line('d', 'dataset', 'Herat', 40)}\n`,
    ]);
    const output = new PassThrough();
    const stderr = new PassThrough();
    const written = collect(output);
    const errors = collect(stderr);
    const summary = await runLink(input, output, stderr, 'in.jsonl', null);
    output.end();
    stderr.end();
    const lines = (await written).trim().split('\n').map((l) => JSON.parse(l) as { id: string; cluster: string });
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'd']);
    expect(lines[0]?.cluster).toBe(lines[1]?.cluster);
    expect(lines[2]?.cluster).toBe('d');
    expect(summary).toMatchObject({ records: 3, rejected: 2, clusters: 2 });
    const reported = (await errors).trim().split('\n');
    expect(reported[0]).toMatch(/^in\.jsonl:2: line: not valid JSON/);
    expect(reported[1]).toMatch(/^in\.jsonl:4: date: "yesterday" is not an ISO date/);
  });

  it('has help with an example', () => {
    const program = new Command('vigil').exitOverride();
    let help = '';
    program.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
    registerLink(program, { env: {}, stdout: new PassThrough(), stderr: new PassThrough(), cwd: '/' }, () => undefined);
    expect(() => program.parse(['link', '--help'], { from: 'user' })).toThrow();
    expect(help).toMatch(/--input <file>/);
    expect(help).toMatch(/vigil link --input records\.jsonl --output clusters\.jsonl/);
  });
});
