import type Database from 'better-sqlite3';
import { storeError } from '../store-error.js';

/**
 * A part of a SqliteStore kept in its own class (accounts, watched sources, alerts): it shares
 * the store's connection, and turns driver errors into VigilError('store') naming the file.
 */
export abstract class SqliteFacet {
  protected readonly db: Database.Database;
  protected readonly path: string;

  constructor(db: Database.Database, path: string) {
    this.db = db;
    this.path = path;
  }

  /** Runs `work` on the connection; a driver error becomes "doing (SQLite at path): reason". VigilErrors pass through. */
  protected use<T>(doing: string, work: (db: Database.Database) => T): T {
    try {
      return work(this.db);
    } catch (error) {
      throw storeError(`${doing} (SQLite at ${this.path})`, error);
    }
  }
}
