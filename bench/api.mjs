// Query API benchmark: fills a store with synthetic incidents by direct bulk SQL (invented rows,
// shaped like the store's own), then times typical rollup and map queries through the HTTP app
// (p50/p95 over repeated calls with varied parameters) and puts the server under load with
// autocannon (N concurrent clients for D seconds). Run `npx tsc -p tsconfig.build.json` first
// (`npm run bench:api` does).
//
//   node bench/api.mjs [--size 2500000] [--pg postgres://postgres@127.0.0.1:5432/test] [--runs 40]
//                      [--connections 200] [--duration 60] [--keep] [--reuse FILE|SCHEMA]
//                      [--only stats,map,list] [--no-queries] [--read-workers 2] [--client-workers 0]
//
// Without --pg: SQLite in a temporary file. With --pg: a fresh schema in that database (dropped
// afterwards unless --keep). The rate limit is turned off (VIGIL_RATE_LIMIT=0) for the load test.
// --reuse names a SQLite file (without --pg) or a schema (with --pg) that is kept between runs: it
// is filled the first time and, when it already holds `--size` incidents, only migrated afterwards
// (so that new migrations are measured on the same rows). --only keeps the queries whose names
// start with one of the given words (for the timings and the load alike); --no-queries skips the
// timings and runs the load test alone. --read-workers N (SQLite): listings and rollups answered by
// N worker threads with their own connections (0: all on the server's thread). --client-workers N
// runs autocannon's clients in N worker threads (0: on the server's thread). The load result adds
// the server's view: its slowest requests, its event-loop delay, the connections it accepted.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { TransformStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ACTORS } from '../dist/actors/index.js';
import { createApp } from '../dist/api/app.js';
import { ATTACK_TYPES, ATTRIBUTIONS, TARGET_TYPES, WEAPON_TYPES } from '../dist/core/codebook.js';
import { loadConfig } from '../dist/core/config.js';
import { PostgresStore } from '../dist/store/postgres/postgres-store.js';
import { withReadWorkers } from '../dist/store/sqlite/read-workers.js';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';

const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '2500000' },
    pg: { type: 'string' },
    runs: { type: 'string', default: '40' },
    connections: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    'client-workers': { type: 'string', default: '0' },
    'read-workers': { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    only: { type: 'string' },
    'no-queries': { type: 'boolean', default: false },
  },
});
const size = Number(flags.size);
const runs = Number(flags.runs);
const log = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

