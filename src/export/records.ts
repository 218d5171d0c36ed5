import { isDeepStrictEqual } from 'node:util';
import type { Document, Incident, Mention, MentionFields } from '../core/model.js';
import { rowFromRaw, type DatasetKind } from '../datasets/index.js';
import { fieldsFromMention } from '../resolve/incident-fields.js';
import type { IncidentFilter, Store } from '../store/store.js';

/** An incident with what it was read from: its mentions and their documents, in the incident's order. */
export interface ExportRecord {
  readonly incident: Incident;
  readonly mentions: readonly Mention[];
  readonly documents: readonly Document[];
}

/** The filters of an export: those of `GET /api/incidents`, without paging. */
export type ExportFilter = Omit<IncidentFilter, 'limit' | 'cursor'>;

/** Every incident matching the filter, one page at a time, in the store's order (newest first). */
export async function* incidentPages(store: Store, filter: ExportFilter, pageSize = 500): AsyncGenerator<Incident[]> {
  let cursor: string | undefined;
  do {
    const page = await store.listIncidents({ ...filter, limit: pageSize, cursor });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Every incident matching the filter, page after page, in the store's order. */
export async function* allIncidents(store: Store, filter: ExportFilter, pageSize = 1000): AsyncGenerator<Incident> {
  for await (const page of incidentPages(store, filter, pageSize)) yield* page;
}

/**
 * The export records of every incident matching the filter. With `sources`, each page's mentions
 * and documents are fetched in two queries; without, they are left empty. Memory holds one page.
 */
export async function* exportRecords(
  store: Store,
  filter: ExportFilter,
  options: { sources: boolean; pageSize?: number },
): AsyncGenerator<ExportRecord> {
  for await (const page of incidentPages(store, filter, options.pageSize ?? 500)) {
    if (!options.sources) {
      for (const incident of page) yield { incident, mentions: [], documents: [] };
      continue;
    }
    const mentions = new Map((await store.getMentions([...new Set(page.flatMap((i) => i.mentionIds))])).map((m) => [m.id, m]));
    const documentIds = [...new Set([...mentions.values()].map((m) => m.documentId))];
    const documents = new Map((await store.getDocuments(documentIds)).map((d) => [d.id, d]));
    for (const incident of page) {
      const own = incident.mentionIds.flatMap((id) => {
        const mention = mentions.get(id);
        return mention === undefined ? [] : [mention];
      });
      const docs = [...new Set(own.map((m) => m.documentId))].flatMap((id) => {
        const document = documents.get(id);
        return document === undefined ? [] : [document];
      });
      yield { incident, mentions: own, documents: docs };
    }
  }
}

/** A dataset row an incident was imported from: the dataset, its row id and the row as read. */
export interface OriginRow {
  readonly dataset: DatasetKind;
  readonly rowId: string;
  readonly row: Readonly<Record<string, string>>;
  readonly document: Document;
}

const DATASET_PREFIX = /^(gtd|acled|ucdp):(.+)$/;

const originCache = new WeakMap<ExportRecord, readonly OriginRow[]>();

/** The dataset rows among a record's documents, in the incident's order (read once per record). */
export function originRows(record: ExportRecord): readonly OriginRow[] {
  const cached = originCache.get(record);
  if (cached !== undefined) return cached;
  const out: OriginRow[] = [];
  originCache.set(record, out);
  for (const document of record.documents) {
    if (document.kind !== 'dataset_row' || document.externalId === null) continue;
    const m = DATASET_PREFIX.exec(document.externalId);
    if (m === null) continue;
    const raw = document.raw === null ? null : rowFromRaw(document.raw);
    out.push({ dataset: m[1] as DatasetKind, rowId: m[2] ?? '', row: raw?.row ?? {}, document });
  }
  return out;
}

/** The free text of a dataset row: GTD summary, ACLED notes (UCDP GED has none). */
export function rowNarrative(origin: OriginRow): string | null {
  const column = origin.dataset === 'gtd' ? 'summary' : origin.dataset === 'acled' ? 'notes' : null;
  const value = column === null ? undefined : origin.row[column]?.trim();
  return value === undefined || value === '' ? null : value;
}

/** A value with its null and undefined members dropped, for comparisons that do not tell them apart. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = canonical(v);
    return out;
  }
  return value;
}

const codedValue = <T>(value: T) => ({ value, evidence: [], confidence: 1 });

/**
 * The mention fields that stand for an incident in a dataset-shaped export. An incident made from
 * one mention and never edited since (its fields are still those the mention implies) is written
 * from that mention, which keeps what incident fields do not (targets and weapons as text,
 * hostages, repeated types). Any other incident is written from its reconciled fields, with the
 * target, victim and weapon texts of its mentions whose types it still has.
 */
export function exportFields(record: ExportRecord): MentionFields {
  const { incident, mentions } = record;
  const only = mentions.length === 1 ? mentions[0] : undefined;
  if (only !== undefined && isDeepStrictEqual(canonical(fieldsFromMention(only.fields)), canonical(incident.fields))) return only.fields;
  const f = incident.fields;
  const out: MentionFields = {
    perpetrators: f.perpetrators.map(codedValue),
    attackTypes: f.attackTypes.map(codedValue),
    targetTypes: f.targetTypes.map(codedValue),
    weaponTypes: f.weaponTypes.map(codedValue),
    victims: [],
    targets: [],
    weapons: [],
    perpetratorMentions: [],
  };
  if (f.date !== null) out.date = codedValue(f.date);
  if (f.location !== null) out.location = codedValue(f.location);
  if (f.suicide !== null) out.suicide = codedValue(f.suicide);
  const count = (r: { low: number | null; best: number | null; high: number | null } | null, kind: 'reported' | 'claimed') =>
    r === null ? undefined : codedValue({ low: r.low, best: r.best, high: r.high, kind });
  out.killed = count(f.killed, 'reported') ?? count(f.claimedKilled, 'claimed');
  out.wounded = count(f.wounded, 'reported') ?? count(f.claimedWounded, 'claimed');
  out.perpetratorsKilled = count(f.perpetratorsKilled, 'reported');
  for (const key of ['killed', 'wounded', 'perpetratorsKilled'] as const) if (out[key] === undefined) delete out[key];
  const seen = new Set<string>();
  for (const mention of mentions) {
    for (const [list, types] of [
      ['targets', f.targetTypes],
      ['victims', null],
      ['weapons', f.weaponTypes],
    ] as const) {
      for (const item of mention.fields[list]) {
        const key = `${list}\u0000${item.value.type ?? ''}\u0000${item.value.text}`;
        if (seen.has(key) || (types !== null && !(types as readonly string[]).includes(item.value.type ?? ''))) continue;
        seen.add(key);
        out[list].push(codedValue(item.value));
      }
    }
    if (out.hostages === undefined && mention.fields.hostages !== undefined) out.hostages = codedValue(mention.fields.hostages.value);
  }
  return out;
}
