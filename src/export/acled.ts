import type { AttackType, PlacePrecision, TargetType, WeaponType } from '../core/codebook.js';
import type { DateRange, MentionFields } from '../core/model.js';
import { ACLED_INTER_TARGETS, ACLED_SUB_EVENT_TYPES, type AcledCrosswalk } from '../datasets/index.js';
import type { Cell } from './csv.js';
import { datasetActorName, datasetCountryName, digestHex, isoNumeric, reportedFigure, shiftDay } from './dataset-values.js';
import { exportFields, originRows, rowNarrative, type ExportRecord, type OriginRow } from './records.js';

/** The columns of the ACLED-shaped export, in the order of ACLED's own exports. */
export const ACLED_COLUMNS = [
  'data_id',
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
] as const;

/** ACLED's event type of each of its sub-event types (2019- taxonomy). */
export const ACLED_SUB_EVENT_PARENTS: Readonly<Record<string, string>> = {
  'Armed clash': 'Battles',
  'Government regains territory': 'Battles',
  'Non-state actor overtakes territory': 'Battles',
  'Chemical weapon': 'Explosions/Remote violence',
  'Air/drone strike': 'Explosions/Remote violence',
  'Suicide bomb': 'Explosions/Remote violence',
  'Shelling/artillery/missile attack': 'Explosions/Remote violence',
  'Remote explosive/landmine/IED': 'Explosions/Remote violence',
  Grenade: 'Explosions/Remote violence',
  'Sexual violence': 'Violence against civilians',
  Attack: 'Violence against civilians',
  'Abduction/forced disappearance': 'Violence against civilians',
  'Excessive force against protesters': 'Protests',
  'Protest with intervention': 'Protests',
  'Peaceful protest': 'Protests',
  'Violent demonstration': 'Riots',
  'Mob violence': 'Riots',
  Agreement: 'Strategic developments',
  Arrests: 'Strategic developments',
  'Change to group/activity': 'Strategic developments',
  'Disrupted weapons use': 'Strategic developments',
  'Headquarters or base established': 'Strategic developments',
  'Looting/property destruction': 'Strategic developments',
  'Non-violent transfer of territory': 'Strategic developments',
  Other: 'Strategic developments',
};

/**
 * The sub-event types an export chooses from, most general first (ties go to the earlier): one or
 * two for each attack type the crosswalk has. Finer ones (Air/drone strike, Sexual violence) say
 * more than Vigil's fields do, so only a row imported with one keeps it.
 */
const PREFERRED_SUB_EVENTS = [
  'Armed clash',
  'Attack',
  'Remote explosive/landmine/IED',
  'Suicide bomb',
  'Chemical weapon',
  'Abduction/forced disappearance',
  'Mob violence',
  'Looting/property destruction',
  'Other',
];

/**
 * The attack type written for one ACLED has no sub-event type for (docs/export.md): the nearest
 * that the crosswalk can express.
 */
const NEAREST_ATTACK: Partial<Record<AttackType, AttackType>> = {
  assassination: 'armed_assault',
  hijacking: 'kidnapping',
  hostage_barricade: 'kidnapping',
  unknown: 'armed_assault',
};

/** ACLED's actor type (`inter2`) for a Vigil target type: the inverse of ACLED_INTER_TARGETS, many to one. */
export const ACLED_TARGET_INTER: Readonly<Partial<Record<TargetType, number>>> = {
  military: 1,
  police: 1,
  terrorists_militia: 3,
  violent_political_party: 3,
  private_citizens: 7,
  business: 7,
  educational: 7,
  journalists_media: 7,
  ngo: 7,
  religious: 7,
  tourists: 7,
  government: 7,
  diplomatic: 7,
};

const GEO_PRECISION: Readonly<Record<PlacePrecision, number>> = { exact: 1, city: 1, admin2: 2, admin1: 3, country: 3 };

type Row = Partial<Record<(typeof ACLED_COLUMNS)[number], Cell>>;

