// Cost of an incremental stats refresh on a store filled by `bench:api --reuse`: rewrites the N
// newest incidents without changing them (`status = status`: the triggers queue them, their facts
// come out the same), then
//   --statements: runs the refresh's statements one by one on those ids, timing each, and rolls back
//                 (PostgreSQL with --commit: commits, then times the VACUUM (ANALYZE) that follows);
//   otherwise:    times `refreshStats()` end to end (wall and this process's CPU).
// Run `npx tsc -p tsconfig.build.json` first.
//
//   node bench/api-refresh.mjs (--sqlite FILE | --pg URL --schema NAME) [--rows 50000] [--statements] [--commit]
import process, { cpuUsage } from 'node:process';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { factsDeltaSql } from '../dist/store/stats-facts.js';
import { PostgresStore } from '../dist/store/postgres/postgres-store.js';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';

const { values: flags } = parseArgs({
  options: {
    sqlite: { type: 'string' },
    pg: { type: 'string' },
    schema: { type: 'string' },
    rows: { type: 'string', default: '50000' },
    statements: { type: 'boolean', default: false },
    commit: { type: 'boolean', default: false },
  },
});
const rows = Number(flags.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows ${flags.rows}: give a positive whole number`);
if ((flags.sqlite === undefined) === (flags.pg === undefined)) throw new Error('give either --sqlite FILE or --pg URL --schema NAME');
if (flags.pg !== undefined && (flags.schema === undefined || !/^[a-z_][a-z0-9_]*$/.test(flags.schema))) throw new Error('--schema: a lower-case schema name');
const newest = `SELECT id FROM incidents ORDER BY id DESC LIMIT ${rows}`;
const out = (line) => process.stdout.write(`${line}\n`);

async function timeStatements(run, statements) {
  for (const sql of statements) {
    const started = Date.now();
    await run(sql);
    out(`${String(Date.now() - started).padStart(6)} ms  ${sql.slice(0, 100).replace(/\s+/g, ' ')}`);
  }
}

if (flags.statements) {
  if (flags.pg !== undefined) {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    await client.query(`SET search_path TO "${flags.schema}"; SET jit = off; SET max_parallel_workers_per_gather = 0`);
    await client.query('BEGIN');
    await client.query(`INSERT INTO stats_claim (id) ${newest}`);
    await client.query('ANALYZE stats_claim');
    await timeStatements((sql) => client.query(sql), factsDeltaSql('postgres'));
    if (flags.commit) {
      await client.query('TRUNCATE stats_claim');
      await client.query('COMMIT');
      await timeStatements((sql) => client.query(sql), ['VACUUM (ANALYZE) stats_days, stats_months', 'VACUUM (ANALYZE) stats_facts']);
    } else await client.query('ROLLBACK');
    await client.end();
  } else {
    const db = new Database(flags.sqlite);
    db.exec('BEGIN');
    db.exec(`INSERT INTO stats_claim (id) ${newest}`);
    await timeStatements((sql) => db.prepare(sql).run(), factsDeltaSql('sqlite'));
    db.exec('ROLLBACK');
    db.close();
  }
} else {
  let store;
  const started = Date.now();
  if (flags.pg !== undefined) {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    await client.query(`SET search_path TO "${flags.schema}"`);
    await client.query(`UPDATE incidents SET status = status WHERE id IN (${newest})`);
    await client.end();
    store = new PostgresStore({ connectionString: flags.pg, schema: flags.schema });
  } else {
    const db = new Database(flags.sqlite);
    db.prepare(`UPDATE incidents SET status = status WHERE id IN (${newest})`).run();
    db.close();
    store = new SqliteStore(flags.sqlite);
  }
  out(`${rows} incidents rewritten in ${Date.now() - started} ms`);
  const cpu = cpuUsage();
  const refreshStarted = Date.now();
  const result = await store.refreshStats();
  const spent = cpuUsage(cpu);
  out(`refreshStats(): ${JSON.stringify(result)} in ${Date.now() - refreshStarted} ms wall, ${((spent.user + spent.system) / 1000).toFixed(0)} ms CPU in this process`);
  await store.close();
}
