import { PassThrough } from 'node:stream';
import { main, type CliContext } from '../../src/cli/main.js';

/** The outcome of one in-process `vigil` run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Runs `vigil ARGS…` in this process, as the binary would, capturing its output. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const ctx: CliContext = { env: options.env ?? {}, stdout, stderr, cwd: options.cwd ?? process.cwd() };
  const code = await main(args, ctx);
  return { code, stdout: out(), stderr: err() };
}
