import path from 'node:path';
import type { Command } from 'commander';
import { createExtractor } from '../../extract/index.js';
import { ingestReports, type IngestSummary } from '../../pipeline/ingest.js';
import { readReportPaths } from '../../sources/report-files.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../main.js';
import { configFrom, formatRejection, openConfiguredStore, progressReporter, withDbOption } from './common.js';

/** Ingests report files and folders into a store, printing every rejection and a summary. */
export async function ingestPaths(store: Store, paths: readonly string[], ctx: CliContext): Promise<IngestSummary> {
  const progress = progressReporter(ctx, 'ingesting');
  const started = Date.now();
  const summary = await ingestReports(store, readReportPaths(paths.map((p) => path.resolve(ctx.cwd, p))), {
    extractor: createExtractor(),
    source: { kind: 'batch', locator: paths.join(' '), name: `files: ${paths.join(', ')}` },
    onProgress: (s) => progress.update(`${s.read} read, ${s.stored} stored, ${s.incidents} incidents, ${s.rejected.length} rejected`),
  });
  progress.done();
  for (const rejection of summary.rejected) ctx.stderr.write(`rejected: ${formatRejection(rejection)}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  ctx.stderr.write(
    `${summary.read} reports read: ${summary.stored} stored, ${summary.duplicates} already stored, ` +
      `${summary.rejected.length} rejected; ${summary.incidents} incidents (${seconds} s)\n`,
  );
  return summary;
}

export function registerIngest(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  withDbOption(
    program
      .command('ingest')
      .description('Read report files or folders (.txt, .html, .jsonl), extract incidents and store them')
      .argument('<paths...>', 'files or folders; folders are read recursively'),
  )
    .addHelpText(
      'after',
      `
Inputs:
  .txt    one report per file; optional header lines (Title:, Published:, URL:, Language:) then a blank line
  .html   one article per file; title and publication time read from the page
  .jsonl  one report per line: {"id", "text", "published", "title", "url", "language"}

Bad inputs are reported as FILE:LINE: FIELD: reason; the rest is ingested, and the exit code is 1.
Ingesting the same report twice stores it once.

Example:
  $ vigil ingest data/demo/reports.jsonl ~/reports/ --db ./vigil.db`,
    )
    .action(async (paths: string[], flags: { db?: string }) => {
      const store = await openConfiguredStore(configFrom(ctx, flags));
      try {
        const summary = await ingestPaths(store, paths, ctx);
        if (summary.rejected.length > 0) setExit(1);
      } finally {
        await store.close();
      }
    });
}
