import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import { importDataset } from '../../src/pipeline/import.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StatsFilter, StatsRequest, StatsRow } from '../../src/store/stats.js';
import type { Store } from '../../src/store/store.js';
import { createIncidents, expectedStats, incidentOf, randomFields, seeded, type ExpectedFigures, type ExpectedFilter } from '../api/stats-helpers.js';
import { fixture } from '../datasets/helpers.js';
import { storeFactories, TEST_PG_URL } from './stores.js';

/*
 * Rollups from the stats facts (migration 8) on both stores, against a plain computation over the
 * incidents read back from the store: every grouping, with the filters the facts carry and those
 * that send a rollup to the general SQL, over windows of whole and partial months; then again after
 * edits (with back-dated timestamps), merges, rejections, an un-merge, a dataset import and rows
 * written by plain SQL, which the refresh must pick up.
 */

const IS_TREE = ['islamic-state', 'is-khorasan', 'is-west-africa', 'is-sahel', 'is-somalia', 'is-mozambique', 'is-central-africa', 'is-sinai', 'is-pakistan', 'is-hind'];
const AQ_TREE = ['al-qaeda', 'jnim', 'aqap', 'aqim', 'al-shabaab', 'al-mourabitoun', 'katiba-macina'];

/** A filter as the store takes it and the same filter read plainly. */
interface Case {
  name: string;
  filter: StatsFilter;
  plain: ExpectedFilter;
}

const CASES: Case[] = [
  { name: 'no filter', filter: {}, plain: {} },
  { name: 'IS with provinces, claimed', filter: { actors: IS_TREE, attribution: ['claimed'] }, plain: { actors: IS_TREE, attribution: ['claimed'] } },
  { name: 'al-Qaeda with affiliates', filter: { actors: AQ_TREE }, plain: { actors: AQ_TREE } },
  { name: 'IS alone (no sub-groups)', filter: { actor: 'islamic-state' }, plain: { actors: ['islamic-state'] } },
  { name: 'one province, attributed or suspected', filter: { actor: 'is-khorasan', attribution: ['attributed', 'suspected'] }, plain: { actors: ['is-khorasan'], attribution: ['attributed', 'suspected'] } },
  { name: 'attribution only', filter: { attribution: ['suspected', 'denied'] }, plain: { attribution: ['suspected', 'denied'] } },
  { name: 'country', filter: { country: 'NG' }, plain: { country: 'NG' } },
  { name: 'country and admin1', filter: { country: 'AF', admin1: 'Kabul' }, plain: { country: 'AF', admin1: 'Kabul' } },
  { name: 'rejected only', filter: { status: 'rejected' }, plain: { status: 'rejected' } },
  { name: 'one attack type', filter: { attackType: ['bombing'] }, plain: { attackType: ['bombing'] } },
  { name: 'two attack types, min killed', filter: { attackType: ['bombing', 'armed_assault'], minKilled: 3 }, plain: { attackType: ['bombing', 'armed_assault'], minKilled: 3 } },
  { name: 'min wounded', filter: { minWounded: 4 }, plain: { minWounded: 4 } },
  { name: 'min casualties', filter: { minCasualties: 6 }, plain: { minCasualties: 6 } },
  { name: 'IS tree in a country, bombings', filter: { actors: IS_TREE, country: 'NG', attackType: ['bombing'] }, plain: { actors: IS_TREE, country: 'NG', attackType: ['bombing'] } },
  // These need the general SQL.
  { name: 'target type (general SQL)', filter: { targetType: ['business'] }, plain: { targetType: ['business'] } },
  { name: 'bbox (general SQL)', filter: { bbox: [60, 25, 80, 40] }, plain: { bbox: [60, 25, 80, 40] } },
  { name: 'a list of actors (general SQL)', filter: { actors: ['is-sahel', 'ttp'] }, plain: { actors: ['is-sahel', 'ttp'] } },
];

