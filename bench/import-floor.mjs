// The floor of an import: how fast the bare minimum of reading and writing dataset rows can go on
// this machine, whatever Vigil's storage form. For the goals of issue 6 (>= 50,000 rows/s into
// SQLite, >= 20,000 into PostgreSQL) it times, on a synthetic GTD file of N rows (bench/synthetic-gtd.mjs):
//
//   reading  (a) Vigil's CSV reader alone (splitRecords, decodeRecord, parseFields), (b) readDataset
//            (read and map every row, no storage), (c) the plainest split in JavaScript (the whole
//            file as one string, split on '\n' then ',': it ignores quoting, so quoted commas in the
//            summary, doubled quotes and quoted line breaks are split wrongly), (d) Vigil's reader
//            plus the least any stored form computes per row (the raw row's JSON of non-empty
//            columns and its SHA-256); and, for reference, building rows as the import does today
//            (readImportItemsHere, in this thread) on the first rows;
//   SQLite   writes of prebuilt rows (better-sqlite3, WAL, synchronous=NORMAL, 64 MiB cache,
//            prepared statements with positional parameters, one transaction per batch, a fresh
//            file per variant): (i) `incidents` with Vigil's DDL and indexes plus one `dataset_rows`
//            record per row (source id, external id, content hash, incident id, line, raw row) with
//            a unique index on (source id, external id), under page_size 4096/16384 and
//            wal_autocheckpoint default/0; (i') the same with `dataset_rows` keyed by (source id,
//            external id) WITHOUT ROWID (one b-tree instead of two); (ii) no secondary index (only
//            the tables' own keys); (iii) Vigil's full write today (store.importBundles);
//   PostgreSQL (with --pg) COPY … FROM STDIN (text format) of the same rows, a transaction per batch:
//            (i) `incidents` (Vigil's DDL and indexes) plus `dataset_rows` as above; (ii) without
//            secondary indexes; (iii) (i) plus a full-text GIN index of the narrative alone, the
//            expression of Vigil's documents index; (iv) Vigil's full write today. Wall time: the
//            server runs on this machine and shares its cores; the CPU time of the connection's
//            server process is read from /proc as well (background writers not counted).
//
// The summary gives the best reading floor, the best write floor per store, and the ceiling of a
// two-thread import (reading and building on one core, writing on the other): 1e6 / max(read µs,
// write µs) rows/s, for the best figures and for the realistic pair (d) and (i); on PostgreSQL also
// the bound from CPU, the reading's, the client's and the server's sharing the 2 cores.
//
// Run `npx tsc -p tsconfig.build.json` first (or `npm run bench:import-floor`).
//
//   node bench/import-floor.mjs [--rows 200000] [--base 20000] [--batch 10000] [--pg postgres://postgres@127.0.0.1:5432/test] [--skip-full]
//
// The rows written are built before any write is timed: `--base` real rows (default 20,000) are
// built once with readImportItemsHere, and reused with a suffix on their keys (incident id,
// external id; for the full write every id) to reach N distinct rows, so memory stays at one set.
// Each variant is timed once, commits included, from the first statement to the last commit; on
// SQLite, a final wal_checkpoint(TRUNCATE) is counted too (its share is printed), so that
// wal_autocheckpoint 0 is not rewarded for leaving its work in the WAL.
// --skip-full leaves out Vigil's full writes (the slowest part). PostgreSQL schemas are dropped
// afterwards, SQLite files deleted.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sourceId } from '../dist/core/ids.js';
import { decodeRecord, parseFields, splitRecords, withoutTerminator } from '../dist/datasets/csv.js';
import { readImportItemsHere } from '../dist/datasets/import-reader.js';
import { readDataset } from '../dist/datasets/read.js';
import { RowBundle, setWriteTime } from '../dist/store/bulk-import.js';
import { PostgresStore } from '../dist/store/postgres/postgres-store.js';
import { SqliteStore } from '../dist/store/sqlite/sqlite-store.js';
import { writeSyntheticGtd } from './synthetic-gtd.mjs';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    base: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '10000' },
    pg: { type: 'string' },
    'skip-full': { type: 'boolean', default: false },
  },
});
const rows = positive('rows');
const batch = positive('batch');
const baseCount = Math.min(positive('base'), rows);

