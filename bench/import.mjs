// Import benchmark: generates a synthetic GTD-shaped CSV (the full 135-column layout, invented
// rows) and imports it with the compiled importer (run `npx tsc -p tsconfig.build.json` first).
//
//   node bench/import.mjs [--rows 200000] [--pg postgres://postgres@127.0.0.1:5432/test] [--batch 1000] [--concurrency N] [--no-link]
//
// --no-link imports without linking (by default an import links, which costs nothing while the store
// holds no other source kind, as here).
//
// Reports rows/s, the CPU time this process used (on a machine busy with other work, wall time
// overstates the import's own cost), and the peak resident set size. SQLite goes to a fresh file in a temporary
// folder; with --pg, a fresh schema in that database (dropped afterwards).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';
import pg from 'pg';
import { importDataset } from '../dist/pipeline/import.js';
import { PostgresStore } from '../dist/store/postgres/postgres-store.js';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { writeSyntheticGtd } from './synthetic-gtd.mjs';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    pg: { type: 'string' },
    batch: { type: 'string' },
    concurrency: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-link': { type: 'boolean', default: false },
  },
});
const rows = Number(flags.rows);

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-import-'));
const file = path.join(dir, 'synthetic-gtd.csv');
await writeSyntheticGtd(file, rows);
process.stderr.write(`generated ${rows} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB: ${file}\n`);

let schema;
const store = flags.pg === undefined
  ? new SqliteStore(path.join(dir, 'bench.db'))
  : new PostgresStore({ connectionString: flags.pg, schema: (schema = `vigil_bench_import_${process.pid}`) });
await store.migrate();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const rssAt = [];
const cpuBefore = process.cpuUsage();
const summary = await importDataset(store, 'gtd', file, {
  batchSize: flags.batch === undefined ? undefined : Number(flags.batch),
  concurrency: flags.concurrency === undefined ? undefined : Number(flags.concurrency),
  link: !flags['no-link'],
  onProgress: (s) => {
    const done = s.imported + s.alreadyPresent + s.rejected.length;
    // The sampler cannot run while a synchronous SQLite batch holds the thread: sample here too.
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    if (done % 50000 === 0 && done > 0 && !rssAt.some((r) => r.startsWith(`${done}:`))) rssAt.push(`${done}: ${(rss / 1048576).toFixed(0)} MB`);
  },
});
clearInterval(sampler);
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const again = await importDataset(store, 'gtd', file);
const counts = await store.counts();
await store.close();
if (schema !== undefined) {
  const client = new pg.Client({ connectionString: flags.pg });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
if (!flags.keep) rmSync(dir, { recursive: true, force: true });
const rate = summary.read / summary.seconds;
process.stdout.write(
  `${store.dialect}: ${summary.read} rows read, ${summary.imported} imported, ${summary.rejected.length} rejected in ${summary.seconds.toFixed(1)} s = ${rate.toFixed(0)} rows/s; ` +
    `CPU time of this process ${cpuSeconds.toFixed(1)} s (${(summary.read / cpuSeconds).toFixed(0)} rows per CPU second); ` +
    `peak RSS ${(peakRss / 1048576).toFixed(0)} MB (RSS at ${rssAt.join(', ')}); ` +
    `re-import: ${again.alreadyPresent} already present, ${again.imported} imported in ${again.seconds.toFixed(1)} s; ` +
    `store: ${counts.documents} documents, ${counts.incidents} incidents\n`,
);
