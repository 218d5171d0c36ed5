import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigilError, type ErrorCode, type InputLocation } from '../core/errors.js';
import type { Source } from '../core/model.js';
import { rowWriteOf, type DatasetRowWrite } from '../store/bulk-import.js';
import { datasetBundle, datasetDocumentKey, type DatasetDocumentKey } from './bundle.js';
import type { CsvEncoding } from './csv.js';
import { readDataset } from './read.js';
import type { DatasetKind, DatasetRecord, DatasetRejection } from './types.js';

/*
 * What an import reads from a dataset file, ready to be written: the header, then each row either
 * rejected or built into the rows it stores (DatasetRowWrite, with the document id it is known by),
 * each with its original bytes. Reading, mapping, hashing and building take about as much CPU time
 * as writing; in a worker thread (import-worker.ts) they run on the other core while the calling
 * thread writes. The worker sends rows in chunks of plain data (strings and numbers, the bytes of a
 * chunk in one transferred buffer) and reads ahead by a bounded number of chunks, so memory stays
 * flat. Without the compiled worker (the TypeScript sources run by the tests), or with
 * `worker: false`, the same items are made in the calling thread.
 *
 * With a `probe` (the store's stored-document lookup, given when the store already holds rows of
 * this dataset: a re-import, a newer release, a run resumed after a crash), rows are keyed first
 * (text and hash), chunk by chunk, and only the rows whose document is not stored are built; the
 * others come out as `present`. A worker asks the calling thread, which owns the store, through a
 * message. The writer still checks every row it is given, so a probe that misses a row costs only
 * the building.
 */

/** One item of a dataset file, in file order. */
export type ImportItem =
  | { readonly type: 'header'; readonly bytes: Buffer }
  | { readonly type: 'rejected'; readonly rejection: DatasetRejection; readonly bytes: Buffer }
  | { readonly type: 'row'; readonly line: number; readonly id: string; readonly write: DatasetRowWrite; readonly bytes: Buffer }
  /** A row whose document the probe found stored: not built. */
  | { readonly type: 'present'; readonly line: number; readonly id: string; readonly bytes: Buffer };

/** Which of these document ids are stored. */
export type StoredProbe = (ids: readonly string[]) => Promise<ReadonlySet<string>>;

/** Options of {@link readImportItems}. */
export interface ImportReadOptions {
  readonly encoding?: CsvEncoding;
  readonly displayName?: string;
  /** Read, map and build in a worker thread when the compiled worker is there (default true). */
  readonly worker?: boolean;
  /** Rows per message from the worker (default 1,000). */
  readonly chunk?: number;
  /** Chunks the worker may read ahead of the writer (default 4). */
  readonly readAhead?: number;
  /** When given, rows whose document is stored are not built (see above). */
  readonly probe?: StoredProbe;
}

/** The data a worker starts with. */
export interface WorkerStart {
  readonly kind: DatasetKind;
  readonly file: string;
  readonly source: Source;
  readonly encoding: CsvEncoding | undefined;
  readonly displayName: string | undefined;
  readonly chunk: number;
  readonly readAhead: number;
  /** Whether to ask the calling thread which rows are stored (a `probe` message per chunk). */
  readonly probe: boolean;
}

/** One item as a worker sends it: its bytes are `n` bytes of the chunk's buffer. */
export type WireItem =
  | { readonly t: 'h'; readonly n: number }
  | { readonly t: 'x'; readonly n: number; readonly rejection: DatasetRejection }
  | { readonly t: 'r'; readonly n: number; readonly line: number; readonly id: string; readonly write: DatasetRowWrite }
  | { readonly t: 'p'; readonly n: number; readonly line: number; readonly id: string };

/** A message from a worker. */
export type WireMessage =
  | { readonly type: 'items'; readonly items: WireItem[]; readonly bytes: ArrayBuffer; readonly done: boolean }
  | { readonly type: 'probe'; readonly ids: string[] }
  | { readonly type: 'error'; readonly message: string; readonly code: ErrorCode | null; readonly location: InputLocation | undefined };

/** The rows one dataset row writes, built in full (document text, hash, raw row, JSON); times are set when saved. */
export function buildRowWrite(record: DatasetRecord, source: Source, key: DatasetDocumentKey = datasetDocumentKey(record)): { id: string; write: DatasetRowWrite } {
  return { id: key.id, write: rowWriteOf({ source, ...datasetBundle(record, source, '', key) }) };
}

/** Rows keyed per probe (one question to the store each). */
const PROBE_CHUNK = 1000;

