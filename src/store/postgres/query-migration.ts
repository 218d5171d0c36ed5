import type { Migration } from '../migration.js';

/**
 * Migration 7, queries and rollups: indexes for the admin1 and attribution
 * filters, and the full-text index of documents (the expression `DOCUMENT_TSVECTOR` of
 * src/store/incident-query.ts searches with, in the 'simple' configuration: no stemming, any language).
 */
export const postgresQueryMigration: Migration = {
  version: 7,
  name: 'query-indexes',
  sql: `
CREATE INDEX incidents_admin1 ON incidents (admin1, date_start DESC NULLS LAST);
CREATE INDEX incident_actors_attribution ON incident_actors (attribution, actor_id, incident_id);
CREATE INDEX documents_text_search ON documents USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || text));
`,
};
