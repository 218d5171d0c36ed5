import type { VigilError } from '../core/errors.js';
import type { Document, Incident, Link, Mention, Revision, Source } from '../core/model.js';
import { incidentRow, revisionRow, type DocumentRow, type IncidentInsertRow } from './rows.js';
import type { ExtractionBundle, Store } from './store.js';

/** What a bulk import did with one bundle. */
export type ImportOutcome =
  /** A new document, mention and incident were written. */
  | 'stored'
  /** The document (same id, so same content) was already stored: nothing was written. */
  | 'present'
  /**
   * Another document with the same external id (dataset + row id) was stored before: the row
   * changed. The new document and mention were written, the mention linked to the incident of the
   * earlier one, that incident's fields replaced by the new row's, and a revision recorded.
   */
  | 'updated';

/** What `importBundles` did with each bundle of a batch, in the order given. */
export interface ImportBatchResult {
  /** The outcome of each bundle; null for a refused one. */
  outcomes: (ImportOutcome | null)[];
  /** Why a bundle was refused (nothing of it is written, the rest of the batch goes on); null for the others. */
  errors: (VigilError | null)[];
}

/**
 * The write path of dataset imports. Each bundle is one dataset row: one document with an external
 * id, one mention, the incident it founds, its link and its `import` revision (what
 * `datasetBundle` builds). A batch is one transaction; each bundle is all-or-nothing.
 *
 * A bundle whose external id is already held by another document updates the incident of that
 * document instead of founding a second one: the incident gets the new row's fields, the new
 * mention is appended to its mentions, its revision number goes up by one, and a revision with the
 * bundle's action, author and reason (prefixed with `changed row:`) records the fields before and
 * after. This is a minimal update primitive of the import; merges, splits and edits go through the
 * store's revision API.
 */
export interface DatasetImporter {
  /**
   * Bundles built by {@link RowBundle} (what `importDataset` passes) are written from their
   * prepared rows; any other bundle is checked (one document, mention, incident, that refer to
   * each other) and turned into rows first.
   */
  importBundles(bundles: readonly ExtractionBundle[]): Promise<ImportBatchResult>;
  /** Which of these document ids are stored (so that a re-import need not build their bundles). */
  storedDocumentIds(ids: readonly string[]): Promise<Set<string>>;
  /**
   * True when the store holds documents of a source of another kind than `kind` (news reports,
   * another dataset): only then can an imported row link with an incident another teller tells.
   * Optional: a store without it is assumed to have other tellers.
   */
  hasOtherTellers?(kind: string): Promise<boolean>;
  /**
   * True when the store holds documents of a source of this kind (rows of the same dataset, from
   * this release or another): only then is it worth asking which rows of a file are stored before
   * building them. Optional: a store without it is always asked.
   */
  holdsRowsOf?(kind: string): Promise<boolean>;
}

/** The store's bulk import path, when it has one. */
export function datasetImporter(store: Store): DatasetImporter | null {
  const candidate = store as Store & Partial<DatasetImporter>;
  return typeof candidate.importBundles === 'function' && typeof candidate.storedDocumentIds === 'function' ? (candidate as DatasetImporter) : null;
}

/** A revision row as written: `before` and `after` already JSON. */
export interface RevisionWriteRow {
  incident_id: string;
  revision: number;
  at: string;
  by: string;
  action: string;
  before: string | null;
  after: string;
  reason: string | null;
}

/** A link row as written: `explanation` already JSON. */
export interface LinkWriteRow {
  mention_id: string;
  incident_id: string;
  score: number;
  explanation: string;
  decided_by: string;
}

/**
 * One dataset row as the bulk write path stores it: the rows of its document, mention, incident,
 * actors, revision and link, every JSON value already serialised. Plain data (strings, numbers,
 * arrays), so that it is cheap to build in a worker thread and to pass to the thread that writes.
 * The times (`fetched_at`, `created_at`, `updated_at`, the revision's `at`) are set when the batch
 * is saved ({@link setWriteTime}).
 */
export interface DatasetRowWrite {
  source_id: string;
  document: DocumentRow;
  mention: { id: string; extractor: string; span_start: number; span_end: number; fields: string; confidence: number; created_at: string };
  incident: IncidentInsertRow;
  /** The incident's mention ids and related incident ids, in order. */
  mentionIds: string[];
  relatedIds: string[];
  /** The incident's perpetrators matched to the actor registry: [actor id, attribution], distinct. */
  actors: [string, string][];
  revisions: RevisionWriteRow[];
  links: LinkWriteRow[];
}

