import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Incident } from '../../core/model.js';
import { rowUpdate, rowWriteOf, type DatasetRowWrite, type ImportBatchResult, type ImportOutcome, type IncidentPins } from '../bulk-import.js';
import { incidentRow, type IncidentInsertRow } from '../rows.js';
import { RecordWriteError, prepareBatch, saveError } from '../store-error.js';
import type { ExtractionBundle } from '../store.js';

/*
 * The bulk write path of dataset imports into PostgreSQL (see DatasetImporter). A batch is one
 * transaction: one query for the documents already stored, one for the earlier rows of the same
 * external ids, then one COPY … FROM STDIN per table for the new rows, and one UPDATE per changed
 * row. When a bundle breaks a constraint, the batch is rolled back and runs again bundle
 * by bundle, each under a SAVEPOINT, so that only the refused one is left out.
 */

/** A bundle with its rows laid out as statement parameters. */
interface Prepared {
  readonly bundle: ExtractionBundle;
  readonly write: DatasetRowWrite;
  readonly document: unknown[];
  readonly mention: unknown[];
}

function prepare(bundle: ExtractionBundle): Prepared {
  const write = rowWriteOf(bundle);
  const { document: d, mention: m } = write;
  return {
    bundle,
    write,
    document: [d.id, d.source_id, d.external_id, d.url, d.title, d.text, d.language, d.published_at, d.fetched_at, d.kind, d.raw],
    mention: [m.id, d.id, m.extractor, m.span_start, m.span_end, m.fields, m.confidence, m.created_at],
  };
}

function incidentParams(r: IncidentInsertRow): unknown[] {
  return [r.id, r.status, r.revision, r.created_at, r.updated_at, r.fields, r.title, r.date_start, r.date_end, r.country, r.admin1, r.lat, r.lon, r.place_precision, r.killed_best, r.wounded_best];
}

const TABLES = {
  sources: { columns: ['id::text', 'kind::text', 'locator::text', 'name::text', 'created_at::text'], suffix: 'ON CONFLICT (id) DO NOTHING' },
  documents: {
    columns: ['id::text', 'source_id::text', 'external_id::text', 'url::text', 'title::text', 'text::text', 'language::text', 'published_at::text', 'fetched_at::text', 'kind::text', 'raw::text'],
    suffix: 'ON CONFLICT (id) DO NOTHING',
  },
  mentions: { columns: ['id::text', 'document_id::text', 'extractor::text', 'span_start::integer', 'span_end::integer', 'fields::jsonb', 'confidence::float8', 'created_at::text'], suffix: '' },
  incidents: {
    columns: [
      'id::text',
      'status::text',
      'revision::integer',
      'created_at::text',
      'updated_at::text',
      'fields::jsonb',
      'title::text',
      'date_start::date',
      'date_end::date',
      'country::text',
      'admin1::text',
      'lat::float8',
      'lon::float8',
      'place_precision::text',
      'killed_best::integer',
      'wounded_best::integer',
    ],
    suffix: '',
  },
  incident_mentions: { columns: ['incident_id::text', 'mention_id::text', 'ordinal::integer'], suffix: '' },
  incident_related: { columns: ['incident_id::text', 'related_id::text', 'ordinal::integer'], suffix: '' },
  incident_actors: { columns: ['incident_id::text', 'actor_id::text', 'attribution::text'], suffix: 'ON CONFLICT DO NOTHING' },
  revisions: { columns: ['incident_id::text', 'revision::integer', 'at::text', 'by::text', 'action::text', 'before::jsonb', 'after::jsonb', 'reason::text'], suffix: '' },
  links: { columns: ['mention_id::text', 'incident_id::text', 'score::float8', 'explanation::jsonb', 'decided_by::text'], suffix: '' },
} as const;

type Table = keyof typeof TABLES;

/** One value in COPY's text format: `\\N` for null, backslash, tab, line feed and carriage return escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c) : text;
}
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Writes rows with COPY … FROM STDIN (text format): the fastest way into PostgreSQL. COPY has no
 * ON CONFLICT; a row that breaks a constraint fails the statement, and so the batch's fast path.
 */
