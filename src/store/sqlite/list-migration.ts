import type { Migration } from '../migration.js';

/** The day number (days since 1970-01-01) of a YYYY-MM-DD column, as the space-time R*Tree stores it. */
const day = (column: string, missing: number): string => `coalesce(unixepoch(${column}) / 86400, ${missing})`;

/**
 * The box of an incident in the space-time R*Tree: its point, and its days as one range. A missing
 * end of the date range is open (±10 million days); the two ends are put in order, so that a
 * range written backwards is still found (the exact test on the row decides).
 */
export const BOX = (row: string): string => {
  const start = day(`${row}.date_start`, -10_000_000);
  const end = day(`${row}.date_end`, 10_000_000);
  return `${row}.seq, ${row}.lon, ${row}.lon, ${row}.lat, ${row}.lat, min(${start}, ${end}), max(${start}, ${end})`;
};

export const HAS_BOX = (row: string): string => `${row}.lat IS NOT NULL AND ${row}.lon IS NOT NULL AND (${row}.date_start IS NOT NULL OR ${row}.date_end IS NOT NULL)`;

/**
 * Migration 9, map and list queries: a three-dimensional R*Tree of incidents (longitude, latitude,
 * days), kept in step with `incidents` by triggers, so that a map query (a box and a window of
 * days) reads only the incidents inside both instead of every incident ever recorded in the box;
 * `bboxCondition` in sqlite-store.ts uses it whenever a query has `from` or `to`. The R*Tree's
 * 32-bit floats hold day numbers exactly (they are integers far below 2^24); coordinates are
 * rounded outwards, so the exact test on the row's columns stays.
 */
export const sqliteListMigration: Migration = {
  version: 9,
  name: 'list-indexes',
  sql: `
CREATE VIRTUAL TABLE incident_space_time USING rtree (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day);

INSERT INTO incident_space_time (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)
SELECT ${BOX('i')} FROM incidents AS i WHERE ${HAS_BOX('i')};

CREATE TRIGGER incidents_space_time_insert AFTER INSERT ON incidents
WHEN ${HAS_BOX('new')}
BEGIN
  INSERT INTO incident_space_time (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day) VALUES (${BOX('new')});
END;

CREATE TRIGGER incidents_space_time_update AFTER UPDATE OF lat, lon, date_start, date_end ON incidents
BEGIN
  DELETE FROM incident_space_time WHERE id = old.seq;
  INSERT INTO incident_space_time (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)
  SELECT ${BOX('new')} WHERE ${HAS_BOX('new')};
END;

CREATE TRIGGER incidents_space_time_delete AFTER DELETE ON incidents
BEGIN
  DELETE FROM incident_space_time WHERE id = old.seq;
END;
`,
};
