import pg from 'pg';
import { VigilError } from '../../core/errors.js';
import type { Document, Incident, Link, Mention, Revision, Source } from '../../core/model.js';
import { INCIDENT_ORDER, SqlParams, incidentConditions, pageSize, revisionsUpToSql, textMentionsSql, toPage, type Bbox, type DayWindow } from '../incident-query.js';
import { INCIDENT_DAYS_SQL, INCIDENT_POINT_SQL } from './list-migration.js';
import { statsRows, statsSql, type DatedRevision, type StatsRequest, type StatsRow, type StatsSqlRow } from '../stats.js';
import { pendingMigrations, type Migration } from '../migration.js';
import { factsStatsPostgres, refreshStatsPostgres, type StatsRefresh } from './stats-migration.js';
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
  type BundleRows,
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
import { batchWhat, RecordWriteError, prepareBatch, saveError, storeError } from '../store-error.js';
import type { BatchSaveResult, ChangeSet, ExtractionBundle, IncidentFilter, Page, Store, StoreCounts } from '../store.js';
import { applyPostgresChanges } from './incident-writes.js';
import { checkedSchemaName, connectionError, PoolQueue, redactUrl } from './connection.js';
import { postgresMigrations } from './migrations.js';
import type { ImportBatchResult } from '../bulk-import.js';
import { hasTellersPostgres, importBundlesPostgres, storedDocumentIdsPostgres } from './bulk.js';
import type { AccountStore, WithAccounts } from '../accounts.js';
import { PostgresAccountStore } from './accounts.js';
import { PostgresWatchedSourceStore } from './watched-sources.js';
import { PostgresAlertStore } from './alerts.js';
import type { AlertStore } from '../alerts.js';
import type { WatchedSourceStore } from '../watched-sources.js';

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
  /** How long to wait for a new connection to the server before giving up, in milliseconds (default 10000). */
  connectTimeoutMs?: number | undefined;
  /**
   * How many queries may wait for a connection when all are in use (default 1000); more are
   * refused at once with a StoreBusyError (the API's 503 with Retry-After).
   */
  maxWaiting?: number | undefined;
  /** How long a query waits for a connection before it is refused with a StoreBusyError, in milliseconds (default 20000). */
  waitTimeoutMs?: number | undefined;
  /**
   * PostgreSQL's JIT compilation for this store's sessions (default off: the store's queries are
   * short, and compiling costs more than it saves on them).
   */
  jit?: boolean | undefined;
  /**
   * Parallel query (workers per Gather) for this store's sessions (default off: the store serves
   * many short queries at once on few cores; starting workers costs more than they save on them).
   */
  parallelQuery?: boolean | undefined;
  /** The schema history to apply; the default is `postgresMigrations`. */
  migrations?: readonly Migration[] | undefined;
}

/** node-pg hands jsonb and text[] columns back already parsed. */
const json = (value: unknown): unknown => value;

const INCIDENT_COLUMNS = `
SELECT i.id, i.status, i.revision, i.created_at, i.updated_at, i.fields, i.merged_into, i.pins,
  ARRAY(SELECT m.mention_id FROM incident_mentions AS m WHERE m.incident_id = i.id ORDER BY m.ordinal) AS mention_ids,
  ARRAY(SELECT r.related_id FROM incident_related AS r WHERE r.incident_id = i.id ORDER BY r.ordinal) AS related_ids`;