/** A flag that must be a positive integer. */
function positive(name) {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer, not ${flags[name]}\n`);
    process.exit(2);
  }
  return n;
}

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-floor-'));
const file = path.join(dir, 'synthetic-gtd.csv');
const results = [];
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e3;
};
const say = (line) => process.stdout.write(`${line}\n`);

/** Records one timed part (ms of wall time and of this process's CPU for `count` rows) and prints it. */
function report(group, name, ms, cpuMs, count, note = '') {
  const us = (ms * 1000) / count;
  results.push({ group, name, us, count });
  const cpuNote = cpuMs === null ? '' : `, CPU of this process ${((cpuMs * 1000) / count).toFixed(1)} µs/row`;
  say(`  ${name}: ${us.toFixed(2)} µs/row, ${Math.round(1e6 / us).toLocaleString('en')} rows/s (${count.toLocaleString('en')} rows in ${ms.toFixed(0)} ms${cpuNote})${note === '' ? '' : `; ${note}`}`);
}

/** Runs `work` (which returns how many rows it handled) and reports its wall and CPU time. */
async function timed(group, name, work, note) {
  const t0 = performance.now();
  const c0 = cpu();
  const count = await work();
  report(group, name, performance.now() - t0, cpu() - c0, count, typeof note === 'function' ? note() : note);
}


// ---- Reading ----------------------------------------------------------------------------------

/** The reading variants (a)–(d), each over the whole file. */
async function reading() {
  say('reading (whole file, no storage):');
  let bad = 0;
  await timed('read', '(a) Vigil CSV reader: splitRecords + decodeRecord + parseFields', async () => {
    let n = -1; // the header is not a row
    for await (const record of splitRecords(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
      const decoded = decodeRecord(withoutTerminator(record.bytes), 'utf-8');
      if (!('text' in decoded) || !('fields' in parseFields(decoded.text))) bad += 1;
      n += 1;
    }
    return n;
  });
  if (bad > 0) say(`  (a) found ${bad} unreadable records`);

  await timed('read', '(b) readDataset: read and map every row', async () => {
    let n = 0;
    for await (const item of readDataset('gtd', file)) if (item.type === 'row') n += 1;
    return n;
  });

  let columns = 0;
  let wrong = 0;
  await timed(
    'read',
    '(c) plain split: whole file as one string, split on \\n and , (ignores quotes)',
    async () => {
      const text = readFileSync(file, 'utf8');
      let n = 0;
      let from = text.indexOf('\n') + 1;
      columns = text.slice(0, from - 1).split(',').length;
      while (from < text.length) {
        let end = text.indexOf('\n', from);
        if (end === -1) end = text.length;
        if (text.slice(from, end).split(',').length !== columns) wrong += 1;
        n += 1;
        from = end + 1;
      }
      return n;
    },
    () => `${wrong.toLocaleString('en')} rows split into the wrong number of fields (quoted commas)`,
  );

  await timed('read', '(d) (a) + raw-row JSON of non-empty columns + SHA-256', async () => {
    let n = -1;
    let header = null;
    for await (const record of splitRecords(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
      const decoded = decodeRecord(withoutTerminator(record.bytes), 'utf-8');
      if (!('text' in decoded)) continue;
      const parsed = parseFields(decoded.text);
      if (!('fields' in parsed)) continue;
      n += 1;
      if (header === null) {
        header = parsed.fields;
        continue;
      }
      const raw = {};
      for (let i = 0; i < header.length; i += 1) if (parsed.fields[i] !== '') raw[header[i]] = parsed.fields[i];
      const json = JSON.stringify(raw);
      createHash('sha256').update(json).digest('hex');
    }
    return n;
  });
}

// ---- The prebuilt rows ------------------------------------------------------------------------

/**
 * Builds `baseCount` rows as the import does (readImportItemsHere, in this thread) and lays out
 * what the writes need: the full DatasetRowWrite, the incident's parameters and the dataset row's
 * parameters (raw row, content hash, narrative).
 */
async function buildBase() {
  const source = { id: sourceId('gtd', 'synthetic-gtd.csv'), kind: 'gtd', locator: 'synthetic-gtd.csv', name: 'GTD synthetic-gtd.csv', createdAt: new Date().toISOString() };
  const at = new Date().toISOString();
  const base = [];
  const t0 = performance.now();
  const c0 = cpu();
  for await (const item of readImportItemsHere('gtd', file, source)) {
    if (item.type !== 'row') continue;
    base.push(item);
    if (base.length === baseCount) break;
  }
  report('build', `Vigil's build today (readImportItemsHere in this thread, first ${baseCount.toLocaleString('en')} rows, start-up included)`, performance.now() - t0, cpu() - c0, base.length);
  return {
    source,
    at,
    rows: base.map(({ write, line }) => {
      setWriteTime(write, at);
      const d = write.document;
      const r = write.incident;
      const hash = /^[0-9a-f]{64}$/.test(d.id) ? d.id : createHash('sha256').update(d.text).digest('hex');
      const cut = d.text.indexOf('\n\n');
      return {
        write,
        incident: [r.id, r.status, r.revision, r.created_at, r.updated_at, r.fields, r.title, r.date_start, r.date_end, r.country, r.admin1, r.lat, r.lon, r.place_precision, r.killed_best, r.wounded_best],
        datasetRow: [write.source_id, d.external_id, hash, r.id, line, d.raw],
        narrative: cut === -1 ? d.text : d.text.slice(0, cut),
      };
    }),
  };
}

