import type { DateRange, Span } from '../../core/model.js';
import { foldDigits } from './numerals.js';
import { L, type LanguageRules, WB, WE } from './rules.js';

/** A date expression found in a text. */
export interface DateHit {
  readonly span: Span;
  readonly range: DateRange;
  /** 'explicit' for a calendar date, 'relative' for yesterday or a weekday. */
  readonly kind: 'explicit' | 'relative';
}

const DAY_MS = 86_400_000;

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function utc(y: number, m: number, d: number): Date | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}

function monthOf(word: string, months: readonly (readonly [string, number])[]): number | null {
  for (const [pattern, month] of months) if (new RegExp(`^(?:${pattern})$`, 'iu').test(word)) return month;
  return null;
}

const persian = new Intl.DateTimeFormat('en-u-ca-persian', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

function persianParts(d: Date): { y: number; m: number; d: number } {
  const parts = persian.formatToParts(d);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? NaN);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** The Gregorian day of a Solar Hijri date (Persian and Afghan calendar). */
export function solarToGregorian(sy: number, sm: number, sd: number): Date | null {
  if (sm < 1 || sm > 12 || sd < 1 || sd > 31 || (sm > 6 && sd > 30)) return null;
  for (let day = 19; day <= 22; day++) {
    const nowruz = new Date(Date.UTC(sy + 621, 2, day));
    const p = persianParts(nowruz);
    if (p.m === 1 && p.d === 1 && p.y === sy) {
      const offset = (sm <= 6 ? (sm - 1) * 31 : 186 + (sm - 7) * 30) + sd - 1;
      return new Date(nowruz.getTime() + offset * DAY_MS);
    }
  }
  return null;
}

/** Year of a day-month date without a year: the publication's, or the one before if that would be later than publication. */
function guessYear(month: number, day: number, published: Date | null): number | null {
  if (published === null) return null;
  const y = published.getUTCFullYear();
  const d = utc(y, month, day);
  return d !== null && d.getTime() > published.getTime() + DAY_MS ? y - 1 : y;
}

/**
 * Every date expression of a text in one language: day-month(-year) with the language's month
 * names (genitive and other case forms included), month-year, dd.mm.yyyy, Solar Hijri dates in
 * Persian, "yesterday"/"today" and weekdays against the publication date. Digits may be
 * Arabic-Indic or Persian.
 */
export function findDatesIn(text: string, rules: LanguageRules, published: Date | null): DateHit[] {
  const t = foldDigits(text);
  const hits: DateHit[] = [];
  const taken = (s: number, e: number): boolean => hits.some((h) => s < h.span.end && h.span.start < e);
  const push = (start: number, end: number, range: DateRange, kind: DateHit['kind']): void => {
    if (!taken(start, end)) hits.push({ span: { start, end }, range, kind });
  };
  const months = rules.months.map(([p]) => p).join('|');
  const year = `(\\d{4})(?:\\s*${rules.yearWord})?`;
  const dayMonth = new RegExp(`${WB}(\\d{1,2})(?:\\s*-\\s*|\\s+)(?:ال)?(${months})${WE}(?:\\s*[,،]?\\s*${year}${WE})?`, 'giu');
  const yearFirst = new RegExp(`${WB}(\\d{4})\\s*${rules.yearWord}\\s+(\\d{1,2})\\s*-?\\s*(${months})${WE}`, 'giu');
  for (const m of t.matchAll(yearFirst)) {
    const month = monthOf(m[3] ?? '', rules.months);
    const date = month === null ? null : utc(Number(m[1]), month, Number(m[2]));
    if (date !== null) push(m.index, m.index + m[0].length, { start: iso(date), end: iso(date), precision: 'day' }, 'explicit');
  }
  for (const m of t.matchAll(dayMonth)) {
    const month = monthOf(m[2] ?? '', rules.months);
    const day = Number(m[1]);
    if (month === null) continue;
    const y = m[3] !== undefined ? Number(m[3]) : guessYear(month, day, published);
    const date = y === null ? null : utc(y, month, day);
    if (date !== null) push(m.index, m.index + m[0].length, { start: iso(date), end: iso(date), precision: 'day' }, 'explicit');
  }
  if (rules.solarMonths !== undefined) {
    const solar = rules.solarMonths.map(([p]) => p).join('|');
    const re = new RegExp(`${WB}(\\d{1,2})\\s+(${solar})${WE}(?:\\s+(\\d{4}))?`, 'gu');
    for (const m of t.matchAll(re)) {
      const month = monthOf(m[2] ?? '', rules.solarMonths);
      if (month === null) continue;
      let sy = m[3] !== undefined ? Number(m[3]) : published === null ? null : persianParts(published).y;
      if (sy === null || sy > 1700) continue;
      let date = solarToGregorian(sy, month, Number(m[1]));
      if (m[3] === undefined && date !== null && published !== null && date.getTime() > published.getTime() + DAY_MS) {
        sy -= 1;
        date = solarToGregorian(sy, month, Number(m[1]));
      }
      if (date !== null) push(m.index, m.index + m[0].length, { start: iso(date), end: iso(date), precision: 'day' }, 'explicit');
    }
  }
  for (const m of t.matchAll(new RegExp(`${WB}(\\d{1,2})[./](\\d{1,2})[./](\\d{4})${WE}`, 'gu'))) {
    const date = utc(Number(m[3]), Number(m[2]), Number(m[1]));
    if (date !== null) push(m.index, m.index + m[0].length, { start: iso(date), end: iso(date), precision: 'day' }, 'explicit');
  }
  for (const m of t.matchAll(new RegExp(`${WB}(${months})\\s+(\\d{4})${WE}`, 'giu'))) {
    const month = monthOf(m[1] ?? '', rules.months);
    if (month === null) continue;
    const y = Number(m[2]);
    const last = new Date(Date.UTC(y, month, 0));
    push(m.index, m.index + m[0].length, { start: iso(new Date(Date.UTC(y, month - 1, 1))), end: iso(last), precision: 'month' }, 'explicit');
  }
  if (published !== null) {
    for (const [pattern, offset] of rules.relative) {
      for (const m of t.matchAll(new RegExp(`(?<!${L})(?:[وفب](?=ال|أمس|امس))?(?:${pattern})${WE}`, 'giu'))) {
        const d = new Date(published.getTime() + offset * DAY_MS);
        push(m.index, m.index + m[0].length, { start: iso(d), end: iso(d), precision: 'day' }, 'relative');
      }
    }
    const weekdays = [...rules.weekdays].sort((a, b) => b[0].length - a[0].length);
    const re = new RegExp(`(?<!${L})(?:[وفب](?=ال))?(${weekdays.map(([p]) => p).join('|')})${WE}`, 'giu');
    for (const m of t.matchAll(re)) {
      const found = weekdays.find(([p]) => new RegExp(`^(?:${p})$`, 'iu').test(m[1] ?? ''));
      if (found === undefined) continue;
      const back = (published.getUTCDay() - found[1] + 7) % 7;
      const d = new Date(published.getTime() - back * DAY_MS);
      push(m.index, m.index + m[0].length, { start: iso(d), end: iso(d), precision: 'day' }, 'relative');
    }
  }
  return hits.sort((a, b) => a.span.start - b.span.start);
}
