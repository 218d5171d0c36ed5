import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { evaluateIncident, evaluateSurge, type AlertData } from '../alerts/evaluate.js';
import { ruleFromInput, type Alert, type AlertRule } from '../alerts/rules.js';
import type { Incident } from '../core/model.js';
import { safePost } from '../sources/feeds/safe-fetch.js';
import { alertsOf, type Delivery } from '../store/alerts.js';
import type { Store } from '../store/store.js';

/** Attempts before a webhook delivery is given up. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** The wait before delivery attempt n+1: one minute doubled per failed attempt, at most six hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(6 * 3600, 60 * 2 ** Math.max(0, attempts - 1));
}

/** Stores a rule from an analyst's input; a webhook rule gets a fresh signing secret, returned once. */
export async function addAlertRule(store: Store, input: unknown, now: Date = new Date()): Promise<AlertRule> {
  const rule = ruleFromInput(input, `rule_${randomUUID().slice(0, 8)}`, randomBytes(24).toString('base64url'), now.toISOString());
  await alertsOf(store).addRule(rule);
  return rule;
}

/** Counting through the store's incident list (merged incidents are never listed; rejected ones are skipped here). */
export function storeAlertData(store: Store): AlertData {
  return {
    async countIncidents({ actorIds, country, from, to, excludeId, atMost }) {
      const seen = new Set<string>();
      for (const actor of actorIds ?? [undefined]) {
        let cursor: string | undefined;
        do {
          const page = await store.listIncidents({ from, to, limit: 1000, ...(country === null ? {} : { country }), ...(actor === undefined ? {} : { actor }), ...(cursor === undefined ? {} : { cursor }) });
          for (const incident of page.items) {
            if (incident.id === excludeId || incident.status === 'rejected') continue;
            seen.add(incident.id);
            if (atMost !== undefined && seen.size >= atMost) return seen.size;
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
      }
      return seen.size;
    },
  };
}

function alertOf(rule: AlertRule, candidate: { key: string; incidentId: string | null; title: string; detail: Record<string, unknown> }, at: string): Alert {
  return { id: `alert_${randomUUID()}`, ruleId: rule.id, ruleName: rule.name, kind: rule.kind, key: candidate.key, firedAt: at, incidentId: candidate.incidentId, title: candidate.title, detail: candidate.detail };
}

export interface EvaluationSummary {
  incidentsExamined: number;
  fired: Alert[];
}

const MARK = 'incidents.updated_at';

/**
 * Evaluates the rules against every incident changed since the last evaluation (new incidents,
 * and incidents that took in another report, a merge or an edit), and the surge rules as of
 * today. Each (rule, key) fires once: a second report of the same attack updates its incident and
 * is examined again, but finds its alert already recorded.
 */
export async function evaluateAlerts(store: Store, options: { now?: () => Date } = {}): Promise<EvaluationSummary> {
  const now = (options.now ?? (() => new Date()))();
  const alerts = alertsOf(store);
  const rules = (await alerts.listRules()).filter((r) => r.enabled);
  const data = storeAlertData(store);
  const at = now.toISOString();
  const since = await alerts.getMark(MARK);
  const fired: Alert[] = [];
  const record = async (rule: AlertRule, candidate: Parameters<typeof alertOf>[1]): Promise<void> => {
    const alert = alertOf(rule, candidate, at);
    const delivery: Delivery | null = rule.webhookUrl === null ? null : { alertId: alert.id, ruleId: rule.id, url: rule.webhookUrl, attempts: 0, status: 'pending', nextAttemptAt: at, lastError: null, deliveredAt: null };
    if (await alerts.recordAlert(alert, delivery)) fired.push(alert);
  };
  let examined = 0;
  let latest = since;
  let cursor: string | undefined;
  const incidentRules = rules.filter((r) => r.kind !== 'surge');
  do {
    const page = await store.listIncidents({ limit: 500, ...(since === null ? {} : { updatedSince: since }), ...(cursor === undefined ? {} : { cursor }) });
    for (const incident of page.items) {
      examined++;
      if (latest === null || incident.updatedAt > latest) latest = incident.updatedAt;
      for (const rule of incidentRules) {
        const candidate = await evaluateIncident(rule, incident as Incident, data);
        if (candidate !== null) await record(rule, candidate);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  if (examined > 0 || since === null) {
    const surges = rules.filter((r) => r.kind === 'surge');
    for (const rule of surges) {
      const candidate = await evaluateSurge(rule, at.slice(0, 10), data);
      if (candidate !== null) await record(rule, candidate);
    }
  }
  if (latest !== null) await alerts.setMark(MARK, latest);
  return { incidentsExamined: examined, fired };
}

/** The signature header of a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliverySummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * POSTs due alerts to their rules' webhooks, signed with the rule's secret
 * (`x-vigil-signature`), each alert with a stable `x-vigil-delivery` id so a receiver can drop
 * repeats. A 2xx answer delivers; anything else is retried with a doubling wait (1 min … 6 h),
 * and given up after 8 attempts.
 */
export async function deliverWebhooks(store: Store, options: { now?: () => Date; allowPrivate?: boolean; timeoutMs?: number } = {}): Promise<DeliverySummary> {
  const now = (options.now ?? (() => new Date()))();
  const alerts = alertsOf(store);
  const summary: DeliverySummary = { delivered: 0, retrying: 0, failed: 0 };
  for (const { alert, delivery, secret } of await alerts.dueDeliveries(now.toISOString(), 100)) {
    const body = JSON.stringify({ type: 'vigil.alert', alert });
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers: Record<string, string> = { 'x-vigil-event': 'alert', 'x-vigil-delivery': alert.id, 'user-agent': 'Vigil alerts' };
    if (secret !== null) headers['x-vigil-signature'] = signWebhook(secret, timestamp, body);
    let error: string | null = null;
    try {
      const status = await safePost(delivery.url, body, headers, { ...(options.allowPrivate === undefined ? {} : { allowPrivate: options.allowPrivate }), timeoutMs: options.timeoutMs ?? 10_000 });
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    const attempts = delivery.attempts + 1;
    if (error === null) {
      await alerts.saveDelivery({ ...delivery, attempts, status: 'delivered', nextAttemptAt: null, lastError: null, deliveredAt: now.toISOString() });
      summary.delivered++;
    } else if (attempts >= MAX_DELIVERY_ATTEMPTS) {
      await alerts.saveDelivery({ ...delivery, attempts, status: 'failed', nextAttemptAt: null, lastError: error });
      summary.failed++;
    } else {
      await alerts.saveDelivery({ ...delivery, attempts, status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(attempts) * 1000).toISOString(), lastError: error });
      summary.retrying++;
    }
  }
  return summary;
}