/** The items of a dataset file, made in the calling thread (see above). */
export async function* readImportItemsHere(kind: DatasetKind, file: string, source: Source, options: ImportReadOptions = {}): AsyncGenerator<ImportItem> {
  const { probe } = options;
  const items = readDataset(kind, file, { encoding: options.encoding, displayName: options.displayName });
  if (probe === undefined) {
    for await (const item of items) {
      if (item.type === 'row') yield { type: 'row', line: item.record.line, bytes: item.bytes, ...buildRowWrite(item.record, source) };
      else yield item.type === 'header' ? { type: 'header', bytes: item.bytes } : item;
    }
    return;
  }
  type Keyed = { item: Exclude<ImportItem, { type: 'row' | 'present' }> } | { record: DatasetRecord; bytes: Buffer; key: DatasetDocumentKey };
  let chunk: Keyed[] = [];
  async function* flush(): AsyncGenerator<ImportItem> {
    const ids = chunk.flatMap((k) => ('key' in k ? [k.key.id] : []));
    const stored = ids.length === 0 ? new Set<string>() : await probe!(ids);
    for (const k of chunk) {
      if (!('key' in k)) yield k.item;
      else if (stored.has(k.key.id)) yield { type: 'present', line: k.record.line, id: k.key.id, bytes: k.bytes };
      else yield { type: 'row', line: k.record.line, bytes: k.bytes, ...buildRowWrite(k.record, source, k.key) };
    }
    chunk = [];
  }
  let rows = 0;
  for await (const item of items) {
    if (item.type === 'row') {
      chunk.push({ record: item.record, bytes: item.bytes, key: datasetDocumentKey(item.record) });
      rows += 1;
    } else chunk.push({ item: item.type === 'header' ? { type: 'header', bytes: item.bytes } : item });
    if (rows >= PROBE_CHUNK) {
      yield* flush();
      rows = 0;
    }
  }
  yield* flush();
}

const WORKER_FILE = new URL('./import-worker.js', import.meta.url);

/** True when the compiled worker can be started (not when the TypeScript sources are run directly). */
export function importWorkerAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(WORKER_FILE));
}

/**
 * The items of a dataset file in file order: read, mapped and built in a worker thread when it can
 * be started (see above), else in the calling thread. Throws what reading throws (a VigilError
 * 'bad_input' for a file without a usable header), from the worker as from here.
 */
export async function* readImportItems(kind: DatasetKind, file: string, source: Source, options: ImportReadOptions = {}): AsyncGenerator<ImportItem> {
  if (options.worker === false || !importWorkerAvailable()) {
    yield* readImportItemsHere(kind, file, source, options);
    return;
  }
  const start: WorkerStart = {
    kind,
    file,
    source,
    encoding: options.encoding,
    displayName: options.displayName,
    chunk: Math.max(1, Math.floor(options.chunk ?? 1000)),
    readAhead: Math.max(1, Math.floor(options.readAhead ?? 4)),
    probe: options.probe !== undefined,
  };
  const worker = new Worker(WORKER_FILE, { workerData: start });
  const queue: Exclude<WireMessage, { type: 'probe' }>[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const { probe } = options;
  worker.on('message', (message: WireMessage) => {
    if (message.type === 'probe') {
      // Answered at once (not queued behind the rows), so that the worker goes on building.
      if (probe === undefined) worker.postMessage({ type: 'stored', ids: [] });
      else {
        probe(message.ids).then(
          (stored) => worker.postMessage({ type: 'stored', ids: [...stored] }),
          (error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(String(error));
            notify();
          },
        );
      }
      return;
    }
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure ??= error;
    notify();
  });
  worker.on('exit', (code) => {
    exited = true;
    if (code !== 0) failure ??= new Error(`the import worker stopped with exit code ${code}`);
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure !== null) throw failure;
        if (exited) throw new Error('the import worker stopped before the end of the file');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.type === 'error') throw message.code === null ? new Error(message.message) : new VigilError(message.code, message.message, { location: message.location });
      let at = 0;
      for (const item of message.items) {
        const bytes = Buffer.from(message.bytes, at, item.n);
        at += item.n;
        if (item.t === 'h') yield { type: 'header', bytes };
        else if (item.t === 'x') yield { type: 'rejected', rejection: item.rejection, bytes };
        else if (item.t === 'p') yield { type: 'present', line: item.line, id: item.id, bytes };
        else yield { type: 'row', line: item.line, id: item.id, write: item.write, bytes };
      }
      if (message.done) return;
      worker.postMessage('more');
    }
  } finally {
    await worker.terminate();
  }
}
