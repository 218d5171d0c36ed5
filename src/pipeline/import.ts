import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { VigilError } from '../core/errors.js';
import { sourceId } from '../core/ids.js';
import type { Source } from '../core/model.js';
import { DATASET_SPECS, isXlsx, type CsvEncoding, type DatasetKind, type DatasetRejection } from '../datasets/index.js';
import { readImportItems } from '../datasets/import-reader.js';
import { datasetImporter, RowBundle, setWriteTime, type DatasetRowWrite, type ImportBatchResult } from '../store/bulk-import.js';
import type { ExtractionBundle, Store } from '../store/store.js';
import { linkSavedBundles } from './link-incidents.js';

/** The outcome of importing one dataset file. `read` = `imported` + `updated` + `alreadyPresent` + `rejected.length`. */
export interface ImportSummary {
  readonly dataset: DatasetKind;
  readonly file: string;
  /** Data rows read (blank lines are not rows). */
  read: number;
  /** Rows stored as a new document, mention and incident. */
  imported: number;
  /**
   * Rows of a newer release whose content changed since an earlier import of the same row (same
   * dataset and row id): the incident of that row was updated and a revision recorded.
   */
  updated: number;
  /** Rows whose document was already stored (an earlier import of the same row): nothing written. */
  alreadyPresent: number;
  /**
   * Imported rows whose incident was folded into an incident already known from other sources
   * (news reports, another dataset) by linking; rows of one release are never linked with each other.
   */
  linked: number;
  /** Rows that could not be read, mapped or stored, with where and why, in file order. */
  rejected: DatasetRejection[];
  /** Wall time of the import in seconds. */
  seconds: number;
  /** Bytes of the file accounted for so far (header and rows settled), for progress. */
  bytes: number;
  /** The size of the file in bytes, or null when progress cannot be told in bytes (an .xlsx workbook). */
  totalBytes: number | null;
}

/** Options of {@link importDataset}. */
export interface ImportOptions {
  /** Called after every batch of rows (and so at the end). */
  onProgress?: (summary: Readonly<ImportSummary>) => void;
  /** Writes the header and every rejected row, byte for byte, to this file (created or truncated). */
  rejectsPath?: string;
  /** The clock, for fetched_at, created_at and revision times. */
  now?: () => Date;
  /** The file's text encoding (default UTF-8). */
  encoding?: CsvEncoding;
  /** How the file is named in rejections (default: the path as given). */
  displayName?: string;
  /**
   * How many rows are saved together, in one transaction; default 10,000 on SQLite (each commit
   * writes the index pages the batch touched, so fewer, larger batches write less) and 1,000 on
   * PostgreSQL. Memory holds at most `batchSize × (concurrency + 1)` rows.
   */
  batchSize?: number;
  /**
   * How many batches may be saving at once while the next one is read (default 2 on PostgreSQL,
   * whose server works while the next batch is read and mapped; 1 on SQLite, which writes
   * synchronously). Counts and rejections stay exact and in file order.
   */
  concurrency?: number;
  /**
   * Link each imported row with the incidents other sources already describe (default true).
   * Skipped, batch by batch, while the store holds no document of another source kind (nothing
   * to link with), when the store can tell (`DatasetImporter.hasOtherTellers`).
   */
  link?: boolean;
  /**
   * Read, map and build rows in a worker thread while this one writes (default true; used when
   * the compiled worker is there, not when the TypeScript sources are run directly).
   */
  worker?: boolean;
}

/** One data row of a batch, in file order: to save (with its bundle), or rejected by the reader. */
type BatchItem =
  | { readonly type: 'row'; readonly id: string; readonly write: DatasetRowWrite; readonly line: number; readonly bytes: Buffer }
  | { readonly type: 'rejected'; readonly rejection: DatasetRejection; readonly bytes: Buffer }
  /** A row the reader found stored (not built, not written). */
  | { readonly type: 'present'; readonly bytes: Buffer };

