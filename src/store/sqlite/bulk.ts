import type Database from 'better-sqlite3';
import type { Incident } from '../../core/model.js';
import { rowUpdate, rowWriteOf, type DatasetRowWrite, type ImportBatchResult, type ImportOutcome, type IncidentPins } from '../bulk-import.js';
import { incidentRow } from '../rows.js';
import { RecordWriteError, prepareBatch, saveError } from '../store-error.js';
import type { ExtractionBundle } from '../store.js';
import { SPACE_TIME_CATCH_UP, STATS_QUEUE_CATCH_UP } from './bulk-triggers-migration.js';

/*
 * The bulk write path of dataset imports into SQLite (see DatasetImporter). A batch is one
 * IMMEDIATE transaction with prepared statements and positional parameters. While it runs, a row in
 * `bulk_writes` (migrations 4 and 10) keeps the per-row insert triggers quiet (the full-text
 * index, the R*Trees of points and of points and days, the queue of the statistics facts); before
 * it commits, each is fed by one set-based statement over the rows the batch added (`seq` above
 * the largest before the batch). Other connections never see the
 * flag: it is written and deleted inside the one write transaction SQLite allows at a time, and a
 * crash rolls it back with the rest.
 */

/** Whether documents of a source whose kind is (`=`) or is not (`<>`) the parameter are stored. */
function tellersSql(kindIs: '=' | '<>'): string {
  return `SELECT EXISTS (SELECT 1 FROM sources AS s WHERE s.kind ${kindIs} ? AND EXISTS (SELECT 1 FROM documents AS d WHERE d.source_id = s.id))`;
}

const SQL = {
  flagOn: 'INSERT INTO bulk_writes (id) VALUES (1)',
  flagOff: 'DELETE FROM bulk_writes',
  maxDocumentSeq: 'SELECT coalesce(max(seq), 0) FROM documents',
  maxIncidentSeq: 'SELECT coalesce(max(seq), 0) FROM incidents',
  documentExists: 'SELECT 1 FROM documents WHERE id = ?',
  storedIds: 'SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))',
  anyExternalId: 'SELECT EXISTS (SELECT 1 FROM documents WHERE external_id IN (SELECT value FROM json_each(?)))',
  otherTellers: tellersSql('<>'),
  sameTellers: tellersSql('='),
  byExternalId: `
    SELECT i.id, i.status, i.revision, i.fields, i.merged_into, i.pins
    FROM documents AS d
    JOIN mentions AS m ON m.document_id = d.id
    JOIN incident_mentions AS im ON im.mention_id = m.id
    JOIN incidents AS i ON i.id = im.incident_id
    WHERE d.external_id = ?
    ORDER BY i.merged_into IS NOT NULL, d.seq DESC
    LIMIT 1`,
  mentionIds: 'SELECT mention_id FROM incident_mentions WHERE incident_id = ? ORDER BY ordinal',
  relatedIds: 'SELECT related_id FROM incident_related WHERE incident_id = ? ORDER BY ordinal',
  source: 'INSERT INTO sources (id, kind, locator, name, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  document: `
    INSERT INTO documents (id, source_id, external_id, url, title, text, language, published_at, fetched_at, kind, raw)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  mention: `
    INSERT INTO mentions (id, document_id, extractor, span_start, span_end, fields, confidence, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  incident: `
    INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end,
                           country, admin1, lat, lon, place_precision, killed_best, wounded_best)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  updateIncident: `
    UPDATE incidents SET revision = ?, updated_at = ?, fields = ?, title = ?, date_start = ?, date_end = ?, country = ?,
                         admin1 = ?, lat = ?, lon = ?, place_precision = ?, killed_best = ?, wounded_best = ?
    WHERE id = ?`,
  incidentMention: 'INSERT INTO incident_mentions (incident_id, mention_id, ordinal) VALUES (?, ?, ?)',
  incidentRelated: 'INSERT INTO incident_related (incident_id, related_id, ordinal) VALUES (?, ?, ?)',
  deleteActors: 'DELETE FROM incident_actors WHERE incident_id = ?',
  incidentActor: 'INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  revision: 'INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  link: 'INSERT INTO links (mention_id, incident_id, score, explanation, decided_by) VALUES (?, ?, ?, ?, ?)',
  ftsCatchUp: 'INSERT INTO documents_fts (rowid, title, text) SELECT seq, title, text FROM documents WHERE seq > ?',
  pointsCatchUp: `
    INSERT INTO incident_points (id, min_lon, max_lon, min_lat, max_lat)
    SELECT seq, lon, lon, lat, lat FROM incidents WHERE seq > ? AND lat IS NOT NULL AND lon IS NOT NULL`,
  spaceTimeCatchUp: SPACE_TIME_CATCH_UP,
  statsQueueCatchUp: STATS_QUEUE_CATCH_UP,
} as const;