async function copyRows(client: pg.ClientBase, table: Table, rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const names = TABLES[table].columns.map((c) => c.slice(0, c.indexOf('::'))).join(', ');
  const chunks: string[] = [];
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i += 1) line += (i === 0 ? '' : '\t') + copyValue(row[i]);
    text += `${line}\n`;
    if (text.length > 1 << 20) {
      chunks.push(text);
      text = '';
    }
  }
  if (text !== '') chunks.push(text);
  const stream = client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`));
  await pipeline(Readable.from(chunks), stream);
}

const MAX_PARAMETERS = 65_535;
const statementText = new Map<string, string>();

/** `INSERT INTO table (…) VALUES ($1::t, …), … suffix` for `rows` rows, cached by table and count. */
function insertSql(table: Table, rows: number): string {
  const key = `${table} ${rows}`;
  let sql = statementText.get(key);
  if (sql === undefined) {
    const { columns, suffix } = TABLES[table];
    const names = columns.map((c) => c.slice(0, c.indexOf('::'))).join(', ');
    const types = columns.map((c) => c.slice(c.indexOf('::')));
    const tuples: string[] = [];
    for (let r = 0; r < rows; r += 1) tuples.push(`(${types.map((t, n) => `$${r * types.length + n + 1}${t}`).join(', ')})`);
    sql = `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ${suffix}`;
    if (statementText.size > 200) statementText.clear();
    statementText.set(key, sql);
  }
  return sql;
}

/** Inserts rows (each an array of parameters) with as few multi-row statements as the parameter limit allows. */
async function insertMany(client: pg.ClientBase, table: Table, rows: readonly unknown[][]): Promise<number> {
  const width = TABLES[table].columns.length;
  const per = Math.floor(MAX_PARAMETERS / width);
  let inserted = 0;
  for (let at = 0; at < rows.length; at += per) {
    const chunk = rows.slice(at, at + per);
    const values: unknown[] = [];
    for (const row of chunk) for (const v of row) values.push(v);
    inserted += (await client.query(insertSql(table, chunk.length), values)).rowCount ?? 0;
  }
  return inserted;
}

interface Earlier {
  external_id: string;
  id: string;
  status: string;
  revision: number;
  fields: Record<string, unknown>;
  merged_into: string | null;
  pins: IncidentPins | null;
  mention_ids: string[];
  related_ids: string[];
}

const EARLIER_SQL = `
  SELECT DISTINCT ON (d.external_id) d.external_id, i.id, i.status, i.revision, i.fields, i.merged_into, i.pins,
    ARRAY(SELECT x.mention_id FROM incident_mentions AS x WHERE x.incident_id = i.id ORDER BY x.ordinal) AS mention_ids,
    ARRAY(SELECT r.related_id FROM incident_related AS r WHERE r.incident_id = i.id ORDER BY r.ordinal) AS related_ids
  FROM documents AS d
  JOIN LATERAL (
    SELECT x.id FROM mentions AS m
    JOIN incident_mentions AS im ON im.mention_id = m.id
    JOIN incidents AS x ON x.id = im.incident_id
    WHERE m.document_id = d.id
    ORDER BY x.merged_into IS NOT NULL
    LIMIT 1
  ) AS held ON true
  JOIN incidents AS i ON i.id = held.id
  WHERE d.external_id = ANY ($1::text[])
  ORDER BY d.external_id, d.fetched_at DESC, d.id DESC`;

/** The incidents of the earlier rows of these external ids (an index probe first: on a first import there are none). */
async function earlierRows(client: pg.ClientBase, externalIds: readonly string[]): Promise<Earlier[]> {
  if (externalIds.length === 0) return [];
  const known = await client.query<{ external_id: string }>('SELECT DISTINCT external_id FROM documents WHERE external_id = ANY ($1::text[])', [externalIds]);
  if (known.rows.length === 0) return [];
  return (await client.query<Earlier>(EARLIER_SQL, [known.rows.map((r) => r.external_id)])).rows;
}

/** The rows of the revision, link and actors of a bundle that founds a new incident. */
function newIncidentRows(p: Prepared): { actors: unknown[][]; revisions: unknown[][]; links: unknown[][]; mentions: unknown[][]; related: unknown[][] } {
  const w = p.write;
  const id = w.incident.id;
  return {
    mentions: w.mentionIds.map((m, ordinal) => [id, m, ordinal]),
    related: w.relatedIds.map((r, ordinal) => [id, r, ordinal]),
    actors: w.actors.map(([actorId, attribution]) => [id, actorId, attribution]),
    revisions: w.revisions.map((r) => [r.incident_id, r.revision, r.at, r.by, r.action, r.before, r.after, r.reason]),
    links: w.links.map((l) => [l.mention_id, l.incident_id, l.score, l.explanation, l.decided_by]),
  };
}

/** Updates the incident of an earlier release's row with a changed row (document and mention already written). */
async function updateEarlier(client: pg.ClientBase, p: Prepared, earlier: Earlier): Promise<void> {
  const w = p.write;
  const { mention } = w;
  const [revision] = w.revisions;
  const [link] = w.links;
  const mentionIds = earlier.mention_ids.filter((id) => id !== mention.id);
  const change = rowUpdate(
    {
      id: earlier.id,
      status: earlier.status,
      revision: earlier.revision,
      fields: earlier.fields,
      mergedInto: earlier.merged_into,
      pins: earlier.pins,
    },
    JSON.parse(w.incident.fields) as Record<string, unknown>,
    mentionIds,
    earlier.related_ids,
    mention.id,
  );
  const next = earlier.revision + 1;
  const fields = change.fields as unknown as Incident['fields'];
  const updated = incidentRow({ id: earlier.id, status: 'machine', fields, mentionIds: [], relatedIncidentIds: [], revision: next, createdAt: w.incident.created_at, updatedAt: w.incident.updated_at });
  const q = async (label: string, sql: string, values: unknown[]): Promise<void> => {
    try {
      await client.query(sql, values);
    } catch (error) {
      throw new RecordWriteError(label, error);
    }
  };
  await q(
    `incident ${earlier.id}`,
    `UPDATE incidents SET revision = $1, updated_at = $2, fields = $3::jsonb, title = $4, date_start = $5::date, date_end = $6::date,
       country = $7, admin1 = $8, lat = $9, lon = $10, place_precision = $11, killed_best = $12, wounded_best = $13
     WHERE id = $14`,
    [next, updated.updated_at, updated.fields, updated.title, updated.date_start, updated.date_end, updated.country, updated.admin1, updated.lat, updated.lon, updated.place_precision, updated.killed_best, updated.wounded_best, earlier.id],
  );
  await q(`incident ${earlier.id} mention ${mention.id}`, 'INSERT INTO incident_mentions (incident_id, mention_id, ordinal) VALUES ($1, $2, $3)', [earlier.id, mention.id, mentionIds.length]);
  await q(`actors of incident ${earlier.id}`, 'DELETE FROM incident_actors WHERE incident_id = $1', [earlier.id]);
  const perpetrators = (change.fields['perpetrators'] ?? []) as Incident['fields']['perpetrators'];
  for (const x of perpetrators) {
    if (x.actorId == null) continue;
    await q(`incident ${earlier.id} actor ${x.actorId}`, 'INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [earlier.id, x.actorId, x.attribution]);
  }
  if (revision !== undefined) {
    await q(
      `revision ${next} of incident ${earlier.id}`,
      'INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)',
      [earlier.id, next, revision.at, revision.by, revision.action, change.before, change.after(next, `${revision.action}:${w.document.id}`, revision.action), `changed row: ${revision.reason ?? w.document.external_id}`],
    );
  }
  if (link !== undefined) {
    await q(
      `link of mention ${link.mention_id} to incident ${earlier.id}`,
      'INSERT INTO links (mention_id, incident_id, score, explanation, decided_by) VALUES ($1, $2, $3, $4::jsonb, $5)',
      [link.mention_id, earlier.id, link.score, link.explanation, link.decided_by],
    );
  }
}

/**
 * Writes the given bundles (documents not stored yet, distinct ids and external ids) with
 * multi-row inserts; returns false when a document turned out to be stored meanwhile.
 */
async function writeMany(client: pg.ClientBase, fresh: readonly Prepared[], earlier: ReadonlyMap<string, Earlier>): Promise<boolean> {
  const sources = new Map(fresh.map((p) => [p.bundle.source.id, p.bundle.source]));
  await insertMany(client, 'sources', [...sources.values()].map((s) => [s.id, s.kind, s.locator, s.name, s.createdAt]));
  if (fresh.length === 1) {
    // One bundle (the exact path): a document stored meanwhile is no error, it is "present".
    if ((await insertMany(client, 'documents', fresh.map((p) => p.document))) !== 1) return false;
  } else await copyRows(client, 'documents', fresh.map((p) => p.document));
  await copyRows(client, 'mentions', fresh.map((p) => p.mention));
  const founding = fresh.filter((p) => p.bundle.document.externalId === null || !earlier.has(p.bundle.document.externalId));
  await copyRows(client, 'incidents', founding.map((p) => incidentParams(p.write.incident)));
  const rows = founding.map(newIncidentRows);
  await copyRows(client, 'incident_mentions', rows.flatMap((r) => r.mentions));
  await insertMany(client, 'incident_related', rows.flatMap((r) => r.related));
  await copyRows(client, 'incident_actors', rows.flatMap((r) => r.actors));
  await copyRows(client, 'revisions', rows.flatMap((r) => r.revisions));
  await copyRows(client, 'links', rows.flatMap((r) => r.links));
  for (const p of fresh) {
    const before = p.bundle.document.externalId === null ? undefined : earlier.get(p.bundle.document.externalId);
    if (before !== undefined) await updateEarlier(client, p, before);
  }
  return true;
}

/**
 * Imports a batch of dataset-row bundles into PostgreSQL in one transaction (see DatasetImporter).
 * `refuses` tells a bundle's own fault (a constraint it breaks) from a failure of the database.
 */
export async function importBundlesPostgres(
  client: pg.ClientBase,
  bundles: readonly ExtractionBundle[],
  refuses: (error: unknown) => boolean,
): Promise<ImportBatchResult> {
  const outcomes = new Array<ImportOutcome | null>(bundles.length).fill(null);
  const { prepared: ready, errors } = prepareBatch(bundles, prepare);
  if (ready.every((p) => p === null)) return { outcomes, errors };

  // Fast path: the whole batch with one COPY per table. The commit does not wait for the WAL to
  // reach the disk (synchronous_commit off, this transaction only): a crash of the server may lose
  // the last batches, never half of one, and re-running the import writes them again.
  await client.query('BEGIN');
  await client.query('SET LOCAL synchronous_commit = off');
  try {
    const ids = [...new Set(ready.flatMap((p) => (p === null ? [] : [p.bundle.document.id])))];
    const present = new Set((await client.query<{ id: string }>('SELECT id FROM documents WHERE id = ANY ($1::text[])', [ids])).rows.map((r) => r.id));
    const firstOf = new Map<string, number>();
    const externalIds = new Set<string>();
    let distinctExternal = true;
    ready.forEach((p, n) => {
      if (p === null) return;
      const id = p.bundle.document.id;
      if (present.has(id) || firstOf.has(id)) {
        outcomes[n] = 'present';
        return;
      }
      firstOf.set(id, n);
      const ext = p.bundle.document.externalId;
      if (ext !== null) {
        if (externalIds.has(ext)) distinctExternal = false;
        externalIds.add(ext);
      }
    });
    const earlier = new Map((await earlierRows(client, [...externalIds])).map((r) => [r.external_id, r]));
    const order = [...firstOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, n]) => n);
    if (distinctExternal && (await writeMany(client, order.map((n) => ready[n]!), earlier))) {
      await client.query('COMMIT');
      for (const n of order) {
        const ext = ready[n]!.bundle.document.externalId;
        outcomes[n] = ext !== null && earlier.has(ext) ? 'updated' : 'stored';
      }
      return { outcomes, errors };
    }
    await client.query('ROLLBACK');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (!refuses(error)) throw error;
  }

  // Exact path: bundle by bundle, each under a savepoint.
  outcomes.fill(null);
  await client.query('BEGIN');
  for (const [n, p] of ready.entries()) {
    if (p === null) continue;
    await client.query('SAVEPOINT bundle');
    try {
      const exists = await client.query('SELECT 1 FROM documents WHERE id = $1', [p.bundle.document.id]);
      if ((exists.rowCount ?? 0) > 0) {
        outcomes[n] = 'present';
        await client.query('RELEASE SAVEPOINT bundle');
        continue;
      }
      const ext = p.bundle.document.externalId;
      const before = ext === null ? [] : await earlierRows(client, [ext]);
      const earlier = new Map(before.map((r) => [r.external_id, r]));
      const written = await writeManyLabelled(client, p, earlier);
      await client.query('RELEASE SAVEPOINT bundle');
      outcomes[n] = !written ? 'present' : earlier.size > 0 ? 'updated' : 'stored';
    } catch (error) {
      if (!refuses(error)) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      await client.query('ROLLBACK TO SAVEPOINT bundle; RELEASE SAVEPOINT bundle');
      errors[n] = saveError(p.bundle.document.id, error);
    }
  }
  await client.query('COMMIT');
  return { outcomes, errors };
}

/**
 * One bundle through the multi-row path, its failure labelled with the table it was writing. False
 * when its document was stored meanwhile (by another transaction): then nothing was written.
 */
async function writeManyLabelled(client: pg.ClientBase, p: Prepared, earlier: ReadonlyMap<string, Earlier>): Promise<boolean> {
  try {
    return await writeMany(client, [p], earlier);
  } catch (error) {
    if (error instanceof RecordWriteError) throw error;
    const table = (error as { table?: unknown }).table;
    throw new RecordWriteError(typeof table === 'string' ? `${table} row of document ${p.bundle.document.id}` : `document ${p.bundle.document.id}`, error);
  }
}

/** Which of these document ids are stored. */
export async function storedDocumentIdsPostgres(client: pg.ClientBase, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = await client.query<{ id: string }>('SELECT id FROM documents WHERE id = ANY ($1::text[])', [ids]);
  return new Set(result.rows.map((r) => r.id));
}

/**
 * True when documents of a source of another kind than `kind` are stored
 * (DatasetImporter.hasOtherTellers), or with `same`, of this kind (DatasetImporter.holdsRowsOf).
 */
export async function hasTellersPostgres(client: pg.ClientBase, kind: string, same: boolean): Promise<boolean> {
  const result = await client.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM sources AS s WHERE s.kind ${same ? '=' : '<>'} $1 AND EXISTS (SELECT 1 FROM documents AS d WHERE d.source_id = s.id)) AS found`,
    [kind],
  );
  return result.rows[0]?.found === true;
}
