import type Database from 'better-sqlite3';
import type { Incident, Perpetrator } from '../../core/model.js';
import { rowUpdate, type ImportBatchResult, type ImportOutcome, type IncidentPins } from '../bulk-import.js';
import { incidentRow, type IncidentInsertRow } from '../rows.js';
import { RecordWriteError, prepareBatch, saveError } from '../store-error.js';
import type { ExtractionBundle } from '../store.js';

/*
 * The bulk write path of dataset imports into SQLite (see DatasetImporter). A batch is one
 * IMMEDIATE transaction with prepared statements and positional parameters. While it runs, a row in
 * `bulk_writes` (migration 4) keeps the per-row triggers that feed the full-text index and the
 * R*Tree of points quiet; before it commits, both are fed by one set-based statement each over the
 * rows the batch added (`seq` above the largest before the batch). Other connections never see the
 * flag: it is written and deleted inside the one write transaction SQLite allows at a time, and a
 * crash rolls it back with the rest.
 */

const SQL = {
  flagOn: 'INSERT INTO bulk_writes (id) VALUES (1)',
  flagOff: 'DELETE FROM bulk_writes',
  maxDocumentSeq: 'SELECT coalesce(max(seq), 0) FROM documents',
  maxIncidentSeq: 'SELECT coalesce(max(seq), 0) FROM incidents',
  documentExists: 'SELECT 1 FROM documents WHERE id = ?',
  storedIds: 'SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))',
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

/** A bundle with the values its rows need, computed once before the transaction. */
interface Prepared {
  readonly bundle: ExtractionBundle;
  readonly incident: IncidentInsertRow;
  readonly mentionFields: string;
}

function prepare(bundle: ExtractionBundle): Prepared {
  const [incident] = bundle.incidents;
  const [mention] = bundle.mentions;
  if (incident === undefined || mention === undefined || bundle.incidents.length !== 1 || bundle.mentions.length !== 1) {
    throw new Error(`document ${bundle.document.id}: a dataset row has one mention and one incident`);
  }
  return { bundle, incident: incidentRow(incident), mentionFields: JSON.stringify(mention.fields) };
}

/** Runs a statement; a failure names the record it was writing (computed only then). */
function run(statement: Database.Statement, label: () => string, ...params: unknown[]): Database.RunResult {
  try {
    return statement.run(...params);
  } catch (error) {
    throw new RecordWriteError(label(), error);
  }
}

/** The revision's `after` as JSON, reusing the incident's fields JSON when they are the same object. */
function afterJson(after: Record<string, unknown>, incidentFields: unknown, fieldsJson: string): string {
  const keys = Object.keys(after);
  if (after['fields'] === incidentFields && keys.length === 2 && keys[0] === 'fields' && keys[1] === 'mentionIds') {
    return `{"fields":${fieldsJson},"mentionIds":${JSON.stringify(after['mentionIds'])}}`;
  }
  return JSON.stringify(after);
}

/**
 * Writes one dataset row's bundle: a new incident, an update of the incident of an earlier
 * release's row, or nothing when the document is already stored.
 */
function writeOne(s: Statements, p: Prepared, seen: Set<string>): ImportOutcome {
  const { bundle, incident: inc } = p;
  const { document: doc, source } = bundle;
  if (seen.has(doc.id) || s.documentExists.get(doc.id) !== undefined) return 'present';
  const mention = bundle.mentions[0]!;
  const incident = bundle.incidents[0]!;
  const revision = bundle.revisions[0];
  const link = bundle.links[0];
  const earlier =
    doc.externalId === null
      ? undefined
      : (s.byExternalId.get(doc.externalId) as
          | { id: string; status: string; revision: number; fields: string; merged_into: string | null; pins: string | null }
          | undefined);
  if (!seen.has(source.id)) {
    run(s.source, () => `source ${source.id}`, source.id, source.kind, source.locator, source.name, source.createdAt);
    seen.add(source.id);
  }
  run(
    s.document,
    () => `document ${doc.id}`,
    doc.id,
    doc.sourceId,
    doc.externalId,
    doc.url,
    doc.title,
    doc.text,
    doc.language,
    doc.publishedAt,
    doc.fetchedAt,
    doc.kind,
    doc.raw,
  );
  seen.add(doc.id);
  run(
    s.mention,
    () => `mention ${mention.id}`,
    mention.id,
    mention.documentId,
    mention.extractor,
    mention.span.start,
    mention.span.end,
    p.mentionFields,
    mention.confidence,
    mention.createdAt,
  );
  const incidentId = earlier?.id ?? inc.id;
  let perpetrators: readonly Perpetrator[] = incident.fields.perpetrators;
  if (earlier === undefined) {
    run(
      s.incident,
      () => `incident ${inc.id}`,
      inc.id,
      inc.status,
      inc.revision,
      inc.created_at,
      inc.updated_at,
      inc.fields,
      inc.title,
      inc.date_start,
      inc.date_end,
      inc.country,
      inc.admin1,
      inc.lat,
      inc.lon,
      inc.place_precision,
      inc.killed_best,
      inc.wounded_best,
    );
    incident.mentionIds.forEach((id, ordinal) => run(s.incidentMention, () => `incident ${inc.id} mention ${id}`, inc.id, id, ordinal));
    incident.relatedIncidentIds.forEach((id, ordinal) => run(s.incidentRelated, () => `incident ${inc.id} related incident ${id}`, inc.id, id, ordinal));
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
    const updated = incidentRow({ ...incident, fields: change.fields as unknown as Incident['fields'] });
    perpetrators = updated.fields === inc.fields ? perpetrators : (change.fields['perpetrators'] as Perpetrator[]);
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
        `changed row: ${revision.reason ?? doc.externalId}`,
      );
    }
  }
  for (const p of perpetrators) {
    if (p.actorId != null) run(s.incidentActor, () => `incident ${incidentId} actor ${p.actorId}`, incidentId, p.actorId, p.attribution);
  }
  if (earlier === undefined) {
    for (const r of bundle.revisions) {
      run(
        s.revision,
        () => `revision ${r.revision} of incident ${r.incidentId}`,
        r.incidentId,
        r.revision,
        r.at,
        r.by,
        r.action,
        r.before === null ? null : JSON.stringify(r.before),
        afterJson(r.after, incident.fields, inc.fields),
        r.reason,
      );
    }
  }
  if (link !== undefined) {
    run(
      s.link,
      () => `link of mention ${link.mentionId} to incident ${incidentId}`,
      link.mentionId,
      incidentId,
      link.score,
      JSON.stringify(link.explanation),
      link.decidedBy,
    );
  }
  return earlier === undefined ? 'stored' : 'updated';
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
        seen.delete(p.bundle.document.id);
        seen.delete(p.bundle.source.id);
        errors[n] = saveError(p.bundle.document.id, error);
      }
    });
    s.ftsCatchUp.run(documentSeq);
    s.pointsCatchUp.run(incidentSeq);
    s.flagOff.run();
  });
  try {
    batch.immediate(false);
  } catch (error) {
    if (!refuses(error)) throw error;
    outcomes.fill(null);
    batch.immediate(true);
  }
  return { outcomes, errors };
}

/** Which of these document ids are stored. */
export function storedDocumentIdsSqlite(db: Database.Database, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = statements(db).storedIds.pluck().all(JSON.stringify(ids)) as string[];
  return new Set(rows);
}
