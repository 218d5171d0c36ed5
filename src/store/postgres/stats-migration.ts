import type pg from 'pg';
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
} from '../stats-facts.js';
import type { StatsRequest, StatsRow, StatsSqlRow } from '../stats.js';

/** The indexes of stats_facts: dropped before a full build and made again after it (a sort per index instead of random insertions). */
const FACTS_INDEXES = `CREATE INDEX stats_facts_day ON stats_facts (dim, key, day) INCLUDE (month, country, admin1, status, cmask, dmask, types, kb, wb, kl, kh, wl, wh);
CREATE INDEX stats_facts_country ON stats_facts (dim, key, country, day) INCLUDE (month, admin1, status, cmask, dmask, types, kb, wb, kl, kh, wl, wh);
CREATE INDEX stats_facts_incident ON stats_facts (incident_id);`;

/**
 * Migration 8, fast rollups: the stats facts with their daily and monthly sums (src/store/stats-facts.ts), the queue
 * of incidents changed since they were last refreshed, and statement-level triggers that fill it
 * from the rows each statement wrote (transition tables: one INSERT … SELECT per statement, not
 * one per row). The covering indexes let rollups run as index-only scans once the facts are
 * vacuumed (the refresh vacuums after large changes).
 */
export const postgresStatsMigration: Migration = {
  version: 8,
  name: 'stats-facts',
  sql: `
CREATE TABLE stats_queue (n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, incident_id text COLLATE "C" NOT NULL);
CREATE TABLE stats_claim (id text COLLATE "C" PRIMARY KEY);
CREATE TABLE stats_state (id integer PRIMARY KEY CHECK (id = 1), fingerprint text NOT NULL);
INSERT INTO stats_state (id, fingerprint) VALUES (1, '');
CREATE TABLE stats_actor_closure (actor text COLLATE "C" NOT NULL, ancestor text COLLATE "C" NOT NULL, PRIMARY KEY (actor, ancestor));
CREATE TABLE stats_type_bits (name text PRIMARY KEY, bit integer NOT NULL);
CREATE TABLE stats_keys (dim smallint NOT NULL, key text COLLATE "C" NOT NULL, PRIMARY KEY (dim, key));

CREATE TABLE stats_facts (
  dim         smallint NOT NULL,
  key         text COLLATE "C" NOT NULL,
  day         integer NOT NULL,
  incident_id text COLLATE "C" NOT NULL,
  month       integer NOT NULL,
  country     text,
  admin1      text,
  status      text NOT NULL,
  cmask       integer NOT NULL,
  dmask       integer NOT NULL,
  types       integer NOT NULL,
  kl bigint, kb integer, kh bigint, wl bigint, wb integer, wh bigint
);
${FACTS_INDEXES}

CREATE TABLE stats_days (
  dim   smallint NOT NULL,
  key   text COLLATE "C" NOT NULL,
  day   integer NOT NULL,
  month integer NOT NULL,
  cmask integer NOT NULL,
  dmask integer NOT NULL,
  n bigint NOT NULL, kl bigint NOT NULL, kb bigint NOT NULL, kh bigint NOT NULL, wl bigint NOT NULL, wb bigint NOT NULL, wh bigint NOT NULL,
  PRIMARY KEY (dim, key, day, cmask, dmask)
);

CREATE TABLE stats_months (
  dim   smallint NOT NULL,
  key   text COLLATE "C" NOT NULL,
  month integer NOT NULL,
  cmask integer NOT NULL,
  dmask integer NOT NULL,
  n bigint NOT NULL, kl bigint NOT NULL, kb bigint NOT NULL, kh bigint NOT NULL, wl bigint NOT NULL, wb bigint NOT NULL, wh bigint NOT NULL,
  PRIMARY KEY (dim, key, month, cmask, dmask)
);

CREATE FUNCTION stats_queue_incidents() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO stats_queue (incident_id) SELECT id FROM changed;
  RETURN NULL;
END $$;
CREATE FUNCTION stats_queue_actors() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO stats_queue (incident_id) SELECT incident_id FROM changed;
  RETURN NULL;
END $$;
CREATE TRIGGER incidents_stats_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stats_queue_incidents();
CREATE TRIGGER incidents_stats_update AFTER UPDATE ON incidents REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stats_queue_incidents();
CREATE TRIGGER incidents_stats_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stats_queue_incidents();
CREATE TRIGGER incident_actors_stats_insert AFTER INSERT ON incident_actors REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stats_queue_actors();
CREATE TRIGGER incident_actors_stats_update AFTER UPDATE ON incident_actors REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stats_queue_actors();
CREATE TRIGGER incident_actors_stats_delete AFTER DELETE ON incident_actors REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stats_queue_actors();
`,
};

/** What a refresh did: how many incidents it brought up to date, and whether it rebuilt everything. */
export interface StatsRefresh {
  incidents: number;
  full: boolean;
}

/** After a refresh of at least this many incidents, the facts are vacuumed (visibility map, statistics). */
const VACUUM_AT = 20_000;

