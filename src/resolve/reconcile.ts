import { DATE_PRECISIONS, PLACE_PRECISIONS } from '../core/codebook.js';
import type {
  DateRange,
  DocumentKind,
  IncidentFields,
  Mention,
  Perpetrator,
  PlaceRef,
  Range,
  SourcedAttribution,
  SourcedFigure,
} from '../core/model.js';
import { emptyIncidentFields, IncidentFieldsSchema } from '../core/model.js';
import { incidentTitle } from './incident-fields.js';

/** One report of an incident as reconciliation sees it: the mention and where it comes from. */
export interface ReportOf {
  mention: Pick<Mention, 'id' | 'documentId' | 'fields' | 'confidence'>;
  /** The source of the mention's document. */
  sourceId: string | null;
  /** The kind of the mention's document: everything in a group's `claim` counts as claimed. */
  documentKind: DocumentKind | null;
  /** When the document was published, if known. */
  reportedAt: string | null;
}

/** The fields an analyst can edit (and so pin); the per-report lists are derived, never edited. */
export const EDITABLE_FIELDS = Object.keys(IncidentFieldsSchema.shape).filter((k) => k !== 'figures' && k !== 'attributions') as (keyof IncidentFields)[];

const COUNT_FIELDS = ['killed', 'wounded', 'perpetratorsKilled', 'hostages'] as const;
type CountField = (typeof COUNT_FIELDS)[number];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Who tells a report: two reports of one source count once for a range (its latest figure). */
function tellerOf(report: ReportOf): string {
  return report.sourceId === null ? `doc:${report.mention.documentId}` : `${report.sourceId}\u0000${report.documentKind === 'dataset_row' ? '' : report.mention.documentId}`;
}

/**
 * A range over the figures of independent reports: low is the lowest low given, high the highest
 * high (null when no report bounds it), best the median of the best figures (the lower middle one
 * for an even count); low ≤ best ≤ high always holds. Each teller counts once, with its latest
 * report. One figure gives itself back.
 */
export function rangeOf(figures: readonly SourcedFigure[], teller: (f: SourcedFigure) => string): Range | null {
  const latest = new Map<string, SourcedFigure>();
  for (const f of figures) {
    const key = teller(f);
    const seen = latest.get(key);
    if (seen === undefined || compare(seen.reportedAt ?? '', f.reportedAt ?? '') < 0 || (seen.reportedAt === f.reportedAt && compare(seen.mentionId, f.mentionId) < 0)) latest.set(key, f);
  }
  const chosen = [...latest.values()];
  if (chosen.length === 0) return null;
  const numbers = (pick: (f: SourcedFigure) => number | null): number[] => chosen.map(pick).filter((n): n is number => n !== null);
  const lows = numbers((f) => f.low);
  const highs = numbers((f) => f.high);
  const bests = numbers((f) => f.best).sort((a, b) => a - b);
  const best = bests.length === 0 ? null : (bests[Math.floor((bests.length - 1) / 2)] as number);
  let low = lows.length === 0 ? null : Math.min(...lows);
  let high = highs.length === 0 ? null : Math.max(...highs);
  if (best !== null && low !== null && low > best) low = best;
  if (best !== null && high !== null && high < best) high = best;
  if (low === null && best === null && high === null) return null;
  return { low, best, high };
}

function mode<T>(items: readonly T[], key: (item: T) => string, tieBreak: (a: T, b: T) => number): T | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...items].sort((a, b) => (counts.get(key(b)) ?? 0) - (counts.get(key(a)) ?? 0) || tieBreak(a, b))[0];
}

/** The most precise date; among equally precise ones, the one most reports give, then the earliest. */
function reconcileDate(reports: readonly ReportOf[]): DateRange | null {
  const dates = reports.flatMap((r) => (r.mention.fields.date === undefined ? [] : [r.mention.fields.date.value]));
  if (dates.length === 0) return null;
  const rank = (d: DateRange): number => DATE_PRECISIONS.indexOf(d.precision);
  const finest = Math.min(...dates.map(rank));
  const candidates = dates.filter((d) => rank(d) === finest);
  return mode(candidates, (d) => `${d.start}/${d.end}`, (a, b) => compare(a.start, b.start) || compare(a.end, b.end)) ?? null;
}

