import { z } from 'zod';
import { INCIDENT_STATUSES } from '../core/model.js';
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

/** The query string of `GET /api/incidents`. */
export const IncidentQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')
      .transform((s) => s.toUpperCase())
      .optional(),
    actor: z.string().min(1).optional(),
    bbox: bbox.optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().min(1).optional(),
    format: z.enum(['json', 'geojson']).default('json'),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export type IncidentQuery = z.infer<typeof IncidentQuerySchema>;

/** The store filter a query asks for. */
export function toFilter(query: IncidentQuery): IncidentFilter {
  return {
    from: query.from,
    to: query.to,
    country: query.country,
    actor: query.actor,
    bbox: query.bbox,
    status: query.status,
    limit: query.limit,
    cursor: query.cursor,
  };
}
