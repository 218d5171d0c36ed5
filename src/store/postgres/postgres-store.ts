import pg from 'pg';
import { VigilError } from '../../core/errors.js';
import type { Document, Incident, Link, Mention, Revision, Source } from '../../core/model.js';
import { INCIDENT_ORDER, SqlParams, incidentConditions, pageSize, toPage, type Bbox } from '../incident-query.js';
import { pendingMigrations, type Migration } from '../migration.js';
import {
  bundleRows,
  documentFromRow,
  incidentFromRow,
  inRequestedOrder,
  linkFromRow,
  mentionFromRow,
  revisionFromRow,
  sourceFromRow,
  uniqueIds,
  type DocumentRow,
  type IncidentActorRow,
  type IncidentInsertRow,
  type IncidentMentionRow,
  type IncidentReadRow,
  type IncidentRelatedRow,
  type Labelled,
  type LinkRow,
  type MentionRow,
  type RevisionRow,
  type SourceRow,
} from '../rows.js';
import { RecordWriteError, saveError, storeError } from '../store-error.js';
import type { ExtractionBundle, IncidentFilter, Page, Store, StoreCounts } from '../store.js';
import { checkedSchemaName, connectionError, redactUrl } from './connection.js';
import { postgresMigrations } from './migrations.js';

/** Options of a PostgresStore. */
export interface PostgresStoreOptions {
  /** A postgres:// or postgresql:// URL. */
  connectionString: string;
  /**
   * The schema that holds Vigil's tables: set as the search_path of every connection and created
   * by `migrate()` if missing. Without it, PostgreSQL's default search_path applies.
   */
  schema?: string | undefined;
  /** The most connections the pool opens (default 10). */
  maxConnections?: number | undefined;
  /** How long to wait for a connection before giving up, in milliseconds (default 10000). */
  connectTimeoutMs?: number | undefined;
  /** The schema history to apply; the default is `postgresMigrations`. */
  migrations?: readonly Migration[] | undefined;
}

/** node-pg hands jsonb and text[] columns back already parsed. */
const json = (value: unknown): unknown => value;

const SELECT_INCIDENTS = `
SELECT i.id, i.status, i.revision, i.created_at, i.updated_at, i.fields,
  ARRAY(SELECT m.mention_id FROM incident_mentions AS m WHERE m.incident_id = i.id ORDER BY m.ordinal) AS mention_ids,
  ARRAY(SELECT r.related_id FROM incident_related AS r WHERE r.incident_id = i.id ORDER BY r.ordinal) AS related_ids
FROM incidents AS i`;

/** One INSERT statement and how to lay a row out as its parameters. */
interface Insert<Row> {
  sql: string;
  values: (row: Row) => unknown[];
}

const INSERT_SOURCE: Insert<SourceRow> = {
  sql: `
    INSERT INTO sources (id, kind, locator, name, created_at)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id) DO NOTHING`,
  values: (r) => [r.id, r.kind, r.locator, r.name, r.created_at],
};

const INSERT_DOCUMENT: Insert<DocumentRow> = {
  sql: `
    INSERT INTO documents (id, source_id, external_id, url, title, text, language, published_at, fetched_at, kind, raw)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (id) DO NOTHING`,
  values: (r) => [r.id, r.source_id, r.external_id, r.url, r.title, r.text, r.language, r.published_at, r.fetched_at, r.kind, r.raw],
};

const INSERT_MENTION: Insert<MentionRow> = {
  sql: `
    INSERT INTO mentions (id, document_id, extractor, span_start, span_end, fields, confidence, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  values: (r) => [r.id, r.document_id, r.extractor, r.span_start, r.span_end, r.fields, r.confidence, r.created_at],
};

const INSERT_INCIDENT: Insert<IncidentInsertRow> = {
  sql: `
    INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end,
                           country, admin1, lat, lon, place_precision, killed_best, wounded_best)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
  values: (r) => [
    r.id,
    r.status,
    r.revision,
    r.created_at,
    r.updated_at,
    r.fields,
    r.title,
    r.date_start,
    r.date_end,
    r.country,
    r.admin1,
    r.lat,
    r.lon,
    r.place_precision,
    r.killed_best,
    r.wounded_best,
  ],
};

const INSERT_INCIDENT_MENTION: Insert<IncidentMentionRow> = {
  sql: `INSERT INTO incident_mentions (incident_id, mention_id, ordinal) VALUES ($1, $2, $3)`,
  values: (r) => [r.incident_id, r.mention_id, r.ordinal],
};

const INSERT_INCIDENT_RELATED: Insert<IncidentRelatedRow> = {
  sql: `INSERT INTO incident_related (incident_id, related_id, ordinal) VALUES ($1, $2, $3)`,
  values: (r) => [r.incident_id, r.related_id, r.ordinal],
};

