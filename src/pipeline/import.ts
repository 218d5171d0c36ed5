import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { VigilError } from '../core/errors.js';
import { sourceId } from '../core/ids.js';
import type { Source } from '../core/model.js';
import { DATASET_SPECS, datasetBundle, readDataset, type CsvEncoding, type DatasetKind, type DatasetRejection } from '../datasets/index.js';
import type { Store } from '../store/store.js';

/** The outcome of importing one dataset file. `read` = `imported` + `alreadyPresent` + `rejected.length`. */
export interface ImportSummary {
  readonly dataset: DatasetKind;
  readonly file: string;
  /** Data rows read (blank lines are not rows). */
  read: number;
  /** Rows stored as a new document, mention and incident. */
  imported: number;
  /** Rows whose document was already stored (an earlier import of the same row): nothing written. */
  alreadyPresent: number;
  /** Rows that could not be read or mapped, with where and why, in file order. */
  rejected: DatasetRejection[];
  /** Wall time of the import in seconds. */
  seconds: number;
}

/** Options of {@link importDataset}. */
export interface ImportOptions {
  /** Called after every row. */
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
   * How many rows may be saving at once (default 1 for SQLite, whose writes are synchronous, and 8
   * for PostgreSQL, whose pool serves concurrent transactions). Counts and rejections stay exact.
   */
  concurrency?: number;
}

/**
 * Imports a GTD, ACLED or UCDP GED CSV file into a store, streaming: each row becomes one document
 * (kind `dataset_row`), one mention and one incident, saved atomically with `store.saveExtraction`
 * and created by an `import` revision of `system:import:<dataset>`. A row already stored (same
 * document id) is counted and skipped; a bad row is counted, reported and, with `rejectsPath`,
 * written out untouched. Throws a VigilError('bad_input') when the file has no usable header, and
 * passes store errors through (rows saved before stay saved; re-running completes the import).
 */
export async function importDataset(store: Store, kind: DatasetKind, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const release = path.basename(file);
  const source: Source = {
    id: sourceId(kind, release),
    kind,
    locator: release,
    name: `${DATASET_SPECS[kind].label} ${release}`,
    createdAt: now().toISOString(),
  };
  const summary: ImportSummary = { dataset: kind, file: options.displayName ?? file, read: 0, imported: 0, alreadyPresent: 0, rejected: [], seconds: 0 };
  const limit = Math.max(1, options.concurrency ?? (store.dialect === 'postgres' ? 8 : 1));
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  let rejects: WriteStream | null = null;
  let header: Buffer | null = null;

  const writeRejected = async (bytes: Buffer): Promise<void> => {
    if (rejects === null) return;
    const last = bytes[bytes.length - 1];
    const ok = rejects.write(last === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')]));
    if (!ok) await once(rejects, 'drain');
  };

  try {
    for await (const item of readDataset(kind, file, { encoding: options.encoding, displayName: options.displayName })) {
      if (item.type === 'header') {
        header = item.bytes;
        if (options.rejectsPath !== undefined) {
          rejects = await openRejects(options.rejectsPath);
          await writeRejected(header);
        }
        continue;
      }
      summary.read += 1;
      if (item.type === 'rejected') {
        summary.rejected.push(item.rejection);
        await writeRejected(item.bytes);
        options.onProgress?.(summary);
        continue;
      }
      const bundle = datasetBundle(item.record, source, now().toISOString());
      const saving = store.saveExtraction({ source, ...bundle }).then(
        ({ stored }) => {
          if (stored) summary.imported += 1;
          else summary.alreadyPresent += 1;
          options.onProgress?.(summary);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      inFlight.add(saving);
      void saving.finally(() => inFlight.delete(saving));
      if (inFlight.size >= limit) await Promise.race(inFlight);
      if (failure !== null) break;
    }
    await Promise.all(inFlight);
    if (failure !== null) throw (failure as { error: unknown }).error;
  } finally {
    await Promise.all(inFlight);
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
