import type { Hono } from 'hono';
import { z } from 'zod';
import type { Gazetteer } from '../../gazetteer/index.js';

const PlacesQuerySchema = z
  .object({
    q: z.string().trim().min(1, 'give the name typed so far').max(100, 'at most 100 characters'),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')
      .transform((s) => s.toUpperCase())
      .optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

/**
 * `GET /api/places?q=&country=&limit=`: places whose names start with the text, for the web app's
 * search box: towns (precision city), first-level regions (precision admin1, a central point and a
 * radius) and countries (no point), best first. Names in any script, accents and common
 * transliterations folded. The gazetteer is loaded on the first call when the server did not.
 */
export function registerPlacesRoutes(app: Hono, gazetteer: () => Gazetteer): void {
  app.get('/api/places', (c) => {
    const query = PlacesQuerySchema.parse(c.req.query());
    const items = gazetteer().search(query.q, { limit: query.limit, ...(query.country === undefined ? {} : { country: query.country }) });
    return c.json({ items });
  });
}
