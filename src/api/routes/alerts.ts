import type { Hono } from 'hono';
import { z } from 'zod';
import type { AlertRule } from '../../alerts/rules.js';
import { VigilError } from '../../core/errors.js';
import { addAlertRule } from '../../pipeline/alerts.js';
import { alertsOf } from '../../store/alerts.js';
import type { Store } from '../../store/store.js';
import { jsonBody } from '../middleware/body.js';

const ListSchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().optional(), rule: z.string().optional() }).strict();

/** A rule as listed: its webhook secret stays on the server (it was shown once, when the rule was made). */
function listed(rule: AlertRule): Omit<AlertRule, 'secret'> & { signed: boolean } {
  const { secret, ...rest } = rule;
  return { ...rest, signed: secret !== null };
}

/**
 * `GET /api/alerts`: fired alerts, newest first (cursor pages). `GET /api/alert-rules`,
 * `POST /api/alert-rules` (the answer carries the webhook's signing secret, once),
 * `DELETE /api/alert-rules/:id`.
 */
export function registerAlertRoutes(app: Hono, store: Store): void {
  app.get('/api/alerts', async (c) => {
    const q = ListSchema.parse(c.req.query());
    return c.json(await alertsOf(store).listAlerts({ limit: q.limit, cursor: q.cursor ?? null, ...(q.rule === undefined ? {} : { ruleId: q.rule }) }));
  });

  app.get('/api/alert-rules', async (c) => c.json({ items: (await alertsOf(store).listRules()).map(listed) }));

  app.post('/api/alert-rules', async (c) => {
    const body = await jsonBody(c, z.record(z.string(), z.unknown()));
    const rule = await addAlertRule(store, body);
    return c.json(rule, 201);
  });

  app.delete('/api/alert-rules/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await alertsOf(store).removeRule(id))) throw new VigilError('not_found', `no alert rule with id "${id}"`);
    return c.body(null, 204);
  });
}
