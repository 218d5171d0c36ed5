import type { Hono } from 'hono';
import { z } from 'zod';
import { VigilError } from '../../core/errors.js';
import type { AccessDeps } from '../middleware/auth.js';

/** The opaque cursor of the audit log: where the next (older) page starts. */
export function encodeAuditCursor(seq: number): string {
  return Buffer.from(`audit:${seq}`, 'utf8').toString('base64url');
}

function decodeAuditCursor(cursor: string): number {
  const match = /^audit:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) {
    throw new VigilError('bad_input', 'the cursor is not one this server made: pass back the nextCursor of the previous page', { location: { field: 'cursor' } });
  }
  return Number(match[1]);
}

const AuditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().min(1).optional(),
    action: z.string().min(1).max(100).optional(),
    actor: z.string().min(1).max(100).optional(),
  })
  .strict();

/** GET /api/audit: the audit log, newest first, for admins; `cursor` pages through it. */
export function registerAuditRoutes(app: Hono, deps: AccessDeps): void {
  app.get('/api/audit', async (c) => {
    const query = AuditQuerySchema.parse(c.req.query());
    const before = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
    const rows = await deps.accounts.listAudit({ limit: query.limit + 1, before, action: query.action, actorId: query.actor });
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return c.json({ items, nextCursor: rows.length > query.limit && last !== undefined ? encodeAuditCursor(last.seq) : null });
  });
}
