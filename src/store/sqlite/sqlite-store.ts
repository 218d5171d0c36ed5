import Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Document, Incident, Link, Mention, Revision, Source } from '../../core/model.js';
import { actorConditions, INCIDENT_ORDER, SqlParams, incidentConditions, pageSize, revisionsUpToSql, textMentionsSql, toPage, type ActorStyle, type Bbox, type DayWindow } from '../incident-query.js';
import { statsRows, statsSql, type DatedRevision, type StatsRequest, type StatsRow, type StatsSqlRow } from '../stats.js';
import { pendingMigrations, type Migration } from '../migration.js';
import { factsStatsSqlite, refreshStatsSqlite, type StatsRefresh } from './stats-migration.js';
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
  type IncidentReadRow,
  type Labelled,
  type LinkRow,
  type MentionRow,
  type RevisionRow,
  type SourceRow,
} from '../rows.js';
import { batchWhat, RecordWriteError, prepareBatch, saveError, storeError } from '../store-error.js';
import type { BatchSaveResult, ChangeSet, ExtractionBundle, IncidentFilter, Page, Store, StoreCounts } from '../store.js';
import { applySqliteChanges } from './incident-writes.js';
import { sqliteMigrations } from './migrations.js';
import type { ImportBatchResult } from '../bulk-import.js';
import { hasTellersSqlite, importBundlesSqlite, storedDocumentIdsSqlite } from './bulk.js';
import type { AccountStore, WithAccounts } from '../accounts.js';
import { SqliteAccountStore } from './accounts.js';
import { SqliteWatchedSourceStore } from './watched-sources.js';
import { SqliteAlertStore } from './alerts.js';
import type { AlertStore } from '../alerts.js';
import type { WatchedSourceStore } from '../watched-sources.js';

/** Options of a SqliteStore. */
export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock before failing, in milliseconds (default 5000). */
  busyTimeoutMs?: number;
  /** The schema history to apply; the default is `sqliteMigrations`. */
  migrations?: readonly Migration[];
  /** Below how many matching perpetrators an actor-filtered listing starts from the actor index (default ACTOR_DRIVE_BELOW; tests set 0 or more to take either path). */
  actorDriveBelow?: number;
}

const json = (value: unknown): unknown => JSON.parse(value as string);

const INCIDENT_COLUMNS = `
SELECT i.id, i.status, i.revision, i.created_at, i.updated_at, i.fields, i.merged_into, i.pins,
  (SELECT json_group_array(m.mention_id ORDER BY m.ordinal) FROM incident_mentions AS m WHERE m.incident_id = i.id) AS mention_ids,
  (SELECT json_group_array(r.related_id ORDER BY r.ordinal) FROM incident_related AS r WHERE r.incident_id = i.id) AS related_ids`;

const SELECT_INCIDENTS = `${INCIDENT_COLUMNS}
FROM incidents AS i`;

const INSERT = {
  source: `
    INSERT INTO sources (id, kind, locator, name, created_at)
    VALUES (@id, @kind, @locator, @name, @created_at)
    ON CONFLICT (id) DO NOTHING`,
  document: `
    INSERT INTO documents (id, source_id, external_id, url, title, text, language, published_at, fetched_at, kind, raw)
    VALUES (@id, @source_id, @external_id, @url, @title, @text, @language, @published_at, @fetched_at, @kind, @raw)`,
  mention: `
    INSERT INTO mentions (id, document_id, extractor, span_start, span_end, fields, confidence, created_at)
    VALUES (@id, @document_id, @extractor, @span_start, @span_end, @fields, @confidence, @created_at)`,
  incident: `
    INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end,
                           country, admin1, lat, lon, place_precision, killed_best, wounded_best)
    VALUES (@id, @status, @revision, @created_at, @updated_at, @fields, @title, @date_start, @date_end,
            @country, @admin1, @lat, @lon, @place_precision, @killed_best, @wounded_best)`,
  incidentMention: `
    INSERT INTO incident_mentions (incident_id, mention_id, ordinal) VALUES (@incident_id, @mention_id, @ordinal)`,
  incidentRelated: `
    INSERT INTO incident_related (incident_id, related_id, ordinal) VALUES (@incident_id, @related_id, @ordinal)`,
  incidentActor: `
    INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES (@incident_id, @actor_id, @attribution)
    ON CONFLICT DO NOTHING`,
  revision: `
    INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason)
    VALUES (@incident_id, @revision, @at, @by, @action, @before, @after, @reason)`,
  link: `
    INSERT INTO links (mention_id, incident_id, score, explanation, decided_by)
    VALUES (@mention_id, @incident_id, @score, @explanation, @decided_by)`,
} as const;

