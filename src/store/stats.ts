import { ACTORS } from '../actors/index.js';
import { VigilError } from '../core/errors.js';
import type { Incident, Range, Revision } from '../core/model.js';
import { incidentWithState, stateAsOf } from '../resolve/incident-state.js';
import { decodeCursor } from './cursor.js';
import { incidentConditions, pageSize, searchWords, toPage, type Bbox, type SqlParams } from './incident-query.js';
import type { IncidentFilter, Page, Store } from './store.js';

/*
 * Rollups of incidents (counts and casualty sums by actor, place, time or attack type), as SQL for
 * both dialects, and the same computations in plain TypeScript over incidents read back from their
 * revisions for `as_of` queries.
 */

export const STATS_GROUPS = ['none', 'actor', 'country', 'admin1', 'month', 'week', 'attack_type'] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

/** Filters of a rollup: those of `listIncidents` without paging; the window is `from`..`to` on the incident's first day. */
export type StatsFilter = Omit<IncidentFilter, 'limit' | 'cursor' | 'from' | 'to'>;

export interface StatsRequest {
  filter: StatsFilter;
  /** First and last day of the window (YYYY-MM-DD), inclusive; an incident counts on its first day. */
  from: string;
  to: string;
  groupBy: StatsGroup;
  /** With `groupBy: 'actor'`: sub-groups counted under their top-level group. */
  rollup: boolean;
}

/** Sums of a casualty figure over the incidents of a group (unknown figures count as 0). */
export interface FigureSums {
  low: number;
  best: number;
  high: number;
}

/** One group of a rollup. `key` is null for incidents with no value (no actor, no type, no place). */
export interface StatsRow {
  key: string | null;
  /** For `admin1` groups: the country the division is in. */
  country?: string | null;
  incidents: number;
  killed: FigureSums;
  wounded: FigureSums;
}

/** The top-level group of an actor (itself when it has no parent). */
export function rootActor(id: string): string {
  const byId = new Map(ACTORS.map((a) => [a.id, a]));
  let current = id;
  for (let guard = 0; guard < 32; guard++) {
    const parent = byId.get(current)?.parentId;
    if (parent == null) return current;
    current = parent;
  }
  return current;
}

/** An actor with all its sub-groups, at any depth (the actor first). */
export function actorWithSubgroups(id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const a of ACTORS) if (a.parentId === out[i] && !out.includes(a.id)) out.push(a.id);
  return out;
}

function figure(style: SqlParams['style'], name: 'killed' | 'wounded', part: 'low' | 'high'): string {
  return style === 'sqlite' ? `json_extract(i.fields, '$.${name}.${part}')` : `(i.fields -> '${name}' ->> '${part}')::bigint`;
}

/**
 * The SQL of one rollup over `incidents AS i`: rows (k1, k2, incidents, killed_low, killed_best,
 * killed_high, wounded_low, wounded_best, wounded_high). An incident counts once per group, however
 * many of its perpetrators or types fall in it.
 */