/** Sets the times of a row write (the clock of the batch that saves it). */
export function setWriteTime(write: DatasetRowWrite, at: string): void {
  write.document.fetched_at = at;
  write.mention.created_at = at;
  write.incident.created_at = at;
  write.incident.updated_at = at;
  for (const r of write.revisions) r.at = at;
}

/**
 * The rows of a dataset row's bundle (one document, one mention, the incident it founds, its link
 * and revisions). Throws when the bundle is not one: more or fewer mentions or incidents, or
 * records that do not refer to each other (a mention of another document, a link or revision of
 * another incident), which the write path would otherwise store as given.
 */
export function rowWriteOf(bundle: ExtractionBundle): DatasetRowWrite {
  if (bundle instanceof RowBundle) return bundle.write;
  const { document: d, source } = bundle;
  const [incident] = bundle.incidents;
  const [mention] = bundle.mentions;
  if (incident === undefined || mention === undefined || bundle.incidents.length !== 1 || bundle.mentions.length !== 1) {
    throw new Error(`document ${d.id}: a dataset row has one mention and one incident`);
  }
  if (d.sourceId !== source.id) throw new Error(`document ${d.id} names source ${d.sourceId}, not the bundle's ${source.id}`);
  if (mention.documentId !== d.id) throw new Error(`mention ${mention.id} is of document ${mention.documentId}, not of the bundle's ${d.id}`);
  if (incident.mentionIds.some((id) => id !== mention.id)) throw new Error(`incident ${incident.id} names a mention the bundle does not hold`);
  for (const l of bundle.links) {
    if (l.mentionId !== mention.id || l.incidentId !== incident.id) throw new Error(`a link of document ${d.id} names another mention or incident`);
  }
  for (const r of bundle.revisions) if (r.incidentId !== incident.id) throw new Error(`a revision of document ${d.id} names another incident`);
  const inc = incidentRow(incident);
  return {
    source_id: source.id,
    document: {
      id: d.id,
      source_id: d.sourceId,
      external_id: d.externalId,
      url: d.url,
      title: d.title,
      text: d.text,
      language: d.language,
      published_at: d.publishedAt,
      fetched_at: d.fetchedAt,
      kind: d.kind,
      raw: d.raw,
    },
    mention: {
      id: mention.id,
      extractor: mention.extractor,
      span_start: mention.span.start,
      span_end: mention.span.end,
      fields: JSON.stringify(mention.fields),
      confidence: mention.confidence,
      created_at: mention.createdAt,
    },
    incident: inc,
    mentionIds: [...incident.mentionIds],
    relatedIds: [...incident.relatedIncidentIds],
    actors: [...new Set(incident.fields.perpetrators.flatMap((p) => (p.actorId == null ? [] : [`${p.actorId}\t${p.attribution}`])))].map(
      (key) => key.split('\t') as [string, string],
    ),
    revisions: bundle.revisions.map((r) => revisionRow(r, afterJson(r.after, incident.fields, inc.fields))),
    links: bundle.links.map((l) => ({
      mention_id: l.mentionId,
      incident_id: l.incidentId,
      score: l.score,
      explanation: JSON.stringify(l.explanation),
      decided_by: l.decidedBy,
    })),
  };
}

/** A revision's `after` as JSON, reusing the incident's fields JSON when they are the same object. */
function afterJson(after: Record<string, unknown>, incidentFields: unknown, fieldsJson: string): string {
  const keys = Object.keys(after);
  if (after['fields'] === incidentFields && keys.length === 2 && keys[0] === 'fields' && keys[1] === 'mentionIds') {
    return `{"fields":${fieldsJson},"mentionIds":${JSON.stringify(after['mentionIds'])}}`;
  }
  return JSON.stringify(after);
}

/**
 * A bundle made from a {@link DatasetRowWrite}: the bulk write path writes its rows as they are;
 * its records (mention, incident, link, revisions) are read back from the rows only when asked
 * for (linking, or a store without a bulk path).
 */
export class RowBundle implements ExtractionBundle {
  readonly source: Source;
  readonly write: DatasetRowWrite;
  #document: Document | undefined;
  #mention: Mention | undefined;
  #incident: Incident | undefined;

  constructor(source: Source, write: DatasetRowWrite) {
    this.source = source;
    this.write = write;
  }

