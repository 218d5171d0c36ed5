import { VigilError } from '../core/errors.js';
import type { Document, Incident, Link, Mention, Revision, Source } from '../core/model.js';
import type { ExtractionBundle } from './store.js';

/*
 * The shapes of the tables both dialects share, and the mapping between them and the records of
 * src/core/model.ts. Records keep their full form in JSON columns (so they round-trip exactly);
 * the plain columns next to them are what filters and indexes use.
 */

/** A row of `sources`. */
export interface SourceRow {
  id: string;
  kind: string;
  locator: string;
  name: string;
  created_at: string;
}

/** A row of `documents`. */
export interface DocumentRow {
  id: string;
  source_id: string;
  external_id: string | null;
  url: string | null;
  title: string | null;
  text: string;
  language: string | null;
  published_at: string | null;
  fetched_at: string;
  kind: string;
  raw: string | null;
}

/** A row of `mentions`; `fields` is JSON text when written, and whatever the driver returns when read. */
export interface MentionRow<Json = string> {
  id: string;
  document_id: string;
  extractor: string;
  span_start: number;
  span_end: number;
  fields: Json;
  confidence: number;
  created_at: string;
}

/** A row of `incidents` as written: the record's JSON plus the columns that filters use. */
export interface IncidentInsertRow {
  id: string;
  status: string;
  revision: number;
  created_at: string;
  updated_at: string;
  fields: string;
  title: string | null;
  date_start: string | null;
  date_end: string | null;
  country: string | null;
  admin1: string | null;
  lat: number | null;
  lon: number | null;
  place_precision: string | null;
  killed_best: number | null;
  wounded_best: number | null;
}

/** A row of `incidents` as read, with its mention and related incident ids gathered in order. */
export interface IncidentReadRow {
  id: string;
  status: string;
  revision: number;
  created_at: string;
  updated_at: string;
  fields: unknown;
  mention_ids: unknown;
  related_ids: unknown;
  /** Added by migration 2: the survivor of a merge, and the analyst's pins as JSON. */
  merged_into?: string | null;
  pins?: unknown;
}

/** The analyst's decisions kept on an incident (the `pins` column): pinned fields and split-apart incidents. */
export interface IncidentPins {
  pinnedFields?: string[];
  apartFrom?: string[];
}

/** Every row an operation writes for one incident: the incident row with its review columns, and its link tables. */
export interface IncidentWriteRows {
  incident: IncidentInsertRow & { merged_into: string | null; pins: string | null };
  mentions: IncidentMentionRow[];
  related: IncidentRelatedRow[];
  actors: IncidentActorRow[];
}

/** The rows of an incident as an operation writes it. */
export function incidentWriteRows(incident: Incident): IncidentWriteRows {
  const pins: IncidentPins = {};
  if (incident.pinnedFields !== undefined && incident.pinnedFields.length > 0) pins.pinnedFields = incident.pinnedFields;
  if (incident.apartFrom !== undefined && incident.apartFrom.length > 0) pins.apartFrom = incident.apartFrom;
  const actors = new Map<string, IncidentActorRow>();
  for (const p of incident.fields.perpetrators) {
    if (p.actorId == null) continue;
    actors.set(`${p.actorId}\u0000${p.attribution}`, { incident_id: incident.id, actor_id: p.actorId, attribution: p.attribution });
  }
  return {
    incident: { ...incidentRow(incident), merged_into: incident.mergedInto ?? null, pins: Object.keys(pins).length === 0 ? null : JSON.stringify(pins) },
    mentions: incident.mentionIds.map((mention_id, ordinal) => ({ incident_id: incident.id, mention_id, ordinal })),
    related: incident.relatedIncidentIds.map((related_id, ordinal) => ({ incident_id: incident.id, related_id, ordinal })),
    actors: [...actors.values()],
  };
}

/** A row of `incident_mentions`; `ordinal` keeps the order of `Incident.mentionIds`. */
export interface IncidentMentionRow {
  incident_id: string;
  mention_id: string;
  ordinal: number;
}

/** A row of `incident_related`; `ordinal` keeps the order of `Incident.relatedIncidentIds`. */
export interface IncidentRelatedRow {
  incident_id: string;
  related_id: string;
  ordinal: number;
}

/** A row of `incident_actors`: one resolved perpetrator of an incident, for the actor filter. */
export interface IncidentActorRow {
  incident_id: string;
  actor_id: string;
  attribution: string;
}