type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };

const prepared = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let s = prepared.get(db);
  if (s === undefined) {
    s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as unknown as Statements;
    prepared.set(db, s);
  }
  return s;
}

/** A bundle with the rows it writes, computed once before the transaction. */
interface Prepared {
  readonly bundle: ExtractionBundle;
  readonly write: DatasetRowWrite;
}

function prepare(bundle: ExtractionBundle): Prepared {
  return { bundle, write: rowWriteOf(bundle) };
}

/** Runs a statement; a failure names the record it was writing (computed only then). */
function run(statement: Database.Statement, label: () => string, ...params: unknown[]): Database.RunResult {
  try {
    return statement.run(...params);
  } catch (error) {
    throw new RecordWriteError(label(), error);
  }
}

/*
 * The inserts of one row's records, table by table: shared by the row-by-row path (`writeOne`) and
 * the table-by-table one (`writeAllNew`).
 */
function insertSource(s: Statements, source: ExtractionBundle['source']): void {
  run(s.source, () => `source ${source.id}`, source.id, source.kind, source.locator, source.name, source.createdAt);
}
function insertDocument(s: Statements, w: DatasetRowWrite): void {
  const d = w.document;
  run(s.document, () => `document ${d.id}`, d.id, d.source_id, d.external_id, d.url, d.title, d.text, d.language, d.published_at, d.fetched_at, d.kind, d.raw);
}
function insertMention(s: Statements, w: DatasetRowWrite): void {
  const m = w.mention;
  run(s.mention, () => `mention ${m.id}`, m.id, w.document.id, m.extractor, m.span_start, m.span_end, m.fields, m.confidence, m.created_at);
}
function insertIncident(s: Statements, w: DatasetRowWrite): void {
  const i = w.incident;
  run(s.incident, () => `incident ${i.id}`, i.id, i.status, i.revision, i.created_at, i.updated_at, i.fields, i.title, i.date_start, i.date_end, i.country, i.admin1, i.lat, i.lon, i.place_precision, i.killed_best, i.wounded_best);
}
/** A new incident's ordered lists: its mentions and its related incidents. */
function insertIncidentLists(s: Statements, w: DatasetRowWrite): void {
  const id = w.incident.id;
  w.mentionIds.forEach((m, ordinal) => run(s.incidentMention, () => `incident ${id} mention ${m}`, id, m, ordinal));
  w.relatedIds.forEach((r, ordinal) => run(s.incidentRelated, () => `incident ${id} related incident ${r}`, id, r, ordinal));
}
function insertRevisions(s: Statements, w: DatasetRowWrite): void {
  for (const r of w.revisions) run(s.revision, () => `revision ${r.revision} of incident ${r.incident_id}`, r.incident_id, r.revision, r.at, r.by, r.action, r.before, r.after, r.reason);
}
function insertActors(s: Statements, incidentId: string, actors: readonly (readonly [string, string])[]): void {
  for (const [actorId, attribution] of actors) run(s.incidentActor, () => `incident ${incidentId} actor ${actorId}`, incidentId, actorId, attribution);
}
function insertLinks(s: Statements, incidentId: string, w: DatasetRowWrite): void {
  for (const l of w.links) run(s.link, () => `link of mention ${l.mention_id} to incident ${incidentId}`, l.mention_id, incidentId, l.score, l.explanation, l.decided_by);
}

type EarlierRow = { id: string; status: string; revision: number; fields: string; merged_into: string | null; pins: string | null };

/**
 * Writes one dataset row: a new incident, an update of the incident of an earlier release's row,
 * or nothing when the document is already stored.
 */
