import type { Migration } from '../migration.js';

/**
 * An incident's point and days as the GiST index of migration 9 holds them, and as map queries must
 * write them for the index to serve them (`bboxCondition` in postgres-store.ts). The day range
 * runs from the first day to the last, or to the first day when the last comes before it (a range
 * cannot run backwards); a missing day leaves that end open. That range covers every window the
 * exact date conditions (`date_end >= from AND date_start <= to`) let through, which are applied
 * as well.
 */
export const INCIDENT_POINT_SQL = 'point(i.lon, i.lat)';
export const INCIDENT_DAYS_SQL = "daterange(i.date_start, greatest(i.date_start, i.date_end), '[]')";

/** The keys of the space-time GiST index: the two expressions above, on the table's own columns. */
export const SPACE_TIME_KEYS = `${INCIDENT_POINT_SQL.replace(/i\./g, '')}, ${INCIDENT_DAYS_SQL.replace(/i\./g, '')}`;

/**
 * Migration 9, map and list queries: a GiST index over incidents' points and day ranges together,
 * so that a map query (a box and a window of days) reads only the incidents inside both instead of
 * every incident ever recorded in the box, or every incident of the window. Built-in operator
 * classes only (point_ops, range_ops): no extension needed. And statistics of how admin1 depends on
 * country: without them the planner multiplies the two filters' selectivities, expects a few rows
 * for `country=…&admin1=…`, and reads all of them (a bitmap over the whole country) instead of
 * walking the admin1 index newest first until the page is full.
 */
export const postgresListMigration: Migration = {
  version: 9,
  name: 'list-indexes',
  sql: `
CREATE INDEX incidents_space_time ON incidents USING gist (${SPACE_TIME_KEYS})
  WHERE lat IS NOT NULL AND lon IS NOT NULL;
CREATE STATISTICS incidents_place (dependencies) ON country, admin1 FROM incidents;
ANALYZE incidents;
`,
};
