import { normaliseText, sha256 } from '../core/ids.js';
import type { Count, Document, Incident, Link, Mention, MentionFields, Revision, Source } from '../core/model.js';
import { foundIncident } from '../resolve/found-incident.js';
import { DATASET_SPECS } from './read.js';
import type { DatasetKind, DatasetRecord } from './types.js';

/** The version of the dataset mappings; it is part of every imported mention's extractor name. */
export const DATASET_MAPPING_VERSION = 1;

/** The "extractor" an imported mention names: `import:<dataset>@<version>`. */
export function importExtractorName(kind: DatasetKind): string {
  return `import:${kind}@${DATASET_MAPPING_VERSION}`;
}

function count(label: string, c: Count | undefined): string | null {
  if (c === undefined) return null;
  const parts = [`best ${c.best ?? '?'}`];
  if (c.low !== null && c.low !== c.best) parts.push(`low ${c.low}`);
  if (c.high !== null && c.high !== c.best) parts.push(`high ${c.high}`);
  return `${label}: ${parts.join(', ')}`;
}

/**
 * The coded fields of a row as text lines, in a fixed order and independent of the file's column
 * order or column subset, so that one event read from the full or the core GTD file renders alike.
 */
export function renderCodedFields(kind: DatasetKind, rowId: string, fields: MentionFields): string {
  const spec = DATASET_SPECS[kind];
  const lines = [`${spec.label} ${spec.idColumn} ${rowId}`];
  const date = fields.date?.value;
  if (date !== undefined) lines.push(`date: ${date.start === date.end ? date.start : `${date.start}/${date.end}`} (${date.precision})`);
  const place = fields.location?.value;
  if (place !== undefined) {
    const where = [place.name, place.admin1, place.country].filter((s) => typeof s === 'string' && s !== '').join(', ');
    const point = place.lat === null || place.lat === undefined || place.lon === null || place.lon === undefined ? '' : ` at ${place.lat}, ${place.lon}`;
    lines.push(`place: ${where === '' ? 'unknown' : where}${point} (${place.precision})`);
  }
  const list = (label: string, values: readonly string[]): void => {
    if (values.length > 0) lines.push(`${label}: ${values.join('; ')}`);
  };
  list('perpetrators', fields.perpetrators.map(({ value: p }) => `${p.name} (${p.attribution}${p.actorId ? `, ${p.actorId}` : ''})`));
  list('attack types', fields.attackTypes.map((f) => f.value));
  list('target types', fields.targetTypes.map((f) => f.value));
  list('weapon types', fields.weaponTypes.map((f) => f.value));
  list('targets', fields.targets.map((f) => f.value.text));
  list('victims', fields.victims.map((f) => f.value.text));
  list('weapons', fields.weapons.map((f) => f.value.text));
  if (fields.suicide !== undefined) lines.push(`suicide: ${fields.suicide.value ? 'yes' : 'no'}`);
  for (const line of [
    count('killed', fields.killed?.value),
    count('wounded', fields.wounded?.value),
    count('perpetrators killed', fields.perpetratorsKilled?.value),
    count('hostages', fields.hostages?.value),
  ]) {
    if (line !== null) lines.push(line);
  }
  return lines.join('\n');
}

/**
 * A row's document text: its narrative (GTD summary, ACLED notes) if it has one, then the rendering
 * of its coded fields, which names the dataset and row id. The id of the document (the hash of this
 * text) is therefore stable for one row, and differs between rows even when their notes are alike.
 */
export function datasetDocumentText(record: DatasetRecord): string {
  const coded = renderCodedFields(record.dataset, record.rowId, record.fields);
  const text = record.narrative === null ? coded : `${record.narrative}\n\n${coded}`;
  return isNormalAscii(text) ? text : normaliseText(text);
}

/**
 * True when `normaliseText` would return the text unchanged and it is plain ASCII (so NFC leaves
 * it alone): no tab, vertical tab, form feed or carriage return, no two spaces in a row, no space
 * next to a line feed, no three line feeds in a row, no space or line feed at either end. One
 * pass over the characters instead of the four passes and a Unicode normalisation of the general
 * case; most dataset rows take this path.
 */
