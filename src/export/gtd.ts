import { ATTACK_TYPES, TARGET_TYPES, WEAPON_TYPES, type PlacePrecision } from '../core/codebook.js';
import type { DateRange, Field, MentionFields, TypedText } from '../core/model.js';
import type { Cell } from './csv.js';
import { datasetActorName, datasetCountryName, digestHex, lastOfMonth, reportedFigure, shiftDay } from './dataset-values.js';
import { exportFields, originRows, rowNarrative, type ExportRecord } from './records.js';

/**
 * The columns of the GTD-shaped export: the columns of the GTD's full release that Vigil's model
 * fills, in the release's order. `vigil import gtd` reads them back (docs/export.md).
 */
export const GTD_COLUMNS = [
  'eventid',
  'iyear',
  'imonth',
  'iday',
  'approxdate',
  'extended',
  'resolution',
  'country_txt',
  'provstate',
  'city',
  'latitude',
  'longitude',
  'specificity',
  'summary',
  'suicide',
  'attacktype1',
  'attacktype1_txt',
  'attacktype2',
  'attacktype2_txt',
  'attacktype3',
  'attacktype3_txt',
  'targtype1',
  'targtype1_txt',
  'corp1',
  'target1',
  'targtype2',
  'targtype2_txt',
  'corp2',
  'target2',
  'targtype3',
  'targtype3_txt',
  'corp3',
  'target3',
  'gname',
  'gname2',
  'gname3',
  'guncertain1',
  'guncertain2',
  'guncertain3',
  'claimed',
  'claim2',
  'claim3',
  'weaptype1',
  'weaptype1_txt',
  'weapsubtype1_txt',
  'weaptype2',
  'weaptype2_txt',
  'weapsubtype2_txt',
  'weaptype3',
  'weaptype3_txt',
  'weapsubtype3_txt',
  'weaptype4',
  'weaptype4_txt',
  'weapsubtype4_txt',
  'nkill',
  'nkillter',
  'nwound',
  'nwoundte',
  'ishostkid',
  'nhostkid',
] as const;

/** The GTD codebook's labels of its attack type codes 1..9 (Vigil's ATTACK_TYPES order). */
export const GTD_ATTACK_TYPE_NAMES = [
  'Assassination',
  'Armed Assault',
  'Bombing/Explosion',
  'Hijacking',
  'Hostage Taking (Barricade Incident)',
  'Hostage Taking (Kidnapping)',
  'Facility/Infrastructure Attack',
  'Unarmed Assault',
  'Unknown',
] as const;

/** The GTD codebook's labels of its target type codes 1..22. */
export const GTD_TARGET_TYPE_NAMES = [
  'Business',
  'Government (General)',
  'Police',
  'Military',
  'Abortion Related',
  'Airports & Aircraft',
  'Government (Diplomatic)',
  'Educational Institution',
  'Food or Water Supply',
  'Journalists & Media',
  'Maritime',
  'NGO',
  'Other',
  'Private Citizens & Property',
  'Religious Figures/Institutions',
  'Telecommunication',
  'Terrorists/Non-State Militia',
  'Tourists',
  'Transportation',
  'Unknown',
  'Utilities',
  'Violent Political Party',
] as const;

/** The GTD codebook's labels of its weapon type codes 1..13. */
export const GTD_WEAPON_TYPE_NAMES = [
  'Biological',
  'Chemical',
  'Radiological',
  'Nuclear',
  'Firearms',
  'Explosives',
  'Fake Weapons',
  'Incendiary',
  'Melee',
  'Vehicle (not to include vehicle-borne explosives, i.e., car or truck bombs)',
  'Sabotage Equipment',
  'Other',
  'Unknown',
] as const;

const SPECIFICITY: Readonly<Record<PlacePrecision, number>> = { exact: 1, city: 1, admin2: 2, admin1: 4, country: 5 };

type Row = Partial<Record<(typeof GTD_COLUMNS)[number], Cell>>;

/**
 * The GTD event id of an incident: the id of the GTD row it was imported from, or else 19 digits
 * derived from its Vigil id (longer than GTD's own 12-digit ids, so the two never meet).
 */
