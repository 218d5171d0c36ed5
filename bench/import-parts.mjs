// Where an import's time goes: builds every row of a synthetic GTD file in this thread (read, map,
// hash, build: what the worker thread does) and times it, then writes the built rows into a fresh
// SQLite store (or, with --pg, a fresh PostgreSQL schema, dropped afterwards) through the bulk write path and times that alone (what the writing thread does).
// Run `npx tsc -p tsconfig.build.json` first.
//
//   node bench/import-parts.mjs [--rows 20000] [--batch 10000] [--repeat 3] [--pg postgres://postgres@127.0.0.1:5432/test] [--keep]
//
// --keep leaves the PostgreSQL schemas in place (to look into what the server stores).
//
// The write is repeated (each time into a fresh store) and the fastest round reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { sourceId } from '../dist/core/ids.js';
import { readImportItemsHere } from '../dist/datasets/import-reader.js';
import { RowBundle, setWriteTime } from '../dist/store/bulk-import.js';
import pg from 'pg';
import { PostgresStore } from '../dist/store/postgres/postgres-store.js';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { writeSyntheticGtd } from './synthetic-gtd.mjs';

const { values: flags } = parseArgs({ options: { rows: { type: 'string', default: '20000' }, batch: { type: 'string', default: '10000' }, repeat: { type: 'string', default: '3' }, pg: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const rows = Number(flags.rows);
const batch = Number(flags.batch);
const repeat = Number(flags.repeat);
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-parts-'));
const file = path.join(dir, 'synthetic-gtd.csv');
await writeSyntheticGtd(file, rows);
const source = { id: sourceId('gtd', 'synthetic-gtd.csv'), kind: 'gtd', locator: 'synthetic-gtd.csv', name: 'GTD synthetic-gtd.csv', createdAt: new Date().toISOString() };

const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
let t0 = performance.now();
let c0 = cpu();
const built = [];
for await (const item of readImportItemsHere('gtd', file, source)) if (item.type === 'row') built.push(item);
const buildMs = performance.now() - t0;
const buildCpu = cpu() - c0;

let writeMs = Infinity;
let writeCpu = Infinity;
for (let round = 0; round < repeat; round += 1) {
  const schema = `vigil_bench_parts_${process.pid}_${round}`;
  const store = flags.pg === undefined ? new SqliteStore(path.join(dir, `bench-${round}.db`)) : new PostgresStore({ connectionString: flags.pg, schema });
  await store.migrate();
  const at = new Date().toISOString();
  const w0 = performance.now();
  const u0 = cpu();
  for (let i = 0; i < built.length; i += batch) {
    const bundles = built.slice(i, i + batch).map((row) => {
      setWriteTime(row.write, at);
      return new RowBundle(source, row.write);
    });
    await store.importBundles(bundles);
  }
  writeMs = Math.min(writeMs, performance.now() - w0);
  writeCpu = Math.min(writeCpu, cpu() - u0);
  await store.close();
  if (flags.pg !== undefined && !flags.keep) {
    const client = new pg.Client({ connectionString: flags.pg });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
rmSync(dir, { recursive: true, force: true });
const us = (ms) => ((ms * 1000) / built.length).toFixed(1);
process.stdout.write(
  `${built.length} rows: build ${buildMs.toFixed(0)} ms (${us(buildMs)} µs/row, CPU ${buildCpu.toFixed(0)} ms); ` +
    `${flags.pg === undefined ? 'SQLite' : 'PostgreSQL'} write ${writeMs.toFixed(0)} ms (${us(writeMs)} µs/row, CPU of this process ${writeCpu.toFixed(0)} ms); ` +
    `one thread would do ${(built.length / ((buildMs + writeMs) / 1000)).toFixed(0)} rows/s, two ${(built.length / (Math.max(buildMs, writeMs) / 1000)).toFixed(0)} rows/s\n`,
);
