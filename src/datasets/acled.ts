import type { AttackType, PlacePrecision, TargetType, WeaponType } from '../core/codebook.js';
import { perpetratorField } from './actors.js';
import { countryFromNumeric, datasetCountry } from './countries.js';
import { emptyMentionFields } from '../core/model.js';
import { locationField, placeName, type DatasetSpec, type MappedRow } from './spec.js';
import { RowError } from './types.js';
import { addDays, coded, atLeast, daysInMonth, decimal, integer, range, requiredDay, type Row } from './values.js';

/** What one ACLED event or sub-event type means in Vigil's codebook (docs/crosswalks.md). */
export interface AcledCrosswalk {
  readonly attack: AttackType | null;
  readonly weapon?: WeaponType;
  readonly target?: TargetType;
  readonly suicide?: boolean;
}

/** ACLED sub-event types (2019- taxonomy) → Vigil codebook. */
export const ACLED_SUB_EVENT_TYPES: Readonly<Record<string, AcledCrosswalk>> = {
  'Armed clash': { attack: 'armed_assault' },
  'Government regains territory': { attack: 'armed_assault' },
  'Non-state actor overtakes territory': { attack: 'armed_assault' },
  'Chemical weapon': { attack: 'unknown', weapon: 'chemical' },
  'Air/drone strike': { attack: 'bombing', weapon: 'explosives' },
  'Suicide bomb': { attack: 'bombing', weapon: 'explosives', suicide: true },
  'Shelling/artillery/missile attack': { attack: 'bombing', weapon: 'explosives' },
  'Remote explosive/landmine/IED': { attack: 'bombing', weapon: 'explosives' },
  Grenade: { attack: 'bombing', weapon: 'explosives' },
  'Sexual violence': { attack: 'unarmed_assault', target: 'private_citizens' },
  Attack: { attack: 'armed_assault', target: 'private_citizens' },
  'Abduction/forced disappearance': { attack: 'kidnapping', target: 'private_citizens' },
  'Excessive force against protesters': { attack: 'armed_assault', target: 'private_citizens' },
  'Peaceful protest': { attack: null },
  'Protest with intervention': { attack: null },
  'Violent demonstration': { attack: 'unarmed_assault' },
  'Mob violence': { attack: 'unarmed_assault' },
  'Looting/property destruction': { attack: 'facility_attack' },
  Agreement: { attack: null },
  Arrests: { attack: null },
  'Change to group/activity': { attack: null },
  'Disrupted weapons use': { attack: null },
  'Headquarters or base established': { attack: null },
  'Non-violent transfer of territory': { attack: null },
  Other: { attack: null },
};

/** ACLED event types (both taxonomies) → Vigil codebook, used when the sub-event type is absent or unknown. */
export const ACLED_EVENT_TYPES: Readonly<Record<string, AcledCrosswalk>> = {
  Battles: { attack: 'armed_assault' },
  'Explosions/Remote violence': { attack: 'bombing', weapon: 'explosives' },
  'Violence against civilians': { attack: 'armed_assault', target: 'private_citizens' },
  Protests: { attack: null },
  Riots: { attack: 'unarmed_assault' },
  'Strategic developments': { attack: null },
  'Battle-No change of territory': { attack: 'armed_assault' },
  'Battle-Government regains territory': { attack: 'armed_assault' },
  'Battle-Non-state actor overtakes territory': { attack: 'armed_assault' },
  'Remote violence': { attack: 'bombing', weapon: 'explosives' },
  'Riots/Protests': { attack: null },
  'Non-violent transfer of territory': { attack: null },
  'Headquarters or base established': { attack: null },
};

/** ACLED actor type codes (inter1/inter2) of the second actor → Vigil target type. */
export const ACLED_INTER_TARGETS: Readonly<Record<number, TargetType>> = {
  1: 'military',
  2: 'terrorists_militia',
  3: 'terrorists_militia',
  4: 'terrorists_militia',
  5: 'private_citizens',
  6: 'private_citizens',
  7: 'private_citizens',
  8: 'military',
};