export function statsSql(request: StatsRequest, params: SqlParams, bboxCondition: (bbox: Bbox, params: SqlParams) => string): string {
  const { style } = params;
  const { filter, groupBy } = request;
  // Placeholders are added in the order they appear in the SQL (SQLite's `?` are positional).
  let join = '';
  let k1 = 'NULL';
  let k2 = 'NULL';
  let distinct = false;
  switch (groupBy) {
    case 'none':
      break;
    case 'country':
      k1 = 'i.country';
      break;
    case 'admin1':
      k1 = 'i.admin1';
      k2 = 'i.country';
      break;
    case 'month':
      k1 = style === 'sqlite' ? 'substr(i.date_start, 1, 7)' : `to_char(i.date_start, 'YYYY-MM')`;
      break;
    case 'week':
      k1 =
        style === 'sqlite'
          ? `date(i.date_start, '-' || ((CAST(strftime('%w', i.date_start) AS INTEGER) + 6) % 7) || ' days')`
          : `to_char(date_trunc('week', i.date_start), 'YYYY-MM-DD')`;
      break;
    case 'attack_type':
      join =
        style === 'sqlite'
          ? `LEFT JOIN json_each(i.fields, '$.attackTypes') AS t`
          : `LEFT JOIN LATERAL jsonb_array_elements_text(i.fields -> 'attackTypes') AS t(value) ON true`;
      k1 = 't.value';
      distinct = true;
      break;
    case 'actor': {
      if (request.rollup) {
        const children = ACTORS.filter((a) => a.parentId != null);
        k1 = children.length === 0 ? 'a.actor_id' : `CASE a.actor_id ${children.map((a) => `WHEN ${params.add(a.id)} THEN ${params.add(rootActor(a.id))}`).join(' ')} ELSE a.actor_id END`;
      } else {
        k1 = 'a.actor_id';
      }
      const on = ['a.incident_id = i.id'];
      const actorIds = [...(filter.actor === undefined ? [] : [filter.actor]), ...(filter.actors ?? [])];
      if (actorIds.length > 0) on.push(`a.actor_id IN (${params.list([...new Set(actorIds)])})`);
      if (filter.attribution !== undefined && filter.attribution.length > 0) on.push(`a.attribution IN (${params.list(filter.attribution)})`);
      join = `LEFT JOIN incident_actors AS a ON ${on.join(' AND ')}`;
      distinct = true;
      break;
    }
  }
  const conditions = incidentConditions({ ...filter, limit: 1 }, params, bboxCondition);
  conditions.push(`i.date_start >= ${params.add(request.from)}`, `i.date_start <= ${params.add(request.to)}`);
  const where = conditions.join('\n  AND ');
  const inner = `SELECT ${distinct ? 'DISTINCT ' : ''}i.id AS id, ${k1} AS k1, ${k2} AS k2,
    ${figure(style, 'killed', 'low')} AS kl, i.killed_best AS kb, ${figure(style, 'killed', 'high')} AS kh,
    ${figure(style, 'wounded', 'low')} AS wl, i.wounded_best AS wb, ${figure(style, 'wounded', 'high')} AS wh
  FROM incidents AS i ${join}
  WHERE ${where}`;
  const sum = (c: string): string => (style === 'sqlite' ? `coalesce(sum(${c}), 0)` : `coalesce(sum(${c}), 0)::float8`);
  return `SELECT k1, k2, count(*)${style === 'postgres' ? '::float8' : ''} AS incidents,
  ${sum('kl')} AS killed_low, ${sum('kb')} AS killed_best, ${sum('kh')} AS killed_high,
  ${sum('wl')} AS wounded_low, ${sum('wb')} AS wounded_best, ${sum('wh')} AS wounded_high
FROM (${inner}) AS s
GROUP BY k1, k2
ORDER BY incidents DESC, k1`;
}

/** A row of `statsSql` as the driver returns it. */
export interface StatsSqlRow {
  k1: string | null;
  k2: string | null;
  incidents: number | string;
  killed_low: number | string;
  killed_best: number | string;
  killed_high: number | string;
  wounded_low: number | string;
  wounded_best: number | string;
  wounded_high: number | string;
}

/** The rollup rows of `statsSql` results. */
export function statsRows(rows: readonly StatsSqlRow[], groupBy: StatsGroup): StatsRow[] {
  return rows.map((r) => {
    const row: StatsRow = {
      key: r.k1,
      incidents: Number(r.incidents),
      killed: { low: Number(r.killed_low), best: Number(r.killed_best), high: Number(r.killed_high) },
      wounded: { low: Number(r.wounded_low), best: Number(r.wounded_best), high: Number(r.wounded_high) },
    };
    if (groupBy === 'admin1') row.country = r.k2;
    return row;
  });
}

// ---------------------------------------------------------------------------------------------
// The same, in memory, over incidents as they stood at a past moment (as_of).

/** What an in-memory filter needs besides the incident: the mentions whose documents match `q`. */
export interface MemoryContext {
  textHits?: ReadonlySet<string>;
}

function dayOk(field: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new VigilError('bad_input', `${field}: expected a day as YYYY-MM-DD, got "${value}"`, { location: { field } });
  return value;
}