const INSERT_INCIDENT_ACTOR: Insert<IncidentActorRow> = {
  sql: `INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
  values: (r) => [r.incident_id, r.actor_id, r.attribution],
};

const INSERT_REVISION: Insert<RevisionRow> = {
  sql: `
    INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  values: (r) => [r.incident_id, r.revision, r.at, r.by, r.action, r.before, r.after, r.reason],
};

const INSERT_LINK: Insert<LinkRow> = {
  sql: `
    INSERT INTO links (mention_id, incident_id, score, explanation, decided_by)
    VALUES ($1, $2, $3, $4, $5)`,
  values: (r) => [r.mention_id, r.incident_id, r.score, r.explanation, r.decided_by],
};

/** The bounding-box test as coordinate ranges; a box crossing the antimeridian (west > east) wraps. */
function bboxCondition(bbox: Bbox, params: SqlParams): string {
  const { west, south, east, north } = bbox;
  const lat = `i.lat BETWEEN ${params.add(south)} AND ${params.add(north)}`;
  const lon =
    west <= east
      ? `i.lon BETWEEN ${params.add(west)} AND ${params.add(east)}`
      : `(i.lon >= ${params.add(west)} OR i.lon <= ${params.add(east)})`;
  return `${lat} AND ${lon}`;
}

/** A driver error that leaves the connection unusable (as opposed to an error the server reported). */
function breaksConnection(error: unknown): boolean {
  return !(error instanceof pg.DatabaseError);
}

