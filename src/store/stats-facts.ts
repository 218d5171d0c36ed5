import { createHash } from 'node:crypto';
import { ACTORS } from '../actors/index.js';
import { ATTACK_TYPES, ATTRIBUTIONS } from '../core/codebook.js';
import { incidentConditions, SqlParams } from './incident-query.js';
import { actorWithSubgroups, rootActor, sortRows, type StatsRequest, type StatsRow, type StatsSqlRow } from './stats.js';

/*
 * Fast rollups: the "stats facts" of migration 8 and the SQL that reads and refreshes them, for
 * both dialects.
 *
 * `stats_facts` holds narrow rows, one per counted incident (live: not merged away; dated) and
 * dimension: dim 0, key '' (every incident once); dim 1, key = an actor in the closure of the
 * incident's perpetrators (each perpetrator's actor and all its ancestors in the registry); dim 2,
 * key = each of its attack types. A row carries what filters and groups read: the first day (days
 * since 1970-01-01), month, country, admin1, status, bit masks of attribution kinds (`cmask`: of the
 * perpetrators within the key's sub-tree, for dim 0 of all; `dmask`: of the perpetrators that are
 * the key itself) and of attack types, and the killed/wounded figures. `stats_months` sums the
 * facts by (dim, key, month, cmask, dmask) for the widest shapes. So a rollup reads one key's rows
 * over a day range of a covering index, and every incident appears at most once per key: the
 * counting rules of `statsSql` ("an incident counts once per group") hold by construction.
 *
 * Triggers (migration 8) append the id of every incident written (incidents and incident_actors,
 * insert, update, delete) to `stats_queue`; `refresh` turns the queued ids into facts before a
 * rollup reads them (delete + insert by incident id, so it is idempotent), in one transaction.
 */

/** Bits of attribution kinds in `cmask`/`dmask`; a kind outside the codebook gets OTHER_KIND. */
const KIND_BITS = new Map<string, number>(ATTRIBUTIONS.map((k, n) => [k, 1 << n]));
const OTHER_KIND = 1 << ATTRIBUTIONS.length;
/** Bits of attack types in `types`; a value outside the codebook (or not a string) sets EXOTIC_TYPE. */
const TYPE_BITS = new Map<string, number>(ATTACK_TYPES.map((t, n) => [t, 1 << n]));
const EXOTIC_TYPE = 1 << 20;

/** Facts are rebuilt whole when more incidents than this are queued (or when the registry changed). */
export const FULL_REBUILD_AT = 400_000;

/**
 * What the facts were built with: the actor registry (parents), the codebook's attack types and
 * attribution kinds, and the layout version. Stored in `stats_state`; when it differs, the next
 * refresh rebuilds everything.
 */
export const FACTS_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify({ layout: 3, actors: ACTORS.map((a) => [a.id, a.parentId ?? null]), types: ATTACK_TYPES, kinds: ATTRIBUTIONS }))
  .digest('hex')
  .slice(0, 16);

/** (actor, ancestor) pairs: every registry actor with itself and each of its ancestors. */
export function actorClosure(): [string, string][] {
  const parent = new Map(ACTORS.map((a) => [a.id, a.parentId ?? null]));
  const out: [string, string][] = [];
  for (const a of ACTORS) {
    const seen = new Set<string>();
    for (let at: string | null = a.id; at !== null && !seen.has(at); at = parent.get(at) ?? null) {
      seen.add(at);
      out.push([a.id, at]);
    }
  }
  return out;
}

/** (name, bit) of every codebook attack type. */
export function typeBits(): [string, number][] {
  return [...TYPE_BITS.entries()];
}

type Style = SqlParams['style'];

const MS_PER_DAY = 86_400_000;

function dayNumber(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? null : Math.round(ms / MS_PER_DAY);
}

