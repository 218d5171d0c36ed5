import { VigilError } from '../core/errors.js';
import type { Incident } from '../core/model.js';
import { decodeCursor, encodeCursor, type IncidentCursor } from './cursor.js';
import { isCalendarDate } from './rows.js';
import type { IncidentFilter, Page } from './store.js';

/** The largest page `listIncidents` returns. */
export const MAX_PAGE_SIZE = 1000;

/** A bounding box in degrees. `west > east` means the box crosses the antimeridian. */
export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Collects query parameters and hands out the placeholder of each in the dialect's syntax. */
export class SqlParams {
  readonly values: unknown[] = [];
  readonly style: 'sqlite' | 'postgres';

  constructor(style: 'sqlite' | 'postgres') {
    this.style = style;
  }

  /** Adds a value and returns its placeholder (`?` for SQLite, `$n` for PostgreSQL). */
  add(value: unknown): string {
    this.values.push(value);
    return this.style === 'sqlite' ? '?' : `$${this.values.length}`;
  }

  /** Placeholders of a list of values, comma-separated (for `IN (…)`). */
  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/** The JSON list of an incident's fields (`attackTypes`, …) that a type filter reads. */
const TYPE_LISTS = { attackType: 'attackTypes', targetType: 'targetTypes', weaponType: 'weaponTypes' } as const;

/** A condition: the JSON array `fields.<list>` of `incidents AS i` holds one of `values`. */
export function jsonListHas(list: string, values: readonly string[], params: SqlParams): string {
  if (params.style === 'sqlite') return `EXISTS (SELECT 1 FROM json_each(i.fields, '$.${list}') AS t WHERE t.value IN (${params.list(values)}))`;
  return `(i.fields -> '${list}') ?| ARRAY[${params.list(values)}]::text[]`;
}

/**
 * A full-text query made safe for the dialect: its words, each matched as a word (SQLite FTS5
 * phrase syntax, PostgreSQL plainto_tsquery), all required. Operators in user text are not honoured.
 */
export function searchWords(q: string): string[] {
  return q
    .normalize('NFC')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 32);
}

/** A condition: one of the documents the incident's mentions come from matches the words of `q`. */
export function textCondition(q: string, params: SqlParams): string {
  const words = searchWords(q);
  if (words.length === 0) throw badFilter('q', 'give at least one word to search for');
  if (params.style === 'sqlite') {
    const match = words.map((w) => `"${w}"`).join(' ');
    return `i.id IN (SELECT im.incident_id FROM documents_fts JOIN documents AS d ON d.seq = documents_fts.rowid
      JOIN mentions AS m ON m.document_id = d.id JOIN incident_mentions AS im ON im.mention_id = m.id
      WHERE documents_fts MATCH ${params.add(match)})`;
  }
  return `i.id IN (SELECT im.incident_id FROM documents AS d
      JOIN mentions AS m ON m.document_id = d.id JOIN incident_mentions AS im ON im.mention_id = m.id
      WHERE ${DOCUMENT_TSVECTOR} @@ plainto_tsquery('simple', ${params.add(words.join(' '))}))`;
}

/** The SQL of the ids of mentions whose document matches the words of `q` (column `id`). */
export function textMentionsSql(q: string, params: SqlParams): string {
  const words = searchWords(q);
  if (words.length === 0) throw badFilter('q', 'give at least one word to search for');
  if (params.style === 'sqlite') {
    return `SELECT m.id AS id FROM documents_fts JOIN documents AS d ON d.seq = documents_fts.rowid
      JOIN mentions AS m ON m.document_id = d.id WHERE documents_fts MATCH ${params.add(words.map((w) => `"${w}"`).join(' '))}`;
  }
  return `SELECT m.id AS id FROM documents AS d JOIN mentions AS m ON m.document_id = d.id
      WHERE ${DOCUMENT_TSVECTOR} @@ plainto_tsquery('simple', ${params.add(words.join(' '))})`;
}

/** The SQL of every revision made up to `upTo` (ISO text), with its incident's creation time, by incident then revision. */
export function revisionsUpToSql(upTo: string, params: SqlParams): string {
  return `SELECT r.incident_id, r.revision, r.at, r.by, r.action, r.before, r.after, r.reason, i.created_at
    FROM revisions AS r JOIN incidents AS i ON i.id = r.incident_id
    WHERE r.at <= ${params.add(upTo)}
    ORDER BY r.incident_id, r.revision`;
}

