import type { Migration } from '../migration.js';
import { sqliteQueryMigration } from './query-migration.js';
import { sqliteListMigration } from './list-migration.js';
import { sqliteReviewMigration } from './review-migration.js';
import { sqliteAccountsMigration } from './accounts.js';
import { sqliteImportMigration } from './import-migration.js';
import { sqliteWatchedSourcesMigration } from './watched-sources.js';
import { sqliteAlertsMigration } from './alerts.js';
import { sqliteStatsMigration } from './stats-migration.js';
import { sqliteBulkTriggersMigration } from './bulk-triggers-migration.js';
import { sqliteCoveringIndexMigration } from './covering-index-migration.js';

/*
 * The SQLite schema. Tables are STRICT; records keep their full form in JSON text columns and the
 * columns beside them are what filters use. `documents` and `incidents` have an integer `seq`
 * key so that the FTS5 index and the R*Tree, which key rows by integer, can point at them.
 */

const initialSchema = `
CREATE TABLE sources (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  locator    TEXT NOT NULL,
  name       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE CHECK (length(id) = 64),
  source_id    TEXT NOT NULL REFERENCES sources (id),
  external_id  TEXT,
  url          TEXT,
  title        TEXT,
  text         TEXT NOT NULL,
  language     TEXT,
  published_at TEXT,
  fetched_at   TEXT NOT NULL,
  kind         TEXT NOT NULL,
  raw          TEXT
) STRICT;
CREATE INDEX documents_source_id ON documents (source_id);

CREATE TABLE mentions (
  id          TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents (id),
  extractor   TEXT NOT NULL,
  span_start  INTEGER NOT NULL,
  span_end    INTEGER NOT NULL,
  fields      TEXT NOT NULL CHECK (json_valid(fields)),
  confidence  REAL NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX mentions_document_id ON mentions (document_id);

CREATE TABLE incidents (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL CHECK (status IN ('machine', 'reviewed', 'rejected')),
  revision        INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  fields          TEXT NOT NULL CHECK (json_valid(fields)),
  title           TEXT,
  date_start      TEXT,
  date_end        TEXT,
  country         TEXT,
  admin1          TEXT,
  lat             REAL,
  lon             REAL,
  place_precision TEXT,
  killed_best     INTEGER,
  wounded_best    INTEGER
) STRICT;
CREATE INDEX incidents_date_start ON incidents (date_start DESC, id);
CREATE INDEX incidents_date_end ON incidents (date_end);
CREATE INDEX incidents_country ON incidents (country, date_start DESC);
CREATE INDEX incidents_status ON incidents (status, date_start DESC);

CREATE TABLE incident_mentions (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  mention_id  TEXT NOT NULL REFERENCES mentions (id),
  ordinal     INTEGER NOT NULL,
  PRIMARY KEY (incident_id, mention_id)
) STRICT;
CREATE INDEX incident_mentions_mention_id ON incident_mentions (mention_id);

CREATE TABLE incident_related (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  related_id  TEXT NOT NULL,
  ordinal     INTEGER NOT NULL,
  PRIMARY KEY (incident_id, related_id)
) STRICT;
CREATE INDEX incident_related_related_id ON incident_related (related_id);

CREATE TABLE incident_actors (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  actor_id    TEXT NOT NULL,
  attribution TEXT NOT NULL,
  PRIMARY KEY (incident_id, actor_id, attribution)
) STRICT;
CREATE INDEX incident_actors_actor_id ON incident_actors (actor_id, incident_id);

CREATE TABLE revisions (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  by          TEXT NOT NULL,
  action      TEXT NOT NULL,
  before      TEXT CHECK (before IS NULL OR json_valid(before)),
  after       TEXT NOT NULL CHECK (json_valid(after)),
  reason      TEXT,
  PRIMARY KEY (incident_id, revision)
) STRICT;

CREATE TABLE links (
  seq         INTEGER PRIMARY KEY,
  mention_id  TEXT NOT NULL REFERENCES mentions (id),
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  score       REAL NOT NULL,
  explanation TEXT NOT NULL CHECK (json_valid(explanation)),
  decided_by  TEXT NOT NULL,
  UNIQUE (mention_id, incident_id)
) STRICT;
CREATE INDEX links_incident_id ON links (incident_id);

-- Map queries: one box per incident that has a point, kept in step with incidents by triggers.
CREATE VIRTUAL TABLE incident_points USING rtree (id, min_lon, max_lon, min_lat, max_lat);

CREATE TRIGGER incidents_point_insert AFTER INSERT ON incidents
WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL
BEGIN
  INSERT INTO incident_points (id, min_lon, max_lon, min_lat, max_lat) VALUES (new.seq, new.lon, new.lon, new.lat, new.lat);
END;

CREATE TRIGGER incidents_point_update AFTER UPDATE OF lat, lon ON incidents
BEGIN
  DELETE FROM incident_points WHERE id = old.seq;
  INSERT INTO incident_points (id, min_lon, max_lon, min_lat, max_lat)
  SELECT new.seq, new.lon, new.lon, new.lat, new.lat WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
END;

CREATE TRIGGER incidents_point_delete AFTER DELETE ON incidents
BEGIN
  DELETE FROM incident_points WHERE id = old.seq;
END;

-- Text search over documents, reading title and text from the documents table itself.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
  title, text,
  content = 'documents', content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents
BEGIN
  INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents
BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
  INSERT INTO documents_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents
BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
`;

/** The SQLite schema history, oldest first. */
export const sqliteMigrations: readonly Migration[] = [
  { version: 1, name: 'initial-schema', sql: initialSchema },
  sqliteReviewMigration,
  sqliteAccountsMigration,
  sqliteImportMigration,
  sqliteWatchedSourcesMigration,
  sqliteAlertsMigration,
  sqliteQueryMigration,
  sqliteStatsMigration,
  sqliteListMigration,
  sqliteBulkTriggersMigration,
  sqliteCoveringIndexMigration,
];
