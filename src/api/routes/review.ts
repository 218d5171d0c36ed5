import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Store } from '../../store/store.js';
import { acceptIncident, editIncident, mergeIncidents, rejectIncident, splitIncident, undoRevision, type ReviewResult } from '../../store/review.js';
import { jsonBody } from '../middleware/body.js';
import { currentUser } from '../middleware/context.js';

/**
 * The one place where the review routes read who acts: the signed-in user's name (the access
 * middleware sets `user` and lets only analysts and admins through to these routes).
 */
export function actingUser(c: Context): string {
  return currentUser(c)?.name ?? 'anonymous';
}

const revision = z.number().int().min(1);
const reason = z.string().trim().max(2000);
const incidentRef = z.object({ id: z.string().min(1), revision }).strict();

const MergeSchema = z.object({ survivor: incidentRef, absorbed: z.array(incidentRef).min(1).max(100), reason: reason.optional() }).strict();
const SplitSchema = z.object({ revision, mentionIds: z.array(z.string().min(1)).min(1), reason: reason.optional() }).strict();
const EditSchema = z.object({ revision, field: z.string().min(1), value: z.unknown(), reason }).strict();
const RejectSchema = z.object({ revision, reason }).strict();
const UndoSchema = z.object({ revision, reason: reason.optional() }).strict();
const AcceptSchema = z.object({ revision, reason: reason.optional() }).strict();

function answer(c: Context, result: ReviewResult): Response {
  return c.json({ incidents: result.incidents, revisions: result.revisions });
}

/**
 * The analyst's operations, each a revision: `POST /api/incidents/merge`, and
 * `POST /api/incidents/:id/accept|edit|reject|split|undo`. Every body names the revision the analyst saw;
 * a stale one is a 409 `conflict` and nothing is written.
 */
export function registerReviewRoutes(app: Hono, store: Store): void {
  app.post('/api/incidents/merge', async (c) => {
    const body = await jsonBody(c, MergeSchema);
    return answer(c, await mergeIncidents(store, { survivor: body.survivor, absorbed: body.absorbed, by: actingUser(c), reason: body.reason ?? null }));
  });

  app.post('/api/incidents/:id/split', async (c) => {
    const body = await jsonBody(c, SplitSchema);
    return answer(c, await splitIncident(store, { id: c.req.param('id'), revision: body.revision, mentionIds: body.mentionIds, by: actingUser(c), reason: body.reason ?? null }));
  });

  app.post('/api/incidents/:id/edit', async (c) => {
    const body = await jsonBody(c, EditSchema);
    return answer(c, await editIncident(store, { id: c.req.param('id'), revision: body.revision, field: body.field, value: body.value, by: actingUser(c), reason: body.reason }));
  });

  app.post('/api/incidents/:id/accept', async (c) => {
    const body = await jsonBody(c, AcceptSchema);
    return answer(c, await acceptIncident(store, { id: c.req.param('id'), revision: body.revision, by: actingUser(c), reason: body.reason ?? null }));
  });

  app.post('/api/incidents/:id/reject', async (c) => {
    const body = await jsonBody(c, RejectSchema);
    return answer(c, await rejectIncident(store, { id: c.req.param('id'), revision: body.revision, by: actingUser(c), reason: body.reason }));
  });

  app.post('/api/incidents/:id/undo', async (c) => {
    const body = await jsonBody(c, UndoSchema);
    return answer(c, await undoRevision(store, { id: c.req.param('id'), revision: body.revision, by: actingUser(c), reason: body.reason ?? null }));
  });
}