const dayText = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
const monthOfDay = (day: number): number => {
  const d = new Date(day * MS_PER_DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const firstDayOfMonth = (month: number): number => {
  const d = new Date(Date.UTC(2000, month % 12, 1));
  d.setUTCFullYear(Math.floor(month / 12));
  return Math.round(d.getTime() / MS_PER_DAY);
};

// ---------------------------------------------------------------------------------------------
// Refresh

const kindBitSql = (column: string): string =>
  `CASE ${column} ${[...KIND_BITS].map(([kind, bit]) => `WHEN '${kind}' THEN ${bit}`).join(' ')} ELSE ${OTHER_KIND} END`;

/**
 * The statements that insert the facts of every live, dated incident — or, with `claimed`, of the
 * incidents whose ids are in `stats_claim` — set-based. PostgreSQL: one statement (its hash joins
 * and aggregates suit CTEs). SQLite: the per-incident values into a temporary table first (one pass
 * over incidents, each incident's attribution kinds by an index lookup), then one INSERT per
 * dimension, in the facts' key order when rebuilding all.
 */
export function factsInsertSql(style: Style, claimed: boolean): string[] {
  return style === 'sqlite' ? factsInsertSqlite(claimed) : [factsInsertPostgres(claimed)];
}

const FACT_COLUMNS = 'dim, key, day, incident_id, month, country, admin1, status, cmask, dmask, types, kl, kb, kh, wl, wb, wh';

function factsInsertSqlite(claimed: boolean): string[] {
  const figure = (name: string, part: string): string => `coalesce(json_extract(i.fields, '$.${name}.${part}'), 0)`;
  const order = (columns: string): string => (claimed ? '' : `\nORDER BY ${columns}`);
  const same = 's.month, s.country, s.admin1, s.status';
  const figures = 's.kl, s.kb, s.kh, s.wl, s.wb, s.wh';
  const key = 'coalesce(c.ancestor, a.actor_id)';
  return [
    `CREATE TEMP TABLE IF NOT EXISTS stats_src (id TEXT, day INTEGER, month INTEGER, country TEXT, admin1 TEXT, status TEXT, cmask INTEGER,
  types INTEGER, type_list TEXT, kl ANY, kb INTEGER, kh ANY, wl ANY, wb INTEGER, wh ANY)`,
    'DELETE FROM temp.stats_src',
    `INSERT INTO temp.stats_src
SELECT i.id, CAST(julianday(i.date_start) - 2440587.5 AS INTEGER), CAST(substr(i.date_start, 1, 4) AS INTEGER) * 12 + CAST(substr(i.date_start, 6, 2) AS INTEGER) - 1,
  i.country, i.admin1, i.status,
  (SELECT coalesce(sum(DISTINCT ${kindBitSql('a.attribution')}), 0) FROM incident_actors AS a WHERE a.incident_id = i.id),
  (SELECT coalesce(sum(DISTINCT coalesce(b.bit, ${EXOTIC_TYPE})), 0) FROM json_each(i.fields, '$.attackTypes') AS t LEFT JOIN stats_type_bits AS b ON b.name = t.value),
  json_extract(i.fields, '$.attackTypes'),
  ${figure('killed', 'low')}, i.killed_best, ${figure('killed', 'high')}, ${figure('wounded', 'low')}, i.wounded_best, ${figure('wounded', 'high')}
FROM incidents AS i
WHERE i.merged_into IS NULL AND i.date_start IS NOT NULL AND julianday(i.date_start) IS NOT NULL${claimed ? ' AND i.id IN (SELECT id FROM stats_claim)' : ''}`,
    `INSERT INTO stats_facts (${FACT_COLUMNS})
SELECT 0, '', s.day, s.id, ${same}, s.cmask, 0, s.types, ${figures} FROM temp.stats_src AS s${order('s.day, s.id')}`,
    `INSERT INTO stats_facts (${FACT_COLUMNS})
SELECT 1, ${key}, s.day, s.id, ${same}, sum(DISTINCT ${kindBitSql('a.attribution')}),
  coalesce(sum(DISTINCT CASE WHEN ${key} = a.actor_id THEN ${kindBitSql('a.attribution')} END), 0), s.types, ${figures}
FROM temp.stats_src AS s JOIN incident_actors AS a ON a.incident_id = s.id LEFT JOIN stats_actor_closure AS c ON c.actor = a.actor_id
GROUP BY s.id, ${key}${order(`${key}, s.day, s.id`)}`,
    // A type listed twice in one incident gives one row (the primary key ignores the second).
    `INSERT OR IGNORE INTO stats_facts (${FACT_COLUMNS})
SELECT 2, CAST(t.value AS TEXT), s.day, s.id, ${same}, s.cmask, 0, s.types, ${figures}
FROM temp.stats_src AS s JOIN json_each(s.type_list) AS t WHERE t.value IS NOT NULL${order('2, s.day, s.id')}`,
    'DELETE FROM temp.stats_src',
  ];
}

function factsInsertPostgres(claimed: boolean): string {
  const scope = claimed ? 'AND i.id IN (SELECT id FROM stats_claim)' : '';
  const actorScope = claimed ? 'WHERE a.incident_id IN (SELECT id FROM stats_claim)' : '';
  const figure = (name: string, part: string): string => `coalesce((i.fields -> '${name}' ->> '${part}')::bigint, 0)`;
  const orBits = (expr: string): string => `bit_or(${expr})`;
  const typeList = `(CASE WHEN jsonb_typeof(i.fields -> 'attackTypes') = 'array' THEN i.fields -> 'attackTypes' ELSE '[]'::jsonb END)`;
  const types = `(SELECT coalesce(bit_or(coalesce(b.bit, ${EXOTIC_TYPE})), 0) FROM jsonb_array_elements_text(${typeList}) AS t(value)
        LEFT JOIN stats_type_bits AS b ON b.name = t.value)`;
  const day = `(i.date_start - DATE '1970-01-01')`;
  const month = `(extract(year FROM i.date_start)::int * 12 + extract(month FROM i.date_start)::int - 1)`;
  const dated = `i.date_start IS NOT NULL`;
  const columns = 's.day, s.id, s.month, s.country, s.admin1, s.status';
  const figures = 's.kl, s.kb, s.kh, s.wl, s.wb, s.wh';
  const typeRows = `SELECT DISTINCT 2, t.value, ${columns}, coalesce(p.cmask, 0), 0, s.types, ${figures}
  FROM src AS s CROSS JOIN LATERAL jsonb_array_elements_text(s.type_list) AS t(value) LEFT JOIN per_incident AS p ON p.id = s.id
  WHERE t.value IS NOT NULL`;
  return `INSERT INTO stats_facts (${FACT_COLUMNS})
WITH src AS MATERIALIZED (
  SELECT i.id, ${day} AS day, ${month} AS month, i.country, i.admin1, i.status,
    ${figure('killed', 'low')} AS kl, i.killed_best AS kb, ${figure('killed', 'high')} AS kh,
    ${figure('wounded', 'low')} AS wl, i.wounded_best AS wb, ${figure('wounded', 'high')} AS wh,
    ${types} AS types,
    ${typeList} AS type_list
  FROM incidents AS i
  WHERE i.merged_into IS NULL AND ${dated} ${scope}
),
pairs AS MATERIALIZED (
  SELECT a.incident_id AS id, coalesce(c.ancestor, a.actor_id) AS key, ${kindBitSql('a.attribution')} AS kbit,
    CASE WHEN coalesce(c.ancestor, a.actor_id) = a.actor_id THEN 1 ELSE 0 END AS direct
  FROM incident_actors AS a LEFT JOIN stats_actor_closure AS c ON c.actor = a.actor_id
  ${actorScope}
),
per_key AS (
  SELECT id, key, ${orBits('kbit')} AS cmask, coalesce(${orBits('CASE WHEN direct = 1 THEN kbit END')}, 0) AS dmask FROM pairs GROUP BY id, key
),
per_incident AS (SELECT id, ${orBits('kbit')} AS cmask FROM pairs GROUP BY id)
SELECT 0, '', ${columns}, coalesce(p.cmask, 0), 0, s.types, ${figures}
  FROM src AS s LEFT JOIN per_incident AS p ON p.id = s.id
UNION ALL
SELECT 1, k.key, ${columns}, k.cmask, k.dmask, s.types, ${figures}
  FROM src AS s JOIN per_key AS k ON k.id = s.id
UNION ALL
${typeRows}${claimed ? '' : '\nORDER BY 1, 2, 3, 4'}`;
}

/** The casualty figures of a fact (killed and wounded, low / best / high), and the sums kept of them with the count. */
const FIGURES = ['kl', 'kb', 'kh', 'wl', 'wb', 'wh'] as const;
const SUMS = ['n', ...FIGURES] as const;

const sumsOf = (): string => `count(*), ${FIGURES.map((c) => `coalesce(sum(${c}), 0)`).join(', ')}`;

/**
 * The statements of an incremental refresh, after the ids to refresh were claimed into
 * `stats_claim`, over three temporary tables: the claimed incidents' old facts are taken out
 * (`stats_old`), their new facts are computed once (`stats_new`) and copied into the facts, and the
 * difference (new minus old, `stats_delta`) is added to the daily and monthly sums with one upsert
 * each. Only sums the old facts touched can fall to zero incidents: those are pruned by key,
 * without reading the others; the new keys come from the new facts. The facts are read by incident
 * id once (PostgreSQL: the delete returns the old rows), so the cost follows the number of claimed
 * incidents, not the size of the store.
 */
export function factsDeltaSql(style: Style): string[] {
  const sqlite = style === 'sqlite';
  const t = (name: string): string => (sqlite ? `temp.${name}` : name);
  const int = sqlite ? '' : ' integer';
  const big = sqlite ? '' : ' bigint';
  const text = sqlite ? '' : ' text';
  const key = sqlite ? '' : ' text COLLATE "C"';
  const claimed = 'incident_id IN (SELECT id FROM stats_claim)';
  const figureColumns = FIGURES.map((c) => `${c}${big}`).join(', ');
  const keyColumns = 'dim, key, day, month, cmask, dmask';
  const rows = (sign: '' | '-', from: string): string =>
    `SELECT ${keyColumns}, ${sign}1 AS n, ${FIGURES.map((c) => `${sign}coalesce(${c}, 0) AS ${c}`).join(', ')} FROM ${from}`;
  const update = (table: string): string => SUMS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
  const sums = SUMS.map((c) => `sum(${c})`).join(', ');
  const takeOld = sqlite
    ? [
        `INSERT INTO ${t('stats_old')} SELECT ${keyColumns}, ${FIGURES.join(', ')} FROM stats_facts WHERE ${claimed}`,
        `DELETE FROM stats_facts WHERE ${claimed}`,
      ]
    : [
        `WITH gone AS (DELETE FROM stats_facts WHERE ${claimed} RETURNING ${keyColumns}, ${FIGURES.join(', ')})
INSERT INTO stats_old SELECT * FROM gone`,
      ];
  return [
    `CREATE TEMP TABLE IF NOT EXISTS stats_old (dim${int}, key${key}, day${int}, month${int}, cmask${int}, dmask${int}, ${figureColumns})`,
    `CREATE TEMP TABLE IF NOT EXISTS stats_new (dim${int}, key${key}, day${int}, incident_id${key}, month${int}, country${text}, admin1${text}, status${text},
  cmask${int}, dmask${int}, types${int}, ${figureColumns}, PRIMARY KEY (dim, key, incident_id))`,
    `CREATE TEMP TABLE IF NOT EXISTS stats_delta (dim${int}, key${key}, day${int}, month${int}, cmask${int}, dmask${int}, n${big}, ${figureColumns})`,
    `DELETE FROM ${t('stats_old')}`,
    `DELETE FROM ${t('stats_new')}`,
    `DELETE FROM ${t('stats_delta')}`,
    ...takeOld,
    ...factsInsertSql(style, true).map((sql) => sql.replace(/INTO stats_facts \(/, `INTO ${t('stats_new')} (`)),
    `INSERT INTO stats_facts (${FACT_COLUMNS}) SELECT ${FACT_COLUMNS} FROM ${t('stats_new')}`,
    `INSERT INTO ${t('stats_delta')}
SELECT dim, key, day, min(month), cmask, dmask, ${sums} FROM (${rows('', t('stats_new'))}\n  UNION ALL\n  ${rows('-', t('stats_old'))}) AS d
GROUP BY dim, key, day, cmask, dmask`,
    // WHERE true: in SQLite, an upsert's SELECT … FROM must not end where a join's ON could follow.
    `INSERT INTO stats_days (dim, key, day, month, cmask, dmask, ${SUMS.join(', ')})
SELECT ${keyColumns}, ${SUMS.join(', ')} FROM ${t('stats_delta')} WHERE true
ON CONFLICT (dim, key, day, cmask, dmask) DO UPDATE SET ${update('stats_days')}`,
    `INSERT INTO stats_months (dim, key, month, cmask, dmask, ${SUMS.join(', ')})
SELECT dim, key, month, cmask, dmask, ${sums} FROM ${t('stats_delta')}
GROUP BY dim, key, month, cmask, dmask
ON CONFLICT (dim, key, month, cmask, dmask) DO UPDATE SET ${update('stats_months')}`,
    `DELETE FROM stats_days WHERE n = 0 AND (dim, key, day, cmask, dmask) IN (SELECT dim, key, day, cmask, dmask FROM ${t('stats_old')})`,
    `DELETE FROM stats_months WHERE n = 0 AND (dim, key, month, cmask, dmask) IN (SELECT dim, key, month, cmask, dmask FROM ${t('stats_old')})`,
    sqlite
      ? `INSERT OR IGNORE INTO stats_keys (dim, key) SELECT DISTINCT dim, key FROM ${t('stats_new')}`
      : `INSERT INTO stats_keys (dim, key) SELECT DISTINCT dim, key FROM stats_new ON CONFLICT DO NOTHING`,
    `DELETE FROM ${t('stats_old')}`,
    `DELETE FROM ${t('stats_new')}`,
    `DELETE FROM ${t('stats_delta')}`,
  ];
}

/** Rebuilds the daily sums from all facts and the monthly sums from the daily ones (after emptying both). */
export const AGGREGATES_REBUILD_SQL = [
  `INSERT INTO stats_days (dim, key, day, month, cmask, dmask, ${SUMS.join(', ')})
SELECT dim, key, day, min(month), cmask, dmask, ${sumsOf()} FROM stats_facts GROUP BY dim, key, day, cmask, dmask`,
  `INSERT INTO stats_months (dim, key, month, cmask, dmask, ${SUMS.join(', ')})
SELECT dim, key, month, cmask, dmask, ${SUMS.map((c) => `sum(${c})`).join(', ')} FROM stats_days GROUP BY dim, key, month, cmask, dmask`,
];

/** Records the (dim, key) pairs of the claimed incidents' facts (all facts when `claimed` is false). */
export function keysInsertSql(style: Style, claimed: boolean): string {
  const from = claimed ? 'FROM stats_facts WHERE incident_id IN (SELECT id FROM stats_claim)' : 'FROM stats_facts';
  return style === 'sqlite' ? `INSERT OR IGNORE INTO stats_keys (dim, key) SELECT DISTINCT dim, key ${from}` : `INSERT INTO stats_keys (dim, key) SELECT DISTINCT dim, key ${from} ON CONFLICT DO NOTHING`;
}

// ---------------------------------------------------------------------------------------------
// Queries

/** Which actor rows answer the actor filter: a sub-tree (the actor with its sub-groups) or one actor. */
interface ActorScope {
  key: string;
  subtree: boolean;
}

function actorScope(filter: StatsRequest['filter']): ActorScope | null | 'unsupported' {
  const ids = [...new Set([...(filter.actor === undefined ? [] : [filter.actor]), ...(filter.actors ?? [])])];
  if (ids.length === 0) return null;
  if (ids.length === 1) return { key: ids[0] as string, subtree: false };
  const head = filter.actor ?? filter.actors?.[0];
  if (head === undefined) return 'unsupported';
  const tree = actorWithSubgroups(head);
  if (tree.length === ids.length && tree.every((id) => ids.includes(id))) return { key: head, subtree: true };
  return 'unsupported';
}

/** The filters the facts carry; any other filter set on a request sends it down the general SQL. */
const FACT_FILTERS = new Set(['actor', 'actors', 'attribution', 'country', 'admin1', 'status', 'attackType', 'minKilled', 'minWounded', 'minCasualties']);

/** The keys of a part's rows: one, a list, or every key of a dimension (optionally without some). */
type KeyScope = { eq: string } | { anyOf: string[] } | { all: true; except?: string[] };

/** One SELECT over facts (or monthly sums) rows of one dimension. */
interface Part {
  dim: 0 | 1 | 2;
  keys: KeyScope;
  /** Conditions on the mask columns (SQL with the parameters they need, in order). */
  masks: { sql: string; values: unknown[] }[];
  /** The group key: a column, or a constant. */
  k1: { column: string } | { value: string | null };
  k2: { column: string } | null;
}

/** How a rollup is answered from the facts: the parts, the filters on incident columns, the post-processing of keys. */
export interface FactsPlan {
  parts: Part[];
  residual: { sql: string; values: unknown[] }[];
  from: number;
  to: number;
  /** Whether the daily and monthly sums may answer (no filter on incident columns, no grouping by them). */
  aggregates: boolean;
  groupBy: StatsRequest['groupBy'];
}

/**
 * The plan of a rollup over the facts, or null when the request needs the general SQL (full-text,
 * bounding box, target or weapon types, updated_since, an actor list that is not one actor or one
 * actor with its sub-groups, values outside the codebook). Invalid filters throw the errors of
 * `incidentConditions`.
 */
export function factsPlan(request: StatsRequest, style: Style): FactsPlan | null {
  const { filter, groupBy } = request;
  incidentConditions({ ...filter, limit: 1 }, new SqlParams(style), () => 'true');
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined || FACT_FILTERS.has(name)) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    return null;
  }
  const from = dayNumber(request.from);
  const to = dayNumber(request.to);
  if (from === null || to === null) return null;
  const scope = actorScope(filter);
  if (scope === 'unsupported') return null;
  const kinds = filter.attribution ?? [];
  if (kinds.some((k) => !KIND_BITS.has(k))) return null;
  const kindMask = kinds.reduce((m, k) => m | (KIND_BITS.get(k) ?? 0), 0);
  const attackTypes = filter.attackType ?? [];
  if (attackTypes.some((t) => !TYPE_BITS.has(t))) return null;
  const typeMask = attackTypes.reduce((m, t) => m | (TYPE_BITS.get(t) ?? 0), 0);

  const residual: FactsPlan['residual'] = [];
  if (filter.country !== undefined) residual.push({ sql: 'country = ?', values: [filter.country] });
  if (filter.admin1 !== undefined) residual.push({ sql: 'admin1 = ?', values: [filter.admin1] });
  if (filter.status !== undefined) residual.push({ sql: 'status = ?', values: [filter.status] });
  if (filter.minKilled !== undefined) residual.push({ sql: 'kb >= ?', values: [filter.minKilled] });
  if (filter.minWounded !== undefined) residual.push({ sql: 'wb >= ?', values: [filter.minWounded] });
  if (filter.minCasualties !== undefined) residual.push({ sql: 'coalesce(kb, 0) + coalesce(wb, 0) >= ?', values: [filter.minCasualties] });

  const maskAny = (column: 'cmask' | 'dmask', mask: number): Part['masks'][number] => ({ sql: `(${column} & ?) <> 0`, values: [mask] });
  const nonzero = (column: 'cmask' | 'dmask'): Part['masks'][number] => ({ sql: `${column} <> 0`, values: [] });
  const kindCondition = (column: 'cmask' | 'dmask'): Part['masks'] => (kindMask !== 0 ? [maskAny(column, kindMask)] : column === 'dmask' ? [nonzero('dmask')] : []);

  // The rows each incident that passes the actor, attribution and attack-type filters has once.
  let base: Omit<Part, 'k1' | 'k2'>;
  let typesDone = false;
  if (scope !== null) base = { dim: 1, keys: { eq: scope.key }, masks: kindCondition(scope.subtree ? 'cmask' : 'dmask') };
  else if (kindMask !== 0) base = { dim: 0, keys: { eq: '' }, masks: [maskAny('cmask', kindMask)] };
  else if (attackTypes.length === 1 && groupBy !== 'actor') {
    base = { dim: 2, keys: { eq: attackTypes[0] as string }, masks: [] };
    typesDone = true;
  } else base = { dim: 0, keys: { eq: '' }, masks: [] };
  if (typeMask !== 0 && !typesDone) residual.push({ sql: '(types & ?) <> 0', values: [typeMask] });

  let parts: Part[];
  switch (groupBy) {
    case 'none':
      parts = [{ ...base, k1: { value: null }, k2: null }];
      break;
    case 'country':
      parts = [{ ...base, k1: { column: 'country' }, k2: null }];
      break;
    case 'admin1':
      parts = [{ ...base, k1: { column: 'admin1' }, k2: { column: 'country' } }];
      break;
    case 'month':
      parts = [{ ...base, k1: { column: 'month' }, k2: null }];
      break;
    case 'week':
      // The Monday of the day's week, as a day number (1970-01-01 was a Thursday).
      parts = [{ ...base, k1: { column: 'day - ((day % 7 + 10) % 7)' }, k2: null }];
      break;
    case 'attack_type':
      parts = [{ ...base, k1: { column: 'types' }, k2: null }];
      break;
    case 'actor': {
      const children = ACTORS.filter((a) => a.parentId != null).map((a) => a.id);
      if (scope !== null) {
        if (request.rollup || !scope.subtree) {
          parts = [{ ...base, k1: { value: request.rollup ? rootActor(scope.key) : scope.key }, k2: null }];
        } else {
          parts = [{ dim: 1, keys: { anyOf: actorWithSubgroups(scope.key) }, masks: kindCondition('dmask'), k1: { column: 'key' }, k2: null }];
        }
      } else {
        parts = [
          request.rollup
            ? { dim: 1, keys: { all: true, except: children }, masks: kindCondition('cmask'), k1: { column: 'key' }, k2: null }
            : { dim: 1, keys: { all: true }, masks: kindCondition('dmask'), k1: { column: 'key' }, k2: null },
        ];
        // Incidents without a resolved perpetrator are the group with a null key.
        if (kindMask === 0) parts.push({ dim: 0, keys: { eq: '' }, masks: [{ sql: 'cmask = 0', values: [] }], k1: { value: null }, k2: null });
      }
      break;
    }
  }
  return { parts, residual, from, to, aggregates: residual.length === 0 && (groupBy === 'none' || groupBy === 'actor'), groupBy };
}

/** The output columns of the figure sums (those of `statsSql`). */
const OUTPUT = { kl: 'killed_low', kb: 'killed_best', kh: 'killed_high', wl: 'wounded_low', wb: 'wounded_best', wh: 'wounded_high' } as const;

/** The SQL and parameters of a plan, given the keys of each dimension (`stats_keys`) for parts over all keys. */
export function factsSql(plan: FactsPlan, style: Style, keysOf: (dim: number) => string[]): { sql: string; values: unknown[] } {
  const params = new SqlParams(style);
  const ranges: { table: 'stats_facts' | 'stats_days' | 'stats_months'; column: 'day' | 'month'; from: number; to: number }[] = [];
  if (plan.aggregates) {
    // Whole months from the monthly sums, the days before and after them from the daily sums.
    const firstMonth = monthOfDay(plan.from) + (firstDayOfMonth(monthOfDay(plan.from)) === plan.from ? 0 : 1);
    const lastMonth = monthOfDay(plan.to) - (firstDayOfMonth(monthOfDay(plan.to) + 1) - 1 === plan.to ? 0 : 1);
    if (firstMonth <= lastMonth) {
      const start = firstDayOfMonth(firstMonth);
      const end = firstDayOfMonth(lastMonth + 1) - 1;
      if (plan.from < start) ranges.push({ table: 'stats_days', column: 'day', from: plan.from, to: start - 1 });
      ranges.push({ table: 'stats_months', column: 'month', from: firstMonth, to: lastMonth });
      if (end < plan.to) ranges.push({ table: 'stats_days', column: 'day', from: end + 1, to: plan.to });
    } else {
      ranges.push({ table: 'stats_days', column: 'day', from: plan.from, to: plan.to });
    }
  } else {
    ranges.push({ table: 'stats_facts', column: 'day', from: plan.from, to: plan.to });
  }
  const selects: string[] = [];
  for (const part of plan.parts) {
    let keyValues: string[];
    if ('eq' in part.keys) keyValues = [part.keys.eq];
    else if ('anyOf' in part.keys) keyValues = part.keys.anyOf;
    else {
      const except = new Set(part.keys.except ?? []);
      keyValues = keysOf(part.dim).filter((k) => !except.has(k));
    }
    if (keyValues.length === 0) continue;
    for (const range of ranges) {
      const facts = range.table === 'stats_facts';
      // Placeholders in the order they appear (SQLite's are positional).
      const k1 = 'column' in part.k1 ? part.k1.column : part.k1.value === null ? 'NULL' : castText(params.add(part.k1.value), style);
      const k2 = part.k2 === null ? 'NULL' : part.k2.column;
      const where = [`dim = ${params.add(part.dim)}`];
      where.push(keyValues.length === 1 ? `key = ${params.add(keyValues[0])}` : `key IN (${params.list(keyValues)})`);
      where.push(`${range.column} BETWEEN ${params.add(range.from)} AND ${params.add(range.to)}`);
      for (const c of [...part.masks, ...(facts ? plan.residual : [])]) where.push(bind(c, params));
      const n = facts ? 'count(*)' : 'sum(n)';
      const sum = (c: string): string => `coalesce(sum(${c}), 0)`;
      selects.push(`SELECT ${k1} AS k1, ${k2} AS k2, ${n} AS incidents, ${Object.entries(OUTPUT).map(([c, out]) => `${sum(c)} AS ${out}`).join(', ')}
  FROM ${range.table} WHERE ${where.join(' AND ')} GROUP BY 1, 2`);
    }
  }
  const num = (c: string): string => (style === 'postgres' ? `coalesce(sum(${c}), 0)::float8` : `coalesce(sum(${c}), 0)`);
  // One range of one part: its groups are the answer, with no second grouping over a union.
  if (selects.length === 1) return { sql: selects[0] as string, values: params.values };
  if (selects.length === 0) return { sql: `SELECT NULL AS k1, NULL AS k2, 0 AS incidents, 0 AS killed_low, 0 AS killed_best, 0 AS killed_high, 0 AS wounded_low, 0 AS wounded_best, 0 AS wounded_high WHERE 1 = 0`, values: [] };
  const sql = `SELECT k1, k2, ${['incidents', ...Object.values(OUTPUT)].map((c) => `${num(c)} AS ${c}`).join(', ')}
FROM (${selects.join('\nUNION ALL\n')}) AS parts
GROUP BY k1, k2`;
  return { sql, values: params.values };
}

function castText(placeholder: string, style: Style): string {
  return style === 'postgres' ? `${placeholder}::text` : placeholder;
}

/** Writes a condition's `?` marks as the dialect's placeholders. */
function bind(condition: { sql: string; values: unknown[] }, params: SqlParams): string {
  let n = 0;
  return condition.sql.replace(/\?/g, () => params.add(condition.values[n++]));
}

/**
 * The rollup rows of a plan's SQL results: day keys become months or weeks (Mondays), type masks
 * become one group per attack type. Null when a type outside the codebook makes the attack-type
 * groups unknowable from masks (the caller then runs the general SQL).
 */
export function factsRows(plan: FactsPlan, rows: readonly StatsSqlRow[]): StatsRow[] | null {
  const groups = new Map<string, StatsRow>();
  const add = (k1: string | null, k2: string | null, r: StatsSqlRow): void => {
    const id = JSON.stringify([k1, k2]);
    let row = groups.get(id);
    if (row === undefined) {
      row = { key: k1, incidents: 0, killed: { low: 0, best: 0, high: 0 }, wounded: { low: 0, best: 0, high: 0 } };
      if (plan.groupBy === 'admin1') row.country = k2;
      groups.set(id, row);
    }
    row.incidents += Number(r.incidents);
    row.killed.low += Number(r.killed_low);
    row.killed.best += Number(r.killed_best);
    row.killed.high += Number(r.killed_high);
    row.wounded.low += Number(r.wounded_low);
    row.wounded.best += Number(r.wounded_best);
    row.wounded.high += Number(r.wounded_high);
  };
  for (const r of rows) {
    switch (plan.groupBy) {
      case 'month': {
        const month = Number(r.k1);
        add(`${String(Math.floor(month / 12)).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`, null, r);
        break;
      }
      case 'week':
        add(dayText(Number(r.k1)), null, r);
        break;
      case 'attack_type': {
        const mask = Number(r.k1);
        if ((mask & EXOTIC_TYPE) !== 0) return null;
        if (mask === 0) add(null, null, r);
        for (const [type, bit] of TYPE_BITS) if ((mask & bit) !== 0) add(type, null, r);
        break;
      }
      default:
        add(r.k1 === null ? null : String(r.k1), r.k2, r);
    }
  }
  if (plan.groupBy === 'none' && groups.size === 0) return [];
  return sortRows([...groups.values()]);
}
