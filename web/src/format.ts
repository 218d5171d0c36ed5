import type { DateRange, PlaceRef, Range } from '../../src/core/model.js';
import { countryName, DATE_PRECISION_LABELS, PLACE_PRECISION_LABELS } from './labels.js';

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function utcDay(day: string): Date | null {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A day (YYYY-MM-DD) in words, "12 March 2024"; the input itself when it does not parse. */
export function formatDay(day: string): string {
  const date = utcDay(day);
  return date === null ? day : dayFormat.format(date);
}

/** A date range at its precision: "12 March 2024", "March 2024", "2024", "week of 4 March 2024". */
export function formatDateRange(range: DateRange): string {
  const start = utcDay(range.start);
  if (start === null) return `${range.start} – ${range.end}`;
  switch (range.precision) {
    case 'day':
      return range.start === range.end ? dayFormat.format(start) : `${formatDay(range.start)} – ${formatDay(range.end)}`;
    case 'week':
      return `week of ${formatDay(range.start)}`;
    case 'month':
      return monthFormat.format(start);
    case 'year':
      return String(start.getUTCFullYear());
    default:
      return `${range.start} – ${range.end}`;
  }
}

/** The precision of a date range in words: "known to the day". */
export function datePrecisionText(range: DateRange): string {
  return `known to the ${DATE_PRECISION_LABELS[range.precision] ?? range.precision}`;
}

/** A publication time (ISO 8601) as a day in words, or the raw value when it does not parse. */
export function formatPublished(iso: string | null): string {
  if (iso === null) return 'publication date unknown';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayFormat.format(date);
}

/** "Maiduguri, Borno, Nigeria": the parts of a place that are known, most specific first. */
export function formatPlaceName(place: PlaceRef): string {
  const parts = [place.name, place.admin1, place.country === null || place.country === undefined ? null : countryName(place.country)]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '');
  const unique = parts.filter((part, index) => parts.indexOf(part) === index);
  return unique.length === 0 ? 'Unknown place' : unique.join(', ');
}

/** How precisely the place is known, with its radius when there is one. */
export function placePrecisionText(place: PlaceRef): string {
  const label = PLACE_PRECISION_LABELS[place.precision] ?? place.precision;
  const radius = typeof place.radiusKm === 'number' && place.radiusKm > 0 ? `, within about ${Math.round(place.radiusKm)} km` : '';
  return `${label}${radius}`;
}

/**
 * A casualty range as the reports give it: "12", "12 (10–15)", "at least 139", "12 (up to 20)".
 * Null means no report gave a figure.
 */
export function formatRange(range: Range | null): string {
  if (range === null) return 'not reported';
  const { low, best, high } = range;
  const main = best ?? low ?? high;
  if (main === null) return 'not reported';
  if (low === null && high === null) return String(main);
  if (high === null) return best === null || best === low ? `at least ${String(low)}` : `${best} (at least ${String(low)})`;
  if (low === null) return best === null ? `up to ${high}` : best === high ? String(best) : `${best} (up to ${high})`;
  return low === high && main === low ? String(main) : `${main} (${low}–${high})`;
}

/** The three figures of a range, for the tooltip and for print: "low 10 · best 12 · high 15". */
export function rangeDetail(range: Range | null): string {
  if (range === null) return '';
  const show = (value: number | null): string => (value === null ? '—' : String(value));
  return `low ${show(range.low)} · best ${show(range.best)} · high ${show(range.high)}`;
}
