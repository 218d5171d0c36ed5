import { actorName } from './actors.js';
import { fetchIncidentPage, fetchStats, type StatsAnswer } from './api-client.js';

/**
 * The statistics behind the dashboard, from one place: the server's `GET /api/stats` (the
 * dashboard reads nothing else).
 */

/** A count with its figures for the period and the one before it. */
export interface Tally {
  key: string;
  label: string;
  incidents: number;
  killed: number;
  wounded: number;
  /** Incidents, killed and wounded in the previous period of the same length. */
  previousIncidents: number;
  previousKilled: number;
  previousWounded: number;
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

/** The month (YYYY-MM) of the newest dated incident, or null when there is none. */
export async function newestMonth(signal?: AbortSignal): Promise<string | null> {
  const page = await fetchIncidentPage({ limit: 1 }, signal);
  return page.items[0]?.fields.date?.start.slice(0, 7) ?? null;
}

type Groups = StatsAnswer['groups'];

/** The groups of the answer for all incidents minus those of the answer for rejected ones, by key. */
function withoutRejected(all: StatsAnswer, rejected: StatsAnswer): Map<string | null, { key: string | null; country: string | null; now: number; killed: number; wounded: number; before: number; killedBefore: number; woundedBefore: number }> {
  const out = new Map<string | null, { key: string | null; country: string | null; now: number; killed: number; wounded: number; before: number; killedBefore: number; woundedBefore: number }>();
  const keyOf = (g: Groups[number]): string | null => (g.key === null ? null : g.country === undefined ? g.key : `${g.country ?? ''}/${g.key}`);
  const add = (groups: Groups, sign: 1 | -1): void => {
    for (const g of groups) {
      const key = keyOf(g);
      let entry = out.get(key);
      if (entry === undefined) {
        entry = { key: g.key, country: g.country ?? null, now: 0, killed: 0, wounded: 0, before: 0, killedBefore: 0, woundedBefore: 0 };
        out.set(key, entry);
      }
      entry.now += sign * g.incidents;
      entry.killed += sign * g.killed.best;
      entry.wounded += sign * g.wounded.best;
      entry.before += sign * g.previous.incidents;
      entry.killedBefore += sign * g.previous.killed.best;
      entry.woundedBefore += sign * g.previous.wounded.best;
    }
  };
  add(all.groups, 1);
  add(rejected.groups, -1);
  return out;
}

const ranked = (tallies: Tally[]): Tally[] => tallies.filter((t) => t.incidents > 0 || t.previousIncidents > 0).sort((a, b) => b.incidents - a.incidents || b.previousIncidents - a.previousIncidents || a.label.localeCompare(b.label));

/** The last day (YYYY-MM-DD) of a month (YYYY-MM). */
function lastDayOf(month: string): string {
  const [y = 1970, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Loads the statistics of the `months` months ending with `end` (YYYY-MM) and the period before,
 * from `GET /api/stats` (a rolling window of `months` months ending on the month's last day; an
 * incident counts in the month its date starts). Rejected incidents are left out: each grouping
 * is asked for all incidents and for the rejected ones, and the second is taken from the first.
 */
export async function loadStats(end: string, months: number, regionName: (code: string) => string, signal?: AbortSignal): Promise<Stats> {
  const period = periodOf(end, months);
  const window = { rolling: `${months}m`, end: lastDayOf(end) };
  const groupings = [
    { group_by: 'actor', rollup: 'true' },
    { group_by: 'actor' },
    { group_by: 'admin1' },
    { group_by: 'country' },
    { group_by: 'month' },
  ] as const;
  const answers = await Promise.all(
    groupings.flatMap((grouping) => [fetchStats({ ...window, ...grouping }, signal), fetchStats({ ...window, ...grouping, status: 'rejected' }, signal)]),
  );
  const pair = (i: number): ReturnType<typeof withoutRejected> => withoutRejected(answers[2 * i] as StatsAnswer, answers[2 * i + 1] as StatsAnswer);
  const [groups, actors, provinces, countries, monthRows] = [0, 1, 2, 3, 4].map(pair) as [ReturnType<typeof pair>, ReturnType<typeof pair>, ReturnType<typeof pair>, ReturnType<typeof pair>, ReturnType<typeof pair>];
  const first = answers[0] as StatsAnswer;
  const rejected = answers[1] as StatsAnswer;
  const tallyOf = (key: string, label: string, e: { now: number; killed: number; wounded: number; before: number; killedBefore: number; woundedBefore: number }): Tally => ({
    key,
    label,
    incidents: e.now,
    killed: e.killed,
    wounded: e.wounded,
    previousIncidents: e.before,
    previousKilled: e.killedBefore,
    previousWounded: e.woundedBefore,
  });
  const monthPoint = (month: string, current: boolean): MonthPoint => {
    const e = monthRows.get(month);
    return { month, incidents: e === undefined ? 0 : current ? e.now : e.before, killed: e === undefined ? 0 : current ? e.killed : e.killedBefore };
  };
  return {
    from: first.period.from,
    to: first.period.to,
    previousFrom: first.previousPeriod.from,
    previousTo: first.previousPeriod.to,
    total: tallyOf('all', 'All incidents', {
      now: first.total.incidents - rejected.total.incidents,
      killed: first.total.killed.best - rejected.total.killed.best,
      wounded: first.total.wounded.best - rejected.total.wounded.best,
      before: first.total.previous.incidents - rejected.total.previous.incidents,
      killedBefore: first.total.previous.killed.best - rejected.total.previous.killed.best,
      woundedBefore: first.total.previous.wounded.best - rejected.total.previous.wounded.best,
    }),
    byGroup: ranked([...groups.values()].map((e) => (e.key === null ? tallyOf('unknown', 'Unknown or unresolved perpetrator', e) : tallyOf(e.key, actorName(e.key), e)))),
    byActor: ranked([...actors.values()].flatMap((e) => (e.key === null ? [] : [tallyOf(e.key, actorName(e.key), e)]))),
    byProvince: ranked([...provinces.values()].flatMap((e) => (e.key === null || e.country === null ? [] : [tallyOf(`${e.country}/${e.key}`, `${e.key}, ${regionName(e.country)}`, e)]))),
    byCountry: ranked([...countries.values()].flatMap((e) => (e.key === null ? [] : [tallyOf(e.key, regionName(e.key), e)]))),
    monthly: period.monthList.map((m) => monthPoint(m, true)),
    // The previous period's months come as groups whose own figures are in `previous`.
    previousMonthly: period.previousMonthList.map((m) => monthPoint(m, false)),
    source: 'stats',
  };
}