/**
 * Imports a GTD, ACLED or UCDP GED file (CSV, or a GTD .xlsx workbook) into a store, streaming:
 * each row becomes one document (kind `dataset_row`), one mention and one incident created by an
 * `import` revision of `system:import:<dataset>`, saved in batches through the store's bulk import
 * path (`DatasetImporter`; `store.saveExtractions` for a store without one), one transaction per
 * batch, each row all-or-nothing. A row already stored (same document id) is counted and skipped
 * before its bundle is built; a row of a newer release whose content changed (same dataset and row
 * id, another document) updates the incident of the earlier row with a revision; a bad row
 * (unreadable, unmappable, or refused by the store) is counted, reported and, with `rejectsPath`,
 * written out untouched. Throws a VigilError('bad_input') when the file has no usable header, and
 * passes store errors through (batches saved before stay saved; re-running completes the import).
 */
export async function importDataset(store: Store, kind: DatasetKind, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const release = path.basename(file);
  const displayName = options.displayName ?? file;
  const source: Source = {
    id: sourceId(kind, release),
    kind,
    locator: release,
    name: `${DATASET_SPECS[kind].label} ${release}`,
    createdAt: now().toISOString(),
  };
  const summary: ImportSummary = { dataset: kind, file: displayName, read: 0, imported: 0, updated: 0, alreadyPresent: 0, linked: 0, rejected: [], seconds: 0, bytes: 0, totalBytes: null };
  if (!isXlsx(file)) summary.totalBytes = await stat(file).then((s) => s.size, () => null);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? (store.dialect === 'sqlite' ? 10000 : 1000)));
  const limit = Math.max(1, Math.floor(options.concurrency ?? (store.dialect === 'postgres' ? 2 : 1)));
  let rejects: WriteStream | null = null;
  let header: Buffer | null = null;

  const writeRejected = async (bytes: Buffer): Promise<void> => {
    if (rejects === null) return;
    const last = bytes[bytes.length - 1];
    const ok = rejects.write(last === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')]));
    if (!ok) await once(rejects, 'drain');
  };

  const importer = datasetImporter(store);
  /** Saves a batch; the outcome is accounted for by `settle`, in file order. */
  const save = async (items: readonly BatchItem[]): Promise<ImportBatchResult & { bundles?: (ExtractionBundle | null)[] }> => {
    const rows = items.flatMap((item) => (item.type === 'row' ? [item] : []));
    if (rows.length === 0) return { outcomes: [], errors: [] };
    const at = now().toISOString();
    const bundleOf = (row: (typeof rows)[number]): RowBundle => {
      setWriteTime(row.write, at);
      return new RowBundle(source, row.write);
    };
    if (importer !== null) {
      // Rows already stored (a re-import, or a run resumed after a crash) are not written again.
      const stored = await importer.storedDocumentIds(rows.map((row) => row.id));
      const built = rows.filter((row) => !stored.has(row.id)).map(bundleOf);
      const result = await importer.importBundles(built);
      let n = 0;
      const outcomes: ImportBatchResult['outcomes'] = [];
      const errors: ImportBatchResult['errors'] = [];
      const bundles: (ExtractionBundle | null)[] = [];
      for (const row of rows) {
        if (stored.has(row.id)) {
          outcomes.push('present');
          errors.push(null);
          bundles.push(null);
        } else {
          outcomes.push(result.outcomes[n] ?? null);
          errors.push(result.errors[n] ?? null);
          bundles.push(built[n] ?? null);
          n += 1;
        }
      }
      return { outcomes, errors, bundles };
    }
    const bundles = rows.map((row) => bundleOf(row).toBundle());
    const saved = await store.saveExtractions(bundles);
    return { outcomes: saved.stored.map((s, n) => (saved.errors[n] != null ? null : s ? 'stored' : 'present')), errors: saved.errors, bundles };
  };
  /** Links the rows a batch stored with incidents other sources describe; run in file order. */
  const link = async (result: ImportBatchResult & { bundles?: (ExtractionBundle | null)[] }): Promise<void> => {
    if (options.link === false || result.bundles === undefined) return;
    const stored = result.bundles.flatMap((bundle, n) => (bundle !== null && result.outcomes[n] === 'stored' ? [bundle] : []));
    if (stored.length === 0) return;
    // With no document of another source kind stored, there is nothing to link with: rows of one
    // dataset are never linked with each other. Asked every batch (one probe of the small sources
    // table), so that reports ingested meanwhile are seen.
    if (importer?.hasOtherTellers !== undefined && !(await importer.hasOtherTellers(kind))) return;
    const fresh = stored.map((bundle) => (bundle instanceof RowBundle ? bundle.toBundle() : bundle));
    const linked = await linkSavedBundles(store, fresh, { stored: fresh.map(() => true) }, { now });
    summary.linked += linked.linked;
  };
  const settle = async (items: readonly BatchItem[], result: ImportBatchResult & { bundles?: (ExtractionBundle | null)[] }): Promise<void> => {
    await link(result);
    let n = 0;
    for (const item of items) {
      summary.read += 1;
      summary.bytes += item.bytes.length;
      if (item.type === 'rejected') {
        summary.rejected.push(item.rejection);
        await writeRejected(item.bytes);
        continue;
      }
      if (item.type === 'present') {
        summary.alreadyPresent += 1;
        continue;
      }
      const error = result.errors[n];
      const outcome = result.outcomes[n];
      n += 1;
      if (error != null || outcome == null) {
        summary.rejected.push({ location: { file: displayName, line: item.line }, reason: error?.message ?? 'not stored' });
        await writeRejected(item.bytes);
      } else if (outcome === 'stored') summary.imported += 1;
      else if (outcome === 'updated') summary.updated += 1;
      else summary.alreadyPresent += 1;
    }
    summary.seconds = (performance.now() - started) / 1000;
    options.onProgress?.(summary);
  };

  // Batches in file order; each one's save starts when it is full and is settled in order.
  const pending: { items: BatchItem[]; saving: Promise<ImportBatchResult & { bundles?: (ExtractionBundle | null)[] }> }[] = [];
  const settleFirst = async (): Promise<void> => {
    const batch = pending.shift();
    if (batch !== undefined) await settle(batch.items, await batch.saving);
  };
  const start = (items: BatchItem[]): void => {
    const saving = save(items);
    saving.catch(() => undefined); // awaited in settleFirst; a failure must not go unhandled meanwhile
    pending.push({ items, saving });
  };

  // When the store already holds rows of this dataset (a re-import, a newer release, a run resumed
  // after a crash), the reader asks it which rows are stored before building them.
  const probe =
    importer !== null && (importer.holdsRowsOf === undefined || (await importer.holdsRowsOf(kind)))
      ? (ids: readonly string[]) => importer.storedDocumentIds(ids)
      : undefined;

  try {
    let items: BatchItem[] = [];
    for await (const item of readImportItems(kind, file, source, {
      encoding: options.encoding,
      displayName: options.displayName,
      worker: options.worker,
      // The worker may read ahead by the batches that can be saving (so that it builds the next
      // batch while they are written), and one chunk more.
      readAhead: Math.ceil((batchSize * limit) / 1000) + 1,
      probe,
    })) {
      if (item.type === 'header') {
        header = item.bytes;
        summary.bytes += item.bytes.length;
        if (options.rejectsPath !== undefined) {
          rejects = await openRejects(options.rejectsPath);
          await writeRejected(header);
        }
        continue;
      }
      items.push(item);
      if (items.length >= batchSize) {
        while (pending.length >= limit) await settleFirst();
        start(items);
        items = [];
      }
    }
    if (items.length > 0) start(items);
    while (pending.length > 0) await settleFirst();
  } finally {
    // On a failure, let the batches already saving finish (their rows stay stored) before returning.
    await Promise.allSettled(pending.map((b) => b.saving));
    if (rejects !== null) {
      const stream: WriteStream = rejects;
      stream.end();
      await once(stream, 'close');
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

async function openRejects(file: string): Promise<WriteStream> {
  const stream = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new VigilError('bad_input', `cannot write the rejects file ${file}: ${error.message}`, { cause: error })));
  });
  stream.on('error', () => undefined);
  return stream;
}