export function isNormalAscii(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  const first = text.charCodeAt(0);
  if (first === 0x20 || first === 0x0a) return false;
  let previous = first;
  let feeds = 0;
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (i === 0) {
      if (c > 0x7e || c < 0x20) return false;
      continue;
    }
    if (c > 0x7e || (c < 0x20 && c !== 0x0a)) return false;
    if (c === 0x20 && (previous === 0x20 || previous === 0x0a)) return false;
    if (c === 0x0a) {
      if (previous === 0x20) return false;
      feeds += 1;
      if (feeds === 3) return false;
    } else feeds = 0;
    previous = c;
  }
  return previous !== 0x20 && previous !== 0x0a;
}

/** True for strings JSON writes as they are between quotes (no quote, backslash, control or surrogate). */
function plain(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
const quotedNames = new Map<string, string>();

function quoted(name: string): string {
  let q = quotedNames.get(name);
  if (q === undefined) {
    q = JSON.stringify(name);
    quotedNames.set(name, q);
  }
  return q;
}

/**
 * The document's `raw` reference: `<file>:<line>` on the first line, then the original row as one
 * JSON object of column → value in file order, values exactly as decoded. Empty values are left
 * out (a column the object lacks was empty in the row): GTD's 135 columns are mostly empty, and
 * their names would otherwise be most of what an import writes.
 */
export function datasetRaw(record: DatasetRecord): string {
  const { header, values } = record;
  let json = '{';
  for (let i = 0; i < header.length; i += 1) {
    const value = values[i] ?? '';
    if (value === '') continue;
    if (json.length > 1) json += ',';
    json += `${quoted(header[i] ?? '')}:${plain(value) ? `"${value}"` : JSON.stringify(value)}`;
  }
  return `${record.file}:${record.line}\n${json}}`;
}

/** Reads the original row back from a document's `raw` reference written by {@link datasetRaw} (its non-empty values). */
export function rowFromRaw(raw: string): { file: string; line: number; row: Record<string, string> } | null {
  const newline = raw.indexOf('\n');
  if (newline === -1) return null;
  const origin = /^(.*):(\d+)$/.exec(raw.slice(0, newline));
  if (origin === null) return null;
  try {
    const row = JSON.parse(raw.slice(newline + 1)) as unknown;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return null;
    return { file: origin[1] ?? '', line: Number(origin[2]), row: row as Record<string, string> };
  } catch {
    return null;
  }
}

/** Everything one dataset row becomes, for `Store.saveExtraction`: one document, mention, incident, link and revision. */
export interface DatasetBundle {
  document: Document;
  mentions: Mention[];
  incidents: Incident[];
  links: Link[];
  revisions: Revision[];
}

/** A row's document text and id, without the rest of its bundle (enough to tell whether it is already stored). */
export interface DatasetDocumentKey {
  readonly text: string;
  readonly id: string;
}

/** The text of a row's document and its id (the hash of the text, already normalised: `ids.documentId`). */
export function datasetDocumentKey(record: DatasetRecord): DatasetDocumentKey {
  const text = datasetDocumentText(record);
  return { text, id: sha256(text) };
}

/**
 * Builds the bundle of one dataset row: the incident is created by an `import` revision of
 * `system:import:<dataset>`. `key` is the row's {@link datasetDocumentKey} when already computed.
 */
export function datasetBundle(record: DatasetRecord, source: Source, at: string, key: DatasetDocumentKey = datasetDocumentKey(record)): DatasetBundle {
  const { text } = key;
  const document: Document = {
    id: key.id,
    sourceId: source.id,
    externalId: record.externalId,
    url: null,
    title: `${DATASET_SPECS[record.dataset].label} ${record.rowId}`,
    text,
    language: record.narrative === null ? null : 'en',
    publishedAt: record.publishedAt,
    fetchedAt: at,
    kind: 'dataset_row',
    raw: datasetRaw(record),
  };
  const by = `system:import:${record.dataset}`;
  const founded = foundIncident({
    documentId: document.id,
    extractor: importExtractorName(record.dataset),
    span: { start: 0, end: text.length },
    fields: record.fields,
    confidence: 1,
    at,
    by,
    action: 'import',
    linkReason: `${record.externalId}, one incident per dataset row`,
    revisionReason: `imported ${record.externalId} from ${record.file}:${record.line}`,
  });
  return {
    document,
    mentions: [founded.mention],
    incidents: [founded.incident],
    links: [founded.link],
    revisions: [founded.revision],
  };
}