// --- Synthetic data: a seeded generator, so both dialects get the same rows. ---------------------
let seed = 20261201;
const random = () => {
  // 32-bit LCG in integer arithmetic (a float product would lose bits and cycle).
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const COUNTRIES = [
  ['AF', 34, 66], ['IQ', 33, 44], ['SY', 35, 38], ['NG', 10, 8], ['SO', 5, 46], ['ML', 16, -2], ['BF', 12, -1], ['PK', 30, 70],
  ['YE', 15, 47], ['IN', 22, 79], ['PH', 12, 122], ['CD', -2, 24], ['MZ', -18, 35], ['EG', 27, 30], ['LY', 27, 17], ['CO', 4, -73],
  ['TR', 39, 35], ['NE', 17, 9], ['CM', 6, 12], ['TD', 15, 19], ['KE', 0, 38], ['TH', 15, 101], ['LB', 34, 36], ['FR', 46, 2],
];
const actorIds = ACTORS.map((a) => a.id);
const isFamily = ACTORS.filter((a) => a.id === 'islamic-state' || a.parentId === 'islamic-state').map((a) => a.id);
const DAY0 = Date.UTC(1995, 0, 1);
const DAYS = Math.round((Date.UTC(2025, 11, 31) - DAY0) / 86_400_000);

function range(best) {
  if (best === null) return null;
  return { low: Math.max(0, best - Math.floor(best / 4)), best, high: best + Math.floor(best / 3) };
}

/** One synthetic incident: the row values and its perpetrators. */
function incident(n) {
  const id = `inc_bench_${n.toString(36).padStart(8, '0')}`;
  // More recent years hold more incidents, as in the real datasets.
  const day = new Date(DAY0 + Math.floor(Math.sqrt(random()) * DAYS) * 86_400_000).toISOString().slice(0, 10);
  const [country, clat, clon] = pick(COUNTRIES);
  const lat = Math.round((clat + (random() - 0.5) * 8) * 1e4) / 1e4;
  const lon = Math.round((clon + (random() - 0.5) * 8) * 1e4) / 1e4;
  const admin1 = `${country}-R${1 + Math.floor(random() * 20)}`;
  const killedBest = random() < 0.15 ? null : Math.floor(-Math.log(1 - random()) * 3);
  const woundedBest = random() < 0.3 ? null : Math.floor(-Math.log(1 - random()) * 4);
  const perpetrators = [];
  const r = random();
  if (r < 0.25) perpetrators.push({ name: 'IS', actorId: pick(isFamily), attribution: pick(ATTRIBUTIONS), attributedBy: null });
  else if (r < 0.6) perpetrators.push({ name: 'group', actorId: pick(actorIds), attribution: pick(ATTRIBUTIONS), attributedBy: null });
  const attackTypes = [pick(ATTACK_TYPES)];
  if (random() < 0.1) attackTypes.push(pick(ATTACK_TYPES));
  const fields = {
    title: `Synthetic incident ${n}`,
    date: { start: day, end: day, precision: 'day' },
    location: { name: `Place ${n % 5000}`, admin1, country, lat, lon, precision: 'city', radiusKm: 10 },
    perpetrators,
    attackTypes: [...new Set(attackTypes)],
    targetTypes: [pick(TARGET_TYPES)],
    weaponTypes: [pick(WEAPON_TYPES)],
    suicide: false,
    killed: range(killedBest),
    wounded: range(woundedBest),
    perpetratorsKilled: null,
    claimedKilled: null,
    claimedWounded: null,
  };
  const at = `${day}T12:00:00.000Z`;
  return {
    row: [id, 'machine', 1, at, at, JSON.stringify(fields), fields.title, day, day, country, admin1, lat, lon, 'city', killedBest, woundedBest],
    actors: perpetrators.map((p) => [id, p.actorId, p.attribution]),
    revision: [id, 1, at, 'system:bench', 'import', null, JSON.stringify({ fields, mentionIds: [] }), null],
  };
}

const COLUMNS = 'id, status, revision, created_at, updated_at, fields, title, date_start, date_end, country, admin1, lat, lon, place_precision, killed_best, wounded_best';

function fillSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO incidents (${COLUMNS}) VALUES (${COLUMNS.split(',').map(() => '?').join(', ')})`);
  const actor = db.prepare('INSERT OR IGNORE INTO incident_actors (incident_id, actor_id, attribution) VALUES (?, ?, ?)');
  const revision = db.prepare('INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const batch = db.transaction((from, to) => {
    for (let n = from; n < to; n++) {
      const i = incident(n);
      insert.run(i.row);
      for (const a of i.actors) actor.run(a);
      revision.run(i.revision);
    }
  });
  for (let n = 0; n < size; n += 50_000) {
    batch(n, Math.min(size, n + 50_000));
    if (n % 500_000 === 0) log(`sqlite: ${n} incidents`);
  }
  db.exec('ANALYZE');
  db.close();
}

async function fillPostgres(url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  const chunk = 2000;
  for (let n = 0; n < size; n += chunk) {
    const rows = [];
    const actors = [];
    const revisions = [];
    for (let k = n; k < Math.min(size, n + chunk); k++) {
      const i = incident(k);
      rows.push(i.row);
      actors.push(...i.actors);
      revisions.push(i.revision);
    }
    // One INSERT per table per chunk, the rows passed as JSON arrays and unpacked server-side.
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO incidents (${COLUMNS})
       SELECT r->>0, r->>1, (r->>2)::int, r->>3, r->>4, r->5, r->>6, (r->>7)::date, (r->>8)::date, r->>9, r->>10,
              (r->>11)::float8, (r->>12)::float8, r->>13, (r->>14)::int, (r->>15)::int
       FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(rows.map((r) => [...r.slice(0, 5), JSON.parse(r[5]), ...r.slice(6)]))],
    );
    if (actors.length > 0) {
      await client.query(
        `INSERT INTO incident_actors (incident_id, actor_id, attribution)
         SELECT r->>0, r->>1, r->>2 FROM jsonb_array_elements($1::jsonb) AS r ON CONFLICT DO NOTHING`,
        [JSON.stringify(actors)],
      );
    }
    await client.query(
      `INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason)
       SELECT r->>0, (r->>1)::int, r->>2, r->>3, r->>4, NULL, r->6, NULL FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(revisions.map((r) => [...r.slice(0, 6), JSON.parse(r[6]), r[7]]))],
    );
    await client.query('COMMIT');
    if (n % 250_000 === 0) log(`postgres: ${n} incidents`);
  }
  await client.query('ANALYZE');
  await client.end();
}

/** How many incidents a kept SQLite file holds (0 when it has no incidents table yet). */
function sqliteCount(file) {
  const db = new Database(file, { readonly: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'`).get();
    return table === undefined ? 0 : db.prepare('SELECT count(*) AS n FROM incidents').get().n;
  } finally {
    db.close();
  }
}

/** How many incidents a kept PostgreSQL schema holds (0 when it has no incidents table yet). */
async function postgresCount(url, name) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [`"${name}".incidents`]);
    if (table.rows[0].present !== true) return 0;
    return Number((await client.query(`SELECT count(*) AS n FROM "${name}".incidents`)).rows[0].n);
  } finally {
    await client.end();
  }
}