/** The key suffix of the k-th reuse of the prebuilt rows ('' for the first). */
const suffixOf = (i, count) => {
  const k = Math.floor(i / count);
  return k === 0 ? '' : `~${k}`;
};

/**
 * A copy of a DatasetRowWrite whose every id carries `s`, so that it is a distinct row (the
 * document id, which must be 64 hex digits, is the SHA-256 of the id and the suffix).
 */
function renamed(w, s) {
  if (s === '') return w;
  const incident = w.incident.id + s;
  return {
    ...w,
    document: { ...w.document, id: createHash('sha256').update(w.document.id + s).digest('hex'), external_id: w.document.external_id + s },
    mention: { ...w.mention, id: w.mention.id + s },
    incident: { ...w.incident, id: incident },
    mentionIds: w.mentionIds.map((m) => m + s),
    revisions: w.revisions.map((r) => ({ ...r, incident_id: incident })),
    links: w.links.map((l) => ({ ...l, mention_id: l.mention_id + s, incident_id: incident })),
  };
}

/**
 * Vigil's full write of N rows through `store.importBundles` (as bench/import-parts.mjs), a batch
 * at a time; the bundles of each batch are made before its timer starts.
 */
async function fullWrite(base, store) {
  await store.migrate();
  let ms = 0;
  let cpuMs = 0;
  for (let i = 0; i < rows; i += batch) {
    const bundles = [];
    for (let j = i; j < Math.min(i + batch, rows); j += 1) {
      const write = renamed(base.rows[j % base.rows.length].write, suffixOf(j, base.rows.length));
      bundles.push(new RowBundle(base.source, write));
    }
    const t0 = performance.now();
    const c0 = cpu();
    const result = await store.importBundles(bundles);
    ms += performance.now() - t0;
    cpuMs += cpu() - c0;
    const refused = result.errors.filter((e) => e !== null);
    if (refused.length > 0) throw new Error(`the full write refused ${refused.length} rows: ${refused[0].message}`);
  }
  await store.close();
  return { ms, cpuMs };
}

// ---- SQLite -----------------------------------------------------------------------------------

