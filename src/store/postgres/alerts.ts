import type pg from 'pg';
import type { Alert, AlertRule } from '../../alerts/rules.js';
import { alertFromRow, decodeAlertCursor, deliveryFromRow, encodeAlertCursor, type AlertPage, type AlertRow, type AlertStore, type Delivery, type DeliveryRow } from '../alerts.js';
import type { Migration } from '../migration.js';
import { PostgresFacet } from './facet.js';

/** Schema version 6: alert rules, fired alerts (one per rule and event key), webhook deliveries. */
export const postgresAlertsMigration: Migration = {
  version: 6,
  name: 'alerts',
  sql: `
CREATE TABLE alert_rules (
  id         text COLLATE "C" PRIMARY KEY,
  rule       jsonb NOT NULL,
  created_at text NOT NULL
);

CREATE TABLE alerts (
  seq         bigserial PRIMARY KEY,
  id          text COLLATE "C" NOT NULL UNIQUE,
  rule_id     text COLLATE "C" NOT NULL,
  rule_name   text NOT NULL,
  kind        text NOT NULL,
  key         text NOT NULL,
  fired_at    text NOT NULL,
  incident_id text,
  title       text NOT NULL,
  detail      jsonb NOT NULL,
  UNIQUE (rule_id, key)
);

CREATE TABLE alert_deliveries (
  alert_id        text COLLATE "C" PRIMARY KEY REFERENCES alerts (id),
  rule_id         text COLLATE "C" NOT NULL,
  url             text NOT NULL,
  attempts        integer NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  next_attempt_at text,
  last_error      text,
  delivered_at    text
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at);

CREATE TABLE alert_marks (
  name  text PRIMARY KEY,
  value text NOT NULL
);

CREATE INDEX incidents_updated_at ON incidents (updated_at);
`,
};

export class PostgresAlertStore extends PostgresFacet implements AlertStore {
  async addRule(rule: AlertRule): Promise<void> {
    await this.query(`cannot add alert rule ${rule.name}`, 'INSERT INTO alert_rules (id, rule, created_at) VALUES ($1, $2, $3)', [rule.id, JSON.stringify(rule), rule.createdAt]);
  }

  async listRules(): Promise<AlertRule[]> {
    const { rows } = await this.query<{ rule: AlertRule }>('cannot list alert rules', 'SELECT rule FROM alert_rules ORDER BY created_at, id');
    return rows.map((r) => r.rule);
  }

  async getRule(id: string): Promise<AlertRule | null> {
    const { rows } = await this.query<{ rule: AlertRule }>(`cannot read alert rule ${id}`, 'SELECT rule FROM alert_rules WHERE id = $1', [id]);
    return rows[0]?.rule ?? null;
  }

  async removeRule(id: string): Promise<boolean> {
    return this.transaction(`cannot remove alert rule ${id}`, async (client) => {
      await client.query("DELETE FROM alert_deliveries WHERE rule_id = $1 AND status = 'pending'", [id]);
      const result = await client.query('DELETE FROM alert_rules WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  async recordAlert(alert: Alert, delivery: Delivery | null): Promise<boolean> {
    return this.transaction(`cannot record an alert of rule ${alert.ruleId}`, async (client) => {
      const inserted = await client.query(
        'INSERT INTO alerts (id, rule_id, rule_name, kind, key, fired_at, incident_id, title, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (rule_id, key) DO NOTHING',
        [alert.id, alert.ruleId, alert.ruleName, alert.kind, alert.key, alert.firedAt, alert.incidentId, alert.title, JSON.stringify(alert.detail)],
      );
      const fresh = (inserted.rowCount ?? 0) > 0;
      if (fresh && delivery !== null) {
        await client.query('INSERT INTO alert_deliveries (alert_id, rule_id, url, attempts, status, next_attempt_at, last_error, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          delivery.alertId, delivery.ruleId, delivery.url, delivery.attempts, delivery.status, delivery.nextAttemptAt, delivery.lastError, delivery.deliveredAt,
        ]);
      }
      return fresh;
    });
  }

  async listAlerts(options: { limit: number; cursor?: string | null; ruleId?: string }): Promise<AlertPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (options.cursor) {
      values.push(decodeAlertCursor(options.cursor));
      where.push(`seq < $${values.length}`);
    }
    if (options.ruleId !== undefined) {
      values.push(options.ruleId);
      where.push(`rule_id = $${values.length}`);
    }
    values.push(options.limit + 1);
    const { rows } = await this.query<AlertRow & pg.QueryResultRow>('cannot list alerts', `SELECT * FROM alerts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${values.length}`, values);
    const items = rows.slice(0, options.limit);
    const last = items.at(-1);
    return { items: items.map(alertFromRow), nextCursor: rows.length > options.limit && last !== undefined ? encodeAlertCursor(Number(last.seq)) : null };
  }

  async dueDeliveries(now: string, limit: number): Promise<{ alert: Alert; delivery: Delivery; secret: string | null }[]> {
    const { rows } = await this.query<DeliveryRow & AlertRow & { a_rule_id: string; rule: AlertRule | null } & pg.QueryResultRow>(
      'cannot read due deliveries',
      `SELECT d.*, a.seq, a.id, a.rule_id AS a_rule_id, a.rule_name, a.kind, a.key, a.fired_at, a.incident_id, a.title, a.detail, r.rule
       FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN alert_rules r ON r.id = d.rule_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({ alert: alertFromRow({ ...row, rule_id: row.a_rule_id }), delivery: deliveryFromRow(row), secret: row.rule?.secret ?? null }));
  }

  async saveDelivery(d: Delivery): Promise<void> {
    await this.query(`cannot save the delivery of alert ${d.alertId}`, 'UPDATE alert_deliveries SET attempts = $1, status = $2, next_attempt_at = $3, last_error = $4, delivered_at = $5 WHERE alert_id = $6', [
      d.attempts, d.status, d.nextAttemptAt, d.lastError, d.deliveredAt, d.alertId,
    ]);
  }

  async getDelivery(alertId: string): Promise<Delivery | null> {
    const { rows } = await this.query<DeliveryRow & pg.QueryResultRow>(`cannot read the delivery of alert ${alertId}`, 'SELECT * FROM alert_deliveries WHERE alert_id = $1', [alertId]);
    const row = rows[0];
    return row === undefined ? null : deliveryFromRow(row);
  }

  async getMark(name: string): Promise<string | null> {
    const { rows } = await this.query<{ value: string }>('cannot read an alert mark', 'SELECT value FROM alert_marks WHERE name = $1', [name]);
    return rows[0]?.value ?? null;
  }

  async setMark(name: string, value: string): Promise<void> {
    await this.query('cannot save an alert mark', 'INSERT INTO alert_marks (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }
}
