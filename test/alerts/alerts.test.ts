import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { actorFamily } from '../../src/alerts/rules.js';
import type { MentionFields } from '../../src/core/model.js';
import { addAlertRule, deliverWebhooks, evaluateAlerts, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds, signWebhook } from '../../src/pipeline/alerts.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { alertsOf } from '../../src/store/alerts.js';
import type { Store } from '../../src/store/store.js';
import { fixedExtractor, noFields } from '../helpers/records.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

interface Event {
  text: string;
  day: string;
  country: string;
  place: string;
  lat: number;
  lon: number;
  actor?: { id: string; name: string; attribution: 'claimed' | 'attributed' };
  killed?: number;
  wounded?: number;
}

function fieldsOf(e: Event): MentionFields {
  const ev = [{ start: 0, end: Math.min(10, e.text.length) }];
  const f = noFields();
  f.date = { value: { start: e.day, end: e.day, precision: 'day' }, evidence: ev, confidence: 0.9 };
  f.location = { value: { name: e.place, admin1: null, country: e.country, lat: e.lat, lon: e.lon, precision: 'city', radiusKm: 10 }, evidence: ev, confidence: 0.9 };
  f.attackTypes = [{ value: 'bombing', evidence: ev, confidence: 0.9 }];
  if (e.actor !== undefined) f.perpetrators = [{ value: { name: e.actor.name, actorId: e.actor.id, attribution: e.actor.attribution }, evidence: ev, confidence: 0.9 }];
  if (e.killed !== undefined) f.killed = { value: { low: e.killed, best: e.killed, high: e.killed, kind: 'reported' }, evidence: ev, confidence: 0.9 };
  if (e.wounded !== undefined) f.wounded = { value: { low: e.wounded, best: e.wounded, high: e.wounded, kind: 'reported' }, evidence: ev, confidence: 0.9 };
  return f;
}

/** Texts written for these tests; each event is one report. */
const ISWAP = { id: 'is-west-africa', name: 'Islamic State West Africa Province', attribution: 'claimed' as const };