  get document(): Document {
    const d = this.write.document;
    this.#document ??= {
      id: d.id,
      sourceId: d.source_id,
      externalId: d.external_id,
      url: d.url,
      title: d.title,
      text: d.text,
      language: d.language,
      publishedAt: d.published_at,
      fetchedAt: d.fetched_at,
      kind: d.kind as Document['kind'],
      raw: d.raw,
    };
    return this.#document;
  }

  get mentions(): Mention[] {
    const m = this.write.mention;
    this.#mention ??= {
      id: m.id,
      documentId: this.write.document.id,
      extractor: m.extractor,
      span: { start: m.span_start, end: m.span_end },
      fields: JSON.parse(m.fields) as Mention['fields'],
      confidence: m.confidence,
      createdAt: m.created_at,
    };
    return [this.#mention];
  }

  get incidents(): Incident[] {
    const i = this.write.incident;
    this.#incident ??= {
      id: i.id,
      status: i.status as Incident['status'],
      fields: JSON.parse(i.fields) as Incident['fields'],
      mentionIds: [...this.write.mentionIds],
      relatedIncidentIds: [...this.write.relatedIds],
      revision: i.revision,
      createdAt: i.created_at,
      updatedAt: i.updated_at,
    };
    return [this.#incident];
  }

  get links(): Link[] {
    return this.write.links.map((l) => ({
      mentionId: l.mention_id,
      incidentId: l.incident_id,
      score: l.score,
      explanation: JSON.parse(l.explanation) as Record<string, unknown>,
      decidedBy: l.decided_by,
    }));
  }

  get revisions(): Revision[] {
    return this.write.revisions.map((r) => ({
      incidentId: r.incident_id,
      revision: r.revision,
      at: r.at,
      by: r.by,
      action: r.action as Revision['action'],
      before: r.before === null ? null : (JSON.parse(r.before) as Record<string, unknown>),
      after: JSON.parse(r.after) as Record<string, unknown>,
      reason: r.reason,
    }));
  }

  /** The bundle as plain records (for code that copies bundles). */
  toBundle(): ExtractionBundle {
    return { source: this.source, document: this.document, mentions: this.mentions, incidents: this.incidents, links: this.links, revisions: this.revisions };
  }
}

/** The incident a changed row updates, as stored. */
export interface EarlierIncident {
  id: string;
  status: string;
  revision: number;
  fields: Record<string, unknown>;
  mergedInto: string | null;
  pins: IncidentPins | null;
}

/** The analyst's pins of an incident (its `pins` column). */
export interface IncidentPins {
  pinnedFields?: string[];
  apartFrom?: string[];
}

/**
 * How a changed dataset row updates the incident of its earlier release: the new row's fields,
 * except the fields an analyst pinned, which keep their values; the new mention appended. The
 * revision's `before` and `after` hold the incident's whole state, as the revisions of analyst
 * operations do (src/resolve/incident-state.ts), and `changed` names what differs.
 */
export function rowUpdate(
  earlier: EarlierIncident,
  rowFields: Record<string, unknown>,
  mentionIds: readonly string[],
  relatedIncidentIds: readonly string[],
  newMentionId: string,
): { fields: Record<string, unknown>; before: string; after: (revision: number, operationId: string, action: string) => string } {
  const oldFields = earlier.fields;
  const pins = earlier.pins ?? {};
  const pinnedFields = [...(pins.pinnedFields ?? [])].sort();
  const fields: Record<string, unknown> = { ...rowFields };
  for (const name of pinnedFields) if (Object.hasOwn(oldFields, name)) fields[name] = oldFields[name];
  const changed = [...new Set([...Object.keys(oldFields), ...Object.keys(fields)])]
    .filter((name) => canonical(oldFields[name]) !== canonical(fields[name]))
    .map((name) => `fields.${name}`);
  changed.push('mentionIds');
  const state = (f: unknown, ids: readonly string[]) => ({
    status: earlier.status,
    fields: f,
    mentionIds: ids,
    relatedIncidentIds: relatedIncidentIds,
    mergedInto: earlier.mergedInto,
    pinnedFields,
    apartFrom: [...(pins.apartFrom ?? [])].sort(),
  });
  return {
    fields,
    before: JSON.stringify({ state: state(oldFields, mentionIds) }),
    after: (revision, operationId, action) =>
      JSON.stringify({
        state: state(fields, [...mentionIds, newMentionId]),
        changed,
        operation: { id: operationId, action, incidents: [{ incidentId: earlier.id, revision }] },
      }),
  };
}

/** JSON with object keys sorted, so that values read back from jsonb (which reorders keys) compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
