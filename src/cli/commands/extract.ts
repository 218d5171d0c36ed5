import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { createExtractor, parsePublished, toContractIncident, type ContractIncident, type ExtractInput, type Extractor } from '../../extract/index.js';
import type { CliContext } from '../main.js';

/** Counts of one batch extraction run. */
export interface ExtractSummary {
  lines: number;
  incidents: number;
  rejected: number;
  seconds: number;
}

interface OutputLine {
  id: string | null;
  incidents: ContractIncident[];
  error?: string;
}

/** Reads one input line into an extractor input, or throws a VigilError that names the field. */
export function parseInputLine(raw: string, where: { file: string; line: number }): { id: string; input: ExtractInput } {
  const fail = (field: string, message: string): never => {
    throw new VigilError('bad_input', message, { location: { ...where, field } });
  };
  if (raw.trim() === '') fail('line', 'empty line; expected one JSON object per line');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    fail('line', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('line', 'not a JSON object');
  const obj = value as Record<string, unknown>;
  const rawId = obj.id;
  const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : typeof rawId === 'string' && rawId.trim() !== '' ? rawId : fail('id', 'missing; every line needs a string "id"');
  if (typeof obj.text !== 'string') fail('text', obj.text === undefined ? 'missing; every line needs a "text"' : 'not a string');
  const text = obj.text as string;
  if (text.trim() === '') fail('text', 'empty');
  const published = obj.published;
  if (published !== undefined && published !== null) {
    if (typeof published !== 'string' || parsePublished(published) === null) fail('published', `${JSON.stringify(published)} is not an ISO 8601 date (YYYY-MM-DD) or date-time`);
  }
  const optional = (key: string): string | null => (typeof obj[key] === 'string' ? (obj[key] as string) : null);
  return { id, input: { text, published: (published as string | null | undefined) ?? null, title: optional('title'), language: optional('language') } };
}

/** The id of a line that failed, when it can still be read, so that outputs stay aligned. */
function idOf(raw: string): string | null {
  try {
    const obj = JSON.parse(raw) as unknown;
    if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
      const id = (obj as Record<string, unknown>).id;
      if (typeof id === 'string' && id !== '') return id;
      if (typeof id === 'number' && Number.isFinite(id)) return String(id);
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Runs batch extraction: one output line `{"id", "incidents"}` per input line, in input order. A
 * bad line is reported on `stderr` as `FILE:LINE: field: reason` and still gets an output line
 * with an empty `incidents` array and an `error`.
 */
export async function runExtract(input: Readable, output: Writable, stderr: NodeJS.WritableStream, file: string, extractor: Extractor = createExtractor()): Promise<ExtractSummary> {
  const started = performance.now();
  const summary: ExtractSummary = { lines: 0, incidents: 0, rejected: 0, seconds: 0 };
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const raw of lines) {
    summary.lines++;
    const where = { file, line: summary.lines };
    let out: OutputLine;
    try {
      const { id, input: report } = parseInputLine(raw, where);
      const incidents = extractor.extract(report).map(toContractIncident);
      summary.incidents += incidents.length;
      out = { id, incidents };
    } catch (error) {
      const err = error instanceof VigilError ? error : new VigilError('internal', `extraction failed: ${error instanceof Error ? error.message : String(error)}`, { location: { ...where, field: 'text' } });
      summary.rejected++;
      stderr.write(`${err.describe()}\n`);
      const field = err.location?.field;
      out = { id: idOf(raw), incidents: [], error: `${field === undefined ? '' : `${field}: `}${err.message}` };
    }
    if (!output.write(`${JSON.stringify(out)}\n`)) await once(output, 'drain');
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** Adds `vigil extract`: batch extraction in the JSON Lines format of the extraction contract. */
export function registerExtract(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('extract')
    .description('Extract incidents from reports in JSON Lines (the batch format of the extraction contract), one output line per input line')
    .requiredOption('-i, --input <file>', 'input JSON Lines: {"id", "text", "published", "title", "language"} per line; - for standard input')
    .requiredOption('-o, --output <file>', 'output JSON Lines: {"id", "incidents": [...]} per line, in input order; - for standard output')
    .addHelpText(
      'after',
      `
Each input line gets exactly one output line with the same id. A bad line (not JSON, no id or
text, empty text, invalid published date) is reported on stderr as FILE:LINE: field: reason and
gets {"id": <id or null>, "incidents": [], "error": "..."}; the exit code is then 1.

Example:
  $ vigil extract --input reports.jsonl --output incidents.jsonl
  $ cat reports.jsonl | vigil extract --input - --output - > incidents.jsonl
`,
    )
    .action(async (flags: { input: string; output: string }) => {
      const fromStdin = flags.input === '-';
      const toStdout = flags.output === '-';
      const inputPath = path.resolve(ctx.cwd, flags.input);
      const input: Readable = fromStdin ? process.stdin : createReadStream(inputPath);
      if (!fromStdin) {
        await new Promise<void>((resolve, reject) => {
          (input as ReturnType<typeof createReadStream>).once('open', () => resolve());
          input.once('error', (error) => reject(new VigilError('bad_input', `cannot read ${flags.input}: ${error.message}`, { cause: error })));
        });
      }
      const output: Writable = toStdout ? (ctx.stdout as Writable) : createWriteStream(path.resolve(ctx.cwd, flags.output));
      const summary = await runExtract(input, output, ctx.stderr, fromStdin ? 'stdin' : flags.input);
      if (!toStdout) {
        output.end();
        await once(output, 'finish');
      }
      ctx.stderr.write(`${summary.lines} lines, ${summary.incidents} incidents, ${summary.rejected} rejected (${summary.seconds.toFixed(1)} s)\n`);
      setExit(summary.rejected > 0 ? 1 : 0);
    });
}
