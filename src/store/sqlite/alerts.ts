import type Database from 'better-sqlite3';
import type { Alert, AlertRule } from '../../alerts/rules.js';
import { alertFromRow, decodeAlertCursor, deliveryFromRow, encodeAlertCursor, type AlertPage, type AlertRow, type AlertStore, type Delivery, type DeliveryRow } from '../alerts.js';
import type { Migration } from '../migration.js';
import { SqliteFacet } from './facet.js';

/** Schema version 6: alert rules, fired alerts (one per rule and event key), webhook deliveries. */
export const sqliteAlertsMigration: Migration = {
  version: 6,
  name: 'alerts',
  sql: `
CREATE TABLE alert_rules (
  id         TEXT PRIMARY KEY,
  rule       TEXT NOT NULL CHECK (json_valid(rule)),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE alerts (
  seq         INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  rule_id     TEXT NOT NULL,
  rule_name   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  key         TEXT NOT NULL,
  fired_at    TEXT NOT NULL,
  incident_id TEXT,
  title       TEXT NOT NULL,
  detail      TEXT NOT NULL CHECK (json_valid(detail)),
  UNIQUE (rule_id, key)
) STRICT;

CREATE TABLE alert_deliveries (
  alert_id        TEXT PRIMARY KEY REFERENCES alerts (id),
  rule_id         TEXT NOT NULL,
  url             TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  next_attempt_at TEXT,
  last_error      TEXT,
  delivered_at    TEXT
) STRICT;
CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at);

CREATE TABLE alert_marks (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE INDEX incidents_updated_at ON incidents (updated_at);
`,
};

export class SqliteAlertStore extends SqliteFacet implements AlertStore {
  /** `use`, answered as a promise: the AlertStore interface is asynchronous for PostgreSQL's sake. */
  #use<T>(doing: string, work: (db: Database.Database) => T): Promise<T> {
    try {
      return Promise.resolve(this.use(doing, work));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  addRule(rule: AlertRule): Promise<void> {
    return this.#use(`cannot add alert rule ${rule.name}`, (db) => {
      db.prepare('INSERT INTO alert_rules (id, rule, created_at) VALUES (?, ?, ?)').run(rule.id, JSON.stringify(rule), rule.createdAt);
    });
  }

  listRules(): Promise<AlertRule[]> {
    return this.#use('cannot list alert rules', (db) => (db.prepare('SELECT rule FROM alert_rules ORDER BY created_at, id').all() as { rule: string }[]).map((r) => JSON.parse(r.rule) as AlertRule));
  }

  getRule(id: string): Promise<AlertRule | null> {
    return this.#use(`cannot read alert rule ${id}`, (db) => {
      const row = db.prepare('SELECT rule FROM alert_rules WHERE id = ?').get(id) as { rule: string } | undefined;
      return row === undefined ? null : (JSON.parse(row.rule) as AlertRule);
    });
  }

  removeRule(id: string): Promise<boolean> {
    return this.#use(`cannot remove alert rule ${id}`, (db) =>
      db.transaction(() => {
        db.prepare("DELETE FROM alert_deliveries WHERE rule_id = ? AND status = 'pending'").run(id);
        return db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes > 0;
      })(),
    );
  }

  recordAlert(alert: Alert, delivery: Delivery | null): Promise<boolean> {
    return this.#use(`cannot record an alert of rule ${alert.ruleId}`, (db) =>
      db.transaction(() => {
        const inserted = db
          .prepare('INSERT INTO alerts (id, rule_id, rule_name, kind, key, fired_at, incident_id, title, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rule_id, key) DO NOTHING')
          .run(alert.id, alert.ruleId, alert.ruleName, alert.kind, alert.key, alert.firedAt, alert.incidentId, alert.title, JSON.stringify(alert.detail)).changes > 0;
        if (inserted && delivery !== null) {
          db.prepare('INSERT INTO alert_deliveries (alert_id, rule_id, url, attempts, status, next_attempt_at, last_error, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
            delivery.alertId, delivery.ruleId, delivery.url, delivery.attempts, delivery.status, delivery.nextAttemptAt, delivery.lastError, delivery.deliveredAt,
          );
        }
        return inserted;
      })(),
    );
  }

  listAlerts(options: { limit: number; cursor?: string | null; ruleId?: string }): Promise<AlertPage> {
    return this.#use('cannot list alerts', (db) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (options.cursor) {
        where.push('seq < ?');
        params.push(decodeAlertCursor(options.cursor));
      }
      if (options.ruleId !== undefined) {
        where.push('rule_id = ?');
        params.push(options.ruleId);
      }
      const rows = db.prepare(`SELECT * FROM alerts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`).all(...params, options.limit + 1) as AlertRow[];
      const items = rows.slice(0, options.limit);
      const last = items.at(-1);
      return { items: items.map(alertFromRow), nextCursor: rows.length > options.limit && last !== undefined ? encodeAlertCursor(Number(last.seq)) : null };
    });
  }

  dueDeliveries(now: string, limit: number): Promise<{ alert: Alert; delivery: Delivery; secret: string | null }[]> {
    return this.#use('cannot read due deliveries', (db) => {
      const rows = db
        .prepare(
          `SELECT d.*, a.seq, a.id, a.rule_id AS a_rule_id, a.rule_name, a.kind, a.key, a.fired_at, a.incident_id, a.title, a.detail, r.rule
           FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN alert_rules r ON r.id = d.rule_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`,
        )
        .all(now, limit) as (DeliveryRow & AlertRow & { a_rule_id: string; rule: string | null })[];
      return rows.map((row) => ({
        alert: alertFromRow({ ...row, rule_id: row.a_rule_id }),
        delivery: deliveryFromRow(row),
        secret: row.rule === null ? null : ((JSON.parse(row.rule) as AlertRule).secret ?? null),
      }));
    });
  }

  saveDelivery(d: Delivery): Promise<void> {
    return this.#use(`cannot save the delivery of alert ${d.alertId}`, (db) => {
      db.prepare('UPDATE alert_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE alert_id = ?').run(d.attempts, d.status, d.nextAttemptAt, d.lastError, d.deliveredAt, d.alertId);
    });
  }

  getDelivery(alertId: string): Promise<Delivery | null> {
    return this.#use(`cannot read the delivery of alert ${alertId}`, (db) => {
      const row = db.prepare('SELECT * FROM alert_deliveries WHERE alert_id = ?').get(alertId) as DeliveryRow | undefined;
      return row === undefined ? null : deliveryFromRow(row);
    });
  }

  getMark(name: string): Promise<string | null> {
    return this.#use('cannot read an alert mark', (db) => (db.prepare('SELECT value FROM alert_marks WHERE name = ?').get(name) as { value: string } | undefined)?.value ?? null);
  }

  setMark(name: string, value: string): Promise<void> {
    return this.#use('cannot save an alert mark', (db) => {
      db.prepare('INSERT INTO alert_marks (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
    });
  }
}