/** True when an incident passes a filter, with the semantics of `incidentConditions` (the cursor aside). */
export function matchesFilter(incident: Incident, filter: Omit<IncidentFilter, 'limit' | 'cursor'>, context: MemoryContext = {}): boolean {
  const f = incident.fields;
  if (incident.mergedInto !== undefined) return false;
  const start = f.date?.start ?? null;
  const end = f.date?.end ?? null;
  if (filter.from !== undefined && (end === null || end < dayOk('from', filter.from))) return false;
  if (filter.to !== undefined && (start === null || start > dayOk('to', filter.to))) return false;
  if (filter.country !== undefined && f.location?.country !== filter.country) return false;
  if (filter.status !== undefined && incident.status !== filter.status) return false;
  if (filter.updatedSince !== undefined && Date.parse(incident.updatedAt) < Date.parse(filter.updatedSince)) return false;
  const actorIds = [...(filter.actor === undefined ? [] : [filter.actor]), ...(filter.actors ?? [])];
  const kinds = filter.attribution ?? [];
  if (actorIds.length > 0 || kinds.length > 0) {
    const hit = f.perpetrators.some((p) => p.actorId != null && (actorIds.length === 0 || actorIds.includes(p.actorId)) && (kinds.length === 0 || kinds.includes(p.attribution)));
    if (!hit) return false;
  }
  if (filter.admin1 !== undefined && (f.location?.admin1 ?? null) !== filter.admin1) return false;
  const anyOf = (values: readonly string[] | undefined, have: readonly string[]): boolean => values === undefined || values.length === 0 || values.some((v) => have.includes(v));
  if (!anyOf(filter.attackType, f.attackTypes) || !anyOf(filter.targetType, f.targetTypes) || !anyOf(filter.weaponType, f.weaponTypes)) return false;
  const killed = f.killed?.best ?? null;
  const wounded = f.wounded?.best ?? null;
  if (filter.minKilled !== undefined && (killed === null || killed < filter.minKilled)) return false;
  if (filter.minWounded !== undefined && (wounded === null || wounded < filter.minWounded)) return false;
  if (filter.minCasualties !== undefined && (killed ?? 0) + (wounded ?? 0) < filter.minCasualties) return false;
  if (filter.q !== undefined) {
    const hits = context.textHits;
    if (hits === undefined) throw new VigilError('internal', 'a text filter needs the matching mentions');
    if (!incident.mentionIds.some((m) => hits.has(m))) return false;
  }
  if (filter.bbox !== undefined) {
    const [west, south, east, north] = filter.bbox;
    const lat = f.location?.lat;
    const lon = f.location?.lon;
    if (lat == null || lon == null || lat < south || lat > north) return false;
    if (west <= east ? lon < west || lon > east : lon < west && lon > east) return false;
  }
  return true;
}

