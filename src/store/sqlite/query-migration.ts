import type { Migration } from '../migration.js';

/**
 * Migration 7, queries and rollups: indexes for the admin1 and attribution
 * filters. Casualty ranges and codebook types are read from the incident's JSON (`fields`), so no
 * column needs filling and every write path stays as it is.
 */
export const sqliteQueryMigration: Migration = {
  version: 7,
  name: 'query-indexes',
  sql: `
CREATE INDEX incidents_admin1 ON incidents (admin1, date_start DESC);
CREATE INDEX incident_actors_attribution ON incident_actors (attribution, actor_id, incident_id);
`,
};