const GEO_PRECISION: Readonly<Record<number, PlacePrecision>> = { 1: 'city', 2: 'admin2', 3: 'admin1' };

/** ACLED: event_id_cnty rows, 2019- and older column layouts. */
export const ACLED: DatasetSpec = {
  kind: 'acled',
  label: 'ACLED',
  idColumn: 'event_id_cnty',
  requiredColumns: ['event_id_cnty', 'event_date', 'event_type', 'country'],
  requiredOneOf: [],
  map(row: Row): MappedRow {
    const dataId = row.get('data_id');
    const eventId = row.get('event_id_cnty');
    if (eventId === null && dataId === null) throw new RowError('event_id_cnty', 'is empty, and so is data_id; one of them is required');
    if (eventId === null && !/^\d{1,20}$/.test(dataId ?? '')) throw new RowError('data_id', `${JSON.stringify(dataId)} is not an ACLED data id (digits)`);
    const rowId = eventId ?? `data_id-${dataId ?? ''}`;
    if (eventId !== null && !/^[A-Za-z0-9]{1,24}$/.test(rowId)) throw new RowError('event_id_cnty', `${JSON.stringify(rowId)} is not an ACLED event id (letters and digits)`);
    const fields = emptyMentionFields();
    const day = requiredDay(row, 'event_date');
    const precision = integer(row, 'time_precision', { min: 1, max: 3 }) ?? 1;
    if (precision === 1) fields.date = coded(range(day, day, 'day'));
    else if (precision === 2) fields.date = coded(range(addDays(day, -3), addDays(day, 3), 'week'));
    else {
      const first = `${day.slice(0, 8)}01`;
      fields.date = coded(range(first, addDays(first, daysInMonth(Number(day.slice(0, 4)), Number(day.slice(5, 7))) - 1), 'month'));
    }
    const iso = integer(row, 'iso', { min: 0, max: 999, unknown: [] });
    const countryName = row.required('country');
    const geo = integer(row, 'geo_precision', { min: 1, max: 3 });
    fields.location = locationField({
      name: placeName(row, 'location'),
      admin1: placeName(row, 'admin1'),
      country: (iso === null ? null : countryFromNumeric(iso)) ?? datasetCountry(countryName),
      lat: decimal(row, 'latitude', -90, 90),
      lon: decimal(row, 'longitude', -180, 180),
      precision: geo === null ? 'admin1' : (GEO_PRECISION[geo] ?? 'admin1'),
    });
    const actor = perpetratorField(row.get('actor1'), 'attributed', 'ACLED');
    if (actor !== null) fields.perpetrators.push(actor);
    const eventType = row.required('event_type');
    const sub = row.get('sub_event_type');
    const walk = (sub === null ? undefined : ACLED_SUB_EVENT_TYPES[sub]) ?? ACLED_EVENT_TYPES[eventType];
    if (walk?.attack !== null && walk?.attack !== undefined) fields.attackTypes.push(coded(walk.attack));
    if (walk?.weapon !== undefined) fields.weaponTypes.push(coded(walk.weapon));
    if (walk?.suicide !== undefined) fields.suicide = coded(walk.suicide);
    const inter2 = integer(row, 'inter2', { min: 0, max: 8, unknown: [] });
    const target = walk?.target ?? (inter2 === null ? undefined : ACLED_INTER_TARGETS[inter2]);
    if (target !== undefined && walk?.attack !== null && walk !== undefined) fields.targetTypes.push(coded(target));
    const actor2 = row.get('actor2');
    if (actor2 !== null && target !== undefined && walk?.attack !== null && walk !== undefined) fields.targets.push(coded({ text: actor2, type: target }));
    const fatalities = integer(row, 'fatalities', { min: 0, unknown: [] });
    if (fatalities !== null) fields.killed = coded(atLeast(fatalities));
    const timestamp = integer(row, 'timestamp', { min: 0, unknown: [] });
    const publishedAt = timestamp === null || timestamp > 253402300799 ? null : new Date(timestamp * 1000).toISOString();
    return { rowId, narrative: row.get('notes'), publishedAt, fields };
  },
};
