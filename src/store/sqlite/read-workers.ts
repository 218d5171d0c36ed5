import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigilError, type ErrorCode, type InputLocation } from '../../core/errors.js';
import type { Store } from '../store.js';
import type { SqliteStore, SqliteStoreOptions } from './sqlite-store.js';

/*
 * Reads of a SQLite store in worker threads. better-sqlite3 runs every query synchronously on the
 * thread that calls it, so a server with one connection answers one query at a time and, while it
 * does, accepts no connection and reads no request. `withReadWorkers` hands the two hot reads
 * (listings and rollups) to a pool of worker threads, each with its own connection to the same file
 * (WAL: readers see every committed write and do not block the writer); every other call, and
 * every write, stays on the store's own connection.
 */

/** The store methods the workers answer. */
export const WORKER_READS = ['listIncidents', 'incidentStats'] as const;
export type WorkerRead = (typeof WORKER_READS)[number];

/** A request to a worker and its answer. */
export interface ReadMessage {
  id: number;
  method: WorkerRead;
  args: unknown[];
}
export type ReadAnswer = { id: number; json: string } | { id: number; error: SerializedError };

/** An error as it crosses the thread boundary (structured clone drops the class). */
export interface SerializedError {
  vigil: boolean;
  code?: ErrorCode;
  message: string;
  location?: InputLocation | undefined;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof VigilError) return { vigil: true, code: error.code, message: error.message, location: error.location };
  return { vigil: false, message: error instanceof Error ? error.message : String(error) };
}

function revive(error: SerializedError): Error {
  if (error.vigil && error.code !== undefined) return new VigilError(error.code, error.message, error.location === undefined ? {} : { location: error.location });
  return new Error(error.message);
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const WORKER_FILE = new URL('./read-worker.js', import.meta.url);

/** True when the compiled worker script is there (not when the TypeScript sources are run directly). */
export function readWorkersAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(WORKER_FILE));
}

/** How many workers, the options of their stores, and (tests) the worker script to run. */
export interface ReadWorkerOptions {
  workers?: number;
  store?: Omit<SqliteStoreOptions, 'migrations'>;
  /** The compiled worker script; defaults to read-worker.js beside this module. */
  workerUrl?: URL;
}

/** A fixed pool of worker threads over one SQLite file; each request goes to the least busy worker. */
export class SqliteReadWorkers {
  readonly #workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  #next = 0;
  #closed = false;

  constructor(path: string, options: ReadWorkerOptions = {}) {
    if (path === ':memory:' || path === '') throw new VigilError('bad_input', 'SQLite read workers need a database file, not an in-memory database');
    const count = Math.max(1, Math.floor(options.workers ?? 2));
    for (let n = 0; n < count; n++) {
      const worker = new Worker(options.workerUrl ?? WORKER_FILE, { workerData: { path, options: options.store ?? {} } });
      const entry = { worker, pending: new Map<number, Pending>() };
      worker.on('message', (answer: ReadAnswer) => {
        const waiting = entry.pending.get(answer.id);
        if (waiting === undefined) return;
        entry.pending.delete(answer.id);
        if (entry.pending.size === 0) worker.unref();
        if ('error' in answer) waiting.reject(revive(answer.error));
        else waiting.resolve(JSON.parse(answer.json));
      });
      const fail = (error: Error): void => {
        for (const waiting of entry.pending.values()) waiting.reject(new VigilError('store', `a SQLite read worker stopped: ${error.message}`));
        entry.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
      // An idle worker does not keep the process alive; one with requests in flight does.
      worker.unref();
      this.#workers.push(entry);
    }
  }

  /** Runs one read on the worker with the fewest requests in flight. */
  run<T>(method: WorkerRead, args: unknown[]): Promise<T> {
    if (this.#closed) return Promise.reject(new VigilError('store', 'the SQLite read workers are closed'));
    let best = this.#workers[0];
    for (const entry of this.#workers) if (best === undefined || entry.pending.size < best.pending.size) best = entry;
    if (best === undefined) return Promise.reject(new VigilError('store', 'no SQLite read worker'));
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      if (best.pending.size === 0) best.worker.ref();
      best.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      best.worker.postMessage({ id, method, args } satisfies ReadMessage);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#workers.map((entry) => entry.worker.terminate()));
  }
}

/**
 * The store with listings and rollups answered by `workers` threads (default 2): a proxy that
 * forwards everything else to the store itself, and closes the workers with the store.
 */
export function withReadWorkers(store: SqliteStore, options: ReadWorkerOptions = {}): Store & SqliteStore {
  const pool = new SqliteReadWorkers(store.path, options);
  const reads = new Set<string | symbol>(WORKER_READS);
  return new Proxy(store, {
    get(target, property) {
      if (reads.has(property)) return (...args: unknown[]) => pool.run(property as WorkerRead, args);
      if (property === 'close') {
        return async () => {
          await pool.close();
          await target.close();
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the store itself (its private fields are not the proxy's).
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