/** Vigil's DDL of `incidents` (table and indexes, no triggers), read from a freshly migrated store. */
async function sqliteIncidentsDdl() {
  const migrated = path.join(dir, 'migrated.db');
  const store = new SqliteStore(migrated);
  await store.migrate();
  await store.close();
  const db = new Database(migrated, { readonly: true });
  const ddl = db.prepare("SELECT type, sql FROM sqlite_master WHERE tbl_name = 'incidents' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC, name").all();
  db.close();
  rmSync(migrated, { force: true });
  return { table: ddl.filter((d) => d.type === 'table').map((d) => d.sql), indexes: ddl.filter((d) => d.type === 'index').map((d) => d.sql) };
}

const SQLITE_DATASET_ROWS = `CREATE TABLE dataset_rows (
  seq INTEGER PRIMARY KEY, source_id TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT NOT NULL,
  incident_id TEXT NOT NULL, line INTEGER NOT NULL, raw TEXT NOT NULL) STRICT`;
const SQLITE_DATASET_ROWS_KEYED = `CREATE TABLE dataset_rows (
  source_id TEXT NOT NULL, external_id TEXT NOT NULL, hash TEXT NOT NULL,
  incident_id TEXT NOT NULL, line INTEGER NOT NULL, raw TEXT NOT NULL, PRIMARY KEY (source_id, external_id)) STRICT, WITHOUT ROWID`;
const SQLITE_INCIDENT_INSERT = `INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end,
  country, admin1, lat, lon, place_precision, killed_best, wounded_best) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const SQLITE_ROW_INSERT = 'INSERT INTO dataset_rows (source_id, external_id, hash, incident_id, line, raw) VALUES (?, ?, ?, ?, ?, ?)';

/**
 * Writes N prebuilt rows into a fresh SQLite file with the given schema and settings; returns the
 * time of the writes, commits and a final checkpoint of the WAL (counted, so that
 * wal_autocheckpoint 0 cannot hide work by leaving it in the WAL), and the checkpoint's share.
 */
function sqliteWrite(base, schema, { pageSize, autoCheckpoint }, total = rows) {
  const dbFile = path.join(dir, 'floor.db');
  const db = new Database(dbFile);
  try {
    db.pragma(`page_size = ${pageSize}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    if (autoCheckpoint !== null) db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    for (const sql of schema) db.exec(sql);
    const incident = db.prepare(SQLITE_INCIDENT_INSERT);
    const datasetRow = db.prepare(SQLITE_ROW_INSERT);
    const count = base.rows.length;
    const write = db.transaction((from, to) => {
      for (let i = from; i < to; i += 1) {
        const r = base.rows[i % count];
        const s = suffixOf(i, count);
        const inc = r.incident;
        const row = r.datasetRow;
        if (s === '') {
          incident.run(inc);
          datasetRow.run(row);
        } else {
          const id = inc[0] + s;
          incident.run([id, inc[1], inc[2], inc[3], inc[4], inc[5], inc[6], inc[7], inc[8], inc[9], inc[10], inc[11], inc[12], inc[13], inc[14], inc[15]]);
          datasetRow.run([row[0], row[1] + s, row[2], id, i + 2, row[5]]);
        }
      }
    });
    const t0 = performance.now();
    const c0 = cpu();
    for (let i = 0; i < total; i += batch) write.immediate(i, Math.min(i + batch, total));
    const k0 = performance.now();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointMs = performance.now() - k0;
    const ms = performance.now() - t0;
    const cpuMs = cpu() - c0;
    const stored = db.prepare('SELECT (SELECT count(*) FROM incidents) AS i, (SELECT count(*) FROM dataset_rows) AS d').get();
    if (stored.i !== total || stored.d !== total) throw new Error(`stored ${stored.i} incidents and ${stored.d} dataset rows, not ${total}`);
    return { ms, cpuMs, checkpointMs, bytes: statSync(dbFile).size };
  } finally {
    db.close();
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
  }
}

