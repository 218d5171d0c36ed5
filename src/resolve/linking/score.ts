import { compareActors } from './actors.js';
import { compareAttackTypes } from './attack-types.js';
import { distanceKm, namedIn, type Prepared } from './features.js';
import { anyIn, nameKeysOf } from './name-keys.js';
import type { FieldComparison, LinkExplanation } from './types.js';

/**
 * Hand-set weights of the evidence, in the spirit of Fellegi–Sunter log-likelihood ratios: each
 * is roughly how much more often the observation is seen for two reports of one attack than for
 * two reports of different attacks in the same country and week. A pair's score is their sum.
 */
export const WEIGHTS = {
  dateSameDay: 1.5,
  dateOneDay: 0.3,
  dateTwoDays: -0.8,
  dateThreeDays: -1.8,
  dateFar: -4,
  dateOverlap: 0,
  placeSame: 3,
  placeNear: 1.5,
  placeFar: -1.5,
  admin1Same: 1,
  admin1Conflict: -3,
  killedEqual: 2,
  killedEqualZero: 0.4,
  killedClose: 1.2,
  killedLoose: 0.3,
  killedApart: -1.2,
  killedFarApart: -2.2,
  woundedFactor: 0.6,
  actorSameMax: 1.2,
  actorCompatible: 0.4,
  actorConflict: -1.2,
  attackSame: 0.6,
  attackCompatible: 0.1,
  attackConflict: -0.5,
  cue: 0.4,
  cueMax: 1.2,
} as const;

/** Corpus statistics that make agreement on a common value weaker than on a rare one. */
export interface ScoreContext {
  /** Share of the records of each country that name each actor. */
  readonly actorShare: (country: string, actor: string) => number;
}

function dayGap(a: Prepared, b: Prepared): number {
  if (Number.isNaN(a.startDay) || Number.isNaN(b.startDay)) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.max(a.startDay, b.startDay) - Math.min(a.endDay, b.endDay));
}

function compareCount(x: number | null, y: number | null, explain: boolean): FieldComparison | null {
  if (x === null || y === null) return null;
  if (x === y) return x === 0 ? { weight: WEIGHTS.killedEqualZero, reason: 'both 0' } : { weight: WEIGHTS.killedEqual + Math.min(0.8, Math.log10(x) * 0.5), reason: say(explain, () => `both ${x}`) };
  const hi = Math.max(x, y);
  const lo = Math.min(x, y);
  const diff = hi - lo;
  if (diff <= Math.max(1, hi * 0.1)) return { weight: WEIGHTS.killedClose, reason: say(explain, () => `${x} vs ${y}, close`) };
  if (hi <= lo * 1.6 || diff <= 2) return { weight: WEIGHTS.killedLoose, reason: say(explain, () => `${x} vs ${y}, roughly`) };
  if (hi <= lo * 3 && lo > 0) return { weight: WEIGHTS.killedApart, reason: say(explain, () => `${x} vs ${y}, apart`) };
  return { weight: WEIGHTS.killedFarApart, reason: say(explain, () => `${x} vs ${y}, far apart`) };
}

function bestCount(pairs: [number | null, number | null][], explain: boolean): FieldComparison | null {
  let best: FieldComparison | null = null;
  for (const [x, y] of pairs) {
    const c = compareCount(x, y, explain);
    if (c !== null && (best === null || c.weight > best.weight)) best = c;
  }
  return best;
}

