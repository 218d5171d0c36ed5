import path from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { DATASET_KINDS, type CsvEncoding, type DatasetKind } from '../../datasets/index.js';
import { importDataset, type ImportSummary } from '../../pipeline/import.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../main.js';
import { configFrom, formatRejection, openConfiguredStore, progressReporter, withDbOption } from './common.js';

/** At most this many rejections are printed one per line; `--rejects` keeps them all. */
const PRINTED_REJECTIONS = 200;

const BAR_WIDTH = 24;

/** The progress line of a terminal: a bar when the file's size is known, then counts and speed. */
export function progressLine(s: Readonly<ImportSummary>): string {
  const rate = s.seconds > 0 ? Math.round(s.read / s.seconds) : 0;
  const counts = `${s.read.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s, ${s.rejected.length} rejected`;
  if (s.totalBytes === null || s.totalBytes <= 0) return counts;
  const done = Math.min(1, s.bytes / s.totalBytes);
  const filled = Math.round(done * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(done * 100)}% ${counts}`;
}

/** Imports one dataset file into a store, printing rejections, a progress line on a terminal and a summary. */
export async function importFile(
  store: Store,
  kind: DatasetKind,
  file: string,
  ctx: CliContext,
  options: { rejects?: string; encoding?: CsvEncoding; link?: boolean } = {},
): Promise<ImportSummary> {
  const progress = progressReporter(ctx, `importing ${kind}`);
  const summary = await importDataset(store, kind, path.resolve(ctx.cwd, file), {
    displayName: file,
    encoding: options.encoding,
    rejectsPath: options.rejects === undefined ? undefined : path.resolve(ctx.cwd, options.rejects),
    link: options.link !== false,
    onProgress: (s) => progress.update(progressLine(s)),
  });
  progress.done();
  for (const rejection of summary.rejected.slice(0, PRINTED_REJECTIONS)) ctx.stderr.write(`rejected: ${formatRejection(rejection)}\n`);
  const more = summary.rejected.length - PRINTED_REJECTIONS;
  if (more > 0) ctx.stderr.write(`... and ${more} more rejected rows${options.rejects === undefined ? ' (use --rejects FILE to keep them all)' : ''}\n`);
  const rate = summary.seconds > 0 ? Math.round(summary.read / summary.seconds) : summary.read;
  ctx.stderr.write(
    `${summary.read} rows read: ${summary.imported} imported, ${summary.updated} updated (changed since an earlier release), ` +
      `${summary.alreadyPresent} already present, ${summary.rejected.length} rejected; ${summary.linked} linked to incidents known from other sources (${summary.seconds.toFixed(1)} s, ${rate} rows/s)\n`,
  );
  if (options.rejects !== undefined && summary.rejected.length > 0) ctx.stderr.write(`rejected rows written to ${options.rejects}\n`);
  return summary;
}

/** Adds `vigil import gtd|acled|ucdp FILE`. */
export function registerImport(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  withDbOption(
    program
      .command('import')
      .description('Import a GTD (CSV or .xlsx), ACLED or UCDP GED CSV file: one incident per row, with the dataset and row id as provenance')
      .addArgument(new Argument('<dataset>', `one of: ${DATASET_KINDS.join(', ')}`).choices(DATASET_KINDS))
      .argument('<file>', 'the CSV file (UTF-8, or see --encoding), or a GTD .xlsx workbook (its first worksheet)')
      .option('--rejects <file>', 'write the header and every rejected row, byte for byte, to this file')
      .option('--no-link', 'do not link rows with incidents other sources already describe (faster; rows of one release are never linked with each other)')
      .addOption(new Option('--encoding <encoding>', 'the text encoding of the file').choices(['utf-8', 'latin1']).default('utf-8')),
  )
    .addHelpText(
      'after',
      `
Datasets:
  gtd     Global Terrorism Database: the full 135-column CSV or the core extract (eventid ... related)
  acled   ACLED export (event_id_cnty, event_date, event_type, ..., notes, fatalities)
  ucdp    UCDP Georeferenced Event Dataset CSV (id, type_of_violence, date_start, ..., best, low, high)

Each row becomes one incident whose provenance is the dataset and row id (gtd:<eventid>,
acled:<event_id_cnty>, ucdp:<id>). Importing the same file again stores nothing new; a row of a
newer release that changed updates its incident and records a revision. A bad row is reported as
FILE:LINE[:COLUMN]: FIELD: reason and the import goes on; the exit code is then 1. On a terminal a
progress bar shows on stderr; a summary ends the run.
See docs/import.md and docs/crosswalks.md.

Example:
  $ vigil import gtd gtd-2021.csv --db ./vigil.db --rejects gtd-rejects.csv`,
    )
    .action(async (dataset: DatasetKind, file: string, flags: { db?: string; rejects?: string; encoding: CsvEncoding; link: boolean }) => {
      if (!DATASET_KINDS.includes(dataset)) throw new VigilError('bad_input', `unknown dataset ${dataset}; expected one of ${DATASET_KINDS.join(', ')}`);
      const store = await openConfiguredStore(configFrom(ctx, flags));
      try {
        const summary = await importFile(store, dataset, file, ctx, { rejects: flags.rejects, encoding: flags.encoding, link: flags.link });
        if (summary.rejected.length > 0) setExit(1);
      } finally {
        await store.close();
      }
    });
}