/** A row of `revisions`. */
export interface RevisionRow<Json = string> {
  incident_id: string;
  revision: number;
  at: string;
  by: string;
  action: string;
  before: Json | null;
  after: Json;
  reason: string | null;
}

/** The `revisions` row of a revision; `after` may be given already serialised. */
export function revisionRow(r: Revision, after: string = JSON.stringify(r.after)): RevisionRow {
  return {
    incident_id: r.incidentId,
    revision: r.revision,
    at: r.at,
    by: r.by,
    action: r.action,
    before: r.before === null ? null : JSON.stringify(r.before),
    after,
    reason: r.reason,
  };
}

/** A row of `links`. */
export interface LinkRow<Json = string> {
  mention_id: string;
  incident_id: string;
  score: number;
  explanation: Json;
  decided_by: string;
}

/** A row with the record it comes from (`mention m_…`), so that a refused write can name it. */
export interface Labelled<Row> {
  label: string;
  row: Row;
}

/** Every row one bundle writes, in an order that satisfies the foreign keys. */
export interface BundleRows {
  source: Labelled<SourceRow>;
  document: Labelled<DocumentRow>;
  mentions: Labelled<MentionRow>[];
  incidents: Labelled<IncidentInsertRow>[];
  incidentMentions: Labelled<IncidentMentionRow>[];
  incidentRelated: Labelled<IncidentRelatedRow>[];
  incidentActors: Labelled<IncidentActorRow>[];
  revisions: Labelled<RevisionRow>[];
  links: Labelled<LinkRow>[];
}

/** True for a real YYYY-MM-DD calendar day (no 30 February), years 0001 to 9999. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkedDate(incident: Incident, which: 'start' | 'end', value: string): string {
  if (!isCalendarDate(value)) {
    throw new VigilError('bad_input', `incident ${incident.id}: date.${which} "${value}" is not a calendar day`, {
      location: { field: `date.${which}` },
    });
  }
  return value;
}

/** The `incidents` row of an incident: its JSON plus the denormalised columns derived from its fields. */
export function incidentRow(incident: Incident): IncidentInsertRow {
  const { fields } = incident;
  const place = fields.location;
  const hasPoint = place !== null && place.lat != null && place.lon != null;
  return {
    id: incident.id,
    status: incident.status,
    revision: incident.revision,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    fields: JSON.stringify(fields),
    title: fields.title,
    date_start: fields.date === null ? null : checkedDate(incident, 'start', fields.date.start),
    date_end: fields.date === null ? null : checkedDate(incident, 'end', fields.date.end),
    country: place?.country ?? null,
    admin1: place?.admin1 ?? null,
    lat: hasPoint ? (place.lat ?? null) : null,
    lon: hasPoint ? (place.lon ?? null) : null,
    place_precision: place?.precision ?? null,
    killed_best: fields.killed?.best ?? null,
    wounded_best: fields.wounded?.best ?? null,
  };
}

/** Every row of a bundle, each labelled with the record it comes from. */
export function bundleRows(bundle: ExtractionBundle): BundleRows {
  const { source, document } = bundle;
  return {
    source: {
      label: `source ${source.id}`,
      row: { id: source.id, kind: source.kind, locator: source.locator, name: source.name, created_at: source.createdAt },
    },
    document: {
      label: `document ${document.id}`,
      row: {
        id: document.id,
        source_id: document.sourceId,
        external_id: document.externalId,
        url: document.url,
        title: document.title,
        text: document.text,
        language: document.language,
        published_at: document.publishedAt,
        fetched_at: document.fetchedAt,
        kind: document.kind,
        raw: document.raw,
      },
    },
    mentions: bundle.mentions.map((m) => ({
      label: `mention ${m.id}`,
      row: {
        id: m.id,
        document_id: m.documentId,
        extractor: m.extractor,
        span_start: m.span.start,
        span_end: m.span.end,
        fields: JSON.stringify(m.fields),
        confidence: m.confidence,
        created_at: m.createdAt,
      },
    })),
    incidents: bundle.incidents.map((i) => ({ label: `incident ${i.id}`, row: incidentRow(i) })),
    incidentMentions: bundle.incidents.flatMap((i) =>
      i.mentionIds.map((mentionId, ordinal) => ({
        label: `incident ${i.id} mention ${mentionId}`,
        row: { incident_id: i.id, mention_id: mentionId, ordinal },
      })),
    ),
    incidentRelated: bundle.incidents.flatMap((i) =>
      i.relatedIncidentIds.map((relatedId, ordinal) => ({
        label: `incident ${i.id} related incident ${relatedId}`,
        row: { incident_id: i.id, related_id: relatedId, ordinal },
      })),
    ),
    incidentActors: bundle.incidents.flatMap((i) =>
      i.fields.perpetrators.flatMap((p) =>
        p.actorId == null
          ? []
          : [{ label: `incident ${i.id} actor ${p.actorId}`, row: { incident_id: i.id, actor_id: p.actorId, attribution: p.attribution } }],
      ),
    ),
    revisions: bundle.revisions.map((r) => ({
      label: `revision ${r.revision} of incident ${r.incidentId}`,
      row: revisionRow(r),
    })),
    links: bundle.links.map((l) => ({
      label: `link of mention ${l.mentionId} to incident ${l.incidentId}`,
      row: {
        mention_id: l.mentionId,
        incident_id: l.incidentId,
        score: l.score,
        explanation: JSON.stringify(l.explanation),
        decided_by: l.decidedBy,
      },
    })),
  };
}