function compareIncidents(a: Incident, b: Incident): number {
  const da = a.fields.date?.start ?? null;
  const db = b.fields.date?.start ?? null;
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return da < db ? 1 : -1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A page of incidents from a list in memory, ordered and keyset-paginated like `listIncidents`. */
export function pageInMemory(incidents: readonly Incident[], filter: IncidentFilter, context: MemoryContext = {}): Page<Incident> {
  const size = pageSize(filter.limit);
  let list = incidents.filter((i) => matchesFilter(i, filter, context)).sort(compareIncidents);
  if (filter.cursor !== undefined) {
    const cursor = decodeCursor(filter.cursor);
    list = list.filter((i) => {
      const d = i.fields.date?.start ?? null;
      if (cursor.dateStart === null) return d === null && i.id > cursor.id;
      return d === null || d < cursor.dateStart || (d === cursor.dateStart && i.id > cursor.id);
    });
  }
  return toPage(list.slice(0, size + 1), size);
}

const zero = (): FigureSums => ({ low: 0, best: 0, high: 0 });
function add(sums: FigureSums, range: Range | null): void {
  sums.low += range?.low ?? 0;
  sums.best += range?.best ?? 0;
  sums.high += range?.high ?? 0;
}

function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** A rollup over incidents in memory, with the semantics of `statsSql`. */
export function statsInMemory(incidents: readonly Incident[], request: StatsRequest, context: MemoryContext = {}): StatsRow[] {
  const { filter, groupBy } = request;
  const actorIds = [...(filter.actor === undefined ? [] : [filter.actor]), ...(filter.actors ?? [])];
  const kinds = filter.attribution ?? [];
  const groups = new Map<string, StatsRow>();
  for (const incident of incidents) {
    const start = incident.fields.date?.start ?? null;
    if (start === null || start < request.from || start > request.to) continue;
    if (!matchesFilter(incident, filter, context)) continue;
    const f = incident.fields;
    let keys: [string | null, string | null][];
    switch (groupBy) {
      case 'none':
        keys = [[null, null]];
        break;
      case 'country':
        keys = [[f.location?.country ?? null, null]];
        break;
      case 'admin1':
        keys = [[f.location?.admin1 ?? null, f.location?.country ?? null]];
        break;
      case 'month':
        keys = [[start.slice(0, 7), null]];
        break;
      case 'week':
        keys = [[mondayOf(start), null]];
        break;
      case 'attack_type':
        keys = f.attackTypes.length === 0 ? [[null, null]] : f.attackTypes.map((t) => [t, null]);
        break;
      case 'actor': {
        const ids = f.perpetrators
          .filter((p) => p.actorId != null && (actorIds.length === 0 || actorIds.includes(p.actorId)) && (kinds.length === 0 || kinds.includes(p.attribution)))
          .map((p) => (request.rollup ? rootActor(p.actorId as string) : (p.actorId as string)));
        keys = ids.length === 0 ? [[null, null]] : ids.map((id) => [id, null]);
        break;
      }
    }
    for (const key of new Set(keys.map((k) => JSON.stringify(k)))) {
      const [k1, k2] = JSON.parse(key) as [string | null, string | null];
      let row = groups.get(key);
      if (row === undefined) {
        row = { key: k1, incidents: 0, killed: zero(), wounded: zero() };
        if (groupBy === 'admin1') row.country = k2;
        groups.set(key, row);
      }
      row.incidents += 1;
      add(row.killed, f.killed);
      add(row.wounded, f.wounded);
    }
  }
  return sortRows([...groups.values()]);
}

/** Rows in the order of `statsSql`: most incidents first, then by key (nulls last). */
export function sortRows(rows: StatsRow[]): StatsRow[] {
  return rows.sort((a, b) => b.incidents - a.incidents || (a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1));
}

/** A revision with the creation time of its incident, as `revisionsUpTo` returns them. */
export interface DatedRevision {
  revision: Revision;
  createdAt: string;
}

/** The instant of `as_of`, checked, as an ISO string; the SQL prefilter takes one second more (text comparison). */
export function asOfBounds(asOf: string): { at: string; upTo: string } {
  const ms = Date.parse(asOf);
  if (Number.isNaN(ms)) throw new VigilError('bad_input', `as_of: expected an ISO 8601 date-time, got "${asOf}"`, { location: { field: 'as_of' } });
  return { at: new Date(ms).toISOString(), upTo: new Date(ms + 1000).toISOString() };
}

/**
 * Every incident as it stood at `at`, from the revisions made up to then (ordered by incident,
 * then revision): the state after the last revision at or before `at`. Incidents created later
 * are absent; merged incidents carry `mergedInto` as they did then.
 */
export function incidentsFromRevisions(rows: readonly DatedRevision[], at: string): Incident[] {
  const out: Incident[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i] as DatedRevision;
    const id = first.revision.incidentId;
    const group: Revision[] = [];
    while (i < rows.length && (rows[i] as DatedRevision).revision.incidentId === id) group.push((rows[i++] as DatedRevision).revision);
    const incident = incidentAt(id, first.createdAt, group, at);
    if (incident !== null) out.push(incident);
  }
  return out;
}

/** One incident as it stood at `at`, from its revisions (oldest first); null when it did not exist yet. */
export function incidentAt(id: string, createdAt: string, revisions: readonly Revision[], at: string): Incident | null {
  const state = stateAsOf(revisions, at);
  if (state === null) return null;
  const moment = Date.parse(at);
  const last = revisions.filter((r) => Date.parse(r.at) <= moment).at(-1);
  if (last === undefined) return null;
  return incidentWithState({ id, createdAt }, state, last.revision, last.at);
}

/** The words of `q` (for error messages and the in-memory text filter). */
export { searchWords };

/** Every incident as it stood at `asOf` (see `incidentsFromRevisions`), read from a store's revisions. */
export async function incidentsAsOf(store: Pick<Store, 'revisionsUpTo'>, asOf: string): Promise<Incident[]> {
  const { at, upTo } = asOfBounds(asOf);
  return incidentsFromRevisions(await store.revisionsUpTo(upTo), at);
}

/** The context of in-memory filters: the mentions matching `q`, when there is one. */
export async function memoryContext(store: Pick<Store, 'mentionsMatching'>, filter: { q?: string | undefined }): Promise<MemoryContext> {
  return filter.q === undefined ? {} : { textHits: await store.mentionsMatching(filter.q) };
}
