import { VigilError } from '../core/errors.js';
import type { Alert, AlertRule } from '../alerts/rules.js';
import { facetOf } from './facets.js';
import type { Store } from './store.js';

/** A webhook delivery of one alert. */
export interface Delivery {
  alertId: string;
  ruleId: string;
  url: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed';
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface AlertPage {
  items: Alert[];
  nextCursor: string | null;
}

/** Alert rules, the alerts they fired (once per key) and their webhook deliveries. */
export interface AlertStore {
  addRule(rule: AlertRule): Promise<void>;
  listRules(): Promise<AlertRule[]>;
  getRule(id: string): Promise<AlertRule | null>;
  /** True when it existed; its alerts stay, its pending deliveries are dropped. */
  removeRule(id: string): Promise<boolean>;
  /**
   * Records an alert unless the rule already fired for its key; with a delivery when the rule has
   * a webhook. True when recorded (a new event), false for a repeat.
   */
  recordAlert(alert: Alert, delivery: Delivery | null): Promise<boolean>;
  /** Newest first. */
  listAlerts(options: { limit: number; cursor?: string | null; ruleId?: string }): Promise<AlertPage>;
  dueDeliveries(now: string, limit: number): Promise<{ alert: Alert; delivery: Delivery; secret: string | null }[]>;
  saveDelivery(delivery: Delivery): Promise<void>;
  getDelivery(alertId: string): Promise<Delivery | null>;
  /** A named position of the evaluator (the last incident change it has seen). */
  getMark(name: string): Promise<string | null>;
  setMark(name: string, value: string): Promise<void>;
}

export interface WithAlerts {
  readonly alerts: AlertStore;
}

export function alertsOf(store: Store): AlertStore {
  return facetOf<keyof WithAlerts, AlertStore>(store, 'alerts', 'alert storage');
}

export interface AlertRow {
  seq: number | string;
  id: string;
  rule_id: string;
  rule_name: string;
  kind: string;
  key: string;
  fired_at: string;
  incident_id: string | null;
  title: string;
  detail: string | Record<string, unknown>;
}

export function alertFromRow(row: AlertRow): Alert {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind as Alert['kind'],
    key: row.key,
    firedAt: row.fired_at,
    incidentId: row.incident_id,
    title: row.title,
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
  };
}

export interface DeliveryRow {
  alert_id: string;
  rule_id: string;
  url: string;
  attempts: number | string;
  status: string;
  next_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
}

export function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    alertId: row.alert_id,
    ruleId: row.rule_id,
    url: row.url,
    attempts: Number(row.attempts),
    status: row.status as Delivery['status'],
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
  };
}

export function encodeAlertCursor(seq: number): string {
  return Buffer.from(`a:${seq}`).toString('base64url');
}

export function decodeAlertCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^a:(\d+)$/.exec(text);
  if (m === null) throw new VigilError('bad_input', 'cursor: not a cursor of this list', { location: { field: 'cursor' } });
  return Number(m[1]);
}