const GROUPS: { groupBy: StatsRequest['groupBy']; rollup: boolean }[] = [
  { groupBy: 'none', rollup: false },
  { groupBy: 'country', rollup: false },
  { groupBy: 'admin1', rollup: false },
  { groupBy: 'month', rollup: false },
  { groupBy: 'week', rollup: false },
  { groupBy: 'attack_type', rollup: false },
  { groupBy: 'actor', rollup: false },
  { groupBy: 'actor', rollup: true },
];

/** Whole months; partial months at both ends (whole ones between); within one month; one day. */
const WINDOWS = [
  { from: '2024-01-01', to: '2024-12-31' },
  { from: '2023-02-10', to: '2024-08-20' },
  { from: '2023-03-05', to: '2023-03-25' },
  { from: '2025-01-15', to: '2025-01-15' },
];

const asMap = (rows: readonly StatsRow[]): Map<string, ExpectedFigures> =>
  new Map(rows.map((r) => [JSON.stringify([r.key, r.country ?? null]), { incidents: r.incidents, killed: r.killed, wounded: r.wounded }]));

/** Every live incident, read back page by page. */
async function liveIncidents(store: Store): Promise<Incident[]> {
  const out: Incident[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listIncidents({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}

/** Runs SQL on the store's database through a connection of its own. */
async function sideSql(store: Store, sql: string, values: unknown[] = []): Promise<unknown[]> {
  if (store instanceof SqliteStore) {
    const db = new Database(store.path);
    try {
      const statement = db.prepare(sql.replace(/\$\d+/g, '?'));
      return statement.reader ? statement.all(...values) : [statement.run(...values)];
    } finally {
      db.close();
    }
  }
  if (!(store instanceof PostgresStore)) throw new Error('unknown store');
  const client = new pg.Client({ connectionString: TEST_PG_URL, options: `-c search_path=${store.schema}` });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Every case × grouping × window answered by the store, compared with the plain computation. */
async function expectAllAgree(store: Store): Promise<number> {
  const live = await liveIncidents(store);
  let nonEmpty = 0;
  for (const c of CASES) {
    for (const g of GROUPS) {
      for (const w of WINDOWS) {
        const got = asMap(await store.incidentStats({ filter: c.filter, ...w, ...g }));
        const want = expectedStats(live, w.from, w.to, g.groupBy, g.rollup, c.plain);
        expect(Object.fromEntries(got), `${c.name}, ${g.groupBy}${g.rollup ? ' (rolled up)' : ''}, ${w.from}..${w.to}`).toEqual(Object.fromEntries(want));
        if (want.size > 0) nonEmpty += 1;
      }
    }
  }
  return nonEmpty;
}

function randomIncidents(seed: number, count: number, prefix: string, at: string): Incident[] {
  const rand = seeded(seed);
  return Array.from({ length: count }, (_, n) => {
    const incident = incidentOf(`inc_${prefix}${String(n).padStart(4, '0')}`, randomFields(rand, n), at);
    const r = rand();
    if (r < 0.1) incident.status = 'rejected';
    else if (r < 0.3) incident.status = 'reviewed';
    // A province or a grand-child of al-Qaeda now and then, beyond the helpers' actors.
    const first = incident.fields.perpetrators[0];
    if (first !== undefined && rand() < 0.15) first.actorId = rand() < 0.5 ? 'katiba-macina' : 'is-mozambique';
    return incident;
  });
}

/** Replaces incidents through `applyChanges`, as review operations do, each with its next revision. */
async function rewrite(store: Store, changed: Incident[], at: string): Promise<void> {
  await store.applyChanges({
    writes: changed.map((incident) => ({
      incident: { ...incident, revision: incident.revision + 1, updatedAt: at },
      expectedRevision: incident.revision,
      revision: { incidentId: incident.id, revision: incident.revision + 1, at, by: 'user:test', action: 'edit', before: null, after: { fields: incident.fields, mentionIds: incident.mentionIds }, reason: null },
    })),
    links: [],
  });
}

/** Hundreds of rollups per check: generous on a shared, busy machine (nothing here measures time). */
const SLOW = 300_000;

describe.each(storeFactories('statsfacts'))('rollups from the stats facts on $name', (factory) => {
  let store: Store;

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    await createIncidents(store, randomIncidents(8, 500, 'f', '2025-06-01T00:00:00.000Z'));
  });

  afterAll(() => factory.cleanup());

  it('agree with a plain computation for every grouping, filter and window', async () => {
    expect(await expectAllAgree(store)).toBeGreaterThan(200);
    const facts = (await sideSql(store, 'SELECT count(*) AS n FROM stats_facts WHERE dim = 0')) as { n: number | string }[];
    expect(Number(facts[0]?.n)).toBeGreaterThan(400);
    expect(await sideSql(store, 'SELECT incident_id FROM stats_queue')).toEqual([]);
  }, SLOW);

  it('answer from the facts when they can and from the general SQL otherwise', async () => {
    const fast: StatsRequest = { filter: { country: 'NG' }, from: '2023-01-01', to: '2025-12-31', groupBy: 'none', rollup: false };
    const general: StatsRequest = { ...fast, filter: { country: 'NG', targetType: ['business', 'government', 'police'] } };
    const before = [await store.incidentStats(fast), await store.incidentStats(general)];
    // Figures altered in the facts alone show up only in the answer that reads them.
    await sideSql(store, "UPDATE stats_facts SET kh = kh + 1000 WHERE country = 'NG'");
    try {
      const [afterFast, afterGeneral] = [await store.incidentStats(fast), await store.incidentStats(general)];
      expect(afterFast[0]?.killed.high).toBe((before[0]?.[0]?.killed.high ?? 0) + 1000 * (before[0]?.[0]?.incidents ?? 0));
      expect(afterGeneral).toEqual(before[1]);
    } finally {
      await sideSql(store, "UPDATE stats_facts SET kh = kh - 1000 WHERE country = 'NG'");
    }
    expect(await store.incidentStats(fast)).toEqual(before[0]);
  }, SLOW);

  it('stay exact after edits with back-dated times, merges, rejections and an un-merge', async () => {
    const live = await liveIncidents(store);
    const rand = seeded(99);
    const edited = live.slice(0, 40).map((i, n) => ({ ...i, fields: randomFields(rand, 1000 + n) }));
    // Written with a time before every incident's own: a watermark on updated_at would miss them.
    await rewrite(store, edited, '2001-01-01T00:00:00.000Z');
    const now = await liveIncidents(store);
    const merged = now.slice(50, 60).map((i) => ({ ...i, mergedInto: now[49]!.id }));
    await rewrite(store, merged, '2001-01-02T00:00:00.000Z');
    const rejected = (await liveIncidents(store)).slice(70, 85).map((i) => ({ ...i, status: 'rejected' as const }));
    await rewrite(store, rejected, '2026-01-01T00:00:00.000Z');
    expect(await expectAllAgree(store)).toBeGreaterThan(200);
    const [back] = await store.getIncidents([merged[0]!.id]);
    const unmerged: Incident = { ...back! };
    delete unmerged.mergedInto;
    await rewrite(store, [unmerged], '2026-01-02T00:00:00.000Z');
    expect(await expectAllAgree(store)).toBeGreaterThan(200);
  }, SLOW);

  it('pick up a dataset import and rows written by plain SQL', async () => {
    await importDataset(store, 'acled', fixture('acled.csv'), { now: () => new Date('2026-02-01T00:00:00Z') });
    await importDataset(store, 'gtd', fixture('gtd-core.csv'), { now: () => new Date('2026-02-01T00:00:00Z') });
    const fields = randomFields(seeded(5), 1);
    fields.date = { start: '2024-05-05', end: '2024-05-05', precision: 'day' };
    fields.attackTypes = ['bombing'];
    fields.killed = { low: 7, best: 9, high: 12 };
    fields.perpetrators = [{ name: 'IS', actorId: 'is-sahel', attribution: 'claimed', attributedBy: null }];
    const at = '2026-03-01T00:00:00.000Z';
    await sideSql(
      store,
      `INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end, country, admin1, lat, lon, place_precision, killed_best, wounded_best)
       VALUES ('inc_plain_sql', 'machine', 1, $1, $2, $3, 'plain', '2024-05-05', '2024-05-05', $4, $5, $6, $7, NULL, 9, $8)`,
      [at, at, JSON.stringify(fields), fields.location?.country ?? null, fields.location?.admin1 ?? null, fields.location?.lat ?? null, fields.location?.lon ?? null, fields.wounded?.best ?? null],
    );
    await sideSql(store, "INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES ('inc_plain_sql', 'is-sahel', 'claimed')");
    const imported = (await liveIncidents(store)).filter((i) => i.id === 'inc_plain_sql' || i.mentionIds.length > 0);
    expect(imported.length).toBeGreaterThan(3);
    expect(await expectAllAgree(store)).toBeGreaterThan(200);
  }, SLOW);

  it('refresh on demand: nothing queued is nothing to do, one incident written is one refreshed', async () => {
    const refreshable = store as Store & { refreshStats(): Promise<{ incidents: number; full: boolean }> };
    expect(await refreshable.refreshStats()).toEqual({ incidents: 0, full: false });
    const [one] = await liveIncidents(store);
    await rewrite(store, [{ ...one!, status: 'reviewed' }], '2026-04-01T00:00:00.000Z');
    expect(await refreshable.refreshStats()).toEqual({ incidents: 1, full: false });
    // A changed registry or layout (here: a state from elsewhere) rebuilds the facts whole.
    await sideSql(store, "UPDATE stats_state SET fingerprint = 'older' WHERE id = 1");
    expect((await refreshable.refreshStats()).full).toBe(true);
    expect(await expectAllAgree(store)).toBeGreaterThan(200);
  }, SLOW);

  it('stay exact when rollups and writes run at the same time', async () => {
    const live = await liveIncidents(store);
    const rand = seeded(321);
    const work: Promise<unknown>[] = [];
    for (let k = 0; k < 6; k++) {
      const batch = live.slice(100 + k * 10, 110 + k * 10).map((i, n) => ({ ...i, fields: randomFields(rand, 2000 + k * 10 + n) }));
      work.push(rewrite(store, batch, '2026-05-01T00:00:00.000Z'));
      work.push(store.incidentStats({ filter: {}, from: '2023-01-01', to: '2025-12-31', groupBy: 'actor', rollup: true }));
    }
    await Promise.all(work);
    expect(await expectAllAgree(store)).toBeGreaterThan(200);
  }, SLOW);
});

describe('rollups on SQLite while another connection holds the write lock', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-stats-busy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are answered by the general SQL from the incidents as they are, instead of waiting for the lock or failing', async () => {
    // A busy time-out shorter than the test's: waiting for the lock would fail the rollup with "database is locked".
    const store = new SqliteStore(path.join(dir, 'busy.db'), { busyTimeoutMs: 2000 });
    await store.migrate();
    await createIncidents(store, randomIncidents(21, 120, 'b', '2025-06-01T00:00:00.000Z'));
    const request: StatsRequest = { filter: { actors: IS_TREE }, from: '2023-01-01', to: '2025-12-31', groupBy: 'country', rollup: false };
    const want = Object.fromEntries(expectedStats(await liveIncidents(store), request.from, request.to, 'country', false, { actors: IS_TREE }));
    expect(Object.keys(want).length).toBeGreaterThan(1);
    // Another connection (an import's batch) holds the write lock; the incidents wait in the facts' queue.
    const writer = new Database(store.path);
    writer.exec('BEGIN IMMEDIATE');
    try {
      const queued = (): number => writer.prepare('SELECT count(*) FROM stats_queue').pluck().get() as number;
      expect(queued()).toBeGreaterThan(0);
      expect(Object.fromEntries(asMap(await store.incidentStats(request)))).toEqual(want);
      expect(queued()).toBeGreaterThan(0); // not refreshed: the answer came from the incidents
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
    // With the lock free, the facts are refreshed and give the same answer.
    expect(Object.fromEntries(asMap(await store.incidentStats(request)))).toEqual(want);
    expect(await sideSql(store, 'SELECT incident_id FROM stats_queue')).toEqual([]);
    await store.close();
  }, SLOW);
});
