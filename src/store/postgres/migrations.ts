import type { Migration } from '../migration.js';
import { postgresQueryMigration } from './query-migration.js';
import { postgresReviewMigration } from './review-migration.js';
import { postgresAccountsMigration } from './accounts.js';
import { postgresImportMigration } from './import-migration.js';
import { postgresWatchedSourcesMigration } from './watched-sources.js';
import { postgresAlertsMigration } from './alerts.js';
import { postgresStatsMigration } from './stats-migration.js';
import { postgresListMigration } from './list-migration.js';
import { postgresBulkTriggersMigration } from './bulk-triggers-migration.js';
import { postgresCoveringIndexMigration } from './covering-index-migration.js';

/*
 * The PostgreSQL schema. Tables are created in the store's schema through search_path. Ids sort
 * with COLLATE "C" so that the order of incidents (and so pagination) does not depend on the
 * database's locale. Timestamps are kept as the ISO 8601 text they came as, so records round-trip
 * exactly; incident days are `date` columns for range filters.
 */

const initialSchema = `
CREATE TABLE sources (
  id         text COLLATE "C" PRIMARY KEY,
  kind       text NOT NULL,
  locator    text NOT NULL,
  name       text NOT NULL,
  created_at text NOT NULL
);

CREATE TABLE documents (
  id           text COLLATE "C" PRIMARY KEY CHECK (length(id) = 64),
  source_id    text COLLATE "C" NOT NULL REFERENCES sources (id),
  external_id  text,
  url          text,
  title        text,
  text         text NOT NULL,
  language     text,
  published_at text,
  fetched_at   text NOT NULL,
  kind         text NOT NULL,
  raw          text
);
CREATE INDEX documents_source_id ON documents (source_id);

CREATE TABLE mentions (
  id          text COLLATE "C" PRIMARY KEY,
  document_id text COLLATE "C" NOT NULL REFERENCES documents (id),
  extractor   text NOT NULL,
  span_start  integer NOT NULL,
  span_end    integer NOT NULL,
  fields      jsonb NOT NULL,
  confidence  double precision NOT NULL,
  created_at  text NOT NULL
);
CREATE INDEX mentions_document_id ON mentions (document_id);

CREATE TABLE incidents (
  id              text COLLATE "C" PRIMARY KEY,
  status          text NOT NULL CHECK (status IN ('machine', 'reviewed', 'rejected')),
  revision        integer NOT NULL,
  created_at      text NOT NULL,
  updated_at      text NOT NULL,
  fields          jsonb NOT NULL,
  title           text,
  date_start      date,
  date_end        date,
  country         text,
  admin1          text,
  lat             double precision,
  lon             double precision,
  place_precision text,
  killed_best     integer,
  wounded_best    integer
);
CREATE INDEX incidents_date_start ON incidents (date_start DESC NULLS LAST, id);
CREATE INDEX incidents_date_end ON incidents (date_end);
CREATE INDEX incidents_country ON incidents (country, date_start DESC NULLS LAST);
CREATE INDEX incidents_status ON incidents (status, date_start DESC NULLS LAST);
CREATE INDEX incidents_point ON incidents (lat, lon) WHERE lat IS NOT NULL AND lon IS NOT NULL;

CREATE TABLE incident_mentions (
  incident_id text COLLATE "C" NOT NULL REFERENCES incidents (id),
  mention_id  text COLLATE "C" NOT NULL REFERENCES mentions (id),
  ordinal     integer NOT NULL,
  PRIMARY KEY (incident_id, mention_id)
);
CREATE INDEX incident_mentions_mention_id ON incident_mentions (mention_id);

CREATE TABLE incident_related (
  incident_id text COLLATE "C" NOT NULL REFERENCES incidents (id),
  related_id  text COLLATE "C" NOT NULL,
  ordinal     integer NOT NULL,
  PRIMARY KEY (incident_id, related_id)
);
CREATE INDEX incident_related_related_id ON incident_related (related_id);

CREATE TABLE incident_actors (
  incident_id text COLLATE "C" NOT NULL REFERENCES incidents (id),
  actor_id    text COLLATE "C" NOT NULL,
  attribution text NOT NULL,
  PRIMARY KEY (incident_id, actor_id, attribution)
);
CREATE INDEX incident_actors_actor_id ON incident_actors (actor_id, incident_id);

CREATE TABLE revisions (
  incident_id text COLLATE "C" NOT NULL REFERENCES incidents (id),
  revision    integer NOT NULL,
  at          text NOT NULL,
  by          text NOT NULL,
  action      text NOT NULL,
  before      jsonb,
  after       jsonb NOT NULL,
  reason      text,
  PRIMARY KEY (incident_id, revision)
);

CREATE TABLE links (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mention_id  text COLLATE "C" NOT NULL REFERENCES mentions (id),
  incident_id text COLLATE "C" NOT NULL REFERENCES incidents (id),
  score       double precision NOT NULL,
  explanation jsonb NOT NULL,
  decided_by  text NOT NULL,
  UNIQUE (mention_id, incident_id)
);
CREATE INDEX links_incident_id ON links (incident_id);
`;

/** The PostgreSQL schema history, oldest first; versions and names match the SQLite ones. */
export const postgresMigrations: readonly Migration[] = [
  { version: 1, name: 'initial-schema', sql: initialSchema },
  postgresReviewMigration,
  postgresAccountsMigration,
  postgresImportMigration,
  postgresWatchedSourcesMigration,
  postgresAlertsMigration,
  postgresQueryMigration,
  postgresStatsMigration,
  postgresListMigration,
  postgresBulkTriggersMigration,
  postgresCoveringIndexMigration,
];