// --- Queries --------------------------------------------------------------------------------------
const randomDay = (fromYear, toYear) => {
  const y = fromYear + Math.floor(random() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(random() * 12);
  const d = 1 + Math.floor(random() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};
const QUERIES = {
  'stats: IS + provinces, claimed, rolling 12m to D': () => `/api/stats?actor=islamic-state&attribution=claimed&rolling=12m&end=${randomDay(2015, 2025)}`,
  'stats: one country by month, 5 years': () => {
    const y = 2010 + Math.floor(random() * 15);
    return `/api/stats?country=${pick(COUNTRIES)[0]}&group_by=month&from=${y}-01-01&to=${y + 4}-12-31`;
  },
  'stats: by actor (rolled up), rolling 12m': () => `/api/stats?group_by=actor&rollup=true&rolling=12m&end=${randomDay(2015, 2025)}`,
  'stats: one country by admin1, 12m': () => `/api/stats?country=${pick(COUNTRIES)[0]}&group_by=admin1&rolling=12m&end=${randomDay(2015, 2025)}`,
  'stats: bombings min 5 killed by week, 12m': () => `/api/stats?attack_type=bombing&min_killed=5&group_by=week&rolling=12m&end=${randomDay(2015, 2025)}`,
  'map: bbox 4°, one year, 500 as GeoJSON': () => {
    const [, lat, lon] = pick(COUNTRIES);
    const y = 2005 + Math.floor(random() * 20);
    return `/api/incidents?bbox=${lon - 2},${lat - 2},${lon + 2},${lat + 2}&from=${y}-01-01&to=${y}-12-31&limit=500&format=geojson`;
  },
  'list: IS + provinces, newest 100': () => `/api/incidents?actor=islamic-state&limit=100`,
  'list: country + admin1 + min casualties, 100': () => {
    const c = pick(COUNTRIES)[0];
    return `/api/incidents?country=${c}&admin1=${c}-R${1 + Math.floor(random() * 20)}&min_casualties=3&limit=100`;
  },
};

const only = flags.only === undefined ? null : flags.only.split(',').map((w) => w.trim()).filter((w) => w !== '');
const SELECTED = Object.fromEntries(Object.entries(QUERIES).filter(([name]) => only === null || only.some((w) => name.startsWith(w))));
if (Object.keys(SELECTED).length === 0) throw new Error(`--only ${flags.only}: no query name starts with these words`);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function timeQueries(app) {
  const results = {};
  for (const [name, make] of Object.entries(SELECTED)) {
    const times = [];
    for (let k = 0; k < runs + 2; k++) {
      const url = make();
      const start = process.hrtime.bigint();
      const response = await app.request(url);
      await response.text();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
      if (k >= 2) times.push(ms); // the first two warm the caches
    }
    times.sort((a, b) => a - b);
    results[name] = { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] };
    log(`${name}: p50 ${results[name].p50.toFixed(1)} ms, p95 ${results[name].p95.toFixed(1)} ms`);
  }
  return results;
}

async function load(app) {
  // The server's own view: the slowest requests (time from arrival to the response's headers, and
  // when they arrived) and how long the event loop was kept from turning.
  const slowest = [];
  const started = performance.now();
  let inFlight = 0;
  const fetch = async (request, ...rest) => {
    const arrived = performance.now();
    inFlight++;
    const response = await app.fetch(request, ...rest).finally(() => inFlight--);
    const headersMs = performance.now() - arrived;
    const url = request.url.slice(request.url.indexOf('/api'));
    const note = () => {
      const ms = performance.now() - arrived;
      if (slowest.length < 10 || ms > slowest[slowest.length - 1].ms) {
        slowest.push({ url, ms: Math.round(ms), headersMs: Math.round(headersMs), atSecond: Math.round((arrived - started) / 1000) });
        slowest.sort((a, b) => b.ms - a.ms);
        slowest.length = Math.min(slowest.length, 10);
      }
    };
    if (response.body === null) {
      note();
      return response;
    }
    // Until the body's last byte is taken by the server (streamed answers end after their headers).
    unfinished.add(url);
    const body = response.body.pipeThrough(new TransformStream({ flush: () => { unfinished.delete(url); note(); } }));
    return new globalThis.Response(body, { status: response.status, headers: response.headers });
  };
  const unfinished = new Set();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  let connections = 0;
  let handled = 0;
  server.on('connection', () => connections++);
  server.on('request', () => handled++);
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  const requests = Object.values(SELECTED).flatMap((make) => Array.from({ length: 25 }, () => ({ method: 'GET', path: make() })));
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: Number(flags.connections),
    // The clients run in their own thread(s), not on the server's event loop.
    ...(Number(flags['client-workers']) > 0 ? { workers: Number(flags['client-workers']) } : {}),
    duration: Number(flags.duration),
    requests,
    timeout: 30,
  });
  loopDelay.disable();
  await new Promise((resolve) => server.close(resolve));
  // Requests the clients gave up on may still be queued for a PostgreSQL connection: let them end
  // before the store is closed under them.
  for (let n = 0; n < 600 && (inFlight > 0 || (store.queue !== undefined && store.queue.busy + store.queue.waiting > 0)); n++) await sleep(100);
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    eventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
    slowestHandled: slowest,
    unfinishedBodies: [...unfinished].slice(0, 10),
    serverConnections: connections,
    serverRequests: handled,
  };
}

