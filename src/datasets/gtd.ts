import { ATTACK_TYPES, TARGET_TYPES, WEAPON_TYPES, type Attribution, type PlacePrecision } from '../core/codebook.js';
import type { Count, DateRange, Field, Perpetrator, TypedText } from '../core/model.js';
import { perpetratorField } from './actors.js';
import { datasetCountry } from './countries.js';
import { emptyMentionFields } from '../core/model.js';
import { locationField, placeName, type DatasetSpec, type MappedRow } from './spec.js';
import { RowError } from './types.js';
import { addDays, atLeast, coded, daysInMonth, decimal, integer, isoDay, parseDay, range, type Row } from './values.js';

const labels = (entries: Record<string, number>): ReadonlyMap<string, number> => new Map(Object.entries(entries));

/** GTD attack type labels (attacktypeN_txt) → GTD codes. */
export const GTD_ATTACK_LABELS = labels({
  assassination: 1,
  'armed assault': 2,
  'bombing/explosion': 3,
  hijacking: 4,
  'hostage taking (barricade incident)': 5,
  'hostage taking (kidnapping)': 6,
  'facility/infrastructure attack': 7,
  'unarmed assault': 8,
  unknown: 9,
});

/** GTD target type labels (targtypeN_txt) → GTD codes. */
export const GTD_TARGET_LABELS = labels({
  business: 1,
  'government (general)': 2,
  police: 3,
  military: 4,
  'abortion related': 5,
  'airports & aircraft': 6,
  'government (diplomatic)': 7,
  'educational institution': 8,
  'food or water supply': 9,
  'journalists & media': 10,
  maritime: 11,
  ngo: 12,
  other: 13,
  'private citizens & property': 14,
  'religious figures/institutions': 15,
  telecommunication: 16,
  'terrorists/non-state militia': 17,
  tourists: 18,
  transportation: 19,
  unknown: 20,
  utilities: 21,
  'violent political party': 22,
});

/** GTD weapon type labels (weaptypeN_txt) → GTD codes, with the older long forms. */
export const GTD_WEAPON_LABELS = labels({
  biological: 1,
  chemical: 2,
  radiological: 3,
  nuclear: 4,
  firearms: 5,
  explosives: 6,
  'explosives/bombs/dynamite': 6,
  'fake weapons': 7,
  incendiary: 8,
  melee: 9,
  vehicle: 10,
  'vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)': 10,
  'sabotage equipment': 11,
  other: 12,
  unknown: 13,
});

/**
 * A GTD-coded type from the code column (`attacktype1`) or, when the file has only labels (the
 * core extract), from the label column (`attacktype1_txt`). The code wins when both are present.
 */
function gtdType<T extends string>(row: Row, column: string, values: readonly T[], byLabel: ReadonlyMap<string, number>): T | null {
  const code = integer(row, column, { unknown: [] });
  if (code !== null) {
    const value = values[code - 1];
    if (value === undefined) throw new RowError(column, `${code} is not a GTD code (1..${values.length})`);
    return value;
  }
  const label = row.get(`${column}_txt`);
  if (label === null) return null;
  const key = label.toLowerCase();
  const byKey = byLabel.get(key) ?? (key.startsWith('vehicle (') ? byLabel.get('vehicle') : undefined);
  if (byKey === undefined) throw new RowError(`${column}_txt`, `${JSON.stringify(label)} is not a GTD label`);
  return values[byKey - 1] ?? null;
}

const SPECIFICITY: Readonly<Record<number, PlacePrecision>> = { 1: 'city', 2: 'admin2', 3: 'admin2', 4: 'admin1', 5: 'country' };

function gtdDate(row: Row): DateRange {
  const year = integer(row, 'iyear', { min: 1900, max: 2100, unknown: [] });
  if (year === null) throw new RowError('iyear', 'is empty; this column is required');
  const month = integer(row, 'imonth', { min: 0, max: 12, unknown: [] }) ?? 0;
  const day = integer(row, 'iday', { min: 0, max: 31, unknown: [] }) ?? 0;
  let date: DateRange;
  if (month === 0) date = range(`${year}-01-01`, `${year}-12-31`, 'year');
  else if (day === 0) {
    const first = isoDay(year, month, 1) ?? `${year}-01-01`;
    date = range(first, addDays(first, daysInMonth(year, month) - 1), 'month');
  } else {
    const exact = isoDay(year, month, day);
    if (exact === null) throw new RowError('iday', `${year}-${month}-${day} is not a calendar day`);
    date = row.get('approxdate') === null ? range(exact, exact, 'day') : range(addDays(exact, -3), addDays(exact, 3), 'week');
  }
  if (integer(row, 'extended', { min: 0, max: 1, unknown: [] }) === 1) {
    const raw = row.get('resolution');
    const end = raw === null ? null : parseDay(raw);
    if (raw !== null && end === null) throw new RowError('resolution', `${JSON.stringify(raw)} is not a date`);
    if (end !== null && end > date.end) date = { ...date, end };
  }
  return date;
}

