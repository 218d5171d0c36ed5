import type { AttackType, Attribution, DatePrecision, PlacePrecision } from '../../src/core/codebook.js';
import type { IncidentStatus } from '../../src/core/model.js';

/** The colour of each attack type on the map and in the legend, in codebook order. */
export const ATTACK_TYPE_COLOURS: ReadonlyArray<readonly [AttackType, string]> = [
  ['assassination', '#7b3294'],
  ['armed_assault', '#e0590b'],
  ['bombing', '#c8102e'],
  ['hijacking', '#8c510a'],
  ['hostage_barricade', '#01807a'],
  ['kidnapping', '#1f64b4'],
  ['facility_attack', '#c51b7d'],
  ['unarmed_assault', '#4d8a1a'],
  ['unknown', '#5f5f5f'],
];

/** The colour of incidents whose attack type is missing or not in the codebook. */
export const UNKNOWN_ATTACK_COLOUR = '#5f5f5f';

const ATTACK_TYPE_LABELS: Readonly<Record<string, string>> = {
  assassination: 'Assassination',
  armed_assault: 'Armed assault',
  bombing: 'Bombing / explosion',
  hijacking: 'Hijacking',
  hostage_barricade: 'Hostage taking (barricade)',
  kidnapping: 'Kidnapping',
  facility_attack: 'Facility / infrastructure attack',
  unarmed_assault: 'Unarmed assault',
  unknown: 'Unknown',
};

/** A readable name for a codebook value: `armed_assault` → "Armed assault". */
export function codeLabel(code: string): string {
  const known = ATTACK_TYPE_LABELS[code];
  if (known !== undefined) return known;
  const words = code.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How a perpetrator is linked to the incident, in words. */
export const ATTRIBUTION_LABELS: Readonly<Record<Attribution, string>> = {
  claimed: 'claimed',
  attributed: 'attributed',
  suspected: 'suspected',
  denied: 'denied',
};

/** What a place precision means for where the incident is drawn. */
export const PLACE_PRECISION_LABELS: Readonly<Record<PlacePrecision, string>> = {
  exact: 'exact location',
  city: 'city or town',
  admin2: 'district',
  admin1: 'province / region only',
  country: 'country only',
};

/** How precisely a date is known. */
export const DATE_PRECISION_LABELS: Readonly<Record<DatePrecision, string>> = {
  day: 'day',
  week: 'week',
  month: 'month',
  year: 'year',
};

/** The review status of an incident, in words. */
export const STATUS_LABELS: Readonly<Record<IncidentStatus, string>> = {
  machine: 'Machine-extracted, not yet reviewed',
  reviewed: 'Reviewed by an analyst',
  rejected: 'Rejected',
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** The English name of an ISO 3166-1 alpha-2 code ("NG" → "Nigeria"); the code itself if unknown. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
