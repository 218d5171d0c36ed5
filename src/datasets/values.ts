import type { DatePrecision } from '../core/codebook.js';
import type { Count, DateRange, Field } from '../core/model.js';
import { RowError } from './types.js';

/** Read access to one row by column name. Absent columns read as empty. */
export class Row {
  readonly #index: ReadonlyMap<string, number>;
  readonly #values: readonly string[];

  constructor(index: ReadonlyMap<string, number>, values: readonly string[]) {
    this.#index = index;
    this.#values = values;
  }

  /** The trimmed value of a column, or null when the column is absent or empty. */
  get(column: string): string | null {
    const at = this.#index.get(column);
    if (at === undefined) return null;
    const value = (this.#values[at] ?? '').trim();
    return value === '' ? null : value;
  }

  /** The value of a required column; a RowError when it is empty. */
  required(column: string): string {
    const value = this.get(column);
    if (value === null) throw new RowError(column, 'is empty; this column is required');
    return value;
  }

  /** True when the file has this column. */
  has(column: string): boolean {
    return this.#index.has(column);
  }
}

/** A dataset field: coded, so no evidence span, and confidence 1. */
export function coded<T>(value: T): Field<T> {
  return { value, evidence: [], confidence: 1 };
}

const INTEGER = /^[+-]?\d+(?:\.0*)?$/;

/**
 * An integer column ("12", "12.0"). Empty and the codebooks' unknown markers (-9, -99) read as
 * null; anything else that is not an integer is a RowError.
 */
export function integer(row: Row, column: string, options: { min?: number; max?: number; unknown?: readonly number[] } = {}): number | null {
  const raw = row.get(column);
  if (raw === null) return null;
  if (!INTEGER.test(raw)) throw new RowError(column, `${JSON.stringify(raw)} is not a whole number`);
  const value = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(value)) throw new RowError(column, `${JSON.stringify(raw)} is out of range`);
  if ((options.unknown ?? [-9, -99]).includes(value)) return null;
  if (options.min !== undefined && value < options.min) throw new RowError(column, `${value} is below ${options.min}`);
  if (options.max !== undefined && value > options.max) throw new RowError(column, `${value} is above ${options.max}`);
  return value;
}

/** A decimal column (latitude, longitude), or null when empty; a RowError outside [min, max]. */
export function decimal(row: Row, column: string, min: number, max: number): number | null {
  const raw = row.get(column);
  if (raw === null) return null;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw)) throw new RowError(column, `${JSON.stringify(raw)} is not a number`);
  const value = Number(raw);
  if (value < min || value > max) throw new RowError(column, `${value} is outside ${min}..${max}`);
  return value;
}

/** A reported count with a conservative figure: low = best = n, no upper bound. */
export function atLeast(n: number): Count {
  return { low: n, best: n, high: null, kind: 'reported' };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** YYYY-MM-DD of a calendar day, or null when it does not exist (31 February). */
export function isoDay(year: number, month: number, day: number): string | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The number of days in a month. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A day shifted by whole days. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A date range from its bounds and precision. */
export function range(start: string, end: string, precision: DatePrecision): DateRange {
  return { start, end, precision };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A calendar day in one of the forms the datasets use: `YYYY-MM-DD` (optionally followed by a
 * time), `MM/DD/YYYY`, `D-Mon-YY`, `D-Mon-YYYY` and `D Month YYYY`. Null when unreadable.
 */
export function parseDay(raw: string): string | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(raw);
  if (m !== null) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (m !== null) return isoDay(Number(m[3]), Number(m[1]), Number(m[2]));
  m = /^(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{2}|\d{4})$/.exec(raw);
  if (m !== null) {
    const month = MONTHS.indexOf((m[2] ?? '').slice(0, 3).toLowerCase()) + 1;
    if (month === 0) return null;
    const yy = Number(m[3]);
    const year = (m[3] ?? '').length === 2 ? (yy < 50 ? 2000 + yy : 1900 + yy) : yy;
    return isoDay(year, month, Number(m[1]));
  }
  return null;
}

/** A required day column; a RowError naming the column when it is empty or unreadable. */
export function requiredDay(row: Row, column: string): string {
  const raw = row.required(column);
  const day = parseDay(raw);
  if (day === null) throw new RowError(column, `${JSON.stringify(raw)} is not a date (expected YYYY-MM-DD, MM/DD/YYYY or D-Mon-YY)`);
  return day;
}