/** The day number (days since 1970-01-01) of a YYYY-MM-DD day, as the space-time R*Tree stores it. */
const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/**
 * The bounding-box test through an R*Tree: with a day window, the space-time R*Tree of migration 9
 * (points and days), which reads only the incidents in the box during the window; otherwise the
 * R*Tree of incident points. A box crossing the antimeridian (west > east) is two boxes. The
 * R*Tree stores 32-bit floats rounded outwards, so the exact coordinates are checked as well (and
 * the exact dates by the date conditions).
 */
function bboxCondition(bbox: Bbox, params: SqlParams, days: DayWindow = {}): string {
  const { west, south, east, north } = bbox;
  const lonRanges: [number, number][] = west <= east ? [[west, east]] : [[west, 180], [-180, east]];
  const timed = days.from !== undefined || days.to !== undefined;
  const boxes = lonRanges
    .map(([w, e]) => {
      const space = `min_lon <= ${params.add(e)} AND max_lon >= ${params.add(w)} AND min_lat <= ${params.add(north)} AND max_lat >= ${params.add(south)}`;
      if (!timed) return `SELECT id FROM incident_points WHERE ${space}`;
      const time = [
        ...(days.to === undefined ? [] : [`min_day <= ${params.add(dayNumber(days.to))}`]),
        ...(days.from === undefined ? [] : [`max_day >= ${params.add(dayNumber(days.from))}`]),
      ];
      return `SELECT id FROM incident_space_time WHERE ${space} AND ${time.join(' AND ')}`;
    })
    .join(' UNION ALL ');
  const inBoxes = `i.seq IN (${boxes})`;
  const lat = `i.lat BETWEEN ${params.add(south)} AND ${params.add(north)}`;
  const lon =
    west <= east
      ? `i.lon BETWEEN ${params.add(west)} AND ${params.add(east)}`
      : `(i.lon >= ${params.add(west)} OR i.lon <= ${params.add(east)})`;
  return `${inBoxes} AND ${lat} AND ${lon}`;
}

/**
 * Below this many matching perpetrator rows, a listing filtered by actor starts from the actor
 * index (reading them all and sorting); from this many on, it walks incidents newest first and
 * probes each one's perpetrators, which finds a page after about (page size × incidents ÷ matches)
 * probes. The two cost the same near √(page size × incidents): 16,000 for 100 of 2.5 million.
 */
const ACTOR_DRIVE_BELOW = 16_000;

/**
 * Whether an error while writing one bundle is that bundle's fault (a constraint it breaks, a value
 * the driver cannot bind), so that the rest of a batch can go on; any other error (busy, full,
 * I/O, corruption) fails the whole transaction.
 */
