import { z } from 'zod';
import { ATTACK_TYPES, ATTRIBUTIONS, TARGET_TYPES, WEAPON_TYPES } from '../core/codebook.js';
import { INCIDENT_STATUSES } from '../core/model.js';
import { actorWithSubgroups, STATS_GROUPS } from '../store/stats.js';
import type { IncidentFilter } from '../store/store.js';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date');

const bbox = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => Number(p.trim()));
    const [west, south, east, north] = parts;
    if (
      parts.length !== 4 ||
      west === undefined ||
      south === undefined ||
      east === undefined ||
      north === undefined ||
      parts.some((n) => !Number.isFinite(n))
    ) {
      ctx.addIssue({ code: 'custom', message: 'expected west,south,east,north in degrees' });
      return z.NEVER;
    }
    if (Math.abs(west) > 180 || Math.abs(east) > 180 || Math.abs(south) > 90 || Math.abs(north) > 90 || south > north) {
      ctx.addIssue({ code: 'custom', message: 'longitudes must lie in -180..180, latitudes in -90..90, south <= north' });
      return z.NEVER;
    }
    return [west, south, east, north] as const;
  });

/** A comma-separated list of values, each one of `allowed`. */
function listOf(allowed: readonly string[]) {
  return z.string().transform((s, ctx) => {
    const values = [...new Set(s.split(',').map((v) => v.trim()).filter((v) => v !== ''))];
    const bad = values.filter((v) => !allowed.includes(v));
    if (values.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `${bad.length > 0 ? `unknown value "${bad[0]}"; ` : ''}expected one or more of ${allowed.join(', ')}, comma-separated` });
      return z.NEVER;
    }
    return values;
  });
}

const instant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}(T|$)/.test(s) && !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time (2026-01-31T12:00:00Z)');
const minimum = z.coerce.number().int('expected a whole number').min(0);
const yesNo = z.enum(['true', 'false']).transform((s) => s === 'true');

/** The filters `GET /api/incidents` and `GET /api/stats` share. */
const filterShape = {
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')
    .transform((s) => s.toUpperCase())
    .optional(),
  actor: z.string().min(1).optional(),
  /** With `actor`: include its sub-groups (provinces, branches); default true. */
  subgroups: yesNo.default(true),
  attribution: listOf(ATTRIBUTIONS).optional(),
  admin1: z.string().min(1).optional(),
  attack_type: listOf(ATTACK_TYPES).optional(),
  target_type: listOf(TARGET_TYPES).optional(),
  weapon_type: listOf(WEAPON_TYPES).optional(),
  min_killed: minimum.optional(),
  min_wounded: minimum.optional(),
  min_casualties: minimum.optional(),
  q: z.string().min(1).max(500).optional(),
  bbox: bbox.optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  updated_since: instant.optional(),
  /** Answer from the data as it stood at this instant (from the revisions). */
  as_of: instant.optional(),
};

/** The query string of `GET /api/incidents`. */
export const IncidentQuerySchema = z
  .object({
    ...filterShape,
    from: day.optional(),
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().min(1).optional(),
    format: z.enum(['json', 'geojson', 'csv']).default('json'),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export type IncidentQuery = z.infer<typeof IncidentQuerySchema>;

type SharedQuery = z.infer<z.ZodObject<typeof filterShape>>;

/** The store filter of the shared query parameters. */
export function sharedFilter(query: SharedQuery): Omit<IncidentFilter, 'limit' | 'from' | 'to'> {
  return {
    country: query.country,
    ...(query.actor === undefined ? {} : query.subgroups ? { actors: actorWithSubgroups(query.actor) } : { actor: query.actor }),
    attribution: query.attribution,
    admin1: query.admin1,
    attackType: query.attack_type,
    targetType: query.target_type,
    weaponType: query.weapon_type,
    minKilled: query.min_killed,
    minWounded: query.min_wounded,
    minCasualties: query.min_casualties,
    q: query.q,
    bbox: query.bbox,
    status: query.status,
    updatedSince: query.updated_since,
  };
}

/** The store filter a query asks for. */
export function toFilter(query: IncidentQuery): IncidentFilter {
  return { ...sharedFilter(query), from: query.from, to: query.to, limit: query.limit, cursor: query.cursor };
}

const rolling = z
  .string()
  .regex(/^[1-9]\d{0,2}[mdy]$/, 'expected a number and a unit: 12m (months), 90d (days) or 1y (years)');

/** The query string of `GET /api/stats`. */
export const StatsQuerySchema = z
  .object({
    ...filterShape,
    from: day.optional(),
    to: day.optional(),
    rolling: rolling.optional(),
    /** The last day of a rolling window (default: today, UTC). */
    end: day.optional(),
    group_by: z.enum(STATS_GROUPS).default('none'),
    /** With group_by=actor: sub-groups counted under their top-level group. */
    rollup: yesNo.default(false),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.rolling !== undefined && (q.from !== undefined || q.to !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either rolling (with end) or from and to, not both', path: ['rolling'] });
    }
    if (q.rolling === undefined && (q.from === undefined || q.to === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give a window: from and to, or rolling (such as 12m) with end', path: [q.from === undefined ? 'from' : 'to'] });
    }
    if (q.end !== undefined && q.rolling === undefined) ctx.addIssue({ code: 'custom', message: 'end goes with rolling', path: ['end'] });
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', message: 'from must not be after to', path: ['from'] });
  });

export type StatsQuery = z.infer<typeof StatsQuerySchema>;

/** A window of days, both ends inclusive. */
export interface Period {
  from: string;
  to: string;
}

function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `day` moved by whole months, the day clamped to the month's length (31 March - 1 month = 28/29 February). */
function shiftMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const date = new Date(Date.UTC(2000, month, Math.min(d, last)));
  date.setUTCFullYear(year);
  return date.toISOString().slice(0, 10);
}

/**
 * The window of a stats query and the previous period of equal length just before it. A rolling
 * window of N months ends on `end` and starts the day after `end` minus N months; the previous one
 * is the N months before that. A from/to window of D days is compared with the D days before it.
 */
export function periodsOf(query: Pick<StatsQuery, 'from' | 'to' | 'rolling' | 'end'>, today: string): { current: Period; previous: Period } {
  if (query.rolling !== undefined) {
    const end = query.end ?? today;
    const n = Number(query.rolling.slice(0, -1));
    const unit = query.rolling.slice(-1);
    if (unit === 'd') {
      const current = { from: shiftDay(end, 1 - n), to: end };
      return { current, previous: { from: shiftDay(end, 1 - 2 * n), to: shiftDay(end, -n) } };
    }
    const months = unit === 'y' ? 12 * n : n;
    const start = shiftMonths(end, -months);
    return { current: { from: shiftDay(start, 1), to: end }, previous: { from: shiftDay(shiftMonths(end, -2 * months), 1), to: start } };
  }
  const from = query.from as string;
  const to = query.to as string;
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  return { current: { from, to }, previous: { from: shiftDay(from, -days), to: shiftDay(from, -1) } };
}