/** The SQLite variants (i), (i'), (ii) and (iii). */
async function sqliteWrites(base) {
  const ddl = await sqliteIncidentsDdl();
  say(`SQLite writes of prebuilt rows (incidents: ${ddl.indexes.length} indexes besides its keys):`);
  const compact = [...ddl.table, ...ddl.indexes, SQLITE_DATASET_ROWS, 'CREATE UNIQUE INDEX dataset_rows_key ON dataset_rows (source_id, external_id)'];
  // Untimed warm-up (the code paths compiled, the file system's caches used once), so that the
  // first timed variant does not pay for it.
  sqliteWrite(base, compact, { pageSize: 4096, autoCheckpoint: null }, Math.min(rows, base.rows.length));
  const note = (r) => `final checkpoint ${r.checkpointMs.toFixed(0)} ms of it, file ${(r.bytes / 1e6).toFixed(0)} MB`;
  let best = null;
  for (const pageSize of [4096, 16384]) {
    for (const autoCheckpoint of [null, 0]) {
      const settings = { pageSize, autoCheckpoint };
      const r = sqliteWrite(base, compact, settings);
      const name = `(i) compact form, page_size ${pageSize}, wal_autocheckpoint ${autoCheckpoint === null ? 'default (1000)' : '0'}`;
      report('sqlite-i-settings', name, r.ms, r.cpuMs, rows, note(r));
      if (best === null || r.ms < best.ms) best = { ...r, settings, name };
    }
  }
  report('sqlite', `(i) compact form, best settings: ${best.name.slice(best.name.indexOf('page_size'))}`, best.ms, best.cpuMs, rows);
  const settings = best.settings;
  const keyed = sqliteWrite(base, [...ddl.table, ...ddl.indexes, SQLITE_DATASET_ROWS_KEYED], settings);
  report('sqlite', "(i') compact form, dataset_rows WITHOUT ROWID keyed by (source id, external id)", keyed.ms, keyed.cpuMs, rows, note(keyed));
  const bare = sqliteWrite(base, [...ddl.table, SQLITE_DATASET_ROWS], settings);
  report('sqlite', '(ii) no secondary index (incidents: seq and unique id; dataset_rows: rowid)', bare.ms, bare.cpuMs, rows, note(bare));
  if (!flags['skip-full']) {
    const full = await fullWrite(base, new SqliteStore(path.join(dir, 'full.db')));
    report('sqlite-full', "(iii) Vigil's full write today (store.importBundles, page_size 4096, default checkpoints)", full.ms, full.cpuMs, rows);
    for (const f of ['full.db', 'full.db-wal', 'full.db-shm']) rmSync(path.join(dir, f), { force: true });
  }
}

// ---- PostgreSQL -------------------------------------------------------------------------------

/** One value in COPY's text format (as src/store/postgres/bulk.ts writes it). */
function copyValue(value) {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]) : text;
}

/**
 * The COPY lines of the prebuilt rows, escaped once, split around the keys that get a suffix:
 * incident `[id, rest]`, dataset row `[source id + tab + external id, tab + hash, tab + incident id,
 * tab + line, rest]`.
 */
function copyParts(base) {
  return base.rows.map((r) => {
    const [id, ...rest] = r.incident.map(copyValue);
    const d = r.datasetRow.map(copyValue);
    return {
      incident: [id, `\t${rest.join('\t')}\n`],
      datasetRow: [`${d[0]}\t${d[1]}`, `\t${d[2]}\t${d[3]}`, `\t${d[5]}`],
      narrative: `\t${copyValue(r.narrative)}`,
    };
  });
}

const PG_INCIDENT_COLUMNS = 'id, status, revision, created_at, updated_at, fields, title, date_start, date_end, country, admin1, lat, lon, place_precision, killed_best, wounded_best';

/** Streams text chunks into COPY … FROM STDIN. */
async function copyText(client, sql, chunks) {
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}

/**
 * The CPU time (ms) the server process of this connection has used, from /proc (the server runs on
 * this machine); null when it cannot be read. The WAL writer, checkpointer and autovacuum are not counted.
 */
function backendCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in ticks of 1/100 s
  } catch {
    return null;
  }
}

