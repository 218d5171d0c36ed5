import type { Migration } from '../migration.js';
import { BOX, HAS_BOX } from './list-migration.js';

/** Inserts the space-time boxes of the incidents whose `seq` is above the parameter (a bulk batch's catch-up). */
export const SPACE_TIME_CATCH_UP = `
INSERT INTO incident_space_time (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)
SELECT ${BOX('i')} FROM incidents AS i WHERE i.seq > ? AND ${HAS_BOX('i')}`;

/** Queues, for the statistics facts, the incidents whose `seq` is above the parameter (a bulk batch's catch-up). */
export const STATS_QUEUE_CATCH_UP = 'INSERT INTO stats_queue (incident_id) SELECT id FROM incidents WHERE seq > ?';

/**
 * Migration 10, cheaper bulk imports: the per-row insert triggers that migrations 8 and 9 added
 * (the space-time R*Tree of incidents, and the queue of incidents whose statistics facts must be
 * recomputed) now do nothing while a bulk import batch holds the `bulk_writes` flag (migration
 * 4), as the full-text and point triggers already did. The batch catches up before it commits,
 * with one set-based statement each over the incidents it added (src/store/sqlite/bulk.ts): an
 * R*Tree filled in one statement costs a fraction of one filled by a trigger row by row. Updates
 * and deletes keep their triggers (an import updates few rows, and each queues its incident).
 */
export const sqliteBulkTriggersMigration: Migration = {
  version: 10,
  name: 'bulk-triggers',
  sql: `
DROP TRIGGER incidents_space_time_insert;
CREATE TRIGGER incidents_space_time_insert AFTER INSERT ON incidents
WHEN ${HAS_BOX('new')} AND NOT EXISTS (SELECT 1 FROM bulk_writes)
BEGIN
  INSERT INTO incident_space_time (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day) VALUES (${BOX('new')});
END;

DROP TRIGGER incidents_stats_insert;
CREATE TRIGGER incidents_stats_insert AFTER INSERT ON incidents
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes)
BEGIN INSERT INTO stats_queue (incident_id) VALUES (new.id); END;

DROP TRIGGER incident_actors_stats_insert;
CREATE TRIGGER incident_actors_stats_insert AFTER INSERT ON incident_actors
WHEN NOT EXISTS (SELECT 1 FROM bulk_writes)
BEGIN INSERT INTO stats_queue (incident_id) VALUES (new.incident_id); END;
`,
};
