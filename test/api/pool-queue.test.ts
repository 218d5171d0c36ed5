import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import { PoolQueue, StoreBusyError } from '../../src/store/postgres/connection.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { postgresFactory, TEST_PG_URL } from '../store/stores.js';

/*
 * The bounded queue in front of PostgreSQL's pool: a request that finds every connection busy
 * waits its turn and is served; only when the queue is full, or the wait too long, is it refused,
 * with 503 and Retry-After. The slow query is real: another session holds a lock on `incidents`.
 */

describe('PoolQueue', () => {
  it('gives turns first come, first served, and each turn back once', async () => {
    const queue = new PoolQueue({ permits: 1, maxWaiting: 5, waitTimeoutMs: 10_000 });
    const order: number[] = [];
    const first = await queue.acquire();
    const waiting = [1, 2, 3].map((n) =>
      queue.acquire().then((done) => {
        order.push(n);
        done();
      }),
    );
    expect(queue.waiting).toBe(3);
    first();
    first(); // a second release of the same turn gives nothing back
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(queue.busy).toBe(0);
    expect(queue.waiting).toBe(0);
  });

  it('refuses at once past maxWaiting, and after waitTimeoutMs, with a retry delay', async () => {
    const queue = new PoolQueue({ permits: 1, maxWaiting: 1, waitTimeoutMs: 200 });
    const held = await queue.acquire();
    const late = queue.acquire();
    const refused = await queue.acquire().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreBusyError);
    expect((refused as StoreBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const timedOut = await late.catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(StoreBusyError);
    expect((timedOut as Error).message).toMatch(/no connection free within 200 ms/);
    held();
    expect(queue.busy).toBe(0);
  });
});

describe('PostgreSQL under more requests than connections', () => {
  const factory = postgresFactory('pool');
  let schema: string;
  let locker: pg.Client;

  beforeAll(async () => {
    const store = (await factory.create()) as PostgresStore;
    await store.migrate();
    schema = store.schema as string;
    await store.close();
    locker = new pg.Client({ connectionString: TEST_PG_URL });
    await locker.connect();
  });

  afterAll(async () => {
    await locker.end();
    await factory.cleanup();
  });

  /** Holds an exclusive lock on the incidents table until the returned function is called: every listing blocks meanwhile. */
  async function lockIncidents(): Promise<() => Promise<void>> {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${schema}.incidents IN ACCESS EXCLUSIVE MODE`);
    return async () => {
      await locker.query('COMMIT');
    };
  }

  /** Resolves once `store` has this many requests holding a connection and this many waiting. */
  async function until(store: PostgresStore, busy: number, waiting: number): Promise<void> {
    for (let n = 0; n < 500 && (store.queue.busy !== busy || store.queue.waiting !== waiting); n++) await new Promise((r) => setTimeout(r, 10));
    expect({ busy: store.queue.busy, waiting: store.queue.waiting }).toEqual({ busy, waiting });
  }

  it('serves a request that waited for the one connection behind a slow query, and refuses the one past the queue with 503 and Retry-After', async () => {
    const store = new PostgresStore({ connectionString: TEST_PG_URL, schema, maxConnections: 1, maxWaiting: 1, waitTimeoutMs: 30_000 });
    const app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
    try {
      const unlock = await lockIncidents();
      const slow = app.request('/api/incidents?limit=5');
      await until(store, 1, 0);
      const waiting = app.request('/api/incidents?limit=5&country=AF');
      await until(store, 1, 1);
      const refused = await app.request('/api/incidents?limit=5&country=NG');
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('store');
      await unlock();
      const [first, second] = await Promise.all([slow, waiting]);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(store.queue.busy).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('refuses a request that waited longer than waitTimeoutMs with 503 and Retry-After, and serves the next once the connection is free', async () => {
    const store = new PostgresStore({ connectionString: TEST_PG_URL, schema, maxConnections: 1, maxWaiting: 10, waitTimeoutMs: 300 });
    const app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
    try {
      const unlock = await lockIncidents();
      const slow = app.request('/api/incidents?limit=5');
      await until(store, 1, 0);
      const late = await app.request('/api/incidents?limit=5&country=AF');
      expect(late.status).toBe(503);
      expect(Number(late.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await unlock();
      expect((await slow).status).toBe(200);
      expect((await app.request('/api/incidents?limit=5&country=AF')).status).toBe(200);
    } finally {
      await store.close();
    }
  });
});
