import type { Migration } from '../migration.js';

/**
 * Migration 2, analyst operations: an incident merged into another is kept with the survivor's id
 * (`merged_into`), and the analyst's pins (pinned fields, split-apart incidents) are kept as JSON.
 */
export const sqliteReviewMigration: Migration = {
  version: 2,
  name: 'review-operations',
  sql: `
ALTER TABLE incidents ADD COLUMN merged_into TEXT;
ALTER TABLE incidents ADD COLUMN pins TEXT CHECK (pins IS NULL OR json_valid(pins));
CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL;
`,
};