interface Classification {
  readonly eventType: string;
  readonly subEventType: string;
  readonly inter2: number | null;
  /** The target type the importer will read back, if any. */
  readonly target: TargetType | null;
}

function interFor(target: TargetType | null, origin: OriginRow | undefined): number | null {
  if (target === null) return null;
  const raw = origin === undefined ? null : Number(origin.row['inter2'] ?? '');
  if (raw !== null && Number.isInteger(raw) && ACLED_INTER_TARGETS[raw] === target) return raw;
  return ACLED_TARGET_INTER[target] ?? null;
}

/**
 * The ACLED event and sub-event type whose crosswalk reads back as these fields: the inverse of
 * ACLED_SUB_EVENT_TYPES. Of the sub-event types that give the attack type, the one that also gives
 * the weapon, suicide and target types wins; the ACLED row the incident came from, if any, is
 * tried first, so that an imported row keeps its own, finer type.
 */
export function acledClassification(fields: MentionFields, origin?: OriginRow): Classification {
  const wantedAttack = fields.attackTypes[0]?.value ?? null;
  const attack = wantedAttack === null || canExpress(wantedAttack, fields) ? wantedAttack : (NEAREST_ATTACK[wantedAttack] ?? wantedAttack);
  const weapons: readonly WeaponType[] = fields.weaponTypes.map((f) => f.value);
  const suicide = fields.suicide?.value === true;
  const target = fields.targetTypes[0]?.value ?? null;
  const ownSub = origin?.row['sub_event_type']?.trim();
  const candidates = [...(ownSub !== undefined && ownSub !== '' && ACLED_SUB_EVENT_TYPES[ownSub] !== undefined ? [ownSub] : []), ...PREFERRED_SUB_EVENTS];
  let best: { sub: string; walk: AcledCrosswalk; score: number } | null = null;
  for (const sub of candidates) {
    const walk = ACLED_SUB_EVENT_TYPES[sub];
    if (walk === undefined || walk.attack !== attack) continue;
    const produced = walk.weapon;
    const weaponScore =
      produced === undefined ? (weapons.length === 0 ? 8 : 2) : weapons.length === 1 && weapons[0] === produced ? 8 : weapons.includes(produced) ? 6 : 0;
    const suicideScore = (walk.suicide === true) === suicide ? 4 : 0;
    // A sub-event type that fixes the very target wanted says most (Attack for civilians).
    const targetScore =
      walk.target !== undefined
        ? walk.target === target
          ? 3
          : 0
        : target === null || ACLED_INTER_TARGETS[ACLED_TARGET_INTER[target] ?? -1] === target
          ? 2
          : 1;
    const score = weaponScore + suicideScore + targetScore;
    if (best === null || score > best.score) best = { sub, walk, score };
  }
  const chosen = best ?? { sub: 'Other', walk: ACLED_SUB_EVENT_TYPES['Other'] ?? { attack: null }, score: 0 };
  const eventType = ownSub === chosen.sub ? (origin?.row['event_type']?.trim() ?? '') : (ACLED_SUB_EVENT_PARENTS[chosen.sub] ?? 'Strategic developments');
  if (chosen.walk.attack === null) return { eventType, subEventType: chosen.sub, inter2: null, target: null };
  if (chosen.walk.target !== undefined) return { eventType, subEventType: chosen.sub, inter2: interFor(chosen.walk.target, origin), target: chosen.walk.target };
  const inter2 = interFor(target, origin);
  return { eventType, subEventType: chosen.sub, inter2, target: inter2 === null ? null : (ACLED_INTER_TARGETS[inter2] ?? null) };
}

/** True when some sub-event type reads back as this attack type. */
function canExpress(attack: AttackType, fields: MentionFields): boolean {
  if (attack === 'unknown') return fields.weaponTypes.some((f) => f.value === 'chemical');
  return Object.values(ACLED_SUB_EVENT_TYPES).some((walk) => walk.attack === attack);
}