/** Turns a JSON column as the driver returns it into a value: SQLite gives text, PostgreSQL parsed values. */
export type JsonDecoder = (value: unknown) => unknown;

/** A Source from its row. */
export function sourceFromRow(row: SourceRow): Source {
  return { id: row.id, kind: row.kind as Source['kind'], locator: row.locator, name: row.name, createdAt: row.created_at };
}

/** A Document from its row. */
export function documentFromRow(row: DocumentRow): Document {
  return {
    id: row.id,
    sourceId: row.source_id,
    externalId: row.external_id,
    url: row.url,
    title: row.title,
    text: row.text,
    language: row.language,
    publishedAt: row.published_at,
    fetchedAt: row.fetched_at,
    kind: row.kind as Document['kind'],
    raw: row.raw,
  };
}

/** A Mention from its row. */
export function mentionFromRow(row: MentionRow<unknown>, json: JsonDecoder): Mention {
  return {
    id: row.id,
    documentId: row.document_id,
    extractor: row.extractor,
    span: { start: row.span_start, end: row.span_end },
    fields: json(row.fields) as Mention['fields'],
    confidence: row.confidence,
    createdAt: row.created_at,
  };
}

/** An Incident from its row. The keys of an analyst's decisions are there only when set. */
export function incidentFromRow(row: IncidentReadRow, json: JsonDecoder): Incident {
  const incident: Incident = {
    id: row.id,
    status: row.status as Incident['status'],
    fields: json(row.fields) as Incident['fields'],
    mentionIds: json(row.mention_ids) as string[],
    relatedIncidentIds: json(row.related_ids) as string[],
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.merged_into != null) incident.mergedInto = row.merged_into;
  if (row.pins != null) {
    const pins = json(row.pins) as IncidentPins;
    if (pins.pinnedFields !== undefined && pins.pinnedFields.length > 0) incident.pinnedFields = pins.pinnedFields;
    if (pins.apartFrom !== undefined && pins.apartFrom.length > 0) incident.apartFrom = pins.apartFrom;
  }
  return incident;
}

/** A Revision from its row. */
export function revisionFromRow(row: RevisionRow<unknown>, json: JsonDecoder): Revision {
  return {
    incidentId: row.incident_id,
    revision: row.revision,
    at: row.at,
    by: row.by,
    action: row.action as Revision['action'],
    before: row.before === null ? null : (json(row.before) as Revision['before']),
    after: json(row.after) as Revision['after'],
    reason: row.reason,
  };
}

/** A Link from its row. */
export function linkFromRow(row: LinkRow<unknown>, json: JsonDecoder): Link {
  return {
    mentionId: row.mention_id,
    incidentId: row.incident_id,
    score: row.score,
    explanation: json(row.explanation) as Link['explanation'],
    decidedBy: row.decided_by,
  };
}

/** Ids in the order first asked for, without repeats. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** Records in the order of `ids` (as `uniqueIds` gives them); ids with no record are left out. */
export function inRequestedOrder<T>(ids: readonly string[], records: readonly T[], idOf: (record: T) => string): T[] {
  const byId = new Map(records.map((r) => [idOf(r), r]));
  return uniqueIds(ids).flatMap((id) => {
    const record = byId.get(id);
    return record === undefined ? [] : [record];
  });
}