function writeOne(s: Statements, p: Prepared, seen: Set<string>): ImportOutcome {
  const { write: w, bundle } = p;
  const { document: doc, mention, incident: inc } = w;
  const { source } = bundle;
  if (seen.has(doc.id) || s.documentExists.get(doc.id) !== undefined) return 'present';
  const earlier = doc.external_id === null ? undefined : (s.byExternalId.get(doc.external_id) as EarlierRow | undefined);
  if (!seen.has(source.id)) {
    insertSource(s, source);
    seen.add(source.id);
  }
  insertDocument(s, w);
  seen.add(doc.id);
  insertMention(s, w);
  const incidentId = earlier?.id ?? inc.id;
  let actors: readonly (readonly [string, string])[] = w.actors;
  if (earlier === undefined) {
    insertIncident(s, w);
    insertIncidentLists(s, w);
    insertRevisions(s, w);
  } else {
    const mentionIds = (s.mentionIds.pluck().all(earlier.id) as string[]).filter((id) => id !== mention.id);
    const related = s.relatedIds.pluck().all(earlier.id) as string[];
    const change = rowUpdate(
      {
        id: earlier.id,
        status: earlier.status,
        revision: earlier.revision,
        fields: JSON.parse(earlier.fields) as Record<string, unknown>,
        mergedInto: earlier.merged_into,
        pins: earlier.pins === null ? null : (JSON.parse(earlier.pins) as IncidentPins),
      },
      JSON.parse(inc.fields) as Record<string, unknown>,
      mentionIds,
      related,
      mention.id,
    );
    const next = earlier.revision + 1;
    const fields = change.fields as unknown as Incident['fields'];
    const updated = incidentRow({ id: earlier.id, status: 'machine', fields, mentionIds: [], relatedIncidentIds: [], revision: next, createdAt: inc.created_at, updatedAt: inc.updated_at });
    actors = [...new Set(fields.perpetrators.flatMap((x) => (x.actorId == null ? [] : [`${x.actorId}\t${x.attribution}`])))].map((key) => key.split('\t') as [string, string]);
    run(
      s.updateIncident,
      () => `incident ${earlier.id}`,
      next,
      updated.updated_at,
      updated.fields,
      updated.title,
      updated.date_start,
      updated.date_end,
      updated.country,
      updated.admin1,
      updated.lat,
      updated.lon,
      updated.place_precision,
      updated.killed_best,
      updated.wounded_best,
      earlier.id,
    );
    run(s.incidentMention, () => `incident ${earlier.id} mention ${mention.id}`, earlier.id, mention.id, mentionIds.length);
    run(s.deleteActors, () => `actors of incident ${earlier.id}`, earlier.id);
    const [revision] = w.revisions;
    if (revision !== undefined) {
      run(
        s.revision,
        () => `revision ${next} of incident ${earlier.id}`,
        earlier.id,
        next,
        revision.at,
        revision.by,
        revision.action,
        change.before,
        change.after(next, `${revision.action}:${doc.id}`, revision.action),
        `changed row: ${revision.reason ?? doc.external_id}`,
      );
    }
  }
  insertActors(s, incidentId, actors);
  insertLinks(s, incidentId, w);
  return earlier === undefined ? 'stored' : 'updated';
}

/**
 * Writes a batch whose rows are all new (no document stored, no document of the same external id,
 * none twice in the batch) table by table: every document, then every mention, every
 * incident, and so on. Each table gets its rows in the order the row-by-row path would give them
 * (the same rowids, the same end state), but one b-tree's pages at a time stay hot instead of
 * seventeen b-trees' in turn. Returns false, having written nothing, when some row is not new:
 * the caller then writes the batch row by row.
 */