process.env['VIGIL_RATE_LIMIT'] = '0';
const config = loadConfig({ VIGIL_RATE_LIMIT: '0' });
log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${size} incidents; ${flags.pg === undefined ? 'SQLite' : 'PostgreSQL'}`);
let dir;
let schema;
let store;
const reuse = flags.reuse;
if (flags.pg === undefined) {
  let file;
  if (reuse === undefined) {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-api-'));
    file = path.join(dir, 'bench.db');
  } else {
    file = path.resolve(reuse);
  }
  const filled = reuse !== undefined && existsSync(file) && sqliteCount(file) === size;
  store = new SqliteStore(file);
  const started = Date.now();
  const applied = await store.migrate();
  if (filled) {
    log(`sqlite: reusing ${file} (${size} incidents); migrations applied now: ${applied.join(', ') || 'none'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } else {
    if (reuse !== undefined && existsSync(file) && sqliteCount(file) !== 0) throw new Error(`${file} holds incidents, but not ${size}: remove it first`);
    fillSqlite(file);
    log(`sqlite: ${size} incidents written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
} else {
  schema = reuse ?? `vigil_bench_api_${process.pid}`;
  const filled = reuse !== undefined && (await postgresCount(flags.pg, schema)) === size;
  store = new PostgresStore({ connectionString: flags.pg, schema });
  const started = Date.now();
  const applied = await store.migrate();
  if (filled) {
    log(`postgres: reusing schema ${schema} (${size} incidents); migrations applied now: ${applied.join(', ') || 'none'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } else {
    if (reuse !== undefined && (await postgresCount(flags.pg, schema)) !== 0) throw new Error(`schema ${schema} holds incidents, but not ${size}: drop it first`);
    await fillPostgres(flags.pg, schema);
    log(`postgres: ${size} incidents written in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}
// SQLite: listings and rollups answered by worker threads, each with its own connection (the store's
// one connection answers everything else); --read-workers 0 keeps every query on the main thread.
if (store.dialect === 'sqlite' && Number(flags['read-workers']) > 0) {
  store = withReadWorkers(store, { workers: Number(flags['read-workers']) });
  log(`sqlite: ${flags['read-workers']} read worker threads`);
}
try {
  // The stats facts are brought up to date before the timings (a first build over millions of
  // incidents is timed on its own, not inside the first rollup).
  const refreshStarted = Date.now();
  const refresh = await store.refreshStats();
  const refreshSeconds = (Date.now() - refreshStarted) / 1000;
  log(`stats facts: ${JSON.stringify(refresh)} in ${refreshSeconds.toFixed(1)} s`);
  const app = createApp({ store, config, log: (m) => log(m) });
  seed = 20261202; // the same query parameters whether the rows were just written or reused
  const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
  log(`load average before the timings: ${loadBefore.join(', ')}`);
  const queries = flags['no-queries'] ? null : await timeQueries(app);
  const loadMiddle = loadavg().map((x) => Number(x.toFixed(2)));
  if (queries !== null) log(`load average after the timings: ${loadMiddle.join(', ')}`);
  const loadResult = Number(flags.duration) > 0 ? await load(app) : null;
  const loadAfter = loadavg().map((x) => Number(x.toFixed(2)));
  if (loadResult !== null) log(`load: ${JSON.stringify(loadResult)}; load average after: ${loadAfter.join(', ')}`);
  const machine = { loadAverageBefore: loadBefore, loadAverageAfterTimings: loadMiddle, loadAverageAfter: loadAfter };
  process.stdout.write(`${JSON.stringify({ store: store.dialect, size, runs, statsRefresh: { ...refresh, seconds: refreshSeconds }, queries, load: loadResult, machine }, null, 2)}\n`);
} finally {
  await store.close();
  if (schema !== undefined && !flags.keep && reuse === undefined) {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    await client.query(`DROP SCHEMA "${schema}" CASCADE`);
    await client.end();
  }
  if (dir !== undefined && !flags.keep) rmSync(dir, { recursive: true, force: true });
}
