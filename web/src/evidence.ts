import type { Field, Mention, MentionFields, Span } from '../../src/core/model.js';

/** The mention fields that carry evidence spans, in the order the legend lists them. */
export const EVIDENCE_FIELDS = [
  'date',
  'location',
  'perpetrators',
  'perpetratorMentions',
  'attackTypes',
  'targetTypes',
  'weaponTypes',
  'suicide',
  'killed',
  'wounded',
  'perpetratorsKilled',
  'hostages',
  'victims',
  'targets',
  'weapons',
] as const satisfies ReadonlyArray<keyof MentionFields>;

/** A mention field that can point at text. */
export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

/** The legend name of each evidence field. */
export const EVIDENCE_FIELD_LABELS: Readonly<Record<EvidenceField, string>> = {
  date: 'Date',
  location: 'Place',
  perpetrators: 'Perpetrator',
  perpetratorMentions: 'Perpetrator mention',
  attackTypes: 'Attack type',
  targetTypes: 'Target type',
  weaponTypes: 'Weapon type',
  suicide: 'Suicide attack',
  killed: 'Killed',
  wounded: 'Wounded',
  perpetratorsKilled: 'Perpetrators killed',
  hostages: 'Hostages',
  victims: 'Victims',
  targets: 'Targets',
  weapons: 'Weapons',
};

/** One piece of evidence: a range of a document's text that supports a field. */
export interface EvidenceSpan extends Span {
  field: EvidenceField;
}

/** A run of text covered by the same set of evidence fields (none for plain text). */
export interface Segment {
  start: number;
  end: number;
  /** The fields whose evidence covers this run, the one of the shortest span first. */
  fields: EvidenceField[];
}

function fieldEntries(value: Field<unknown> | Field<unknown>[] | undefined): Field<unknown>[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every evidence span that the mentions point at in one document. */
export function collectEvidence(mentions: readonly Mention[], documentId: string): EvidenceSpan[] {
  const spans: EvidenceSpan[] = [];
  for (const mention of mentions) {
    if (mention.documentId !== documentId) continue;
    for (const field of EVIDENCE_FIELDS) {
      for (const entry of fieldEntries(mention.fields[field] as Field<unknown> | Field<unknown>[] | undefined)) {
        for (const span of entry.evidence ?? []) spans.push({ start: span.start, end: span.end, field });
      }
    }
  }
  return spans;
}

/**
 * Cuts a text of `length` UTF-16 code units into runs at every start and end of the spans, so that
 * overlapping and nested evidence renders as flat, non-overlapping segments. Spans are clamped to
 * the text; empty and inverted ones are dropped. The segments cover the whole text, in order.
 */
export function segmentText(length: number, spans: readonly EvidenceSpan[]): Segment[] {
  const valid = spans
    .map((span) => ({ ...span, start: Math.max(0, Math.floor(span.start)), end: Math.min(length, Math.floor(span.end)) }))
    .filter((span) => Number.isFinite(span.start) && Number.isFinite(span.end) && span.end > span.start)
    .sort((a, b) => a.end - a.start - (b.end - b.start));
  const cuts = new Set<number>([0, length]);
  for (const span of valid) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const start = bounds[i] as number;
    const end = bounds[i + 1] as number;
    if (end <= start) continue;
    const fields: EvidenceField[] = [];
    for (const span of valid) {
      if (span.start <= start && span.end >= end && !fields.includes(span.field)) fields.push(span.field);
    }
    segments.push({ start, end, fields });
  }
  return segments;
}
