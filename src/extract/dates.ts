import * as chrono from 'chrono-node';
import type { DatePrecision } from '../core/codebook.js';
import type { DateRange, Field, Span } from '../core/model.js';

const DAY_MS = 86_400_000;

/** The publication date as a UTC day number, or null when it is missing or not a valid date. */
export function parsePublished(published: string | null | undefined): Date | null {
  if (published === null || published === undefined || published.trim() === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(published.trim());
  if (m === null) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const date = new Date(Date.UTC(y, mo - 1, d, 12));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (m[0].length > 10 && Number.isNaN(Date.parse(published))) return null;
  return date;
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function rangeOf(date: Date, precision: DatePrecision): DateRange {
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth();
  if (precision === 'year') return { start: `${y}-01-01`, end: `${y}-12-31`, precision };
  if (precision === 'month') return { start: iso(new Date(Date.UTC(y, mo, 1))), end: iso(new Date(Date.UTC(y, mo + 1, 0))), precision };
  return { start: iso(date), end: iso(date), precision };
}

const FUTURE_WORDS = /\b(?:next|coming|upcoming|tomorrow|later|after|following|will|plans?|planned|scheduled)\b/i;
/** Expressions dated from another event, not from the publication date. */
const RELATIVE_TO_EVENT = /\b(?:earlier|before|prior|previous|preceding)\b/i;
const YEAR_ONLY = /\b(?:in|during|since|throughout)\s+((?:19|20)\d{2})\b/gi;

/** A date expression found in the text, resolved against the publication date. */
export interface DateMention {
  readonly range: DateRange;
  readonly span: Span;
}

/**
 * Every absolute or publication-relative date in the text, resolved with a past bias: reports
 * describe what already happened, so a weekday or a month-day without a year that would fall after
 * the publication date is read as the previous one ("on Friday" in a Monday report is three days
 * earlier; "Sept 5" in a January report is last September). Expressions relative to another event
 * ("two days later") and times without a date are skipped.
 */
export function findDates(text: string, published: Date | null): DateMention[] {
  const reference = published ?? new Date();
  const results = chrono.casual.parse(text, { instant: reference, timezone: 0 }, { forwardDate: false });
  const out: DateMention[] = [];
  for (const r of results) {
    const s = r.start;
    const hasDate = s.isCertain('day') || s.isCertain('weekday') || s.isCertain('month') || s.isCertain('year');
    if (!hasDate) continue;
    if (FUTURE_WORDS.test(r.text) || RELATIVE_TO_EVENT.test(r.text)) continue;
    let date = s.date();
    date = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 12));
    const relative = !s.isCertain('month') && !s.isCertain('year') && s.isCertain('weekday');
    if (published !== null && date.getTime() > published.getTime()) {
      if (relative) {
        while (date.getTime() > published.getTime()) date = new Date(date.getTime() - 7 * DAY_MS);
      } else if (!s.isCertain('year')) {
        date = new Date(Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), date.getUTCDate(), 12));
      } else {
        continue;
      }
    }
    const precision: DatePrecision = s.isCertain('day') || s.isCertain('weekday') ? 'day' : s.isCertain('month') ? 'month' : 'year';
    out.push({ range: rangeOf(date, precision), span: { start: r.index, end: r.index + r.text.length } });
  }
  for (const m of text.matchAll(YEAR_ONLY)) {
    const start = m.index;
    if (out.some((d) => d.span.start <= start && d.span.end > start)) continue;
    const y = Number(m[1]);
    if (published !== null && y > published.getUTCFullYear()) continue;
    out.push({ range: rangeOf(new Date(Date.UTC(y, 0, 1, 12)), 'year'), span: { start, end: start + m[0].length } });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/**
 * The date of the incident: the first date expression in the sentences that report the attack.
 * Dates in other sentences usually date something else (an earlier abduction, a past campaign), so
 * they are used only when there is no publication date. With no date in the event sentences, the
 * day before publication up to the publication day, at day precision and low confidence: most
 * reports describe events of the same or the previous day, and a report is more often a day late
 * than early, so the range starts on the day before; its evidence is the phrase that reports the event, as there are no
 * words that date it. Without a publication date and without a date in the text, no date.
 */
export function extractDate(text: string, published: Date | null, eventSentences: readonly Span[], eventEvidence: Span): Field<DateRange> | undefined {
  const mentions = findDates(text, published);
  const inEvent = mentions.find((d) => eventSentences.some((s) => d.span.start >= s.start && d.span.end <= s.end));
  if (inEvent !== undefined) return { value: inEvent.range, evidence: [inEvent.span], confidence: 0.8 };
  if (published === null) {
    const first = mentions[0];
    return first === undefined ? undefined : { value: first.range, evidence: [first.span], confidence: 0.5 };
  }
  const dayBefore = new Date(published.getTime() - DAY_MS);
  return { value: { start: iso(dayBefore), end: iso(published), precision: 'day' }, evidence: [eventEvidence], confidence: 0.3 };
}
