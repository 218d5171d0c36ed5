import type { Incident } from '../../src/core/model.js';
import { actorName, topActor } from './actors.js';
import { fetchIncidentPage } from './api-client.js';

/**
 * The statistics behind the dashboard, from one place. Today they are computed in the browser from
 * the pages of `GET /api/incidents`; when the API gains `GET /api/stats` (issue 7), only
 * `loadStats` changes: the dashboard reads nothing else.
 */

/** A count with its figures for the period and the one before it. */
export interface Tally {
  key: string;
  label: string;
  incidents: number;
  killed: number;
  wounded: number;
  /** Incidents and killed in the previous period of the same length. */
  previousIncidents: number;
  previousKilled: number;
}

export interface MonthPoint {
  /** YYYY-MM */
  month: string;
  incidents: number;
  killed: number;
}

export interface Stats {
  /** First and last day of the period (YYYY-MM-DD), and of the period before it. */
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  total: Tally;
  /** By actor family (a province counts for its group), then by the actor itself. */
  byGroup: Tally[];
  byActor: Tally[];
  /** By first-level region ("Borno, NG"). */
  byProvince: Tally[];
  byCountry: Tally[];
  /** The period's months, oldest first, each beside the same month of the previous period. */
  monthly: MonthPoint[];
  previousMonthly: MonthPoint[];
  /** Where the numbers come from, for the page to say. */
  source: 'incidents' | 'stats';
}

/** The months of the period: `months` calendar months ending with the month of `end` (YYYY-MM). */
export function periodOf(end: string, months: number): { from: string; to: string; previousFrom: string; previousTo: string; monthList: string[]; previousMonthList: string[] } {
  const [year = 1970, month = 1] = end.split('-').map(Number);
  const monthAt = (offset: number): string => {
    const d = new Date(Date.UTC(year, month - 1 + offset, 1));
    return d.toISOString().slice(0, 7);
  };
  const lastDay = (ym: string): string => {
    const [y = 1970, m = 1] = ym.split('-').map(Number);
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  };
  const monthList = Array.from({ length: months }, (_, i) => monthAt(i - months + 1));
  const previousMonthList = Array.from({ length: months }, (_, i) => monthAt(i - 2 * months + 1));
  return {
    from: `${monthList[0]}-01`,
    to: lastDay(monthList.at(-1) ?? end),
    previousFrom: `${previousMonthList[0]}-01`,
    previousTo: lastDay(previousMonthList.at(-1) ?? end),
    monthList,
    previousMonthList,
  };
}

/** Every incident dated from `from` to `to`, page by page. */
async function allIncidents(from: string, to: string, signal?: AbortSignal): Promise<Incident[]> {
  const items: Incident[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchIncidentPage({ from, to, limit: 1000, cursor }, signal);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

/** The month (YYYY-MM) of the newest dated incident, or null when there is none. */
export async function newestMonth(signal?: AbortSignal): Promise<string | null> {
  const page = await fetchIncidentPage({ limit: 1 }, signal);
  return page.items[0]?.fields.date?.start.slice(0, 7) ?? null;
}

function tally(map: Map<string, Tally>, key: string, label: string, incident: Incident, current: boolean): void {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = { key, label, incidents: 0, killed: 0, wounded: 0, previousIncidents: 0, previousKilled: 0 };
    map.set(key, entry);
  }
  if (current) {
    entry.incidents += 1;
    entry.killed += incident.fields.killed?.best ?? 0;
    entry.wounded += incident.fields.wounded?.best ?? 0;
  } else {
    entry.previousIncidents += 1;
    entry.previousKilled += incident.fields.killed?.best ?? 0;
  }
}

const ranked = (map: Map<string, Tally>): Tally[] => [...map.values()].filter((t) => t.incidents > 0 || t.previousIncidents > 0).sort((a, b) => b.incidents - a.incidents || b.previousIncidents - a.previousIncidents || a.label.localeCompare(b.label));

/**
 * Computes the rollup of the `months` months ending with `end` (YYYY-MM), beside the period
 * before it. Rejected incidents are left out; an incident counts by the first day of its date.
 */
export function computeStats(incidents: readonly Incident[], end: string, months: number, regionName: (code: string) => string): Stats {
  const period = periodOf(end, months);
  const total = new Map<string, Tally>();
  const groups = new Map<string, Tally>();
  const actors = new Map<string, Tally>();
  const provinces = new Map<string, Tally>();
  const countries = new Map<string, Tally>();
  const monthly = new Map<string, MonthPoint>(period.monthList.map((m) => [m, { month: m, incidents: 0, killed: 0 }]));
  const previousMonthly = new Map<string, MonthPoint>(period.previousMonthList.map((m) => [m, { month: m, incidents: 0, killed: 0 }]));
  for (const incident of incidents) {
    const day = incident.fields.date?.start;
    if (incident.status === 'rejected' || day === undefined) continue;
    const current = day >= period.from && day <= period.to;
    if (!current && !(day >= period.previousFrom && day <= period.previousTo)) continue;
    tally(total, 'all', 'All incidents', incident, current);
    const ids = [...new Set(incident.fields.perpetrators.flatMap((p) => (typeof p.actorId === 'string' ? [p.actorId] : [])))];
    for (const family of new Set(ids.map(topActor))) tally(groups, family, actorName(family), incident, current);
    if (ids.length === 0) tally(groups, 'unknown', 'Unknown or unresolved perpetrator', incident, current);
    for (const id of ids) tally(actors, id, actorName(id), incident, current);
    const place = incident.fields.location;
    if (place?.country !== undefined && place.country !== null) {
      tally(countries, place.country, regionName(place.country), incident, current);
      if (place.admin1 !== null && place.admin1 !== undefined) tally(provinces, `${place.country}/${place.admin1}`, `${place.admin1}, ${regionName(place.country)}`, incident, current);
    }
    const point = (current ? monthly : previousMonthly).get(day.slice(0, 7));
    if (point !== undefined) {
      point.incidents += 1;
      point.killed += incident.fields.killed?.best ?? 0;
    }
  }
  return {
    from: period.from,
    to: period.to,
    previousFrom: period.previousFrom,
    previousTo: period.previousTo,
    total: total.get('all') ?? { key: 'all', label: 'All incidents', incidents: 0, killed: 0, wounded: 0, previousIncidents: 0, previousKilled: 0 },
    byGroup: ranked(groups),
    byActor: ranked(actors),
    byProvince: ranked(provinces),
    byCountry: ranked(countries),
    monthly: [...monthly.values()],
    previousMonthly: [...previousMonthly.values()],
    source: 'incidents',
  };
}

/** Loads the statistics of the `months` months ending with `end` (YYYY-MM) and the period before. */
export async function loadStats(end: string, months: number, regionName: (code: string) => string, signal?: AbortSignal): Promise<Stats> {
  const period = periodOf(end, months);
  const incidents = await allIncidents(period.previousFrom, period.to, signal);
  return computeStats(incidents, end, months, regionName);
}
