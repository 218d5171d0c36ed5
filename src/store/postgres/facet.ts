import type pg from 'pg';
import { storeError } from '../store-error.js';

/**
 * A part of a PostgresStore kept in its own class (accounts, watched sources, alerts): it shares
 * the store's pool, and turns driver errors into VigilError('store') naming the database.
 */
export abstract class PostgresFacet {
  protected readonly pool: pg.Pool;
  protected readonly where: () => string;

  /** `where` names the database for messages (without its password). */
  constructor(pool: pg.Pool, where: () => string) {
    this.pool = pool;
    this.where = where;
  }

  /** One query; a driver error becomes "doing (PostgreSQL at where): reason". */
  protected async query<R extends pg.QueryResultRow>(doing: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (error) {
      throw storeError(`${doing} (PostgreSQL at ${this.where()})`, error);
    }
  }

  /** Runs `work` in a transaction on one client: committed when it returns, rolled back when it throws. */
  protected async transaction<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeError(`${doing} (PostgreSQL at ${this.where()})`, error);
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw storeError(`${doing} (PostgreSQL at ${this.where()})`, error);
    } finally {
      client.release();
    }
  }
}
