import type { Count, IncidentFields, Mention, MentionFields, Range } from '../core/model.js';
import { emptyIncidentFields } from '../core/model.js';

/** A reported or claimed count as a plain range. */
function toRange(count: Count): Range {
  return { low: count.low, best: count.best, high: count.high };
}

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
/** Names already looked up (a few hundred codes at most; Intl's lookup costs microseconds, a map's nanoseconds). */
const countryNames = new Map<string, string>();

/** The English name of a country from its ISO 3166-1 alpha-2 code (the code itself if unknown). */
export function countryName(code: string): string {
  let name = countryNames.get(code);
  if (name === undefined) {
    try {
      name = REGION_NAMES.of(code) ?? code;
    } catch {
      name = code;
    }
    if (countryNames.size < 10_000) countryNames.set(code, name);
  }
  return name;
}

/** A short human title: "Bombing in Kabul, Afghanistan". */
export function incidentTitle(fields: Pick<IncidentFields, 'attackTypes' | 'location'>): string | null {
  const attack = fields.attackTypes[0];
  const label = attack === undefined || attack === 'unknown' ? 'Attack' : ATTACK_LABELS[attack];
  const place = fields.location;
  const country = typeof place?.country === 'string' ? countryName(place.country) : null;
  const where = [place?.name, place?.precision === 'country' ? null : place?.admin1, country]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(', ');
  return where === '' ? label : `${label} in ${where}`;
}

const ATTACK_LABELS = {
  assassination: 'Assassination',
  armed_assault: 'Armed assault',
  bombing: 'Bombing',
  hijacking: 'Hijacking',
  hostage_barricade: 'Hostage taking',
  kidnapping: 'Kidnapping',
  facility_attack: 'Attack on a facility',
  unarmed_assault: 'Unarmed assault',
} as const;

function uniqueValues<T>(fields: ReadonlyArray<{ value: T }>): T[] {
  return [...new Set(fields.map((f) => f.value))];
}

/**
 * The incident fields that one mention implies on its own. Claimed figures (the group's own) are
 * kept apart from reported ones. Linking several mentions into one incident reconciles these.
 */
export function fieldsFromMention(fields: MentionFields): IncidentFields {
  const result = emptyIncidentFields();
  result.date = fields.date?.value ?? null;
  result.location = fields.location?.value ?? null;
  const seen = new Set<string>();
  for (const { value } of fields.perpetrators) {
    const key = `${value.actorId ?? value.name}\u0000${value.attribution}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.perpetrators.push(value);
  }
  result.attackTypes = uniqueValues(fields.attackTypes);
  result.targetTypes = uniqueValues(fields.targetTypes);
  result.weaponTypes = uniqueValues(fields.weaponTypes);
  result.suicide = fields.suicide?.value ?? null;
  const killed = fields.killed?.value;
  const wounded = fields.wounded?.value;
  if (killed !== undefined) {
    if (killed.kind === 'claimed') result.claimedKilled = toRange(killed);
    else result.killed = toRange(killed);
  }
  if (wounded !== undefined) {
    if (wounded.kind === 'claimed') result.claimedWounded = toRange(wounded);
    else result.wounded = toRange(wounded);
  }
  const perpetratorsKilled = fields.perpetratorsKilled?.value;
  result.perpetratorsKilled = perpetratorsKilled === undefined ? null : toRange(perpetratorsKilled);
  result.title = incidentTitle(result);
  return result;
}

/** The incident fields of a mention, for one-mention incidents. */
export function incidentFieldsFor(mention: Pick<Mention, 'fields'>): IncidentFields {
  return fieldsFromMention(mention.fields);
}