/**
 * Brings the stats facts up to date with the queued incidents. Refreshes are serialised by an
 * advisory lock (a rollup that finds work queued waits for a refresh in progress, then sees its
 * result). The queued ids are claimed (deleted from the queue) in the refresh's transaction, and
 * every later statement reads incidents as committed then or later; an incident written by a
 * transaction that commits after the claim is still queued for the next refresh. Nothing to do
 * costs one query.
 */
export async function refreshStatsPostgres(client: pg.PoolClient, lockName: string): Promise<StatsRefresh> {
  const check = async (): Promise<boolean> => {
    const { rows } = await client.query<{ queued: boolean; fingerprint: string }>(
      'SELECT EXISTS (SELECT 1 FROM stats_queue) AS queued, (SELECT fingerprint FROM stats_state WHERE id = 1) AS fingerprint',
    );
    const row = rows[0];
    return row !== undefined && (row.queued || row.fingerprint !== FACTS_FINGERPRINT);
  };
  if (!(await check())) return { incidents: 0, full: false };
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
  let result: StatsRefresh = { incidents: 0, full: false };
  try {
    if (!(await check())) return result;
    await client.query('BEGIN');
    try {
      await client.query("SET LOCAL jit = off; SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB'");
      const { rows } = await client.query<{ fingerprint: string; queued: string }>(
        'SELECT (SELECT fingerprint FROM stats_state WHERE id = 1) AS fingerprint, (SELECT count(*) FROM (SELECT 1 FROM stats_queue LIMIT $1) AS q) AS queued',
        [FULL_REBUILD_AT],
      );
      const full = rows[0]?.fingerprint !== FACTS_FINGERPRINT || Number(rows[0]?.queued) >= FULL_REBUILD_AT;
      let claimed: number;
      if (full) {
        // Everything is rebuilt: the queue is emptied instead of claimed id by id. TRUNCATE waits
        // for the writers that queued ids to commit (the statements below see their rows) and holds
        // later writers' triggers until this transaction commits (their ids stay queued).
        await client.query('TRUNCATE stats_queue, stats_claim, stats_facts, stats_days, stats_months, stats_keys, stats_actor_closure, stats_type_bits');
        await client.query('DROP INDEX stats_facts_day, stats_facts_country, stats_facts_incident');
        const closure = actorClosure();
        await client.query('INSERT INTO stats_actor_closure (actor, ancestor) SELECT * FROM unnest($1::text[], $2::text[])', [closure.map((c) => c[0]), closure.map((c) => c[1])]);
        const bits = typeBits();
        await client.query('INSERT INTO stats_type_bits (name, bit) SELECT * FROM unnest($1::text[], $2::int[])', [bits.map((b) => b[0]), bits.map((b) => b[1])]);
        await client.query('ANALYZE stats_actor_closure, stats_type_bits');
        for (const sql of factsInsertSql('postgres', false)) await client.query(sql);
        await client.query(FACTS_INDEXES);
        for (const sql of AGGREGATES_REBUILD_SQL) await client.query(sql);
        await client.query(keysInsertSql('postgres', false));
        await client.query('UPDATE stats_state SET fingerprint = $1 WHERE id = 1', [FACTS_FINGERPRINT]);
        const { rows: counted } = await client.query<{ n: string }>('SELECT coalesce(sum(n), 0) AS n FROM stats_months WHERE dim = 0');
        claimed = Number(counted[0]?.n ?? 0);
      } else {
        const claim = await client.query('WITH d AS (DELETE FROM stats_queue RETURNING incident_id) INSERT INTO stats_claim (id) SELECT DISTINCT incident_id FROM d ON CONFLICT DO NOTHING');
        claimed = claim.rowCount ?? 0;
        // The planner must know how many ids are claimed (a few: index probes; many: hash joins).
        await client.query('ANALYZE stats_claim');
        for (const sql of factsDeltaSql('postgres')) await client.query(sql);
      }
      await client.query('TRUNCATE stats_claim');
      await client.query('COMMIT');
      result = { incidents: claimed, full };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    if (result.full || result.incidents >= VACUUM_AT) await client.query('VACUUM (ANALYZE) stats_facts, stats_days, stats_months');
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => undefined);
  }
}

/** Connections that already run with JIT off (rollups are short; JIT compilation costs more than it saves). */
const jitOff = new WeakSet<pg.PoolClient>();

/** A rollup from the stats facts (after a refresh), or null when the request needs the general SQL of `statsSql`. */
export async function factsStatsPostgres(client: pg.PoolClient, request: StatsRequest, lockName: string): Promise<StatsRow[] | null> {
  const plan = factsPlan(request, 'postgres');
  if (plan === null) return null;
  if (!jitOff.has(client)) {
    await client.query('SET jit = off');
    jitOff.add(client);
  }
  await refreshStatsPostgres(client, lockName);
  const needsKeys = plan.parts.some((p) => 'all' in p.keys);
  const keys = needsKeys ? (await client.query<{ key: string }>('SELECT key FROM stats_keys WHERE dim = 1 ORDER BY key')).rows.map((r) => r.key) : [];
  const { sql, values } = factsSql(plan, 'postgres', () => keys);
  const { rows } = await client.query<StatsSqlRow>(sql, values);
  return factsRows(plan, rows);
}
