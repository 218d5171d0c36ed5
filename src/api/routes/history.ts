import type { Hono } from 'hono';
import type { Store } from '../../store/store.js';
import { incidentHistory } from '../../store/review.js';

/**
 * `GET /api/incidents/:id/history`: the revisions of an incident, oldest first, each with who made
 * it, when, why, what changed (before and after) and the other incidents the same operation
 * changed. An incident merged into another keeps its own history.
 */
export function registerHistoryRoutes(app: Hono, store: Store): void {
  app.get('/api/incidents/:id/history', async (c) => {
    const id = c.req.param('id');
    const history = await incidentHistory(store, id);
    const incident = await store.getIncident(id);
    return c.json({ incidentId: id, revision: incident?.revision ?? null, mergedInto: incident?.mergedInto ?? null, history });
  });
}