describe.each([sqliteFactory(), postgresFactory('alerts')])('alerts on $name', (factory) => {
  let store: Store;
  let clock = new Date('2024-06-01T00:00:00Z');
  const ingest = async (e: Event): Promise<void> => {
    clock = new Date(clock.getTime() + 60_000);
    await ingestReports(store, asReadResults([{ text: e.text, published: e.day }]), { extractor: fixedExtractor(fieldsOf(e)), source: { kind: 'batch', locator: 'alerts-test', name: 'alerts test' }, now: () => clock });
  };
  const evaluate = () => evaluateAlerts(store, { now: () => clock });

  beforeEach(async () => {
    store = await factory.create();
    await store.migrate();
    clock = new Date('2024-06-01T00:00:00Z');
  });
  afterEach(() => store.close());

  it('tells when an actor strikes in a country new for it, once, not once per report of the attack', async () => {
    await addAlertRule(store, { name: 'IS in new countries', kind: 'new_area', actorId: 'islamic-state', months: 12 }, clock);
    await ingest({ text: 'Militants of the Islamic State West Africa Province attacked a base in Diffa, Niger, killing four soldiers.', day: '2024-05-20', country: 'NE', place: 'Diffa', lat: 13.31, lon: 12.61, actor: ISWAP, killed: 4 });
    const first = await evaluate();
    expect(first.fired.map((a) => a.kind)).toEqual(['new_area']);
    expect(first.fired[0]?.detail).toMatchObject({ country: 'NE', actorId: 'islamic-state' });
    // A second report of the same attack, worded otherwise: linked into the incident, no new alert.
    await ingest({ text: 'An attack claimed by ISWAP on an army base in Diffa in Niger left four soldiers dead, officials said on Tuesday.', day: '2024-05-20', country: 'NE', place: 'Diffa', lat: 13.31, lon: 12.61, actor: ISWAP, killed: 4 });
    expect((await evaluate()).fired).toEqual([]);
    // Two weeks later the group strikes again in Niger: not new any more.
    await ingest({ text: 'ISWAP fighters raided a village near Bosso, Niger, killing two herders.', day: '2024-06-03', country: 'NE', place: 'Bosso', lat: 13.7, lon: 13.31, actor: ISWAP, killed: 2 });
    expect((await evaluate()).fired).toEqual([]);
    // Another group of the family in another country: new.
    await ingest({ text: 'The Islamic State Sahel Province claimed a bombing in Menaka, Mali, that wounded six soldiers.', day: '2024-06-04', country: 'ML', place: 'Menaka', lat: 15.92, lon: 2.4, actor: { id: 'is-sahel', name: 'Islamic State Sahel Province', attribution: 'claimed' }, wounded: 6 });
    const again = await evaluate();
    expect(again.fired.map((a) => a.detail['country'])).toEqual(['ML']);
    expect((await alertsOf(store).listAlerts({ limit: 10 })).items).toHaveLength(2);
  });

  it('reports an incident above the casualty threshold once, even when a later report raises the toll', async () => {
    await addAlertRule(store, { name: 'mass casualties', kind: 'casualties', minCasualties: 20 }, clock);
    await ingest({ text: 'A car bomb exploded at a market in Baidoa, Somalia, killing eight people and wounding nine.', day: '2024-05-28', country: 'SO', place: 'Baidoa', lat: 3.11, lon: 43.65, killed: 8, wounded: 9 });
    expect((await evaluate()).fired).toEqual([]);
    // Reconciled figures are the median of the reports' best figures: one higher report does not move them yet.
    await ingest({ text: 'The toll from the car bombing at a Baidoa market in Somalia rose to 15 dead and 12 wounded, hospital staff said.', day: '2024-05-28', country: 'SO', place: 'Baidoa', lat: 3.11, lon: 43.65, killed: 15, wounded: 12 });
    expect((await evaluate()).fired).toEqual([]);
    await ingest({ text: 'Officials in Somalia said 16 people were killed and 12 wounded in the Baidoa market car bombing.', day: '2024-05-28', country: 'SO', place: 'Baidoa', lat: 3.11, lon: 43.65, killed: 16, wounded: 12 });
    const raised = await evaluate();
    expect(raised.fired).toHaveLength(1);
    expect(raised.fired[0]?.title).toMatch(/^15 killed and 12 wounded/);
    await ingest({ text: 'Somali officials put the toll of the Baidoa market car bomb at 17 dead and 13 wounded on Thursday.', day: '2024-05-28', country: 'SO', place: 'Baidoa', lat: 3.11, lon: 43.65, killed: 17, wounded: 13 });
    expect((await evaluate()).fired).toEqual([]);
    expect((await alertsOf(store).listAlerts({ limit: 10 })).items).toHaveLength(1);
  });

  it('reports a new claim by a watched actor, and a surge against the previous period', async () => {
    await addAlertRule(store, { name: 'ISWAP claims', kind: 'claim', actorId: 'is-west-africa' }, clock);
    await addAlertRule(store, { name: 'Borno surge', kind: 'surge', country: 'NG', periodDays: 7, minCount: 3, increasePct: 25 }, clock);
    clock = new Date('2024-06-10T12:00:00Z');
    await ingest({ text: 'Gunmen attacked a farm near Konduga, Nigeria, killing one farmer.', day: '2024-05-30', country: 'NG', place: 'Konduga', lat: 11.65, lon: 13.42, killed: 1 });
    const towns: [string, number, number][] = [['Bama', 11.52, 13.69], ['Dikwa', 12.03, 13.92], ['Monguno', 12.67, 13.61], ['Gwoza', 11.08, 13.69]];
    for (const [i, [town, lat, lon]] of towns.entries()) {
      await ingest({ text: `Insurgents attacked ${town} in Borno State, Nigeria, on June ${6 + i}, killing ${i + 2} civilians.`, day: `2024-06-0${6 + i}`, country: 'NG', place: town, lat, lon, killed: i + 2, ...(i === 0 ? { actor: { ...ISWAP, attribution: 'claimed' as const } } : {}) });
    }
    const result = await evaluate();
    expect(result.fired.map((a) => a.kind).sort()).toEqual(['claim', 'surge']);
    expect(result.fired.find((a) => a.kind === 'surge')?.detail).toMatchObject({ current: 4, previous: 1 });
    expect((await evaluate()).fired).toEqual([]);
  });

  it('refuses rules it cannot evaluate, naming the field', async () => {
    await expect(addAlertRule(store, { name: 'x', kind: 'new_area' }, clock)).rejects.toThrow(/actor/);
    await expect(addAlertRule(store, { name: 'x', kind: 'claim', actorId: 'no-such-group' }, clock)).rejects.toThrow(/registry/);
    await expect(addAlertRule(store, { name: 'x', kind: 'surge', country: 'Nigeria' }, clock)).rejects.toThrow(/alpha-2/);
  });
});

