// Crash safety of `vigil import`: generates a synthetic GTD-shaped CSV (invented rows), runs the
// import as a child process (`node bin/vigil.js import gtd FILE --db …`), kills it with SIGKILL at
// a random moment, checks that the store is consistent, and does so again (each run resumes where
// the last one stopped); then runs the import to completion and checks that every row is stored
// exactly once. Run `npx tsc -p tsconfig.build.json` first (`npm run bench:crash` does).
//
//   node scripts/crash-import.mjs [--rows 100000] [--kills 20] [--store sqlite|postgres|both]
//                                 [--pg postgres://postgres@127.0.0.1:5432/test] [--seed N]
//
// SQLite goes to a file in a temporary folder; PostgreSQL to a fresh database on the --pg server
// (created and dropped). Prints one line per kill and a summary; exits 1 if any check failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { writeSyntheticGtd } from '../bench/synthetic-gtd.mjs';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    kills: { type: 'string', default: '20' },
    store: { type: 'string', default: 'both' },
    pg: { type: 'string', default: process.env.VIGIL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
  },
});
const rows = Number(flags.rows);
const kills = Number(flags.kills);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'vigil.js');

let seed = Number(flags.seed);
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

/** Runs the import; with `killAfterMs`, sends SIGKILL then. Resolves with how it ended. */
function runImport(file, db, killAfterMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'import', 'gtd', file, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** The consistency checks both stores share, as queries that must return 0. */
const ZERO_CHECKS = {
  'incidents without a mention': `SELECT count(*) AS n FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_mentions x WHERE x.incident_id = i.id)`,
  'incidents without revision 1': `SELECT count(*) AS n FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.incident_id = i.id AND r.revision = 1)`,
  'incidents without a link': `SELECT count(*) AS n FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.incident_id = i.id)`,
  'documents without a mention': `SELECT count(*) AS n FROM documents d WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.document_id = d.id)`,
  'mentions without an incident': `SELECT count(*) AS n FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM incident_mentions x WHERE x.mention_id = m.id)`,
  'mentions of a missing document': `SELECT count(*) AS n FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = m.document_id)`,
  'documents of a missing source': `SELECT count(*) AS n FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = d.source_id)`,
  'rows stored twice (external id)': `SELECT count(*) AS n FROM (SELECT external_id FROM documents GROUP BY external_id HAVING count(*) > 1) AS t`,
};
const COUNTS = `SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM mentions) AS mentions,
  (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM links) AS links, (SELECT count(*) FROM revisions) AS revisions,
  (SELECT count(DISTINCT external_id) FROM documents) AS rows_stored`;

function countsProblems(c) {
  const problems = [];
  for (const table of ['mentions', 'incidents', 'links', 'revisions', 'rows_stored']) {
    if (Number(c[table]) !== Number(c.documents)) problems.push(`${table} ${c[table]} != documents ${c.documents}`);
  }
  return problems;
}

const sqlite = {
  name: 'sqlite',
  async setUp(dir, tag) {
    return path.join(dir, `${tag}.db`);
  },
  async check(db) {
    const conn = new Database(db);
    try {
      const problems = [];
      const has = (table) => conn.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(table) !== undefined;
      // Killed before the first migration committed: an empty database.
      if (!has('documents')) return { problems: [], counts: { documents: 0 } };
      const integrity = conn.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
      const fk = conn.pragma('foreign_key_check');
      if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} rows`);
      try {
        conn.prepare(`INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)`).run();
      } catch (error) {
        problems.push(`full-text index: ${error.message}`);
      }
      const points = conn.prepare('SELECT count(*) FROM incident_points').pluck().get();
      const located = conn.prepare('SELECT count(*) FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL').pluck().get();
      if (points !== located) problems.push(`R*Tree holds ${points} points for ${located} located incidents`);
      if (has('incident_space_time')) {
        const boxes = conn.prepare('SELECT count(*) FROM incident_space_time AS t JOIN incidents AS i ON i.seq = t.id').pluck().get();
        const boxed = conn.prepare('SELECT count(*) FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL AND (date_start IS NOT NULL OR date_end IS NOT NULL)').pluck().get();
        if (boxes !== boxed) problems.push(`space-time R*Tree holds ${boxes} boxes for ${boxed} located and dated incidents`);
      }
      if (has('stats_queue')) {
        const unqueued = conn.prepare('SELECT count(*) FROM incidents WHERE id NOT IN (SELECT incident_id FROM stats_queue) AND id NOT IN (SELECT incident_id FROM stats_facts)').pluck().get();
        if (unqueued !== 0) problems.push(`${unqueued} incidents neither queued for the statistics facts nor in them`);
      }
      const flag = has('bulk_writes') ? conn.prepare('SELECT count(*) FROM bulk_writes').pluck().get() : 0;
      if (flag !== 0) problems.push('the bulk_writes flag was left set');
      for (const [name, sql] of Object.entries(ZERO_CHECKS)) {
        const n = conn.prepare(sql).get().n;
        if (n !== 0) problems.push(`${name}: ${n}`);
      }
      const counts = conn.prepare(COUNTS).get();
      return { problems: [...problems, ...countsProblems(counts)], counts };
    } finally {
      conn.close();
    }
  },
  async tearDown() {},
};

const postgres = {
  name: 'postgres',
  database: null,
  async admin(sql) {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  },
  url() {
    const url = new URL(flags.pg);
    url.pathname = `/${this.database}`;
    return url.toString();
  },
  async setUp(_dir, tag) {
    this.database = `vigil_crash_${process.pid}_${tag}`;
    await this.admin(`DROP DATABASE IF EXISTS ${this.database}`);
    await this.admin(`CREATE DATABASE ${this.database}`);
    return this.url();
  },
  async check(db) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const tables = await client.query(`SELECT to_regclass('documents') IS NOT NULL AS ready`);
      if (!tables.rows[0].ready) return { problems: [], counts: { documents: 0 } };
      const problems = [];
      for (const [name, sql] of Object.entries(ZERO_CHECKS)) {
        const n = Number((await client.query(sql)).rows[0].n);
        if (n !== 0) problems.push(`${name}: ${n}`);
      }
      const counts = (await client.query(COUNTS)).rows[0];
      return { problems: [...problems, ...countsProblems(counts)], counts };
    } finally {
      await client.end();
    }
  },
  async tearDown() {
    await this.admin(`DROP DATABASE IF EXISTS ${this.database}`);
  },
};

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-crash-import-'));
const file = path.join(dir, 'synthetic-gtd.csv');
await writeSyntheticGtd(file, rows);
process.stdout.write(`generated ${rows} rows: ${file}; seed ${flags.seed}\n`);

let failed = false;
const stores = flags.store === 'both' ? [sqlite, postgres] : [flags.store === 'postgres' ? postgres : sqlite];
try {
  for (const store of stores) {
    const probeDb = await store.setUp(dir, 'probe');
    // A first run to completion tells how long a whole import takes here; kills fall anywhere in
    // the time a resumed import still needs, and the store starts again empty.
    let stored = 0;
    let checkedKills = 0;
    let completedBeforeKill = 0;
    const probe = await runImport(file, probeDb, undefined);
    const full = probe.seconds;
    await store.tearDown();
    const freshDb = await store.setUp(dir, 'crash');
    for (let k = 1; k <= kills; k += 1) {
      const remaining = Math.max(0.5, full * (1 - stored / rows));
      // Anywhere in the time the resumed import still needs (start-up included): with batches of
      // 10,000 rows a window of a few seconds would only ever kill the first batch.
      const killAfterMs = Math.round((0.5 + random() * remaining) * 1000);
      const run = await runImport(file, freshDb, killAfterMs);
      const { problems, counts } = await store.check(freshDb);
      const now = Number(counts.documents ?? 0);
      if (now < stored) problems.push(`rows stored went down from ${stored} to ${now}`);
      stored = now;
      if (run.signal === null) completedBeforeKill += 1;
      else checkedKills += 1;
      if (problems.length > 0) failed = true;
      process.stdout.write(
        `${store.name} kill ${k}/${kills} after ${(killAfterMs / 1000).toFixed(2)} s: ${run.signal ?? `exited ${run.code}`}; ` +
          `${now} rows stored; ${problems.length === 0 ? 'consistent' : `INCONSISTENT: ${problems.join('; ')}`}\n`,
      );
    }
    const last = await runImport(file, freshDb, undefined);
    const { problems, counts } = await store.check(freshDb);
    if (last.code !== 0) problems.push(`the last run exited ${last.code}: ${last.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    if (Number(counts.rows_stored) !== rows) problems.push(`${counts.rows_stored} of ${rows} rows stored`);
    if (Number(counts.documents) !== rows) problems.push(`${counts.documents} documents for ${rows} rows`);
    if (problems.length > 0) failed = true;
    const summary = last.stderr.trim().split('\n').at(-1);
    process.stdout.write(
      `${store.name}: ${checkedKills} kills checked (${completedBeforeKill} runs ended before their kill), a whole import takes ${full.toFixed(1)} s; ` +
        `last run: ${summary}; ${counts.documents} documents, ${counts.incidents} incidents, ${counts.rows_stored} distinct rows: ` +
        `${problems.length === 0 ? 'every row stored exactly once' : `FAILED: ${problems.join('; ')}`}\n`,
    );
    await store.tearDown();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
