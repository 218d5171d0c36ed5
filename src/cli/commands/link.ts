import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { loadGazetteer, type Gazetteer } from '../../gazetteer/index.js';
import { linkRecordFromEvalRecord, linkRecords, type LinkRecord, type LinkResult } from '../../resolve/linking/index.js';
import type { CliContext } from '../main.js';

/** Counts of one `vigil link` run. */
export interface LinkSummary {
  records: number;
  rejected: number;
  clusters: number;
  linked: number;
  related: number;
  comparisons: number;
  seconds: number;
}

/**
 * Reads records (the linking evaluation format, one JSON object per line), links them and writes
 * `{"id", "cluster"}` per good record in input order. A bad line is reported on `stderr` as
 * `FILE:LINE: field: reason` and left out; the others are linked.
 */
export async function runLink(input: Readable, output: Writable, stderr: NodeJS.WritableStream, file: string, gazetteer: Gazetteer | null = loadGazetteer()): Promise<LinkSummary & { result: LinkResult }> {
  const started = performance.now();
  const records: LinkRecord[] = [];
  const ids = new Set<string>();
  let rejected = 0;
  let line = 0;
  const report = (field: string, reason: string): void => {
    rejected++;
    stderr.write(`${new VigilError('bad_input', reason, { location: { file, line, field } }).describe()}\n`);
  };
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (raw.trim() === '') {
      report('line', 'empty line; expected one JSON object per line');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      report('line', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const read = linkRecordFromEvalRecord(value);
    if ('problem' in read) {
      report(read.problem.field, read.problem.reason);
      continue;
    }
    if (ids.has(read.record.id)) {
      report('id', `${JSON.stringify(read.record.id)} was already used by an earlier line`);
      continue;
    }
    ids.add(read.record.id);
    records.push(read.record);
  }
  const result = linkRecords(records, { gazetteer, explanations: false });
  for (const record of records) {
    if (!output.write(`${JSON.stringify({ id: record.id, cluster: result.clusterOf.get(record.id) ?? record.id })}\n`)) await once(output, 'drain');
  }
  return {
    records: records.length,
    rejected,
    clusters: result.clusters.length,
    linked: result.clusters.filter((c) => c.length > 1).length,
    related: result.related.length,
    comparisons: result.stats.comparisons,
    seconds: (performance.now() - started) / 1000,
    result,
  };
}

/** Adds `vigil link`: groups records that report the same attack into clusters. */
export function registerLink(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  program
    .command('link')
    .description('Link records that report the same attack: one {"id", "cluster"} line per record, in input order')
    .requiredOption('-i, --input <file>', 'input JSON Lines, one record per line: {"id", "source", "date", "date_end", "date_precision", "country", "admin1", "location", "perpetrator", "attack_type", "killed", "killed_perpetrators", "wounded", "description"}; - for standard input')
    .requiredOption('-o, --output <file>', 'output JSON Lines: {"id", "cluster"} per record, in input order; - for standard output')
    .addHelpText(
      'after',
      `
Records are compared only within the same country and a few days of each other, scored on
date, place, casualties, perpetrators, attack type and text cues, and merged best first; two
records of one source stay apart unless near-identical (the parts of a coordinated attack are
distinct incidents). A cluster id is the smallest record id of the cluster. A bad line is
reported on stderr as FILE:LINE: field: reason and left out; the exit code is then 1.

Example:
  $ vigil link --input records.jsonl --output clusters.jsonl
  $ head -2 clusters.jsonl
  {"id":"wire-17","cluster":"dataset-0042"}
  {"id":"dataset-0042","cluster":"dataset-0042"}
`,
    )
    .action(async (flags: { input: string; output: string }) => {
      const fromStdin = flags.input === '-';
      const toStdout = flags.output === '-';
      const input: Readable = fromStdin ? process.stdin : createReadStream(path.resolve(ctx.cwd, flags.input));
      if (!fromStdin) {
        await new Promise<void>((resolve, reject) => {
          (input as ReturnType<typeof createReadStream>).once('open', () => resolve());
          input.once('error', (error) => reject(new VigilError('bad_input', `cannot read ${flags.input}: ${error.message}`, { cause: error })));
        });
      }
      const output: Writable = toStdout ? (ctx.stdout as Writable) : createWriteStream(path.resolve(ctx.cwd, flags.output));
      const summary = await runLink(input, output, ctx.stderr, fromStdin ? 'stdin' : flags.input);
      if (!toStdout) {
        output.end();
        await once(output, 'finish');
      }
      ctx.stderr.write(
        `${summary.records} records, ${summary.clusters} clusters (${summary.linked} with several records), ${summary.related} related pairs, ${summary.comparisons} comparisons, ${summary.rejected} rejected (${summary.seconds.toFixed(1)} s)\n`,
      );
      setExit(summary.rejected > 0 ? 1 : 0);
    });
}
