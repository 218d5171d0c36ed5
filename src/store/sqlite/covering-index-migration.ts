import type { Migration } from '../migration.js';

/**
 * Migration 11, map queries. On PostgreSQL the space-time GiST index gains the columns the map's
 * first step reads (src/store/postgres/covering-index-migration.ts). SQLite's space-time R*Tree
 * (migration 9) has nothing to add: the version is kept so that both dialects keep the same
 * schema history.
 */
export const sqliteCoveringIndexMigration: Migration = {
  version: 11,
  name: 'covering-space-time',
  sql: `SELECT 1;`,
};