function placeKey(p: PlaceRef): string {
  return [p.name ?? '', p.admin1 ?? '', p.country ?? ''].map((s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()).join('|');
}

/** The most precise place; among equally precise ones, the one most reports give, then the surest. */
function reconcilePlace(reports: readonly ReportOf[]): PlaceRef | null {
  const places = reports.flatMap((r) => (r.mention.fields.location === undefined ? [] : [{ place: r.mention.fields.location.value, confidence: r.mention.fields.location.confidence, id: r.mention.id }]));
  if (places.length === 0) return null;
  const rank = (p: PlaceRef): number => PLACE_PRECISIONS.indexOf(p.precision);
  const finest = Math.min(...places.map((p) => rank(p.place)));
  const candidates = places.filter((p) => rank(p.place) === finest);
  return mode(candidates, (p) => placeKey(p.place), (a, b) => b.confidence - a.confidence || compare(placeKey(a.place), placeKey(b.place)) || compare(a.id, b.id))?.place ?? null;
}

/**
 * Codebook values by how many reports give them, then in the order they first appear (reports in
 * mention id order); `unknown` only when nothing else is known.
 */
function unionOf<T extends string>(lists: readonly (readonly T[])[]): T[] {
  const counts = new Map<T, number>();
  for (const list of lists) for (const value of new Set(list)) counts.set(value, (counts.get(value) ?? 0) + 1);
  const values = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const known = values.filter((v) => v !== 'unknown');
  return known.length > 0 ? known : values;
}

function perpetratorKey(p: Perpetrator): string {
  return `${p.actorId ?? p.name.toLowerCase()}\u0000${p.attribution}`;
}

/**
 * The incident fields reconciled from all its reports. The result does not depend on the order of
 * `reports`, and one report gives what `fieldsFromMention` gives: casualties are ranges over independent reports (claimed figures kept apart), every
 * report's figure and attribution is listed with its source, the date and place are the most
 * precise given, and types are the union of what reports say.
 */
export function reconcileFields(reports: readonly ReportOf[]): IncidentFields {
  const ordered = [...reports].sort((a, b) => compare(a.mention.id, b.mention.id));
  const result = emptyIncidentFields();
  result.date = reconcileDate(ordered);
  result.location = reconcilePlace(ordered);

  const attributions: SourcedAttribution[] = [];
  const perpetrators = new Map<string, Perpetrator>();
  for (const report of ordered) {
    for (const { value } of report.mention.fields.perpetrators) {
      attributions.push({ ...value, mentionId: report.mention.id, documentId: report.mention.documentId, sourceId: report.sourceId });
      if (!perpetrators.has(perpetratorKey(value))) perpetrators.set(perpetratorKey(value), value);
    }
  }
  result.perpetrators = [...perpetrators.values()];
  result.attackTypes = unionOf(ordered.map((r) => r.mention.fields.attackTypes.map((f) => f.value)));
  result.targetTypes = unionOf(ordered.map((r) => r.mention.fields.targetTypes.map((f) => f.value)));
  result.weaponTypes = unionOf(ordered.map((r) => r.mention.fields.weaponTypes.map((f) => f.value)));
  const suicide = ordered.flatMap((r) => (r.mention.fields.suicide === undefined ? [] : [r.mention.fields.suicide.value]));
  result.suicide = suicide.length === 0 ? null : suicide.includes(true);

  const figures: SourcedFigure[] = [];
  const tellers = new Map<string, string>();
  for (const report of ordered) {
    for (const field of COUNT_FIELDS) {
      const count = report.mention.fields[field]?.value;
      if (count === undefined) continue;
      figures.push({
        field,
        kind: count.kind,
        low: count.low,
        best: count.best,
        high: count.high,
        mentionId: report.mention.id,
        documentId: report.mention.documentId,
        sourceId: report.sourceId,
        reportedAt: report.reportedAt,
      });
      tellers.set(report.mention.id, tellerOf(report));
    }
  }
  const teller = (f: SourcedFigure): string => tellers.get(f.mentionId) ?? f.mentionId;
  const range = (field: CountField, kind: 'reported' | 'claimed'): Range | null =>
    rangeOf(
      figures.filter((f) => f.field === field && f.kind === kind),
      teller,
    );
  result.killed = range('killed', 'reported');
  result.wounded = range('wounded', 'reported');
  result.perpetratorsKilled = range('perpetratorsKilled', 'reported') ?? range('perpetratorsKilled', 'claimed');
  result.claimedKilled = range('killed', 'claimed');
  result.claimedWounded = range('wounded', 'claimed');
  // One report is its own source: the lists say something only when reports are compared.
  if (ordered.length > 1) {
    result.figures = figures;
    result.attributions = attributions;
  }
  result.title = incidentTitle(result);
  return result;
}

/**
 * Reconciled fields with an analyst's decisions laid over them: every pinned field keeps the value
 * it has in `current`. The title follows the reconciled place and type unless it is pinned itself.
 */
export function withPins(reconciled: IncidentFields, current: IncidentFields, pinned: readonly string[]): IncidentFields {
  if (pinned.length === 0) return reconciled;
  const out: Record<string, unknown> = { ...reconciled };
  for (const field of pinned) out[field] = (current as Record<string, unknown>)[field] ?? null;
  const fields = out as IncidentFields;
  if (!pinned.includes('title')) fields.title = incidentTitle(fields);
  return fields;
}
