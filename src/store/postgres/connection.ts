import { VigilError } from '../../core/errors.js';
import { reasonOf } from '../store-error.js';

/** A PostgreSQL URL fit for messages and logs: the password (in the user part or the query) removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1@');
  }
}

/** Checks a schema name: lower-case letters, digits and underscores, as PostgreSQL folds unquoted names. */
export function checkedSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new VigilError(
      'config',
      `PostgreSQL schema "${schema}" is not a plain name: use lower-case letters, digits and underscores (at most 63), starting with a letter or underscore`,
    );
  }
  return schema;
}

/**
 * The VigilError('store') of a connection that could not be made, with what to do next: start the
 * server, fix the credentials, or create the database.
 */
export function connectionError(url: string, error: unknown): VigilError {
  const code = (error as { code?: unknown } | null)?.code;
  let hint = 'Is it running? Start it, or check the host and port in VIGIL_DB (or --db).';
  if (code === '28P01' || code === '28000') hint = 'Check the user name and password in the URL.';
  if (code === '3D000') hint = 'Create the database (createdb <name>) or correct its name in the URL.';
  return new VigilError('store', `cannot reach PostgreSQL at ${redactUrl(url)}: ${reasonOf(error)}. ${hint}`, { cause: error });
}

/** How the store's requests for a connection wait when every connection of the pool is in use. */
export interface PoolQueueOptions {
  /** How many requests may hold a connection at once: the pool's size. */
  readonly permits: number;
  /** How many requests may wait for one; past that a request is refused at once (the server is overloaded). */
  readonly maxWaiting: number;
  /** How long a request waits for a connection before it is refused, in milliseconds. */
  readonly waitTimeoutMs: number;
}

/**
 * The VigilError('store') of a request refused because the database is saturated: the queue of
 * requests waiting for a connection is full, or the wait lasted too long. The API answers 503 with
 * `Retry-After: retryAfterSeconds`.
 */
export class StoreBusyError extends VigilError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super('store', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

/**
 * A bounded FIFO queue in front of a connection pool: at most `permits` requests hold a connection,
 * at most `maxWaiting` wait for one, each at most `waitTimeoutMs`. Requests beyond that are refused
 * at once with a StoreBusyError, rather than piling up until every client times out.
 */
export class PoolQueue {
  readonly options: PoolQueueOptions;
  #free: number;
  readonly #waiting: Waiter[] = [];

  constructor(options: PoolQueueOptions) {
    if (!(options.permits >= 1 && Number.isInteger(options.permits))) throw new VigilError('config', `the pool needs at least one connection, got ${options.permits}`);
    this.options = options;
    this.#free = options.permits;
  }

  /** How many requests are waiting for a connection now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** How many requests hold a connection now. */
  get busy(): number {
    return this.options.permits - this.#free;
  }

  /** Seconds a refused client should wait: the time the queue now ahead of it takes at one second per round, at least 1. */
  #retryAfter(): number {
    return Math.max(1, Math.ceil(this.#waiting.length / this.options.permits / 10));
  }

  /** Waits for a turn (first come, first served); resolves to the function that gives the turn back, once. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0 && this.#waiting.length === 0) {
      this.#free -= 1;
      return this.#releaser();
    }
    if (this.#waiting.length >= this.options.maxWaiting) {
      throw new StoreBusyError(
        `the database is overloaded: ${this.options.permits} queries running and ${this.#waiting.length} waiting; try again shortly`,
        this.#retryAfter(),
      );
    }
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve(this.#releaser());
        },
        timer: setTimeout(() => {
          const at = this.#waiting.indexOf(waiter);
          if (at >= 0) this.#waiting.splice(at, 1);
          reject(new StoreBusyError(`the database is overloaded: no connection free within ${this.options.waitTimeoutMs} ms; try again shortly`, this.#retryAfter()));
        }, this.options.waitTimeoutMs),
      };
      this.#waiting.push(waiter);
    });
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.#waiting.shift();
      // The turn passes straight to the next waiter, so a newcomer cannot overtake the queue.
      if (next === undefined) this.#free += 1;
      else next.grant();
    };
  }
}
