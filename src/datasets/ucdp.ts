import type { AttackType, DatePrecision, PlacePrecision, TargetType } from '../core/codebook.js';
import type { Field, Perpetrator } from '../core/model.js';
import { perpetratorField } from './actors.js';
import { datasetCountry } from './countries.js';
import { emptyMentionFields } from '../core/model.js';
import { locationField, placeName, type DatasetSpec, type MappedRow } from './spec.js';
import { RowError } from './types.js';
import { coded, decimal, integer, range, requiredDay, type Row } from './values.js';

/** UCDP type_of_violence → Vigil codebook (docs/crosswalks.md). */
export const UCDP_VIOLENCE_TYPES: Readonly<Record<number, { attack: AttackType; target: TargetType; label: string }>> = {
  1: { attack: 'armed_assault', target: 'military', label: 'state-based conflict' },
  2: { attack: 'armed_assault', target: 'terrorists_militia', label: 'non-state conflict' },
  3: { attack: 'armed_assault', target: 'private_citizens', label: 'one-sided violence' },
};

/** UCDP date_prec → Vigil date precision. */
export const UCDP_DATE_PRECISION: Readonly<Record<number, DatePrecision>> = { 1: 'day', 2: 'week', 3: 'week', 4: 'month', 5: 'year' };

/** UCDP where_prec → Vigil place precision. */
export const UCDP_PLACE_PRECISION: Readonly<Record<number, PlacePrecision>> = {
  1: 'exact',
  2: 'city',
  3: 'admin2',
  4: 'admin1',
  5: 'admin1',
  6: 'country',
  7: 'country',
};

/** UCDP Georeferenced Event Dataset (GED) rows. */
export const UCDP: DatasetSpec = {
  kind: 'ucdp',
  label: 'UCDP GED',
  idColumn: 'id',
  requiredColumns: ['id', 'type_of_violence', 'date_start', 'date_end', 'country', 'best'],
  requiredOneOf: [],
  map(row: Row): MappedRow {
    const rowId = row.required('id');
    if (!/^\d{1,20}$/.test(rowId)) throw new RowError('id', `${JSON.stringify(rowId)} is not a UCDP event id (digits)`);
    const fields = emptyMentionFields();
    const start = requiredDay(row, 'date_start');
    const end = requiredDay(row, 'date_end');
    if (end < start) throw new RowError('date_end', `${end} is before date_start ${start}`);
    const datePrec = integer(row, 'date_prec', { min: 1, max: 5, unknown: [] });
    fields.date = coded(range(start, end, datePrec === null ? (start === end ? 'day' : 'week') : (UCDP_DATE_PRECISION[datePrec] ?? 'day')));
    const wherePrec = integer(row, 'where_prec', { min: 1, max: 7, unknown: [] });
    const lat = decimal(row, 'latitude', -90, 90);
    const lon = decimal(row, 'longitude', -180, 180);
    fields.location = locationField({
      name: wherePrec !== null && wherePrec <= 2 ? placeName(row, 'where_coordinates') : null,
      admin1: placeName(row, 'adm_1'),
      country: datasetCountry(row.required('country')),
      lat,
      lon,
      precision: wherePrec === null ? 'admin1' : (UCDP_PLACE_PRECISION[wherePrec] ?? 'admin1'),
    });
    const violence = integer(row, 'type_of_violence', { unknown: [] });
    const walk = violence === null ? undefined : UCDP_VIOLENCE_TYPES[violence];
    if (walk === undefined) throw new RowError('type_of_violence', `${violence ?? 'empty'} is not a UCDP type of violence (1, 2 or 3)`);
    fields.attackTypes.push(coded(walk.attack));
    fields.targetTypes.push(coded(walk.target));
    const sides: Field<Perpetrator>[] = [];
    for (const column of violence === 3 ? ['side_a'] : ['side_a', 'side_b']) {
      const side = perpetratorField(row.get(column), 'attributed', 'UCDP');
      if (side !== null) sides.push(side);
    }
    fields.perpetrators = sides;
    const victim = violence === 3 ? row.get('side_b') : null;
    if (victim !== null) fields.victims.push(coded({ text: victim, type: 'private_citizens' }));
    const best = integer(row, 'best', { min: 0, unknown: [] });
    const low = integer(row, 'low', { min: 0, unknown: [] });
    const high = integer(row, 'high', { min: 0, unknown: [] });
    if (best === null) throw new RowError('best', 'is empty; this column is required');
    // GED releases hold a few rows with low > best or high < best; the range is widened to
    // include best (the raw row keeps the published figures).
    fields.killed = coded({ low: low === null ? null : Math.min(low, best), best, high: high === null ? null : Math.max(high, best), kind: 'reported' });
    const deathsA = integer(row, 'deaths_a', { min: 0, unknown: [] });
    if (violence === 3 && deathsA !== null) fields.perpetratorsKilled = coded({ low: deathsA, best: deathsA, high: deathsA, kind: 'reported' });
    return { rowId, narrative: null, publishedAt: null, fields };
  },
};
