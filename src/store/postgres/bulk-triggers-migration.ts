import type { Migration } from '../migration.js';

/**
 * Migration 10, cheaper bulk imports. On SQLite it quiets per-row insert triggers while an import
 * batch writes (src/store/sqlite/bulk-triggers-migration.ts). PostgreSQL has nothing to change:
 * its statistics queue is fed by statement-level triggers over transition tables (one statement
 * per COPY), and its space-time index is a GiST index, not a trigger-fed table. The version is
 * kept so that both dialects keep the same schema history.
 */
export const postgresBulkTriggersMigration: Migration = {
  version: 10,
  name: 'bulk-triggers',
  sql: `SELECT 1;`,
};