function writeAllNew(s: Statements, ready: readonly (Prepared | null)[], outcomes: (ImportOutcome | null)[]): boolean {
  const rows = ready.filter((p): p is Prepared => p !== null);
  const ids = rows.map((p) => p.write.document.id);
  const externals = rows.flatMap((p) => (p.write.document.external_id === null ? [] : [p.write.document.external_id]));
  // Two set-based probes for the whole batch, not two index probes a row.
  if (new Set(ids).size !== ids.length || new Set(externals).size !== externals.length) return false;
  if (s.storedIds.pluck().get(JSON.stringify(ids)) !== undefined) return false;
  if (externals.length > 0 && s.anyExternalId.pluck().get(JSON.stringify(externals)) === 1) return false;
  const sources = new Set<string>();
  for (const { bundle } of rows) {
    if (sources.has(bundle.source.id)) continue;
    insertSource(s, bundle.source);
    sources.add(bundle.source.id);
  }
  const writes = rows.map((p) => p.write);
  for (const w of writes) insertDocument(s, w);
  for (const w of writes) insertMention(s, w);
  for (const w of writes) insertIncident(s, w);
  for (const w of writes) insertIncidentLists(s, w);
  for (const w of writes) insertRevisions(s, w);
  for (const w of writes) insertActors(s, w.incident.id, w.actors);
  for (const w of writes) insertLinks(s, w.incident.id, w);
  ready.forEach((p, n) => {
    if (p !== null) outcomes[n] = 'stored';
  });
  return true;
}

/**
 * Imports a batch of dataset-row bundles in one transaction (see DatasetImporter). First without
 * savepoints; when a bundle is refused (a constraint it breaks, a value that cannot be bound), that
 * attempt is rolled back and the batch runs again with a SAVEPOINT per bundle, so that only the
 * refused one is left out. Any other error fails the batch (nothing of it is stored) and is thrown.
 */
export function importBundlesSqlite(
  db: Database.Database,
  bundles: readonly ExtractionBundle[],
  refuses: (error: unknown) => boolean,
  options: { readonly rowByRow?: boolean } = {},
): ImportBatchResult {
  const outcomes = new Array<ImportOutcome | null>(bundles.length).fill(null);
  const { prepared: ready, errors } = prepareBatch(bundles, prepare);
  if (ready.every((p) => p === null)) return { outcomes, errors };
  const s = statements(db);
  const guardedOne = db.transaction((p: Prepared, seen: Set<string>) => writeOne(s, p, seen));
  const batch = db.transaction((guarded: boolean): void => {
    s.flagOn.run();
    const documentSeq = s.maxDocumentSeq.pluck().get() as number;
    const incidentSeq = s.maxIncidentSeq.pluck().get() as number;
    const seen = new Set<string>();
    // A batch of new rows only (a first import) is written table by table; any other, and the
    // guarded retry, row by row (`rowByRow` asks for that order always, for comparisons).
    if (guarded || options.rowByRow === true || !writeAllNew(s, ready, outcomes)) {
      ready.forEach((p, n) => {
        if (p === null) return;
        if (!guarded) {
          outcomes[n] = writeOne(s, p, seen);
          return;
        }
        try {
          outcomes[n] = guardedOne(p, seen);
        } catch (error) {
          if (!refuses(error)) throw error;
          seen.delete(p.write.document.id);
          seen.delete(p.bundle.source.id);
          errors[n] = saveError(p.write.document.id, error);
        }
      });
    }
    s.ftsCatchUp.run(documentSeq);
    s.pointsCatchUp.run(incidentSeq);
    s.spaceTimeCatchUp.run(incidentSeq);
    s.statsQueueCatchUp.run(incidentSeq);
    s.flagOff.run();
  });
  // The rows of a batch refer to each other and to incidents read inside the transaction
  // (rowWriteOf checks bundles from elsewhere), so the foreign keys are not checked row by row:
  // each check is a probe of another b-tree keyed by a random hash. The pragma cannot change
  // inside a transaction; better-sqlite3 is synchronous, so nothing else uses the connection
  // before it is set back.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  if (foreignKeys) db.pragma('foreign_keys = OFF');
  try {
    batch.immediate(false);
  } catch (error) {
    if (!refuses(error)) throw error;
    outcomes.fill(null);
    batch.immediate(true);
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return { outcomes, errors };
}

/**
 * True when documents of a source of another kind than `kind` are stored
 * (DatasetImporter.hasOtherTellers), or with `same`, of this kind (DatasetImporter.holdsRowsOf).
 */
export function hasTellersSqlite(db: Database.Database, kind: string, same: boolean): boolean {
  const s = statements(db);
  return ((same ? s.sameTellers : s.otherTellers).pluck().get(kind) as number) === 1;
}

/** Which of these document ids are stored. */
export function storedDocumentIdsSqlite(db: Database.Database, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = statements(db).storedIds.pluck().all(JSON.stringify(ids)) as string[];
  return new Set(rows);
}