/** The text-search vector of a PostgreSQL document; migration 7 indexes this very expression. */
export const DOCUMENT_TSVECTOR = "to_tsvector('simple', coalesce(d.title, '') || ' ' || d.text)";

function badFilter(field: string, message: string): VigilError {
  return new VigilError('bad_input', `${field}: ${message}`, { location: { field } });
}

/** The page size a filter asks for, clamped to 1..MAX_PAGE_SIZE. */
export function pageSize(limit: number): number {
  if (Number.isNaN(limit)) throw badFilter('limit', 'must be a number from 1 to 1000');
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/** Checks a bbox: four finite numbers, latitudes within ±90 and south ≤ north, longitudes within ±180. */
export function checkedBbox(bbox: readonly [number, number, number, number]): Bbox {
  const [west, south, east, north] = bbox;
  if (![west, south, east, north].every((n) => Number.isFinite(n))) throw badFilter('bbox', 'must be four finite numbers: west, south, east, north');
  if (south < -90 || north > 90 || south > north) throw badFilter('bbox', `latitudes must satisfy -90 ≤ south ≤ north ≤ 90, got south ${south}, north ${north}`);
  if (west < -180 || west > 180 || east < -180 || east > 180) throw badFilter('bbox', `longitudes must lie within -180..180, got west ${west}, east ${east}`);
  return { west, south, east, north };
}

function checkedMinimum(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw badFilter(field, `expected a whole number of at least 0, got ${value}`);
  return value;
}

function checkedDay(field: 'from' | 'to', value: string): string {
  if (!isCalendarDate(value)) throw badFilter(field, `expected a day as YYYY-MM-DD, got "${value}"`);
  return value;
}

/** The days a query's date filter spans (`from`, `to`, either or both), for an index over space and time. */
export interface DayWindow {
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The dialect's bounding-box test of `incidents AS i`. With the query's day window it may also use
 * an index over space and time; the exact date conditions are added separately all the same.
 */
export type BboxCondition = (bbox: Bbox, params: SqlParams, days?: DayWindow) => string;

/**
 * How the actor and attribution filter is written:
 * - `exists` (default): a correlated EXISTS, for the planner to place;
 * - `probe`: a correlated scalar subquery, probed row by row as the listing walks its order (SQLite
 *   would otherwise build a Bloom filter over the whole of `incident_actors` first);
 * - `drive`: `i.id IN (the matching perpetrators' incidents)`, read from the actor index first: for
 *   actors with few incidents, whose rows a walk in date order would have to look for.
 */
export type ActorStyle = 'exists' | 'probe' | 'drive';

export interface ConditionOptions {
  actorStyle?: ActorStyle;
}

/** The actor ids a filter asks for (with the sub-groups the API added), without repeats. */
export function filterActorIds(filter: IncidentFilter): string[] {
  return [...new Set([...(filter.actor === undefined ? [] : [filter.actor]), ...(filter.actors ?? [])])];
}

/**
 * The conditions on `incident_actors AS a` of the actor and attribution filter (the actor and its
 * attribution on the same perpetrator), or null when the filter has neither.
 */
export function actorConditions(filter: IncidentFilter, params: SqlParams): string[] | null {
  if (filter.actors !== undefined && filter.actors.length === 0) throw badFilter('actor', 'name at least one actor');
  const actorIds = filterActorIds(filter);
  const kinds = filter.attribution ?? [];
  if (actorIds.length === 0 && kinds.length === 0) return null;
  const on: string[] = [];
  if (actorIds.length > 0) on.push(`a.actor_id IN (${params.list(actorIds)})`);
  if (kinds.length > 0) on.push(`a.attribution IN (${params.list(kinds)})`);
  return on;
}

/**
 * The WHERE conditions of a filter over `incidents AS i`, with the keyset condition of its cursor.
 * `bboxCondition` writes the dialect's bounding-box test (an R*Tree in SQLite, ranges or a GiST
 * index in PostgreSQL).
 */
export function incidentConditions(
  filter: IncidentFilter,
  params: SqlParams,
  bboxCondition: BboxCondition,
  options: ConditionOptions = {},
): string[] {
  // Incidents merged into another are kept for their history, not listed: the survivor stands for them.
  const conditions: string[] = ['i.merged_into IS NULL'];
  if (filter.from !== undefined) conditions.push(`i.date_end >= ${params.add(checkedDay('from', filter.from))}`);
  if (filter.to !== undefined) conditions.push(`i.date_start <= ${params.add(checkedDay('to', filter.to))}`);
  if (filter.country !== undefined) conditions.push(`i.country = ${params.add(filter.country)}`);
  if (filter.status !== undefined) conditions.push(`i.status = ${params.add(filter.status)}`);
  if (filter.updatedSince !== undefined) {
    if (Number.isNaN(Date.parse(filter.updatedSince))) throw badFilter('updated_since', `expected an ISO 8601 date-time, got "${filter.updatedSince}"`);
    conditions.push(`i.updated_at >= ${params.add(new Date(filter.updatedSince).toISOString())}`);
  }
  const on = actorConditions(filter, params);
  if (on !== null) {
    const style = options.actorStyle ?? 'exists';
    if (style === 'drive') conditions.push(`i.id IN (SELECT a.incident_id FROM incident_actors AS a WHERE ${on.join(' AND ')})`);
    else if (style === 'probe') conditions.push(`(SELECT 1 FROM incident_actors AS a WHERE a.incident_id = i.id AND ${on.join(' AND ')} LIMIT 1) IS NOT NULL`);
    else conditions.push(`EXISTS (SELECT 1 FROM incident_actors AS a WHERE a.incident_id = i.id AND ${on.join(' AND ')})`);
  }
  if (filter.admin1 !== undefined) conditions.push(`i.admin1 = ${params.add(filter.admin1)}`);
  for (const [key, list] of Object.entries(TYPE_LISTS) as [keyof typeof TYPE_LISTS, string][]) {
    const values = filter[key];
    if (values !== undefined && values.length > 0) conditions.push(jsonListHas(list, values, params));
  }
  if (filter.minKilled !== undefined) conditions.push(`i.killed_best >= ${params.add(checkedMinimum('min_killed', filter.minKilled))}`);
  if (filter.minWounded !== undefined) conditions.push(`i.wounded_best >= ${params.add(checkedMinimum('min_wounded', filter.minWounded))}`);
  if (filter.minCasualties !== undefined) {
    conditions.push(`coalesce(i.killed_best, 0) + coalesce(i.wounded_best, 0) >= ${params.add(checkedMinimum('min_casualties', filter.minCasualties))}`);
  }
  if (filter.q !== undefined) conditions.push(textCondition(filter.q, params));
  if (filter.bbox !== undefined) conditions.push(bboxCondition(checkedBbox(filter.bbox), params, { from: filter.from, to: filter.to }));
  if (filter.cursor !== undefined) conditions.push(afterCursor(decodeCursor(filter.cursor), params));
  return conditions;
}

/** Rows after the cursor in the order `date_start DESC NULLS LAST, id ASC`. */
function afterCursor(cursor: IncidentCursor, params: SqlParams): string {
  if (cursor.dateStart === null) return `(i.date_start IS NULL AND i.id > ${params.add(cursor.id)})`;
  const day = cursor.dateStart;
  return `(i.date_start < ${params.add(day)} OR (i.date_start = ${params.add(day)} AND i.id > ${params.add(cursor.id)}) OR i.date_start IS NULL)`;
}

/** The order of `listIncidents`, newest first; undated incidents last. */
export const INCIDENT_ORDER = 'i.date_start DESC NULLS LAST, i.id ASC';

/**
 * The page made from up to `size + 1` incidents in list order: the extra one only tells that
 * another page follows.
 */
export function toPage(incidents: Incident[], size: number): Page<Incident> {
  if (incidents.length <= size) return { items: incidents, nextCursor: null };
  const items = incidents.slice(0, size);
  const last = items[items.length - 1];
  if (last === undefined) return { items, nextCursor: null };
  return { items, nextCursor: encodeCursor({ dateStart: last.fields.date?.start ?? null, id: last.id }) };
}