/**
 * The store for deployments that outgrow one machine: PostgreSQL through a `pg` connection pool,
 * all tables in one schema (see `PostgresStoreOptions.schema`).
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  /** The schema that holds the tables, when one was given. */
  readonly schema: string | undefined;
  readonly #url: string;
  readonly #pool: pg.Pool;
  readonly #migrations: readonly Migration[];
  #closed = false;

  /** Makes the pool; no connection is opened until the first query. */
  constructor(options: PostgresStoreOptions) {
    this.#url = options.connectionString;
    this.schema = options.schema === undefined ? undefined : checkedSchemaName(options.schema);
    this.#migrations = options.migrations ?? postgresMigrations;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(this.schema === undefined ? {} : { options: `-c search_path=${this.schema}` }),
    });
    // An idle connection that the server drops is discarded by the pool and replaced on demand;
    // without a listener the 'error' event would end the process.
    this.#pool.on('error', () => undefined);
  }

  /** The URL of the database without its password, for messages. */
  get url(): string {
    return redactUrl(this.#url);
  }

  async #connect(doing: string): Promise<pg.PoolClient> {
    if (this.#closed) throw new VigilError('store', `${doing}: the PostgreSQL store at ${this.url} is closed`);
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw connectionError(this.#url, error);
    }
  }

  /** Runs `work` on one pooled connection, turning driver errors into VigilError('store'). */
  async #use<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#connect(doing);
    let broken: unknown;
    try {
      return await work(client);
    } catch (error) {
      if (breaksConnection(error)) broken = error;
      throw storeError(`${doing} (PostgreSQL at ${this.url})`, error);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async #rows<R>(doing: string, sql: string, values: unknown[] = []): Promise<R[]> {
    return this.#use(doing, async (client) => (await client.query(sql, values)).rows as R[]);
  }

  async migrate(): Promise<string[]> {
    const lock = `vigil:migrate:${this.schema ?? ''}`;
    return this.#use('cannot migrate the database', async (client) => {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
      try {
        if (this.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
        await client.query(`
          CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )`);
        const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version);
        const names: string[] = [];
        for (const migration of pendingMigrations(this.#migrations, applied)) {
          await client.query('BEGIN');
          try {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw storeError(`migration ${migration.version} (${migration.name}) failed and was rolled back`, error);
          }
          names.push(migration.name);
        }
        return names;
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    return this.#use('cannot read the schema version', async (client) => {
      const table = await client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
      if (table.rows[0]?.present !== true) return 0;
      const result = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
      return result.rows[0]?.version ?? 0;
    });
  }

  async ping(): Promise<void> {
    await this.#rows('cannot reach the database', 'SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async saveExtraction(bundle: ExtractionBundle): Promise<{ stored: boolean }> {
    const documentId = bundle.document.id;
    let rows;
    try {
      rows = bundleRows(bundle);
    } catch (error) {
      throw saveError(documentId, error);
    }
    const client = await this.#connect(`cannot save document ${documentId}`);
    let broken: unknown;
    try {
      await client.query('BEGIN');
      await write(client, INSERT_SOURCE, [rows.source]);
      const inserted = await write(client, INSERT_DOCUMENT, [rows.document]);
      if (inserted === 0) {
        await client.query('ROLLBACK');
        return { stored: false };
      }
      await write(client, INSERT_MENTION, rows.mentions);
      await write(client, INSERT_INCIDENT, rows.incidents);
      await write(client, INSERT_INCIDENT_MENTION, rows.incidentMentions);
      await write(client, INSERT_INCIDENT_RELATED, rows.incidentRelated);
      await write(client, INSERT_INCIDENT_ACTOR, rows.incidentActors);
      await write(client, INSERT_REVISION, rows.revisions);
      await write(client, INSERT_LINK, rows.links);
      await client.query('COMMIT');
      return { stored: true };
    } catch (error) {
      const cause = error instanceof RecordWriteError ? error.cause : error;
      if (breaksConnection(cause)) broken = cause;
      await client.query('ROLLBACK').catch(() => undefined);
      throw saveError(documentId, error);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async getSource(id: string): Promise<Source | null> {
    const [row] = await this.#rows<SourceRow>(`cannot read source ${id}`, 'SELECT id, kind, locator, name, created_at FROM sources WHERE id = $1', [id]);
    return row === undefined ? null : sourceFromRow(row);
  }

  async getDocument(id: string): Promise<Document | null> {
    const [document] = await this.getDocuments([id]);
    return document ?? null;
  }

  async getDocuments(ids: readonly string[]): Promise<Document[]> {
    if (ids.length === 0) return [];
    const rows = await this.#rows<DocumentRow>(
      'cannot read documents',
      `SELECT id, source_id, external_id, url, title, text, language, published_at, fetched_at, kind, raw
       FROM documents
       WHERE id = ANY ($1::text[])`,
      [uniqueIds(ids)],
    );
    return inRequestedOrder(ids, rows.map(documentFromRow), (d) => d.id);
  }

  async getMentions(ids: readonly string[]): Promise<Mention[]> {
    if (ids.length === 0) return [];
    const rows = await this.#rows<MentionRow<unknown>>(
      'cannot read mentions',
      `SELECT id, document_id, extractor, span_start, span_end, fields, confidence, created_at
       FROM mentions
       WHERE id = ANY ($1::text[])`,
      [uniqueIds(ids)],
    );
    return inRequestedOrder(ids, rows.map((row) => mentionFromRow(row, json)), (m) => m.id);
  }

  async getIncident(id: string): Promise<Incident | null> {
    const [row] = await this.#rows<IncidentReadRow>(`cannot read incident ${id}`, `${SELECT_INCIDENTS} WHERE i.id = $1`, [id]);
    return row === undefined ? null : incidentFromRow(row, json);
  }

  async listIncidents(filter: IncidentFilter): Promise<Page<Incident>> {
    const size = pageSize(filter.limit);
    const params = new SqlParams('postgres');
    const conditions = incidentConditions(filter, params, bboxCondition);
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join('\n  AND ')}`;
    const sql = `${SELECT_INCIDENTS}\n${where}\nORDER BY ${INCIDENT_ORDER}\nLIMIT ${params.add(size + 1)}`;
    const rows = await this.#rows<IncidentReadRow>('cannot list incidents', sql, params.values);
    return toPage(
      rows.map((row) => incidentFromRow(row, json)),
      size,
    );
  }

  async getRevisions(incidentId: string): Promise<Revision[]> {
    const rows = await this.#rows<RevisionRow<unknown>>(
      `cannot read the revisions of incident ${incidentId}`,
      `SELECT incident_id, revision, at, by, action, before, after, reason
       FROM revisions
       WHERE incident_id = $1
       ORDER BY revision`,
      [incidentId],
    );
    return rows.map((row) => revisionFromRow(row, json));
  }

  async getLinks(incidentId: string): Promise<Link[]> {
    const rows = await this.#rows<LinkRow<unknown>>(
      `cannot read the links of incident ${incidentId}`,
      `SELECT mention_id, incident_id, score, explanation, decided_by
       FROM links
       WHERE incident_id = $1
       ORDER BY seq`,
      [incidentId],
    );
    return rows.map((row) => linkFromRow(row, json));
  }

  async counts(): Promise<StoreCounts> {
    const [row] = await this.#rows<Record<keyof StoreCounts, string>>(
      'cannot count records',
      `SELECT (SELECT count(*) FROM sources)   AS sources,
              (SELECT count(*) FROM documents) AS documents,
              (SELECT count(*) FROM mentions)  AS mentions,
              (SELECT count(*) FROM incidents) AS incidents`,
    );
    return {
      sources: Number(row?.sources ?? 0),
      documents: Number(row?.documents ?? 0),
      mentions: Number(row?.mentions ?? 0),
      incidents: Number(row?.incidents ?? 0),
    };
  }
}

/** Inserts labelled rows one by one; returns how many were written. A refused row names its record. */
async function write<Row>(client: pg.PoolClient, insert: Insert<Row>, rows: readonly Labelled<Row>[]): Promise<number> {
  let written = 0;
  for (const { label, row } of rows) {
    try {
      written += (await client.query(insert.sql, insert.values(row))).rowCount ?? 0;
    } catch (error) {
      throw new RecordWriteError(label, error);
    }
  }
  return written;
}