const SELECT_INCIDENTS = `${INCIDENT_COLUMNS}
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

/**
 * The bounding-box test: the point inside the box (two boxes when it crosses the antimeridian,
 * west > east) and, with a day window, the day range overlapping it, written as the GiST index of
 * migration 9 holds them, so that the index finds the incidents in both at once; then the exact
 * coordinate ranges.
 */
function bboxCondition(bbox: Bbox, params: SqlParams, days: DayWindow = {}): string {
  const { west, south, east, north } = bbox;
  const lonRanges: [number, number][] = west <= east ? [[west, east]] : [[west, 180], [-180, east]];
  const boxes = lonRanges
    .map(([w, e]) => `${INCIDENT_POINT_SQL} <@ box(point(${params.add(w)}::float8, ${params.add(south)}::float8), point(${params.add(e)}::float8, ${params.add(north)}::float8))`)
    .join(' OR ');
  const conditions = [`(${boxes})`];
  if (days.from !== undefined || days.to !== undefined) {
    conditions.push(`${INCIDENT_DAYS_SQL} && daterange(${params.add(days.from ?? null)}::date, ${params.add(days.to ?? null)}::date, '[]')`);
  }
  conditions.push(`i.lat BETWEEN ${params.add(south)} AND ${params.add(north)}`);
  conditions.push(
    west <= east ? `i.lon BETWEEN ${params.add(west)} AND ${params.add(east)}` : `(i.lon >= ${params.add(west)} OR i.lon <= ${params.add(east)})`,
  );
  return conditions.join(' AND ');
}

/** A driver error that leaves the connection unusable (as opposed to an error the server reported). */
function breaksConnection(error: unknown): boolean {
  return !(error instanceof pg.DatabaseError);
}

/**
 * Whether an error while writing one bundle is that bundle's fault, so that the rest of a batch can
 * go on: a data exception (class 22, e.g. a NUL character in text), an integrity constraint
 * violation (class 23) or a value over a limit (class 54). Anything else fails the whole batch.
 */
function refusesBundle(error: unknown): boolean {
  const cause = error instanceof RecordWriteError ? error.cause : error;
  return cause instanceof pg.DatabaseError && typeof cause.code === 'string' && /^(22|23|54)/.test(cause.code);
}

/** One column of a multi-row insert: its name, its PostgreSQL type, and its value in a row. */
type Column<Row> = readonly [name: string, type: string, value: (row: Row) => unknown];

/**
 * A multi-row INSERT … VALUES (…), (…) of one table.
 */
interface BulkInsert<Row> {
  table: string;
  columns: readonly Column<Row>[];
  /** ON CONFLICT …, after the VALUES. */
  suffix?: string;
}

const BULK_SOURCES: BulkInsert<SourceRow> = {
  table: 'sources',
  columns: [
    ['id', 'text', (r) => r.id],
    ['kind', 'text', (r) => r.kind],
    ['locator', 'text', (r) => r.locator],
    ['name', 'text', (r) => r.name],
    ['created_at', 'text', (r) => r.created_at],
  ],
  suffix: 'ON CONFLICT (id) DO NOTHING',
};

const BULK_DOCUMENTS: BulkInsert<DocumentRow> = {
  table: 'documents',
  columns: [
    ['id', 'text', (r) => r.id],
    ['source_id', 'text', (r) => r.source_id],
    ['external_id', 'text', (r) => r.external_id],
    ['url', 'text', (r) => r.url],
    ['title', 'text', (r) => r.title],
    ['text', 'text', (r) => r.text],
    ['language', 'text', (r) => r.language],
    ['published_at', 'text', (r) => r.published_at],
    ['fetched_at', 'text', (r) => r.fetched_at],
    ['kind', 'text', (r) => r.kind],
    ['raw', 'text', (r) => r.raw],
  ],
  suffix: 'ON CONFLICT (id) DO NOTHING',
};

const BULK_MENTIONS: BulkInsert<MentionRow> = {
  table: 'mentions',
  columns: [
    ['id', 'text', (r) => r.id],
    ['document_id', 'text', (r) => r.document_id],
    ['extractor', 'text', (r) => r.extractor],
    ['span_start', 'integer', (r) => r.span_start],
    ['span_end', 'integer', (r) => r.span_end],
    ['fields', 'jsonb', (r) => r.fields],
    ['confidence', 'float8', (r) => r.confidence],
    ['created_at', 'text', (r) => r.created_at],
  ],
};

const BULK_INCIDENTS: BulkInsert<IncidentInsertRow> = {
  table: 'incidents',
  columns: [
    ['id', 'text', (r) => r.id],
    ['status', 'text', (r) => r.status],
    ['revision', 'integer', (r) => r.revision],
    ['created_at', 'text', (r) => r.created_at],
    ['updated_at', 'text', (r) => r.updated_at],
    ['fields', 'jsonb', (r) => r.fields],
    ['title', 'text', (r) => r.title],
    ['date_start', 'date', (r) => r.date_start],
    ['date_end', 'date', (r) => r.date_end],
    ['country', 'text', (r) => r.country],
    ['admin1', 'text', (r) => r.admin1],
    ['lat', 'float8', (r) => r.lat],
    ['lon', 'float8', (r) => r.lon],
    ['place_precision', 'text', (r) => r.place_precision],
    ['killed_best', 'integer', (r) => r.killed_best],
    ['wounded_best', 'integer', (r) => r.wounded_best],
  ],
};

const BULK_INCIDENT_MENTIONS: BulkInsert<IncidentMentionRow> = {
  table: 'incident_mentions',
  columns: [
    ['incident_id', 'text', (r) => r.incident_id],
    ['mention_id', 'text', (r) => r.mention_id],
    ['ordinal', 'integer', (r) => r.ordinal],
  ],
};

const BULK_INCIDENT_RELATED: BulkInsert<IncidentRelatedRow> = {
  table: 'incident_related',
  columns: [
    ['incident_id', 'text', (r) => r.incident_id],
    ['related_id', 'text', (r) => r.related_id],
    ['ordinal', 'integer', (r) => r.ordinal],
  ],
};

const BULK_INCIDENT_ACTORS: BulkInsert<IncidentActorRow> = {
  table: 'incident_actors',
  columns: [
    ['incident_id', 'text', (r) => r.incident_id],
    ['actor_id', 'text', (r) => r.actor_id],
    ['attribution', 'text', (r) => r.attribution],
  ],
  suffix: 'ON CONFLICT DO NOTHING',
};

const BULK_REVISIONS: BulkInsert<RevisionRow> = {
  table: 'revisions',
  columns: [
    ['incident_id', 'text', (r) => r.incident_id],
    ['revision', 'integer', (r) => r.revision],
    ['at', 'text', (r) => r.at],
    ['by', 'text', (r) => r.by],
    ['action', 'text', (r) => r.action],
    ['before', 'jsonb', (r) => r.before],
    ['after', 'jsonb', (r) => r.after],
    ['reason', 'text', (r) => r.reason],
  ],
};

const BULK_LINKS: BulkInsert<LinkRow> = {
  table: 'links',
  columns: [
    ['mention_id', 'text', (r) => r.mention_id],
    ['incident_id', 'text', (r) => r.incident_id],
    ['score', 'float8', (r) => r.score],
    ['explanation', 'jsonb', (r) => r.explanation],
    ['decided_by', 'text', (r) => r.decided_by],
  ],
};

/** The most parameters one PostgreSQL statement may have. */
const MAX_PARAMETERS = 65_535;

/**
 * Runs the multi-row inserts of `rows` (nothing when there are none): INSERT … VALUES with one
 * parameter per value, as many rows per statement as the parameter limit allows. Values go as
 * separate parameters rather than arrays, which node-pg would have to escape into one big string.
 * Returns how many rows were inserted.
 */
async function bulkInsert<Row>(client: pg.PoolClient, insert: BulkInsert<Row>, rows: readonly Row[]): Promise<number> {
  const width = insert.columns.length;
  const names = insert.columns.map(([name]) => name).join(', ');
  const perStatement = Math.floor(MAX_PARAMETERS / width);
  let inserted = 0;
  for (let at = 0; at < rows.length; at += perStatement) {
    const chunk = rows.slice(at, at + perStatement);
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const start = values.length;
      tuples.push(`(${insert.columns.map(([, type], n) => `$${start + n + 1}::${type}`).join(', ')})`);
      for (const [, , value] of insert.columns) values.push(value(row));
    }
    const sql = `INSERT INTO ${insert.table} (${names}) VALUES ${tuples.join(', ')} ${insert.suffix ?? ''}`;
    inserted += (await client.query(sql, values)).rowCount ?? 0;
  }
  return inserted;
}

/**
 * Whether every bundle of a batch refers only to its own records or to records outside the batch.
 * When one refers to another bundle of the same batch, saving them one by one could give another
 * result than inserting them table by table, so such a batch takes the bundle-by-bundle path.
 */
function selfContained(rows: readonly (BundleRows | null)[]): boolean {
  const owner = new Map<string, number>();
  rows.forEach((r, n) => {
    if (r === null) return;
    owner.set(`d ${r.document.row.id}`, n);
    for (const m of r.mentions) owner.set(`m ${m.row.id}`, n);
    for (const i of r.incidents) owner.set(`i ${i.row.id}`, n);
  });
  const foreign = (key: string, n: number): boolean => {
    const o = owner.get(key);
    return o !== undefined && o !== n;
  };
  return rows.every(
    (r, n) =>
      r === null ||
      !(
        r.mentions.some((m) => foreign(`d ${m.row.document_id}`, n)) ||
        r.incidentMentions.some((x) => foreign(`m ${x.row.mention_id}`, n)) ||
        r.revisions.some((x) => foreign(`i ${x.row.incident_id}`, n)) ||
        r.links.some((x) => foreign(`m ${x.row.mention_id}`, n) || foreign(`i ${x.row.incident_id}`, n))
      ),
  );
}

/**
 * The fast path of a batch: one transaction, one multi-row insert per table, documents inserted in
 * id order (so that concurrent batches lock them in the same order). Returns false, having rolled
 * back, when a bundle of the batch breaks a constraint or a document was stored concurrently; the
 * caller then saves the bundles one by one.
 */
async function saveBatch(client: pg.PoolClient, rows: readonly (BundleRows | null)[], stored: boolean[]): Promise<boolean> {
  const first = new Map<string, number>();
  rows.forEach((r, n) => {
    if (r !== null && !first.has(r.document.row.id)) first.set(r.document.row.id, n);
  });
  await client.query('BEGIN');
  try {
    const present = await client.query<{ id: string }>('SELECT id FROM documents WHERE id = ANY ($1::text[])', [[...first.keys()]]);
    const known = new Set(present.rows.map((r) => r.id));
    const fresh = [...first]
      .filter(([id]) => !known.has(id))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, n]) => n);
    const bundles = fresh.map((n) => rows[n]!);
    const sources = new Map(bundles.map((b) => [b.source.row.id, b.source.row]));
    await bulkInsert(client, BULK_SOURCES, [...sources.values()]);
    const documents = await bulkInsert(
      client,
      BULK_DOCUMENTS,
      bundles.map((b) => b.document.row),
    );
    if (documents !== bundles.length) {
      // A document was stored by another transaction meanwhile: sort it out bundle by bundle.
      await client.query('ROLLBACK');
      return false;
    }
    await bulkInsert(client, BULK_MENTIONS, bundles.flatMap((b) => b.mentions.map((x) => x.row)));
    await bulkInsert(client, BULK_INCIDENTS, bundles.flatMap((b) => b.incidents.map((x) => x.row)));
    await bulkInsert(client, BULK_INCIDENT_MENTIONS, bundles.flatMap((b) => b.incidentMentions.map((x) => x.row)));
    await bulkInsert(client, BULK_INCIDENT_RELATED, bundles.flatMap((b) => b.incidentRelated.map((x) => x.row)));
    await bulkInsert(client, BULK_INCIDENT_ACTORS, bundles.flatMap((b) => b.incidentActors.map((x) => x.row)));
    await bulkInsert(client, BULK_REVISIONS, bundles.flatMap((b) => b.revisions.map((x) => x.row)));
    await bulkInsert(client, BULK_LINKS, bundles.flatMap((b) => b.links.map((x) => x.row)));
    await client.query('COMMIT');
    for (const n of fresh) stored[n] = true;
    return true;
  } catch (error) {
    if (!refusesBundle(error)) throw error;
    await client.query('ROLLBACK');
    return false;
  }
}

/**
 * The exact path of a batch: one transaction, each bundle in order under its own SAVEPOINT, so
 * that a bundle that breaks a constraint is rolled back alone and reported.
 */
async function saveEach(client: pg.PoolClient, rows: readonly (BundleRows | null)[], stored: boolean[], errors: (VigilError | null)[]): Promise<void> {
  await client.query('BEGIN');
  for (const [n, r] of rows.entries()) {
    if (r === null) continue;
    await client.query('SAVEPOINT bundle');
    try {
      await write(client, INSERT_SOURCE, [r.source]);
      if ((await write(client, INSERT_DOCUMENT, [r.document])) === 0) {
        await client.query('ROLLBACK TO SAVEPOINT bundle; RELEASE SAVEPOINT bundle');
        continue;
      }
      await write(client, INSERT_MENTION, r.mentions);
      await write(client, INSERT_INCIDENT, r.incidents);
      await write(client, INSERT_INCIDENT_MENTION, r.incidentMentions);
      await write(client, INSERT_INCIDENT_RELATED, r.incidentRelated);
      await write(client, INSERT_INCIDENT_ACTOR, r.incidentActors);
      await write(client, INSERT_REVISION, r.revisions);
      await write(client, INSERT_LINK, r.links);
      await client.query('RELEASE SAVEPOINT bundle');
      stored[n] = true;
    } catch (error) {
      if (!refusesBundle(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT bundle; RELEASE SAVEPOINT bundle');
      errors[n] = saveError(r.document.row.id, error);
    }
  }
  await client.query('COMMIT');
}

/**
 * The store for deployments that outgrow one machine: PostgreSQL through a `pg` connection pool,
 * all tables in one schema (see `PostgresStoreOptions.schema`).
 */
export class PostgresStore implements Store, WithAccounts {
  readonly dialect = 'postgres' as const;
  /** Users, tokens, sessions and the audit log, in the same database and schema. */
  readonly accounts: AccountStore;
  readonly watched: WatchedSourceStore;
  readonly alerts: AlertStore;
  /** The schema that holds the tables, when one was given. */
  readonly schema: string | undefined;
  readonly #url: string;
  readonly #pool: pg.Pool;
  /** The bounded wait for a connection of the pool (see PoolQueue). */
  readonly queue: PoolQueue;
  readonly #migrations: readonly Migration[];
  #closed = false;

  /** Makes the pool; no connection is opened until the first query. */
  constructor(options: PostgresStoreOptions) {
    this.#url = options.connectionString;
    this.schema = options.schema === undefined ? undefined : checkedSchemaName(options.schema);
    this.#migrations = options.migrations ?? postgresMigrations;
    const max = options.maxConnections ?? 10;
    this.queue = new PoolQueue({ permits: max, maxWaiting: options.maxWaiting ?? 1000, waitTimeoutMs: options.waitTimeoutMs ?? 20_000 });
    const settings = [
      ...(this.schema === undefined ? [] : [`-c search_path=${this.schema}`]),
      ...(options.jit === true ? [] : ['-c jit=off']),
      ...(options.parallelQuery === true ? [] : ['-c max_parallel_workers_per_gather=0']),
    ];
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(settings.length === 0 ? {} : { options: settings.join(' ') }),
    });
    // An idle connection that the server drops is discarded by the pool and replaced on demand;
    // without a listener the 'error' event would end the process.
    this.#pool.on('error', () => undefined);
    this.accounts = new PostgresAccountStore(this.#pool, () => this.url);
    this.watched = new PostgresWatchedSourceStore(this.#pool, () => this.url);
    this.alerts = new PostgresAlertStore(this.#pool, () => this.url);
  }

  /** The URL of the database without its password, for messages. */
  get url(): string {
    return redactUrl(this.#url);
  }

  /**
   * A connection of the pool, once the queue gives this request its turn (a StoreBusyError when the
   * queue is full or the wait too long). Releasing the client gives the turn back.
   */
  async #connect(doing: string): Promise<pg.PoolClient> {
    if (this.#closed) throw new VigilError('store', `${doing}: the PostgreSQL store at ${this.url} is closed`);
    const done = await this.queue.acquire();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      done();
      throw connectionError(this.#url, error);
    }
    // pg-pool sets a fresh `release` on every checkout, so wrapping this one is local to this turn.
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      release(error);
      done();
    };
    return client;
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

  /** The bulk write path of dataset imports (`DatasetImporter`; src/store/postgres/bulk.ts). */
  async importBundles(bundles: readonly ExtractionBundle[]): Promise<ImportBatchResult> {
    return this.#use(batchWhat(bundles), (client) => importBundlesPostgres(client, bundles, refusesBundle));
  }

  /** Which of these document ids are stored (`DatasetImporter`). */
  async storedDocumentIds(ids: readonly string[]): Promise<Set<string>> {
    return this.#use('cannot read document ids', (client) => storedDocumentIdsPostgres(client, ids));
  }

  /** Whether documents of sources of another kind are stored (`DatasetImporter`). */
  async hasOtherTellers(kind: string): Promise<boolean> {
    return this.#use('cannot read sources', (client) => hasTellersPostgres(client, kind, false));
  }

  /** Whether documents of sources of this kind are stored (`DatasetImporter`). */
  async holdsRowsOf(kind: string): Promise<boolean> {
    return this.#use('cannot read sources', (client) => hasTellersPostgres(client, kind, true));
  }

  async saveExtraction(bundle: ExtractionBundle): Promise<{ stored: boolean }> {
    const result = await this.saveExtractions([bundle]);
    const error = result.errors[0];
    if (error != null) throw error;
    return { stored: result.stored[0] === true };
  }

  async saveExtractions(bundles: readonly ExtractionBundle[]): Promise<BatchSaveResult> {
    const count = bundles.length;
    const what = batchWhat(bundles);
    const stored = new Array<boolean>(count).fill(false);
    const { prepared: rows, errors } = prepareBatch(bundles, bundleRows);
    if (rows.every((r) => r === null)) return { stored, errors };
    const client = await this.#connect(what);
    let broken: unknown;
    try {
      const done = selfContained(rows) && (await saveBatch(client, rows, stored));
      if (!done) await saveEach(client, rows, stored, errors);
      return { stored, errors };
    } catch (error) {
      const cause = error instanceof RecordWriteError ? error.cause : error;
      if (breaksConnection(cause)) broken = cause;
      await client.query('ROLLBACK').catch(() => undefined);
      stored.fill(false);
      throw storeError(`${what} (PostgreSQL at ${this.url})`, error);
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
    // First the ids of the page, from the indexes and the narrow columns; then the full records of
    // just these rows (the JSON, the mention and related ids), not of every candidate sorted.
    const sql = `
      WITH page AS MATERIALIZED (SELECT i.id FROM incidents AS i WHERE ${conditions.join('\n  AND ')} ORDER BY ${INCIDENT_ORDER} LIMIT ${params.add(size + 1)})
      ${INCIDENT_COLUMNS}
      FROM page JOIN incidents AS i ON i.id = page.id
      ORDER BY ${INCIDENT_ORDER}`;
    const rows = await this.#rows<IncidentReadRow>('cannot list incidents', sql, params.values);
    return toPage(
      rows.map((row) => incidentFromRow(row, json)),
      size,
    );
  }

  /** A rollup: from the stats facts when they can answer it (refreshed first), else by the general SQL. */
  async incidentStats(request: StatsRequest): Promise<StatsRow[]> {
    return this.#use('cannot compute statistics', async (client) => {
      const fast = await factsStatsPostgres(client, request, this.#statsLock);
      if (fast !== null) return fast;
      const params = new SqlParams('postgres');
      const sql = statsSql(request, params, bboxCondition);
      return statsRows((await client.query<StatsSqlRow>(sql, params.values)).rows, request.groupBy);
    });
  }

  /**
   * Brings the stats facts up to date with every incident written since the last refresh (rollups
   * do this themselves first; call it after a large import to pay the cost then).
   */
  async refreshStats(): Promise<StatsRefresh> {
    return this.#use('cannot refresh the statistics', (client) => refreshStatsPostgres(client, this.#statsLock));
  }

  /** The advisory lock that serialises refreshes of this schema's stats facts. */
  get #statsLock(): string {
    return `vigil:stats:${this.schema ?? ''}`;
  }

  async revisionsUpTo(upTo: string): Promise<DatedRevision[]> {
    const params = new SqlParams('postgres');
    const sql = revisionsUpToSql(upTo, params);
    const rows = await this.#rows<RevisionRow<unknown> & { created_at: string }>('cannot read revisions', sql, params.values);
    return rows.map((row) => ({ revision: revisionFromRow(row, json), createdAt: row.created_at }));
  }

  async mentionsMatching(q: string): Promise<Set<string>> {
    const params = new SqlParams('postgres');
    const sql = textMentionsSql(q, params);
    return new Set((await this.#rows<{ id: string }>('cannot search documents', sql, params.values)).map((r) => r.id));
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
       FROM links AS l
       WHERE incident_id = $1
         AND EXISTS (SELECT 1 FROM incident_mentions AS im WHERE im.incident_id = l.incident_id AND im.mention_id = l.mention_id)
       ORDER BY seq`,
      [incidentId],
    );
    return rows.map((row) => linkFromRow(row, json));
  }

  async getIncidents(ids: readonly string[]): Promise<Incident[]> {
    if (ids.length === 0) return [];
    const rows = await this.#rows<IncidentReadRow>('cannot read incidents', `${SELECT_INCIDENTS} WHERE i.id = ANY ($1::text[])`, [uniqueIds(ids)]);
    return inRequestedOrder(ids, rows.map((row) => incidentFromRow(row, json)), (i) => i.id);
  }

  async getMergedInto(id: string): Promise<Incident[]> {
    const rows = await this.#rows<IncidentReadRow>(`cannot read the incidents merged into ${id}`, `${SELECT_INCIDENTS} WHERE i.merged_into = $1 ORDER BY i.id`, [id]);
    return rows.map((row) => incidentFromRow(row, json));
  }

  async incidentsOfMentions(mentionIds: readonly string[]): Promise<Map<string, string>> {
    if (mentionIds.length === 0) return new Map();
    const rows = await this.#rows<{ mention_id: string; incident_id: string }>(
      'cannot read the incidents of mentions',
      'SELECT mention_id, incident_id FROM incident_mentions WHERE mention_id = ANY ($1::text[]) ORDER BY incident_id',
      [uniqueIds(mentionIds)],
    );
    return new Map(rows.map((r) => [r.mention_id, r.incident_id]));
  }

  async applyChanges(changes: ChangeSet): Promise<void> {
    if (changes.writes.length === 0 && changes.links.length === 0) return;
    const doing = 'cannot write the changes';
    const client = await this.#connect(doing);
    let broken: unknown;
    try {
      await applyPostgresChanges(client, changes);
    } catch (error) {
      if (!(error instanceof VigilError) && breaksConnection(error)) broken = error;
      throw storeError(`${doing} (PostgreSQL at ${this.url})`, error);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async counts(): Promise<StoreCounts> {
    const [row] = await this.#rows<Record<keyof StoreCounts, string>>(
      'cannot count records',
      `SELECT (SELECT count(*) FROM sources)   AS sources,
              (SELECT count(*) FROM documents) AS documents,
              (SELECT count(*) FROM mentions)  AS mentions,
              (SELECT count(*) FROM incidents WHERE merged_into IS NULL) AS incidents`,
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