/** The event date and time precision that `vigil import acled` reads back as this range. */
function dateColumns(date: DateRange): Row {
  const year = Number(date.start.slice(0, 4));
  switch (date.precision) {
    case 'day':
      return { event_date: date.start, year, time_precision: 1 };
    case 'week':
      return { event_date: shiftDay(date.start, 3), year: Number(shiftDay(date.start, 3).slice(0, 4)), time_precision: 2 };
    case 'month':
    case 'year':
      return { event_date: date.start, year, time_precision: 3 };
    default: {
      const unknown: never = date.precision;
      throw new Error(`unknown date precision ${String(unknown)}`);
    }
  }
}

/**
 * The ACLED event id of an incident: that of the ACLED row it was imported from, or else `VGL` and
 * 16 hexadecimal digits derived from its Vigil id.
 */
export function acledEventId(record: ExportRecord): { eventIdCnty: string | null; dataId: string | null } {
  const origin = originRows(record).find((o) => o.dataset === 'acled');
  if (origin !== undefined) {
    const dataId = origin.row['data_id']?.trim();
    if (origin.rowId.startsWith('data_id-')) return { eventIdCnty: null, dataId: origin.rowId.slice('data_id-'.length) };
    return { eventIdCnty: origin.rowId, dataId: dataId !== undefined && /^\d{1,20}$/.test(dataId) ? dataId : null };
  }
  return { eventIdCnty: `VGL${digestHex(`acled\u0000${record.incident.id}`, 16).toUpperCase()}`, dataId: null };
}

/** The ACLED-shaped CSV cells of an incident, in ACLED_COLUMNS order, or why it cannot be written. */
export function acledRow(record: ExportRecord): { cells: Cell[] } | { skipped: string } {
  const fields = exportFields(record);
  if (fields.date === undefined) return { skipped: 'it has no date, and an ACLED row needs event_date' };
  const origins = originRows(record);
  const origin = origins.find((o) => o.dataset === 'acled');
  const { eventIdCnty, dataId } = acledEventId(record);
  const kind = acledClassification(fields, origin);
  const place = fields.location?.value;
  const country = typeof place?.country === 'string' ? place.country : null;
  const point = place !== undefined && place.precision !== 'country' && typeof place.lat === 'number' && typeof place.lon === 'number';
  const perpetrators = fields.perpetrators.map(({ value: p }) => datasetActorName(p.name, p.actorId));
  const target = kind.target === null ? undefined : fields.targets.find((t) => t.value.type === kind.target) ?? fields.targets.find((t) => t.value.type === fields.targetTypes[0]?.value);
  // The ACLED row's own timestamp (none in some older releases); for other incidents, when they last changed.
  const published = origin === undefined ? record.incident.updatedAt : origin.document.publishedAt;
  const row: Row = {
    data_id: dataId,
    event_id_cnty: eventIdCnty,
    ...dateColumns(fields.date.value),
    event_type: kind.eventType,
    sub_event_type: kind.subEventType,
    actor1: perpetrators[0] ?? null,
    assoc_actor_1: perpetrators.length > 1 ? perpetrators.slice(1).join('; ') : null,
    actor2: target?.value.text ?? null,
    inter2: kind.inter2,
    civilian_targeting: kind.target === 'private_citizens' ? 'Civilian targeting' : null,
    iso: country === null ? null : isoNumeric(country),
    country: (country === null ? null : datasetCountryName(country)) ?? 'International',
    admin1: place?.admin1 ?? null,
    location: place?.name ?? null,
    latitude: point ? place.lat : null,
    longitude: point ? place.lon : null,
    geo_precision: place === undefined ? null : GEO_PRECISION[place.precision],
    source: 'Vigil',
    notes: origins.map(rowNarrative).find((n) => n !== null) ?? null,
    fatalities: reportedFigure(fields.killed),
    timestamp: published === null ? null : Math.floor(Date.parse(published) / 1000),
  };
  return { cells: ACLED_COLUMNS.map((column) => row[column]) };
}