function comparePlace(a: Prepared, b: Prepared, explain: boolean): { place: FieldComparison | null; admin1: FieldComparison | null } {
  let place: FieldComparison | null = null;
  const sameName = a.placeKeys.length > 0 && anyIn(a.placeKeys, new Set(b.placeKeys));
  // Two places resolved to points far apart are two places, whatever else the texts name.
  const apartKm = a.point !== null && b.point !== null ? distanceKm(a.point, b.point) : 0;
  if (sameName || (a.placeId !== null && a.placeId === b.placeId)) place = { weight: WEIGHTS.placeSame, reason: say(explain, () => `same place (${a.record.place} / ${b.record.place})`) };
  else if (apartKm > 15) {
    const km = apartKm;
    // Points both reports give (geocoded places, not guessed from a name) are two towns when 15–60 km apart (no
    // evidence either way) and far apart beyond.
    const given = a.record.point != null && b.record.point != null;
    if (km <= 60) place = { weight: given ? 0 : WEIGHTS.placeNear, reason: say(explain, () => `${km.toFixed(0)} km apart`) };
    else if (km > 150 || given) place = { weight: WEIGHTS.placeFar, reason: say(explain, () => `${km.toFixed(0)} km apart`) };
  } else if (namedIn(a, b)) place = { weight: WEIGHTS.placeSame, reason: say(explain, () => `${a.record.place} is named in the other report`) };
  else if (namedIn(b, a)) place = { weight: WEIGHTS.placeSame, reason: say(explain, () => `${b.record.place} is named in the other report`) };
  else if (a.point !== null && b.point !== null) {
    const km = distanceKm(a.point, b.point);
    if (km <= 15) place = { weight: WEIGHTS.placeSame, reason: say(explain, () => `${km.toFixed(0)} km apart`) };
    else if (km <= 60) place = { weight: WEIGHTS.placeNear, reason: say(explain, () => `${km.toFixed(0)} km apart`) };
    else if (km > 150) place = { weight: WEIGHTS.placeFar, reason: say(explain, () => `${km.toFixed(0)} km apart`) };
  }
  let admin1: FieldComparison | null = null;
  if (a.admin1 !== null && b.admin1 !== null) {
    if (a.admin1 === b.admin1) admin1 = { weight: place === null ? WEIGHTS.admin1Same : 0, reason: say(explain, () => `both in ${a.admin1}`) };
    else if (place === null) admin1 = { weight: WEIGHTS.admin1Conflict, reason: say(explain, () => `${a.admin1} vs ${b.admin1}`) };
  } else if (a.admin1 !== null && anyIn(nameKeysOf(a.admin1), b.textKeys)) {
    admin1 = { weight: place === null ? WEIGHTS.admin1Same : 0, reason: say(explain, () => `${a.admin1} is named in the other report`) };
  } else if (b.admin1 !== null && anyIn(nameKeysOf(b.admin1), a.textKeys)) {
    admin1 = { weight: place === null ? WEIGHTS.admin1Same : 0, reason: say(explain, () => `${b.admin1} is named in the other report`) };
  }
  return { place, admin1 };
}

/**
 * True when the two reports' tolls rise with their publication times: a later report of the same
 * attack often gives a higher toll, so that is no disagreement.
 */
function risingToll(a: Prepared, b: Prepared): boolean {
  const ta = a.record.reportedAt;
  const tb = b.record.reportedAt;
  if (ta === null || ta === undefined || tb === null || tb === undefined || a.killedTotal === null || b.killedTotal === null) return false;
  const da = Date.parse(ta);
  const db = Date.parse(tb);
  if (Number.isNaN(da) || Number.isNaN(db) || da === db) return false;
  const [early, late] = da < db ? [a.killedTotal, b.killedTotal] : [b.killedTotal, a.killedTotal];
  return late > early;
}

/** A reason, written only when an explanation is wanted: scoring millions of pairs skips the text. */
function say(explain: boolean, text: () => string): string {
  return explain ? text() : '';
}

/**
 * Scores a pair of prepared records and explains the score field by field. With `explain` false
 * the weights are the same but the reasons are left empty, which is faster.
 */
