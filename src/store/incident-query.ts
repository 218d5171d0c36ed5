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
  readonly #style: 'sqlite' | 'postgres';

  constructor(style: 'sqlite' | 'postgres') {
    this.#style = style;
  }

  /** Adds a value and returns its placeholder (`?` for SQLite, `$n` for PostgreSQL). */
  add(value: unknown): string {
    this.values.push(value);
    return this.#style === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

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

function checkedDay(field: 'from' | 'to', value: string): string {
  if (!isCalendarDate(value)) throw badFilter(field, `expected a day as YYYY-MM-DD, got "${value}"`);
  return value;
}

/**
 * The WHERE conditions of a filter over `incidents AS i`, with the keyset condition of its cursor.
 * `bboxCondition` writes the dialect's bounding-box test (an R*Tree in SQLite, ranges in PostgreSQL).
 */
export function incidentConditions(
  filter: IncidentFilter,
  params: SqlParams,
  bboxCondition: (bbox: Bbox, params: SqlParams) => string,
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
  if (filter.actor !== undefined) {
    conditions.push(`EXISTS (SELECT 1 FROM incident_actors AS a WHERE a.incident_id = i.id AND a.actor_id = ${params.add(filter.actor)})`);
  }
  if (filter.bbox !== undefined) conditions.push(bboxCondition(checkedBbox(filter.bbox), params));
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
