import type { Hono } from 'hono';
import { z } from 'zod';
import { VigilError } from '../../core/errors.js';
import { addWatchedSource } from '../../pipeline/watch.js';
import type { Store } from '../../store/store.js';
import { watchedSourcesOf } from '../../store/watched-sources.js';
import { jsonBody } from '../middleware/body.js';

const AddSourceSchema = z
  .object({
    kind: z.enum(['feed', 'folder', 'telegram']),
    locator: z.string().trim().min(1).max(2000),
    name: z.string().trim().min(1).max(200).optional(),
    interval: z.string().trim().min(1).max(20).optional(),
  })
  .strict();

/**
 * `GET /api/sources`: the watched feeds, folders and channel exports with their health (last
 * success, last error, failures in a row, next poll, entries taken); `POST /api/sources` adds one;
 * `DELETE /api/sources/:id` stops watching one (its documents stay).
 */
export function registerSourceRoutes(app: Hono, store: Store): void {
  app.get('/api/sources', async (c) => c.json({ items: await watchedSourcesOf(store).list() }));

  app.post('/api/sources', async (c) => {
    const body = await jsonBody(c, AddSourceSchema);
    const source = await addWatchedSource(store, { kind: body.kind, locator: body.locator, ...(body.name === undefined ? {} : { name: body.name }), ...(body.interval === undefined ? {} : { interval: body.interval }) });
    return c.json(source, 201);
  });

  app.delete('/api/sources/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await watchedSourcesOf(store).remove(id))) throw new VigilError('not_found', `no watched source with id "${id}"`);
    return c.body(null, 204);
  });
}