export function scorePair(a: Prepared, b: Prepared, context: ScoreContext, explain = true): LinkExplanation {
  const fields: Record<string, FieldComparison> = {};
  const gap = dayGap(a, b);
  const dayPrecise = a.record.date?.precision === 'day' && b.record.date?.precision === 'day' && a.startDay === a.endDay && b.startDay === b.endDay;
  if (gap === Number.POSITIVE_INFINITY) fields.date = { weight: 0, reason: 'date unknown' };
  else if (gap === 0) fields.date = dayPrecise ? { weight: WEIGHTS.dateSameDay, reason: 'same day' } : { weight: WEIGHTS.dateOverlap, reason: 'date ranges overlap' };
  else if (gap === 1) fields.date = { weight: WEIGHTS.dateOneDay, reason: '1 day apart' };
  else if (gap === 2) fields.date = { weight: WEIGHTS.dateTwoDays, reason: '2 days apart' };
  else if (gap === 3) fields.date = { weight: WEIGHTS.dateThreeDays, reason: '3 days apart' };
  else fields.date = { weight: WEIGHTS.dateFar, reason: say(explain, () => `${gap} days apart`) };

  const { place, admin1 } = comparePlace(a, b, explain);
  if (place !== null) fields.place = place;
  if (admin1 !== null) fields.admin1 = admin1;

  let killed = bestCount([
    [a.killedTotal, b.killedTotal],
    [a.killedVictims, b.killedVictims],
  ], explain);
  if (killed !== null && killed.weight < WEIGHTS.killedLoose && risingToll(a, b)) killed = { weight: WEIGHTS.killedLoose, reason: say(explain, () => `${a.killedTotal} then ${b.killedTotal} in a later report`) };
  if (killed !== null) fields.killed = killed;
  const wounded = compareCount(a.wounded, b.wounded, explain);
  if (wounded !== null) fields.wounded = { weight: wounded.weight * WEIGHTS.woundedFactor, reason: wounded.reason };

  const actors = compareActors(a.actors, b.actors);
  if (actors.relation === 'same' && actors.actor !== null) {
    const share = Math.max(context.actorShare(a.country, actors.actor), 0.001);
    fields.actors = { weight: Math.min(WEIGHTS.actorSameMax, 0.2 - Math.log10(share) * 0.5), reason: say(explain, () => `both name ${actors.actor}`) };
  } else if (actors.relation === 'compatible') fields.actors = { weight: WEIGHTS.actorCompatible, reason: say(explain, () => `${a.actors.join('/')} and ${b.actors.join('/')} are compatible`) };
  else if (actors.relation === 'conflict') fields.actors = { weight: WEIGHTS.actorConflict, reason: say(explain, () => `${a.actors.join('/')} vs ${b.actors.join('/')}`) };

  const attack = compareAttackTypes(a.attackTypes, b.attackTypes);
  if (attack !== 'unknown') {
    const weight = attack === 'same' ? WEIGHTS.attackSame : attack === 'compatible' ? WEIGHTS.attackCompatible : WEIGHTS.attackConflict;
    fields.attackTypes = { weight, reason: say(explain, () => `${a.attackTypes.join('/')} vs ${b.attackTypes.join('/')}: ${attack}`) };
  }

  const shared = [...a.cues].filter((c) => b.cues.has(c));
  if (shared.length > 0) fields.cues = { weight: Math.min(WEIGHTS.cueMax, shared.length * WEIGHTS.cue), reason: say(explain, () => `both mention ${shared.join(', ')}`) };

  let score = 0;
  const agreed: string[] = [];
  const disagreed: string[] = [];
  for (const [name, comparison] of Object.entries(fields)) {
    if (explain) fields[name] = { weight: Math.round(comparison.weight * 1000) / 1000, reason: comparison.reason };
    score += comparison.weight;
    if (comparison.weight > 0) agreed.push(name);
    else if (comparison.weight < 0) disagreed.push(name);
  }
  return { score: Math.round(score * 1000) / 1000, agreed, disagreed, fields };
}

/** The day gap between two prepared records (0 when their ranges overlap). */
export { dayGap };
