import type { Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import { VigilError } from '../../core/errors.js';
import type { Incident } from '../../core/model.js';
import { CSV_COLUMNS, csvLine, incidentCsvRow } from '../../export/csv.js';
import { incidentFeature } from '../../export/geojson.js';
import {
  asOfBounds,
  incidentAt,
  incidentsAsOf,
  memoryContext,
  pageInMemory,
  sortRows,
  statsInMemory,
  type FigureSums,
  type StatsRequest,
  type StatsRow,
} from '../../store/stats.js';
import type { Page, Store } from '../../store/store.js';
import { periodsOf, sharedFilter, StatsQuerySchema, toFilter, type IncidentQuery, type Period } from '../query.js';

/*
 * GET /api/stats, and the parts of GET /api/incidents that answer `as_of` and stream CSV, GeoJSON
 * and JSON. Live queries run in SQL; `as_of` queries rebuild every incident as it stood then from
 * its revisions and filter, page and roll up in memory with the same semantics.
 */

/** The page of incidents a query asks for, live or as of a past instant. */
export async function answerIncidents(store: Store, query: IncidentQuery): Promise<Page<Incident>> {
  const filter = toFilter(query);
  if (query.as_of === undefined) return store.listIncidents(filter);
  const [incidents, context] = await Promise.all([incidentsAsOf(store, query.as_of), memoryContext(store, filter)]);
  return pageInMemory(incidents, filter, context);
}

/** One incident as it stood at `asOf`, or null when it did not exist then. */
export async function incidentAsOf(store: Store, id: string, asOf: string): Promise<Incident | null> {
  const { at } = asOfBounds(asOf);
  const current = await store.getIncident(id);
  if (current === null) return null;
  return incidentAt(id, current.createdAt, await store.getRevisions(id), at);
}

/**
 * A page of incidents in a format, written to the client piece by piece. The next page's cursor is
 * in the body for JSON and GeoJSON and in the `x-next-cursor` header for all formats.
 */
export function incidentPageResponse(c: Context, page: Page<Incident>, format: IncidentQuery['format']): Response {
  const headers: Record<string, string> = {};
  if (page.nextCursor !== null) headers['x-next-cursor'] = page.nextCursor;
  const type = { json: 'application/json; charset=utf-8', geojson: 'application/geo+json; charset=utf-8', csv: 'text/csv; charset=utf-8' }[format];
  c.header('content-type', type);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  if (format === 'csv') c.header('content-disposition', 'attachment; filename="incidents.csv"');
  return stream(c, async (out) => {
    // Pieces are gathered into chunks of about 64 KiB: one stream write per incident costs more
    // than writing the incident itself.
    let chunk = '';
    const put = async (piece: string): Promise<void> => {
      chunk += piece;
      if (chunk.length >= 65_536) {
        await out.write(chunk);
        chunk = '';
      }
    };
    if (format === 'csv') {
      await put(csvLine(CSV_COLUMNS));
      for (const incident of page.items) await put(csvLine(incidentCsvRow(incident)));
    } else {
      const cursor = JSON.stringify(page.nextCursor);
      await put(format === 'json' ? '{"items":[' : '{"type":"FeatureCollection","features":[');
      let first = true;
      for (const incident of page.items) {
        await put(`${first ? '' : ','}${JSON.stringify(format === 'json' ? incident : incidentFeature(incident))}`);
        first = false;
      }
      await put(`],"nextCursor":${cursor}}`);
    }
    if (chunk !== '') await out.write(chunk);
  });
}

interface Figures {
  incidents: number;
  killed: FigureSums;
  wounded: FigureSums;
}

/** What changed from the previous period: differences, and the change in incidents as a percentage (null from zero). */
interface Change {
  incidents: number;
  incidentsPercent: number | null;
  killed: FigureSums;
  wounded: FigureSums;
}

const none = (): Figures => ({ incidents: 0, killed: { low: 0, best: 0, high: 0 }, wounded: { low: 0, best: 0, high: 0 } });
const minus = (a: FigureSums, b: FigureSums): FigureSums => ({ low: a.low - b.low, best: a.best - b.best, high: a.high - b.high });

function change(current: Figures, previous: Figures): Change {
  return {
    incidents: current.incidents - previous.incidents,
    incidentsPercent: previous.incidents === 0 ? null : Math.round(((current.incidents - previous.incidents) / previous.incidents) * 1000) / 10,
    killed: minus(current.killed, previous.killed),
    wounded: minus(current.wounded, previous.wounded),
  };
}

const figures = (row: StatsRow | undefined): Figures => (row === undefined ? none() : { incidents: row.incidents, killed: row.killed, wounded: row.wounded });
const keyOf = (row: StatsRow): string => JSON.stringify([row.key, row.country ?? null]);

/** The body of GET /api/stats. */
export interface StatsAnswer {
  period: Period;
  previousPeriod: Period;
  groupBy: StatsRequest['groupBy'];
  asOf: string | null;
  total: Figures & { previous: Figures; change: Change };
  groups: (Figures & { key: string | null; country?: string | null; previous: Figures; change: Change })[];
}

/** Groupings in which every counted incident falls in exactly one group, so the groups add up to the total. */
const PARTITIONS: ReadonlySet<StatsRequest['groupBy']> = new Set(['country', 'admin1', 'month', 'week']);

/** The one total row of a partition's groups (none when there are no groups, as the SQL gives). */
function totalOf(groups: readonly StatsRow[]): StatsRow[] {
  if (groups.length === 0) return [];
  const total: StatsRow = { key: null, incidents: 0, killed: { low: 0, best: 0, high: 0 }, wounded: { low: 0, best: 0, high: 0 } };
  for (const g of groups) {
    total.incidents += g.incidents;
    for (const part of ['low', 'best', 'high'] as const) {
      total.killed[part] += g.killed[part];
      total.wounded[part] += g.wounded[part];
    }
  }
  return [total];
}

/**
 * The four live rollups of a stats query (totals now and before, groups now and before) with no
 * query run twice: without grouping the totals are the groups, and the total of a partition is
 * the sum of its groups.
 */
async function liveStats(store: Store, requests: readonly [StatsRequest, StatsRequest, StatsRequest, StatsRequest]): Promise<StatsRow[][]> {
  const [totalNow, totalBefore, groupsNow, groupsBefore] = requests;
  if (groupsNow.groupBy === 'none') {
    const [now, before] = await Promise.all([store.incidentStats(totalNow), store.incidentStats(totalBefore)]);
    return [now, before, now, before];
  }
  if (PARTITIONS.has(groupsNow.groupBy)) {
    const [now, before] = await Promise.all([store.incidentStats(groupsNow), store.incidentStats(groupsBefore)]);
    return [totalOf(now), totalOf(before), now, before];
  }
  return Promise.all(requests.map((r) => store.incidentStats(r)));
}

/** Runs a stats query: the window and the previous one, totals and groups, live or as of a past instant. */
export async function answerStats(store: Store, raw: Record<string, string>, today: string): Promise<StatsAnswer> {
  const query = StatsQuerySchema.parse(raw);
  const { current, previous } = periodsOf(query, today);
  const filter = sharedFilter(query);
  const base = { filter, groupBy: query.group_by, rollup: query.rollup };
  const requests: [StatsRequest, StatsRequest, StatsRequest, StatsRequest] = [
    { ...base, ...current, groupBy: 'none' },
    { ...base, ...previous, groupBy: 'none' },
    { ...base, ...current },
    { ...base, ...previous },
  ];
  let results: StatsRow[][];
  if (query.as_of === undefined) {
    results = await liveStats(store, requests);
  } else {
    const [incidents, context] = await Promise.all([incidentsAsOf(store, query.as_of), memoryContext(store, filter)]);
    results = requests.map((r) => statsInMemory(incidents, r, context));
  }
  const [totalNow, totalBefore, groupsNow, groupsBefore] = results as [StatsRow[], StatsRow[], StatsRow[], StatsRow[]];
  const total = figures(totalNow[0]);
  const before = figures(totalBefore[0]);
  const previousByKey = new Map(groupsBefore.map((r) => [keyOf(r), r]));
  const rows = [...groupsNow];
  const seen = new Set(groupsNow.map(keyOf));
  for (const r of groupsBefore) if (!seen.has(keyOf(r))) rows.push({ ...r, ...none() });
  const groups =
    query.group_by === 'none'
      ? []
      : sortRows(rows).map((row) => {
          const prev = figures(previousByKey.get(keyOf(row)));
          const now = figures(row);
          return { key: row.key, ...(row.country === undefined ? {} : { country: row.country }), ...now, previous: prev, change: change(now, prev) };
        });
  return {
    period: current,
    previousPeriod: previous,
    groupBy: query.group_by,
    asOf: query.as_of === undefined ? null : asOfBounds(query.as_of).at,
    total: { ...total, previous: before, change: change(total, before) },
    groups,
  };
}

/** Registers GET /api/stats. `clock` gives "today" for rolling windows without `end`. */
export function registerStatsRoutes(app: Hono, store: Store, clock: () => Date = () => new Date()): void {
  app.get('/api/stats', async (c) => {
    const raw = c.req.query();
    if (Object.values(raw).some((v) => typeof v !== 'string')) throw new VigilError('bad_input', 'give each parameter once');
    return c.json(await answerStats(store, raw, clock().toISOString().slice(0, 10)));
  });
}
