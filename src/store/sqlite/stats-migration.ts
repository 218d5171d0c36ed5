import type Database from 'better-sqlite3';
import type { Migration } from '../migration.js';
import {
  actorClosure,
  AGGREGATES_REBUILD_SQL,
  factsDeltaSql,
  FACTS_FINGERPRINT,
  factsInsertSql,
  factsPlan,
  factsRows,
  factsSql,
  FULL_REBUILD_AT,
  keysInsertSql,
  typeBits,
  type FactsPlan,
} from '../stats-facts.js';
import type { StatsRequest, StatsRow, StatsSqlRow } from '../stats.js';

/** The secondary indexes of `stats_facts`, dropped and made again around a full rebuild. */
const FACTS_INDEXES = `
CREATE INDEX stats_facts_country ON stats_facts (dim, key, country, day, month, admin1, status, cmask, dmask, types, kb, wb, kl, kh, wl, wh);
CREATE INDEX stats_facts_incident ON stats_facts (incident_id);`;

/**
 * Migration 8, fast rollups: the stats facts with their daily and monthly sums (src/store/stats-facts.ts), the queue
 * of incidents changed since they were last refreshed, and the triggers that fill it. The facts
 * table is clustered by (dim, key, day) (WITHOUT ROWID), so a rollup reads a range of it; the queue
 * is an append-only rowid table, so a trigger costs one append per row written.
 */
export const sqliteStatsMigration: Migration = {
  version: 8,
  name: 'stats-facts',
  sql: `
CREATE TABLE stats_queue (n INTEGER PRIMARY KEY, incident_id TEXT NOT NULL) STRICT;
CREATE TABLE stats_claim (id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
CREATE TABLE stats_state (id INTEGER PRIMARY KEY CHECK (id = 1), fingerprint TEXT NOT NULL) STRICT;
INSERT INTO stats_state (id, fingerprint) VALUES (1, '');
CREATE TABLE stats_actor_closure (actor TEXT NOT NULL, ancestor TEXT NOT NULL, PRIMARY KEY (actor, ancestor)) STRICT, WITHOUT ROWID;
CREATE TABLE stats_type_bits (name TEXT PRIMARY KEY, bit INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE stats_keys (dim INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (dim, key)) STRICT, WITHOUT ROWID;

CREATE TABLE stats_facts (
  dim         INTEGER NOT NULL,
  key         TEXT NOT NULL,
  day         INTEGER NOT NULL,
  incident_id TEXT NOT NULL,
  month       INTEGER NOT NULL,
  country     TEXT,
  admin1      TEXT,
  status      TEXT NOT NULL,
  cmask       INTEGER NOT NULL,
  dmask       INTEGER NOT NULL,
  types       INTEGER NOT NULL,
  kl ANY, kb INTEGER, kh ANY, wl ANY, wb INTEGER, wh ANY,
  PRIMARY KEY (dim, key, day, incident_id)
) STRICT, WITHOUT ROWID;
${FACTS_INDEXES}

CREATE TABLE stats_days (
  dim   INTEGER NOT NULL,
  key   TEXT NOT NULL,
  day   INTEGER NOT NULL,
  month INTEGER NOT NULL,
  cmask INTEGER NOT NULL,
  dmask INTEGER NOT NULL,
  n INTEGER NOT NULL, kl ANY NOT NULL, kb ANY NOT NULL, kh ANY NOT NULL, wl ANY NOT NULL, wb ANY NOT NULL, wh ANY NOT NULL,
  PRIMARY KEY (dim, key, day, cmask, dmask)
) STRICT, WITHOUT ROWID;

CREATE TABLE stats_months (
  dim   INTEGER NOT NULL,
  key   TEXT NOT NULL,
  month INTEGER NOT NULL,
  cmask INTEGER NOT NULL,
  dmask INTEGER NOT NULL,
  n INTEGER NOT NULL, kl ANY NOT NULL, kb ANY NOT NULL, kh ANY NOT NULL, wl ANY NOT NULL, wb ANY NOT NULL, wh ANY NOT NULL,
  PRIMARY KEY (dim, key, month, cmask, dmask)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER incidents_stats_insert AFTER INSERT ON incidents
BEGIN INSERT INTO stats_queue (incident_id) VALUES (new.id); END;
CREATE TRIGGER incidents_stats_update AFTER UPDATE OF id, status, fields, date_start, country, admin1, killed_best, wounded_best, merged_into ON incidents
BEGIN INSERT INTO stats_queue (incident_id) VALUES (new.id); END;
CREATE TRIGGER incidents_stats_delete AFTER DELETE ON incidents
BEGIN INSERT INTO stats_queue (incident_id) VALUES (old.id); END;
CREATE TRIGGER incident_actors_stats_insert AFTER INSERT ON incident_actors
BEGIN INSERT INTO stats_queue (incident_id) VALUES (new.incident_id); END;
CREATE TRIGGER incident_actors_stats_update AFTER UPDATE ON incident_actors
BEGIN INSERT INTO stats_queue (incident_id) VALUES (old.incident_id); INSERT INTO stats_queue (incident_id) VALUES (new.incident_id); END;
CREATE TRIGGER incident_actors_stats_delete AFTER DELETE ON incident_actors
BEGIN INSERT INTO stats_queue (incident_id) VALUES (old.incident_id); END;
`,
};