describe('webhook delivery', () => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answers: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200);
      res.end();
    });
  });
  let url = '';
  let store: Store;
  const factory = sqliteFactory();

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    store = await factory.create();
    await store.migrate();
  });
  afterAll(async () => {
    server.close();
    await store.close();
  });

  it('posts each alert signed, retries with back-off until it is taken, and never twice once delivered', async () => {
    let clock = new Date('2024-06-01T00:00:00Z');
    const rule = await addAlertRule(store, { name: 'hooked', kind: 'casualties', minCasualties: 5, webhookUrl: url }, clock);
    expect(rule.secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const fields = noFields();
    const ev = [{ start: 0, end: 5 }];
    fields.date = { value: { start: '2024-05-30', end: '2024-05-30', precision: 'day' }, evidence: ev, confidence: 0.9 };
    fields.location = { value: { name: 'Kabul', admin1: null, country: 'AF', lat: 34.53, lon: 69.17, precision: 'city', radiusKm: 10 }, evidence: ev, confidence: 0.9 };
    fields.killed = { value: { low: 6, best: 6, high: 6, kind: 'reported' }, evidence: ev, confidence: 0.9 };
    await ingestReports(store, asReadResults([{ text: 'A suicide bomber killed six people at a bus stop in Kabul, Afghanistan.', published: '2024-05-30' }]), { extractor: fixedExtractor(fields), source: { kind: 'batch', locator: 't', name: 't' }, now: () => clock });
    const [alert] = (await evaluateAlerts(store, { now: () => clock })).fired;
    expect(alert).toBeDefined();

    // Refused without permission for a loopback receiver.
    answers = [];
    expect(await deliverWebhooks(store, { now: () => clock, allowPrivate: false })).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect(received).toHaveLength(0);
    let delivery = await alertsOf(store).getDelivery(alert?.id ?? '');
    expect(delivery?.lastError).toMatch(/not a public address/);

    // The receiver fails twice, then takes it.
    answers = [500, 503];
    for (let round = 0; round < 3; round++) {
      clock = new Date(clock.getTime() + retryDelaySeconds(round + 1) * 1000 + 1000);
      await deliverWebhooks(store, { now: () => clock, allowPrivate: true });
    }
    expect(received).toHaveLength(3);
    delivery = await alertsOf(store).getDelivery(alert?.id ?? '');
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4 });
    const last = received.at(-1);
    const signature = String(last?.headers['x-vigil-signature']);
    const t = Number(/t=(\d+)/.exec(signature)?.[1]);
    expect(signature).toBe(signWebhook(rule.secret ?? '', t, last?.body ?? ''));
    expect(signature).toContain(`v1=${createHmac('sha256', rule.secret ?? '').update(`${t}.${last?.body ?? ''}`).digest('hex')}`);
    expect(last?.headers['x-vigil-delivery']).toBe(alert?.id);
    expect(JSON.parse(last?.body ?? '{}')).toMatchObject({ type: 'vigil.alert', alert: { id: alert?.id, kind: 'casualties' } });

    clock = new Date(clock.getTime() + 24 * 3600_000);
    expect(await deliverWebhooks(store, { now: () => clock, allowPrivate: true })).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(received).toHaveLength(3);
  });

  it('gives up after the last attempt', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    expect(retryDelaySeconds(1)).toBe(60);
    expect(retryDelaySeconds(3)).toBe(240);
    expect(retryDelaySeconds(30)).toBe(6 * 3600);
    expect(actorFamily('islamic-state')).toContain('is-west-africa');
  });
});

describe('alerts through the API and the command line', () => {
  it('adds a rule, lists it without its secret, lists fired alerts, and removes it', async () => {
    const { createApp } = await import('../../src/api/app.js');
    const { loadConfig } = await import('../../src/core/config.js');
    const { accountsOf } = await import('../../src/store/accounts.js');
    const { issueToken } = await import('../../src/api/routes/users.js');
    const { newId } = await import('../../src/auth/secrets.js');
    const store = await sqliteFactory().create();
    await store.migrate();
    try {
      const at = new Date().toISOString();
      const user = await accountsOf(store).createUser({ id: newId('u'), name: 'alert-analyst', role: 'analyst', disabled: false, passwordHash: null, createdAt: at, updatedAt: at });
      const token = (await issueToken(accountsOf(store), { userId: user.id, name: 't', now: new Date() })).secret;
      const app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), log: () => undefined });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = await app.request('/api/alert-rules', { method: 'POST', headers, body: JSON.stringify({ name: 'hook', kind: 'casualties', minCasualties: 3, webhookUrl: 'https://hooks.example/v' }) });
      expect(created.status).toBe(201);
      const rule = (await created.json()) as { id: string; secret: string };
      expect(rule.secret.length).toBeGreaterThan(20);
      const listed = (await (await app.request('/api/alert-rules')).json()) as { items: Record<string, unknown>[] };
      expect(listed.items[0]).toMatchObject({ id: rule.id, signed: true });
      expect(JSON.stringify(listed)).not.toContain(rule.secret);
      const bad = await app.request('/api/alert-rules', { method: 'POST', headers, body: JSON.stringify({ name: 'x', kind: 'new_area' }) });
      expect(bad.status).toBe(422);
      expect(JSON.stringify(await bad.json())).toContain('actor');
      expect(((await (await app.request('/api/alerts')).json()) as { items: unknown[] }).items).toEqual([]);
      expect((await app.request(`/api/alert-rules/${rule.id}`, { method: 'DELETE', headers })).status).toBe(204);
      expect((await app.request(`/api/alert-rules/${rule.id}`, { method: 'DELETE', headers })).status).toBe(404);
    } finally {
      await store.close();
    }
  });

  it('manages rules and runs evaluation from the command line', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-alerts-cli-'));
    const db = path.join(dir, 'v.db');
    try {
      const added = await runCli(['alerts', 'rules', 'add', '--name', 'big', '--kind', 'casualties', '--min-casualties', '5', '--db', db]);
      expect(added.code).toBe(0);
      expect(added.stdout.trim()).toMatch(/^rule_/);
      const bad = await runCli(['alerts', 'rules', 'add', '--name', 'x', '--kind', 'claim', '--db', db]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('actorId');
      const listed = await runCli(['alerts', 'rules', 'list', '--db', db]);
      expect(listed.stdout).toContain('casualties');
      const run = await runCli(['alerts', 'run', '--db', db]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/0 alerts fired/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