/** Writes N prebuilt rows with COPY, one transaction per batch; returns wall and CPU time (this process's and the server's). */
async function postgresCopy(client, parts, withNarrative, total = rows) {
  const count = parts.length;
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const s0 = backendCpu(pid);
  const t0 = performance.now();
  const c0 = cpu();
  for (let i = 0; i < total; i += batch) {
    const end = Math.min(i + batch, total);
    const incidents = [];
    const datasetRows = [];
    let a = '';
    let b = '';
    for (let j = i; j < end; j += 1) {
      const p = parts[j % count];
      const s = suffixOf(j, count);
      const id = p.incident[0] + s;
      a += id + p.incident[1];
      const d = p.datasetRow;
      b += `${d[0]}${s}${d[1]}${s}\t${j + 2}${d[2]}${withNarrative ? p.narrative : ''}\n`;
      if (a.length > 1 << 20) {
        incidents.push(a);
        a = '';
      }
      if (b.length > 1 << 20) {
        datasetRows.push(b);
        b = '';
      }
    }
    if (a !== '') incidents.push(a);
    if (b !== '') datasetRows.push(b);
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    await copyText(client, `COPY incidents (${PG_INCIDENT_COLUMNS}) FROM STDIN`, incidents);
    await copyText(client, `COPY dataset_rows (source_id, external_id, hash, incident_id, line, raw${withNarrative ? ', narrative' : ''}) FROM STDIN`, datasetRows);
    await client.query('COMMIT');
  }
  const ms = performance.now() - t0;
  const cpuMs = cpu() - c0;
  const s1 = backendCpu(pid);
  const serverMs = s0 === null || s1 === null ? null : s1 - s0;
  const stored = (await client.query('SELECT (SELECT count(*) FROM incidents)::int AS i, (SELECT count(*) FROM dataset_rows)::int AS d')).rows[0];
  if (stored.i !== total || stored.d !== total) throw new Error(`stored ${stored.i} incidents and ${stored.d} dataset rows, not ${total}`);
  return { ms, cpuMs, serverMs };
}