/** What a refresh did: how many incidents it brought up to date, and whether it rebuilt everything. */
export interface StatsRefresh {
  incidents: number;
  full: boolean;
}

/**
 * Brings the stats facts up to date with the queued incidents, in one IMMEDIATE transaction (so
 * no write interleaves): nothing to do costs one read of the queue's last entry and the state.
 */
export function refreshStatsSqlite(db: Database.Database): StatsRefresh {
  const pending = (): { last: number | null; fingerprint: string } =>
    db.prepare('SELECT (SELECT max(n) FROM stats_queue) AS last, (SELECT fingerprint FROM stats_state WHERE id = 1) AS fingerprint').get() as { last: number | null; fingerprint: string };
  const first = pending();
  if (first.last === null && first.fingerprint === FACTS_FINGERPRINT) return { incidents: 0, full: false };
  const run = db.transaction((): StatsRefresh => {
    const { last, fingerprint } = pending();
    if (last === null && fingerprint === FACTS_FINGERPRINT) return { incidents: 0, full: false };
    const claimed = last === null ? 0 : db.prepare('INSERT OR IGNORE INTO stats_claim (id) SELECT incident_id FROM stats_queue WHERE n <= ?').run(last).changes;
    const full = fingerprint !== FACTS_FINGERPRINT || claimed >= FULL_REBUILD_AT;
    if (full) {
      db.exec('DELETE FROM stats_actor_closure; DELETE FROM stats_type_bits; DELETE FROM stats_keys; DELETE FROM stats_days; DELETE FROM stats_months; DELETE FROM stats_facts;');
      db.exec('DROP INDEX stats_facts_country; DROP INDEX stats_facts_incident;');
      const closure = db.prepare('INSERT INTO stats_actor_closure (actor, ancestor) VALUES (?, ?)');
      for (const [actor, ancestor] of actorClosure()) closure.run(actor, ancestor);
      const bits = db.prepare('INSERT INTO stats_type_bits (name, bit) VALUES (?, ?)');
      for (const [name, bit] of typeBits()) bits.run(name, bit);
      for (const sql of factsInsertSql('sqlite', false)) db.prepare(sql).run();
      db.exec(FACTS_INDEXES);
      for (const sql of AGGREGATES_REBUILD_SQL) db.prepare(sql).run();
      db.prepare(keysInsertSql('sqlite', false)).run();
      db.prepare('UPDATE stats_state SET fingerprint = ? WHERE id = 1').run(FACTS_FINGERPRINT);
    } else {
      for (const sql of factsDeltaSql('sqlite')) db.prepare(sql).run();
    }
    if (last !== null) db.prepare('DELETE FROM stats_queue WHERE n <= ?').run(last);
    db.exec('DELETE FROM stats_claim');
    return { incidents: claimed, full };
  });
  const result = run.immediate();
  if (result.full) db.exec('PRAGMA analysis_limit = 1000; ANALYZE stats_facts; ANALYZE stats_days; ANALYZE stats_months;');
  return result;
}

/**
 * How long a rollup waits for the write lock to refresh the facts before it gives up and is
 * answered by the general SQL instead: an import holds the lock for a batch at a time (seconds),
 * and the store's busy time-out would otherwise make the rollup wait that long, or fail.
 */
export const FACTS_LOCK_WAIT_MS = 250;

/** True for SQLite's "database is locked" errors (SQLITE_BUSY and its extended codes). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * {@link refreshStatsSqlite}, waiting at most `waitMs` (or the connection's busy time-out, if
 * shorter) for another connection's write to end; null when it did not end in time (nothing was
 * refreshed: the facts stay as they were, and the queue keeps the incidents for the next refresh).
 */
export function tryRefreshStatsSqlite(db: Database.Database, waitMs: number): StatsRefresh | null {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${Math.max(0, Math.min(busyTimeout, Math.floor(waitMs)))}`);
  try {
    return refreshStatsSqlite(db);
  } catch (error) {
    if (isBusy(error)) return null;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/**
 * A rollup from the stats facts (after a refresh), or null when the request needs the general SQL
 * of `statsSql`, or when the facts are behind and cannot be refreshed now because another
 * connection is writing (an import's batch): the general SQL then reads the incidents as they are,
 * the same answer, only slower. `prepare` caches statements.
 */
export function factsStatsSqlite(db: Database.Database, request: StatsRequest, prepare: (sql: string) => Database.Statement): StatsRow[] | null {
  const plan: FactsPlan | null = factsPlan(request, 'sqlite');
  if (plan === null) return null;
  if (tryRefreshStatsSqlite(db, FACTS_LOCK_WAIT_MS) === null) return null;
  const keys = new Map<number, string[]>();
  const keysOf = (dim: number): string[] => {
    let list = keys.get(dim);
    if (list === undefined) {
      list = prepare('SELECT key FROM stats_keys WHERE dim = ? ORDER BY key').pluck().all(dim) as string[];
      keys.set(dim, list);
    }
    return list;
  };
  const { sql, values } = factsSql(plan, 'sqlite', keysOf);
  return factsRows(plan, prepare(sql).all(...values) as StatsSqlRow[]);
}