export function gtdEventId(record: ExportRecord): string {
  const origin = originRows(record).find((o) => o.dataset === 'gtd' && /^\d{1,20}$/.test(o.rowId));
  if (origin !== undefined) return origin.rowId;
  const n = BigInt(`0x${digestHex(`gtd\u0000${record.incident.id}`, 15)}`);
  return String((n % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n);
}

/** The date columns that `vigil import gtd` reads back as this range (the inverse of its date rules). */
function dateColumns(date: DateRange): Row {
  const { start, end, precision } = date;
  const [year, month, day] = start.split('-').map(Number);
  let row: Row;
  let natural: string;
  switch (precision) {
    case 'day':
      row = { iyear: year, imonth: month, iday: day };
      natural = start;
      break;
    case 'week': {
      const centre = shiftDay(start, 3);
      const [y, m, d] = centre.split('-').map(Number);
      row = { iyear: y, imonth: m, iday: d, approxdate: `${start} to ${shiftDay(start, 6)}` };
      natural = shiftDay(start, 6);
      break;
    }
    case 'month':
      row = { iyear: year, imonth: month, iday: 0 };
      natural = lastOfMonth(start);
      break;
    case 'year':
      row = { iyear: year, imonth: 0, iday: 0 };
      natural = `${start.slice(0, 4)}-12-31`;
      break;
    default: {
      const unknown: never = precision;
      throw new Error(`unknown date precision ${String(unknown)}`);
    }
  }
  return end > natural ? { ...row, extended: 1, resolution: end } : { ...row, extended: 0 };
}

/**
 * The text of each typed slot (targets 1-3, weapons 1-4): the texts are placed in their order,
 * each in the first slot of its type after the previous one's, as the importer read them (slot
 * by slot). A text with no such slot left is lost.
 */
function textsFor(types: readonly string[], texts: ReadonlyArray<Field<TypedText>>): (string | null)[] {
  const out: (string | null)[] = types.map(() => null);
  let next = 0;
  for (const { value } of texts) {
    let slot = next;
    while (slot < types.length && types[slot] !== value.type) slot += 1;
    if (slot === types.length) continue;
    out[slot] = value.text;
    next = slot + 1;
  }
  return out;
}

/** A target text as GTD's `corp` and `target` (the importer joins them with ": "). */
function corpAndTarget(text: string | null): [string | null, string | null] {
  if (text === null) return [null, null];
  const cut = text.indexOf(': ');
  if (cut > 0) {
    const corp = text.slice(0, cut).trim();
    const target = text.slice(cut + 2).trim();
    const usable = (s: string) => s !== '' && s.toLowerCase() !== 'unknown';
    if (usable(corp) && usable(target) && `${corp}: ${target}` === text) return [corp, target];
  }
  return [null, text];
}

/** The place columns of a location (country-precision places carry no point, as on import). */
function placeColumns(fields: MentionFields): Row {
  const place = fields.location?.value;
  if (place === undefined) return { country_txt: 'International', specificity: 5 };
  const country = typeof place.country === 'string' ? datasetCountryName(place.country) : null;
  const point = place.precision !== 'country' && typeof place.lat === 'number' && typeof place.lon === 'number';
  return {
    country_txt: country ?? 'International',
    provstate: place.admin1 ?? null,
    city: place.name ?? null,
    latitude: point ? place.lat : null,
    longitude: point ? place.lon : null,
    specificity: SPECIFICITY[place.precision],
  };
}

/**
 * The GTD-shaped CSV cells of an incident, in GTD_COLUMNS order, or a reason it cannot be written
 * (GTD rows need at least a year).
 */
export function gtdRow(record: ExportRecord): { cells: Cell[] } | { skipped: string } {
  const fields = exportFields(record);
  if (fields.date === undefined) return { skipped: 'it has no date, and a GTD row needs iyear' };
  const narrative = originRows(record).map(rowNarrative).find((n) => n !== null) ?? null;
  const row: Row = { eventid: gtdEventId(record), ...dateColumns(fields.date.value), ...placeColumns(fields), summary: narrative };
  if (fields.suicide !== undefined) row.suicide = fields.suicide.value ? 1 : 0;

  const attacks = fields.attackTypes.slice(0, 3);
  attacks.forEach(({ value }, i) => {
    const code = ATTACK_TYPES.indexOf(value);
    Object.assign(row, { [`attacktype${i + 1}`]: code + 1, [`attacktype${i + 1}_txt`]: GTD_ATTACK_TYPE_NAMES[code] });
  });
  const targets = fields.targetTypes.slice(0, 3).map((f) => f.value);
  textsFor(targets, fields.targets).forEach((text, i) => {
    const code = TARGET_TYPES.indexOf(targets[i] ?? 'unknown');
    const [corp, target] = corpAndTarget(text);
    Object.assign(row, { [`targtype${i + 1}`]: code + 1, [`targtype${i + 1}_txt`]: GTD_TARGET_TYPE_NAMES[code], [`corp${i + 1}`]: corp, [`target${i + 1}`]: target });
  });
  const weapons = fields.weaponTypes.slice(0, 4).map((f) => f.value);
  textsFor(weapons, fields.weapons).forEach((text, i) => {
    const code = WEAPON_TYPES.indexOf(weapons[i] ?? 'unknown');
    Object.assign(row, { [`weaptype${i + 1}`]: code + 1, [`weaptype${i + 1}_txt`]: GTD_WEAPON_TYPE_NAMES[code], [`weapsubtype${i + 1}_txt`]: text });
  });

  const names = ['gname', 'gname2', 'gname3'] as const;
  const claims = ['claimed', 'claim2', 'claim3'] as const;
  const uncertain = ['guncertain1', 'guncertain2', 'guncertain3'] as const;
  fields.perpetrators.slice(0, 3).forEach(({ value: p }, i) => {
    row[names[i] ?? 'gname'] = datasetActorName(p.name, p.actorId);
    row[claims[i] ?? 'claimed'] = p.attribution === 'claimed' ? 1 : 0;
    row[uncertain[i] ?? 'guncertain1'] = p.attribution === 'suspected' || p.attribution === 'denied' ? 1 : 0;
  });
  if (fields.perpetrators.length === 0) row.gname = 'Unknown';

  const killed = reportedFigure(fields.killed);
  const perpetratorsKilled = reportedFigure(fields.perpetratorsKilled);
  row.nkill = killed === null ? null : killed + (perpetratorsKilled ?? 0);
  row.nkillter = perpetratorsKilled;
  row.nwound = reportedFigure(fields.wounded);
  const hostages = fields.hostages?.value;
  const hostageAttack = fields.attackTypes.some((f) => f.value === 'kidnapping' || f.value === 'hostage_barricade' || f.value === 'hijacking');
  if (hostages !== undefined) {
    row.ishostkid = 1;
    row.nhostkid = hostages.best ?? hostages.low;
  } else row.ishostkid = hostageAttack ? -9 : 0;
  return { cells: GTD_COLUMNS.map((column) => row[column]) };
}