function refusesBundle(error: unknown): boolean {
  const cause = error instanceof RecordWriteError ? error.cause : error;
  if (cause instanceof TypeError || cause instanceof RangeError) return true;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

/**
 * The embedded store: one SQLite file through better-sqlite3, in WAL mode with foreign keys on.
 * better-sqlite3 is synchronous; the methods return Promises to match the Store interface.
 */
export class SqliteStore implements Store, WithAccounts {
  readonly dialect = 'sqlite' as const;
  /** Users, tokens, sessions and the audit log, in the same file. */
  readonly accounts: AccountStore;
  readonly watched: WatchedSourceStore;
  readonly alerts: AlertStore;
  /** The database file, or ':memory:'. */
  readonly path: string;
  readonly #db: Database.Database;
  readonly #migrations: readonly Migration[];
  readonly #statements = new Map<string, Database.Statement>();
  readonly #actorDriveBelow: number;
  #closed = false;

  /** Opens (creating if needed) the SQLite database at `path`; its parent directory must exist. */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.path = path;
    this.#migrations = options.migrations ?? sqliteMigrations;
    this.#actorDriveBelow = Math.max(0, Math.floor(options.actorDriveBelow ?? ACTOR_DRIVE_BELOW));
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { timeout: busyTimeoutMs });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Bulk imports insert into indexes keyed by random hashes: a larger page cache (64 MiB at
      // most, allocated as used) keeps their pages in memory; temporary b-trees stay in memory.
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    } catch (error) {
      db?.close();
      throw storeError(`cannot open the SQLite database at ${path}`, error);
    }
    this.#db = db;
    this.accounts = new SqliteAccountStore(db, path);
    this.watched = new SqliteWatchedSourceStore(db, path);
    this.alerts = new SqliteAlertStore(db, path);
  }

  /** Runs `work` against the open database, turning driver errors into VigilError('store'). */
  #use<T>(doing: string, work: (db: Database.Database) => T): T {
    if (this.#closed) throw new VigilError('store', `${doing}: the SQLite store at ${this.path} is closed`);
    try {
      return work(this.#db);
    } catch (error) {
      throw storeError(`${doing} (SQLite at ${this.path})`, error);
    }
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async migrate(): Promise<string[]> {
    return this.#use('cannot migrate the database', (db) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version    INTEGER PRIMARY KEY,
          name       TEXT NOT NULL,
          applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) STRICT`);
      const applied = (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
      const apply = db.transaction((migration: Migration): boolean => {
        const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
        if (done !== undefined) return false;
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(migration.version, migration.name);
        return true;
      });
      const names: string[] = [];
      for (const migration of pendingMigrations(this.#migrations, applied)) {
        try {
          if (apply.immediate(migration)) names.push(migration.name);
        } catch (error) {
          throw storeError(`migration ${migration.version} (${migration.name}) failed and was rolled back`, error);
        }
      }
      this.#statements.clear();
      return names;
    });
  }

  async schemaVersion(): Promise<number> {
    return this.#use('cannot read the schema version', (db) => {
      const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get();
      if (table === undefined) return 0;
      return db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number;
    });
  }

  async ping(): Promise<void> {
    this.#use('cannot reach the database', (db) => db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  /** The bulk write path of dataset imports (`DatasetImporter`; src/store/sqlite/bulk.ts). */
  async importBundles(bundles: readonly ExtractionBundle[]): Promise<ImportBatchResult> {
    return this.#use(batchWhat(bundles), (db) => importBundlesSqlite(db, bundles, refusesBundle));
  }

  /** Which of these document ids are stored (`DatasetImporter`). */
  async storedDocumentIds(ids: readonly string[]): Promise<Set<string>> {
    return this.#use('cannot read document ids', (db) => storedDocumentIdsSqlite(db, ids));
  }

  /** Whether documents of sources of another kind are stored (`DatasetImporter`). */
  async hasOtherTellers(kind: string): Promise<boolean> {
    return this.#use('cannot read sources', (db) => hasTellersSqlite(db, kind, false));
  }

  /** Whether documents of sources of this kind are stored (`DatasetImporter`). */
  async holdsRowsOf(kind: string): Promise<boolean> {
    return this.#use('cannot read sources', (db) => hasTellersSqlite(db, kind, true));
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
    if (this.#closed) throw new VigilError('store', `${what}: the SQLite store at ${this.path} is closed`);
    const stored = new Array<boolean>(count).fill(false);
    const { prepared: rows, errors } = prepareBatch(bundles, bundleRows);
    if (rows.every((r) => r === null)) return { stored, errors };
    const saveOne = (all: BundleRows): boolean => {
      if (this.#statement('SELECT 1 FROM documents WHERE id = ?').get(all.document.row.id) !== undefined) return false;
      this.#write(INSERT.source, [all.source]);
      this.#write(INSERT.document, [all.document]);
      this.#write(INSERT.mention, all.mentions);
      this.#write(INSERT.incident, all.incidents);
      this.#write(INSERT.incidentMention, all.incidentMentions);
      this.#write(INSERT.incidentRelated, all.incidentRelated);
      this.#write(INSERT.incidentActor, all.incidentActors);
      this.#write(INSERT.revision, all.revisions);
      this.#write(INSERT.link, all.links);
      return true;
    };
    // Guarded, each bundle runs in a nested transaction, which better-sqlite3 makes a SAVEPOINT, so
    // that a bundle that fails is rolled back alone. Savepoints cost time, so a batch is first
    // tried without them; when a bundle fails, that attempt is rolled back whole and the batch
    // runs again guarded.
    const saveGuarded = this.#db.transaction(saveOne);
    const saveAll = this.#db.transaction((guarded: boolean): void => {
      rows.forEach((all, n) => {
        if (all === null) return;
        if (!guarded) {
          stored[n] = saveOne(all);
          return;
        }
        try {
          stored[n] = saveGuarded(all);
        } catch (error) {
          if (!refusesBundle(error)) throw error;
          errors[n] = saveError(all.document.row.id, error);
        }
      });
    });
    try {
      try {
        saveAll.immediate(false);
      } catch (error) {
        if (!refusesBundle(error)) throw error;
        stored.fill(false);
        saveAll.immediate(true);
      }
    } catch (error) {
      stored.fill(false);
      throw storeError(`${what} (SQLite at ${this.path})`, error);
    }
    return { stored, errors };
  }

  #write(sql: string, rows: readonly Labelled<object>[]): void {
    const statement = this.#statement(sql);
    for (const { label, row } of rows) {
      try {
        statement.run(row);
      } catch (error) {
        throw new RecordWriteError(label, error);
      }
    }
  }

  async getSource(id: string): Promise<Source | null> {
    return this.#use(`cannot read source ${id}`, () => {
      const row = this.#statement('SELECT id, kind, locator, name, created_at FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
      return row === undefined ? null : sourceFromRow(row);
    });
  }

  async getDocument(id: string): Promise<Document | null> {
    const [document] = await this.getDocuments([id]);
    return document ?? null;
  }

  async getDocuments(ids: readonly string[]): Promise<Document[]> {
    if (ids.length === 0) return [];
    return this.#use('cannot read documents', () => {
      const rows = this.#statement(`
        SELECT id, source_id, external_id, url, title, text, language, published_at, fetched_at, kind, raw
        FROM documents
        WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(uniqueIds(ids))) as DocumentRow[];
      return inRequestedOrder(ids, rows.map(documentFromRow), (d) => d.id);
    });
  }

  async getMentions(ids: readonly string[]): Promise<Mention[]> {
    if (ids.length === 0) return [];
    return this.#use('cannot read mentions', () => {
      const rows = this.#statement(`
        SELECT id, document_id, extractor, span_start, span_end, fields, confidence, created_at
        FROM mentions
        WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(uniqueIds(ids))) as MentionRow<unknown>[];
      return inRequestedOrder(ids, rows.map((row) => mentionFromRow(row, json)), (m) => m.id);
    });
  }

  async getIncident(id: string): Promise<Incident | null> {
    return this.#use(`cannot read incident ${id}`, () => {
      const row = this.#statement(`${SELECT_INCIDENTS} WHERE i.id = ?`).get(id) as IncidentReadRow | undefined;
      return row === undefined ? null : incidentFromRow(row, json);
    });
  }

  async listIncidents(filter: IncidentFilter): Promise<Page<Incident>> {
    const size = pageSize(filter.limit);
    return this.#use('cannot list incidents', () => {
      const params = new SqlParams('sqlite');
      const conditions = incidentConditions(filter, params, bboxCondition, { actorStyle: this.#actorStyle(filter) });
      // First the keys of the page, from the indexes and the narrow columns; then the full records
      // of just these rows (the JSON, the mention and related ids), not of every candidate sorted.
      const sql = `
        WITH page (seq) AS (SELECT i.seq FROM incidents AS i WHERE ${conditions.join('\n  AND ')} ORDER BY ${INCIDENT_ORDER} LIMIT ${params.add(size + 1)})
        ${INCIDENT_COLUMNS}
        FROM page CROSS JOIN incidents AS i ON i.seq = page.seq
        ORDER BY ${INCIDENT_ORDER}`;
      const rows = this.#statement(sql).all(...params.values) as IncidentReadRow[];
      return toPage(
        rows.map((row) => incidentFromRow(row, json)),
        size,
      );
    });
  }

  /** How a listing filtered by actor reads `incident_actors` (see ACTOR_DRIVE_BELOW): a bounded count on the actor index decides. */
  #actorStyle(filter: IncidentFilter): ActorStyle {
    const params = new SqlParams('sqlite');
    const on = actorConditions(filter, params);
    if (on === null) return 'exists';
    if (this.#actorDriveBelow === 0) return 'probe';
    const matches = this.#statement(`SELECT count(*) FROM (SELECT 1 FROM incident_actors AS a WHERE ${on.join(' AND ')} LIMIT ${this.#actorDriveBelow})`)
      .pluck()
      .get(...params.values) as number;
    return matches < this.#actorDriveBelow ? 'drive' : 'probe';
  }

  /**
   * A rollup: from the stats facts when they can answer it (refreshed first), else by the general
   * SQL; also by the general SQL when the facts are behind while another connection writes (an
   * import), rather than wait for it.
   */
  async incidentStats(request: StatsRequest): Promise<StatsRow[]> {
    return this.#use('cannot compute statistics', (db) => {
      const fast = factsStatsSqlite(db, request, (sql) => this.#statement(sql));
      if (fast !== null) return fast;
      const params = new SqlParams('sqlite');
      const sql = statsSql(request, params, bboxCondition);
      return statsRows(this.#statement(sql).all(...params.values) as StatsSqlRow[], request.groupBy);
    });
  }

  /**
   * Brings the stats facts up to date with every incident written since the last refresh (rollups
   * do this themselves first; call it after a large import to pay the cost then).
   */
  async refreshStats(): Promise<StatsRefresh> {
    return this.#use('cannot refresh the statistics', (db) => refreshStatsSqlite(db));
  }

  async revisionsUpTo(upTo: string): Promise<DatedRevision[]> {
    const params = new SqlParams('sqlite');
    const sql = revisionsUpToSql(upTo, params);
    return this.#use('cannot read revisions', () =>
      (this.#statement(sql).all(...params.values) as (RevisionRow<unknown> & { created_at: string })[]).map((row) => ({ revision: revisionFromRow(row, json), createdAt: row.created_at })),
    );
  }

  async mentionsMatching(q: string): Promise<Set<string>> {
    const params = new SqlParams('sqlite');
    const sql = textMentionsSql(q, params);
    return this.#use('cannot search documents', () => new Set((this.#statement(sql).all(...params.values) as { id: string }[]).map((r) => r.id)));
  }

  async getRevisions(incidentId: string): Promise<Revision[]> {
    return this.#use(`cannot read the revisions of incident ${incidentId}`, () => {
      const rows = this.#statement(`
        SELECT incident_id, revision, at, by, action, before, after, reason
        FROM revisions
        WHERE incident_id = ?
        ORDER BY revision`).all(incidentId) as RevisionRow<unknown>[];
      return rows.map((row) => revisionFromRow(row, json));
    });
  }

  async getLinks(incidentId: string): Promise<Link[]> {
    return this.#use(`cannot read the links of incident ${incidentId}`, () => {
      const rows = this.#statement(`
        SELECT mention_id, incident_id, score, explanation, decided_by
        FROM links AS l
        WHERE incident_id = ?
          AND EXISTS (SELECT 1 FROM incident_mentions AS im WHERE im.incident_id = l.incident_id AND im.mention_id = l.mention_id)
        ORDER BY seq`).all(incidentId) as LinkRow<unknown>[];
      return rows.map((row) => linkFromRow(row, json));
    });
  }

  async getIncidents(ids: readonly string[]): Promise<Incident[]> {
    if (ids.length === 0) return [];
    return this.#use('cannot read incidents', () => {
      const rows = this.#statement(`${SELECT_INCIDENTS} WHERE i.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(uniqueIds(ids))) as IncidentReadRow[];
      return inRequestedOrder(ids, rows.map((row) => incidentFromRow(row, json)), (i) => i.id);
    });
  }

  async getMergedInto(id: string): Promise<Incident[]> {
    return this.#use(`cannot read the incidents merged into ${id}`, () => {
      const rows = this.#statement(`${SELECT_INCIDENTS} WHERE i.merged_into = ? ORDER BY i.id`).all(id) as IncidentReadRow[];
      return rows.map((row) => incidentFromRow(row, json));
    });
  }

  async incidentsOfMentions(mentionIds: readonly string[]): Promise<Map<string, string>> {
    if (mentionIds.length === 0) return new Map();
    return this.#use('cannot read the incidents of mentions', () => {
      const rows = this.#statement(`
        SELECT mention_id, incident_id FROM incident_mentions
        WHERE mention_id IN (SELECT value FROM json_each(?))
        ORDER BY incident_id`).all(JSON.stringify(uniqueIds(mentionIds))) as { mention_id: string; incident_id: string }[];
      return new Map(rows.map((r) => [r.mention_id, r.incident_id]));
    });
  }

  async applyChanges(changes: ChangeSet): Promise<void> {
    if (changes.writes.length === 0 && changes.links.length === 0) return;
    this.#use('cannot write the changes', (db) => applySqliteChanges(db, changes, (sql) => this.#statement(sql)));
  }

  async counts(): Promise<StoreCounts> {
    return this.#use('cannot count records', () => {
      return this.#statement(`
        SELECT (SELECT count(*) FROM sources)   AS sources,
               (SELECT count(*) FROM documents) AS documents,
               (SELECT count(*) FROM mentions)  AS mentions,
               (SELECT count(*) FROM incidents WHERE merged_into IS NULL) AS incidents`).get() as StoreCounts;
    });
  }
}
