import type { Incident, Range } from '../core/model.js';

/** The columns of Vigil's CSV export, in order. Lists are joined with "; ". */
export const CSV_COLUMNS = [
  'id',
  'status',
  'title',
  'date_start',
  'date_end',
  'date_precision',
  'country',
  'admin1',
  'place',
  'lat',
  'lon',
  'place_precision',
  'radius_km',
  'attack_types',
  'target_types',
  'weapon_types',
  'perpetrators',
  'actor_ids',
  'suicide',
  'killed_low',
  'killed_best',
  'killed_high',
  'wounded_low',
  'wounded_best',
  'wounded_high',
  'perpetrators_killed_best',
  'claimed_killed_best',
  'claimed_wounded_best',
  'mentions',
  'revision',
  'updated_at',
] as const;

/** A CSV cell: empty for null and undefined. */
export type Cell = string | number | boolean | null | undefined;

/**
 * One CSV field per RFC 4180. Unless `guard` is false, text that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or carriage return) gets a leading apostrophe; numbers are
 * written as they are. Dataset-shaped files, which must re-import unchanged, are written unguarded.
 */
export function csvField(value: Cell, guard = true): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = guard && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (with its CRLF ending) from cells; `guard` as in {@link csvField}. */
export function csvLine(cells: readonly Cell[], guard = true): string {
  return `${cells.map((cell) => csvField(cell, guard)).join(',')}\r\n`;
}

const range = (r: Range | null): [Cell, Cell, Cell] => [r?.low, r?.best, r?.high];

/** The CSV row of an incident, in the order of CSV_COLUMNS. */
export function incidentCsvRow(incident: Incident): Cell[] {
  const f = incident.fields;
  const place = f.location;
  return [
    incident.id,
    incident.status,
    f.title,
    f.date?.start,
    f.date?.end,
    f.date?.precision,
    place?.country,
    place?.admin1,
    place?.name,
    place?.lat,
    place?.lon,
    place?.precision,
    place?.radiusKm,
    f.attackTypes.join('; '),
    f.targetTypes.join('; '),
    f.weaponTypes.join('; '),
    f.perpetrators.map((p) => `${p.name} (${p.attribution})`).join('; '),
    [...new Set(f.perpetrators.flatMap((p) => (p.actorId ? [p.actorId] : [])))].join('; '),
    f.suicide,
    ...range(f.killed),
    ...range(f.wounded),
    f.perpetratorsKilled?.best,
    f.claimedKilled?.best,
    f.claimedWounded?.best,
    incident.mentionIds.length,
    incident.revision,
    incident.updatedAt,
  ];
}