/** The PostgreSQL variants (i), (ii), (iii) and (iv). */
async function postgresWrites(base, connectionString) {
  const prefix = `vigil_bench_floor_${process.pid}`;
  const migrated = `${prefix}_vigil`;
  const client = new pg.Client({ connectionString });
  await client.connect();
  const schemas = [migrated];
  try {
    const settings = (await client.query("SELECT current_setting('shared_buffers') AS sb, current_setting('server_version') AS v")).rows[0];
    const store = new PostgresStore({ connectionString, schema: migrated });
    await store.migrate();
    await store.close();
    const indexes = (await client.query("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = $1 AND tablename = 'incidents' AND indexname <> 'incidents_pkey'", [migrated])).rows[0].n;
    say(`PostgreSQL ${settings.v} (shared_buffers ${settings.sb}) COPY of prebuilt rows (incidents: ${indexes} indexes besides its key; wall time, the server shares the cores):`);
    const parts = copyParts(base);
    const variants = [
      { key: 'warm', name: 'untimed warm-up', indexes: true, narrative: true, total: Math.min(rows, parts.length) },
      { key: 'i', name: '(i) compact form: incidents + dataset_rows, unique (source id, external id)', indexes: true, narrative: false },
      { key: 'ii', name: '(ii) no secondary index (incidents: primary key id; dataset_rows: none)', indexes: false, narrative: false },
      { key: 'iii', name: "(iii) (i) + GIN full-text index of the narrative (to_tsvector('simple', narrative))", indexes: true, narrative: true },
    ];
    for (const v of variants) {
      const schema = `${prefix}_${v.key}`;
      schemas.push(schema);
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path = ${schema}`);
      if (v.indexes) await client.query(`CREATE TABLE incidents (LIKE ${migrated}.incidents INCLUDING ALL)`);
      else {
        await client.query(`CREATE TABLE incidents (LIKE ${migrated}.incidents INCLUDING ALL EXCLUDING INDEXES)`);
        await client.query('ALTER TABLE incidents ADD PRIMARY KEY (id)');
      }
      await client.query(`CREATE TABLE dataset_rows (source_id text COLLATE "C" NOT NULL, external_id text COLLATE "C" NOT NULL, hash text NOT NULL,
        incident_id text COLLATE "C" NOT NULL, line integer NOT NULL, raw text NOT NULL${v.narrative ? ', narrative text NOT NULL' : ''})`);
      if (v.indexes) await client.query('CREATE UNIQUE INDEX dataset_rows_key ON dataset_rows (source_id, external_id)');
      if (v.narrative) await client.query("CREATE INDEX dataset_rows_text_search ON dataset_rows USING gin (to_tsvector('simple', narrative))");
      const r = await postgresCopy(client, parts, v.narrative, v.total);
      if (v.total === undefined) {
        const server = r.serverMs === null ? 'server CPU not readable' : `CPU of the server process ${((r.serverMs * 1000) / rows).toFixed(1)} µs/row`;
        report('postgres', v.name, r.ms, r.cpuMs, rows, server);
        results.at(-1).cpuUs = r.serverMs === null ? null : ((r.serverMs + r.cpuMs) * 1000) / rows;
      }
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
    }
    await client.query('SET search_path = public');
    if (!flags['skip-full']) {
      const schema = `${prefix}_full`;
      schemas.push(schema);
      const full = await fullWrite(base, new PostgresStore({ connectionString, schema }));
      report('postgres-full', "(iv) Vigil's full write today (store.importBundles, batches one after another)", full.ms, full.cpuMs, rows);
    }
  } finally {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

// ---- Summary ----------------------------------------------------------------------------------

/** The best reading floor, the best write floor per store and the two-thread ceilings they imply. */
function summary() {
  const best = (filter) => results.filter(filter).reduce((a, b) => (b.us < a.us ? b : a), { us: Infinity, name: 'none' });
  const plain = best((r) => r.group === 'read');
  const correct = results.find((r) => r.name.startsWith('(d)'));
  const rate = (us) => Math.round(1e6 / us).toLocaleString('en');
  const ceiling = (read, write) => rate(Math.max(read.us, write.us));
  const lines = [`summary: best reading floor ${plain.us.toFixed(2)} µs/row (${plain.name.slice(0, 3)}; ${rate(plain.us)} rows/s); with correct CSV, raw JSON and hash (d) ${correct.us.toFixed(2)} µs/row`];
  for (const [store, group] of [['SQLite', 'sqlite'], ['PostgreSQL', 'postgres']]) {
    const write = best((r) => r.group === group);
    const compact = results.find((r) => r.group === group && r.name.startsWith('(i) '));
    if (write.us === Infinity || compact === undefined) continue;
    // On PostgreSQL the server's CPU is a third party on the same 2 cores: the client's and the
    // server's CPU per row and the reading's must fit in 2 core-seconds per second.
    const cores = compact.cpuUs === undefined || compact.cpuUs === null ? '' : `; with the server's CPU counted, (d) and (i) on 2 cores at most ${rate((correct.us + compact.cpuUs) / 2)} rows/s`;
    const shared = group === 'postgres' ? ` (the server shares the 2 cores with both threads${cores})` : '';
    lines.push(
      `  ${store}: best write floor ${write.us.toFixed(2)} µs/row (${write.name.slice(0, write.name.indexOf(')') + 1)}; ${rate(write.us)} rows/s), compact form (i) ${compact.us.toFixed(2)} µs/row; ` +
        `two-thread ceiling ${ceiling(plain, write)} rows/s (best reading, best write), ${ceiling(correct, compact)} rows/s ((d) and (i))${shared}`,
    );
  }
  say(lines.join('\n'));
}

// ---- Main -------------------------------------------------------------------------------------

try {
  await writeSyntheticGtd(file, rows);
  say(`${rows.toLocaleString('en')} synthetic GTD rows, ${(statSync(file).size / 1e6).toFixed(1)} MB; batches of ${batch.toLocaleString('en')}; ${baseCount.toLocaleString('en')} rows built and reused`);
  await reading();
  const base = await buildBase();
  await sqliteWrites(base);
  if (flags.pg !== undefined) await postgresWrites(base, flags.pg);
  summary();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