function gtdCount(row: Row, total: string, perpetrators: string): { victims: Count | null; perpetrators: Count | null } {
  const all = integer(row, total, { min: 0 });
  const own = integer(row, perpetrators, { min: 0 });
  if (all !== null && own !== null && own > all) throw new RowError(perpetrators, `${own} exceeds ${total} (${all}), which includes it`);
  return { victims: all === null ? null : atLeast(all - (own ?? 0)), perpetrators: own === null ? null : atLeast(own) };
}

function gtdPerpetrators(row: Row): Field<Perpetrator>[] {
  const out: Field<Perpetrator>[] = [];
  const claims = ['claimed', 'claim2', 'claim3'];
  ['gname', 'gname2', 'gname3'].forEach((column, i) => {
    const claimed = integer(row, claims[i] ?? 'claimed', { min: 0, max: 1 }) === 1;
    const uncertain = integer(row, `guncertain${i + 1}`, { min: 0, max: 1 }) === 1;
    const name = row.get(column);
    const attribution: Attribution = claimed ? 'claimed' : uncertain ? 'suspected' : 'attributed';
    const field = perpetratorField(name, attribution, claimed && name !== null ? name : 'GTD');
    if (field !== null) out.push(field);
  });
  return out;
}

/** The Global Terrorism Database: its full 135-column release and the 47-column core extract. */
export const GTD: DatasetSpec = {
  kind: 'gtd',
  label: 'GTD',
  idColumn: 'eventid',
  requiredColumns: ['eventid', 'iyear', 'imonth', 'iday'],
  requiredOneOf: [['country_txt']],
  map(row: Row): MappedRow {
    const rowId = row.required('eventid');
    if (!/^\d{1,20}$/.test(rowId)) throw new RowError('eventid', `${JSON.stringify(rowId)} is not a GTD event id (digits)`);
    const fields = emptyMentionFields();
    fields.date = coded(gtdDate(row));
    const countryName = row.required('country_txt');
    const specificity = integer(row, 'specificity', { min: 1, max: 5 });
    const city = placeName(row, 'city');
    const admin1 = placeName(row, 'provstate');
    const lat = decimal(row, 'latitude', -90, 90);
    const lon = decimal(row, 'longitude', -180, 180);
    const fallback: PlacePrecision = city !== null ? 'city' : admin1 !== null ? 'admin1' : 'country';
    fields.location = locationField({
      name: city,
      admin1,
      country: datasetCountry(countryName),
      lat,
      lon,
      precision: specificity === null ? fallback : (SPECIFICITY[specificity] ?? fallback),
    });
    fields.perpetrators = gtdPerpetrators(row);
    for (let k = 1; k <= 3; k += 1) {
      const attack = gtdType(row, `attacktype${k}`, ATTACK_TYPES, GTD_ATTACK_LABELS);
      if (attack !== null) fields.attackTypes.push(coded(attack));
      const target = gtdType(row, `targtype${k}`, TARGET_TYPES, GTD_TARGET_LABELS);
      if (target !== null) {
        fields.targetTypes.push(coded(target));
        const text = [row.get(`corp${k}`), row.get(`target${k}`)].filter((s): s is string => s !== null && s.toLowerCase() !== 'unknown').join(': ');
        if (text !== '') fields.targets.push(coded<TypedText>({ text, type: target }));
      }
    }
    for (let k = 1; k <= 4; k += 1) {
      const weapon = gtdType(row, `weaptype${k}`, WEAPON_TYPES, GTD_WEAPON_LABELS);
      if (weapon === null) continue;
      fields.weaponTypes.push(coded(weapon));
      const sub = row.get(`weapsubtype${k}_txt`);
      if (sub !== null && sub.toLowerCase() !== 'unknown') fields.weapons.push(coded<TypedText>({ text: sub, type: weapon }));
    }
    const suicide = integer(row, 'suicide', { min: 0, max: 1 });
    if (suicide !== null) fields.suicide = coded(suicide === 1);
    const killed = gtdCount(row, 'nkill', 'nkillter');
    if (killed.victims !== null) fields.killed = coded(killed.victims);
    if (killed.perpetrators !== null) fields.perpetratorsKilled = coded(killed.perpetrators);
    const wounded = gtdCount(row, 'nwound', 'nwoundte');
    if (wounded.victims !== null) fields.wounded = coded(wounded.victims);
    if (integer(row, 'ishostkid', { min: 0, max: 1 }) === 1) {
      const hostages = integer(row, 'nhostkid', { min: 0 });
      if (hostages !== null) fields.hostages = coded(atLeast(hostages));
    }
    return { rowId, narrative: row.get('summary'), publishedAt: null, fields };
  },
};
