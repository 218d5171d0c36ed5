import type { AttackType, DatePrecision } from '../../core/codebook.js';
import type { Count, IncidentFields, Mention, Range } from '../../core/model.js';
import { fieldsFromMention } from '../incident-fields.js';
import { resolveActorNames } from './actors.js';
import { attackTypesFromText } from './attack-types.js';
import type { LinkCount, LinkRecord } from './types.js';

function rangeOf(count: Range | Count | null | undefined): LinkCount | null {
  if (count === null || count === undefined) return null;
  if (count.low === null && count.best === null && count.high === null) return null;
  return { low: count.low, best: count.best, high: count.high };
}

/**
 * The link record of reconciled incident fields (one mention's, or an imported dataset row's).
 * Perpetrators keep their registry id when they have one, else their name is resolved through the
 * actor registry.
 */
export function linkRecordFromIncidentFields(id: string, source: string, fields: IncidentFields, text: string | null = null, reportedAt: string | null = null): LinkRecord {
  const actors = new Set<string>();
  for (const perpetrator of fields.perpetrators) {
    if (typeof perpetrator.actorId === 'string' && perpetrator.actorId !== '') actors.add(perpetrator.actorId);
    else for (const name of resolveActorNames(perpetrator.name)) actors.add(name);
  }
  const location = fields.location;
  const lat = location?.lat;
  const lon = location?.lon;
  return {
    id,
    source,
    date: fields.date === null ? null : { start: fields.date.start, end: fields.date.end, precision: fields.date.precision },
    country: location?.country ?? null,
    admin1: location?.admin1 ?? null,
    place: location?.precision === 'country' || location?.precision === 'admin1' ? null : (location?.name ?? null),
    point: typeof lat === 'number' && typeof lon === 'number' && location?.precision !== 'country' ? { lat, lon } : null,
    actors: [...actors].sort(),
    attackTypes: fields.attackTypes.filter((t) => t !== 'unknown'),
    killed: rangeOf(fields.killed),
    killedPerpetrators: fields.perpetratorsKilled?.best ?? null,
    wounded: rangeOf(fields.wounded),
    reportedAt,
    text: [title(fields), text].filter((s): s is string => typeof s === 'string' && s !== '').join('\n') || null,
  };
}

function title(fields: IncidentFields): string | null {
  return fields.title;
}

/**
 * The link record of a mention. `source` is the source of the mention's document (two mentions of
 * one source are held to be distinct attacks unless near-identical); `text` is the mention's text
 * and `reportedAt` its document's publication time, when the caller has them.
 */
export function linkRecordFromMention(mention: Pick<Mention, 'id' | 'fields'>, source: string, text: string | null = null, reportedAt: string | null = null): LinkRecord {
  return linkRecordFromIncidentFields(mention.id, source, fieldsFromMention(mention.fields), text, reportedAt);
}

/** Why a line of a records file could not be read: the field and the reason. */
export interface RecordProblem {
  readonly field: string;
  readonly reason: string;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MONTH = /^\d{4}-\d{2}$/;

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

function validDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

function count(value: number | null): LinkCount | null {
  return value === null ? null : { low: value, best: value, high: value };
}

/**
 * Reads one record of the linking evaluation format (`records.jsonl`: id, source, date,
 * date_end, date_precision, country, admin1, location, perpetrator, attack_type, killed,
 * killed_perpetrators, wounded, description) into a link record, or says which field is wrong.
 * The location text is split at commas: its first part that is not the country is the place.
 */
export function linkRecordFromEvalRecord(value: unknown): { record: LinkRecord } | { problem: RecordProblem } {
  const fail = (field: string, reason: string): { problem: RecordProblem } => ({ problem: { field, reason } });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('line', 'not a JSON object');
  const obj = value as Record<string, unknown>;
  const str = (key: string): string | null | undefined => {
    const v = obj[key];
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : undefined;
  };
  const num = (key: string): number | null | undefined => {
    const v = obj[key];
    if (v === undefined || v === null) return null;
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  };
  const rawId = obj.id;
  const id = typeof rawId === 'number' && Number.isFinite(rawId) ? String(rawId) : typeof rawId === 'string' && rawId.trim() !== '' ? rawId : null;
  if (id === null) return fail('id', rawId === undefined ? 'missing; every record needs a string "id"' : 'not a non-empty string');
  const source = str('source');
  if (source === undefined || source === null || source === '') return fail('source', source === null ? 'missing' : 'not a non-empty string');
  const date = str('date');
  if (date === undefined) return fail('date', 'not a string');
  const precisionText = str('date_precision');
  if (precisionText === undefined) return fail('date_precision', 'not a string');
  let parsedDate: LinkRecord['date'] = null;
  if (date !== null) {
    if (ISO_DAY.test(date) && validDay(date)) {
      const end = str('date_end');
      if (end === undefined || (end !== null && !(ISO_DAY.test(end) && validDay(end) && end >= date))) return fail('date_end', `${JSON.stringify(obj.date_end)} is not an ISO date on or after "date"`);
      const precision: DatePrecision = precisionText === 'month' || precisionText === 'year' || precisionText === 'week' ? precisionText : 'day';
      parsedDate = { start: date, end: end ?? date, precision };
    } else if (ISO_MONTH.test(date) && validDay(`${date}-01`)) {
      parsedDate = { start: `${date}-01`, end: lastDayOfMonth(date), precision: 'month' };
    } else if (/^\d{4}$/.test(date)) {
      parsedDate = { start: `${date}-01-01`, end: `${date}-12-31`, precision: 'year' };
    } else {
      return fail('date', `${JSON.stringify(date)} is not an ISO date (YYYY-MM-DD or YYYY-MM)`);
    }
  }
  const country = str('country');
  if (country === undefined || (country !== null && !/^[A-Za-z]{2}$/.test(country))) return fail('country', `${JSON.stringify(obj.country)} is not an ISO 3166-1 alpha-2 code`);
  const fields: Record<string, string | null> = {};
  for (const key of ['admin1', 'location', 'perpetrator', 'attack_type', 'description']) {
    const v = str(key);
    if (v === undefined) return fail(key, 'not a string');
    fields[key] = v;
  }
  const numbers: Record<string, number | null> = {};
  for (const key of ['killed', 'killed_perpetrators', 'wounded']) {
    const v = num(key);
    if (v === undefined) return fail(key, `${JSON.stringify(obj[key])} is not a non-negative number`);
    numbers[key] = v;
  }
  const location = fields.location ?? null;
  const parts = (location ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const countryName = country === null ? null : countryNameOf(country.toUpperCase());
  const placeParts = parts.filter((p) => countryName === null || p.toLowerCase() !== countryName.toLowerCase());
  const place = placeParts[0] ?? null;
  const attackTypes: AttackType[] = attackTypesFromText(fields.attack_type);
  const text = [location, fields.description].filter((s): s is string => typeof s === 'string' && s !== '').join('\n');
  return {
    record: {
      id,
      source,
      date: parsedDate,
      country: country === null ? null : country.toUpperCase(),
      admin1: fields.admin1 ?? (placeParts.length >= 2 ? (placeParts[1] ?? null) : null),
      place,
      point: null,
      actors: resolveActorNames(fields.perpetrator),
      attackTypes,
      killed: count(numbers.killed ?? null),
      killedPerpetrators: numbers.killed_perpetrators ?? null,
      wounded: count(numbers.wounded ?? null),
      text: text === '' ? null : text,
    },
  };
}

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

function countryNameOf(code: string): string | null {
  try {
    return REGION_NAMES.of(code) ?? null;
  } catch {
    return null;
  }
}
