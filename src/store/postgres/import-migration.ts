import type { Migration } from '../migration.js';

/** Migration 4, bulk dataset imports: an index to find a dataset row's earlier document by its external id. */
export const postgresImportMigration: Migration = {
  version: 4,
  name: 'bulk-import',
  sql: `CREATE INDEX documents_external_id ON documents (external_id) WHERE external_id IS NOT NULL;`,
};
