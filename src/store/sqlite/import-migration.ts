import type { Migration } from '../migration.js';

/**
 * Migration 4, bulk dataset imports: an index to find a dataset row's earlier document by its
 * external id (dataset + row id), and the `bulk_writes` flag. While an import batch holds it
 * (inside its write transaction only), the per-row triggers of the full-text index and of the
 * R*Tree of points do nothing, and the batch feeds both with one set-based statement each before
 * it commits (src/store/sqlite/bulk.ts).
 */
export const sqliteImportMigration: Migration = {
  version: 4,
  name: 'bulk-import',
  sql: `
CREATE INDEX documents_external_id ON documents (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE bulk_writes (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;

DROP TRIGGER incidents_point_insert;
CREATE TRIGGER incidents_point_insert AFTER INSERT ON incidents
WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bulk_writes)
BEGIN
  INSERT INTO incident_points (id, min_lon, max_lon, min_lat, max_lat) VALUES (new.seq, new.lon, new.lon, new.lat, new.lat);
END;

DROP TRIGGER documents_fts_insert;
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes)
BEGIN
  INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
`,
};
