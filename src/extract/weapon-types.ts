import type { AttackType, WeaponType } from '../core/codebook.js';
import type { Field, Span, TypedText } from '../core/model.js';
import { matchRules, words, type KeywordRule, type RuleMatch } from './keyword-rules.js';

/** Weapon-type rules; their order breaks ties only. */
export const WEAPON_TYPE_RULES: readonly KeywordRule<WeaponType>[] = [
  {
    value: 'explosives',
    pattern: words(
      '(?:improvised\\s+)?explosive(?:s|\\s+devices?)?', '(?:\\p{L}+-laden\\s+)?(?:car|truck|vehicle|motorcycle)\\s+bombs?', 'IEDs?', 'VBIEDs?', 'bombs?', 'bomber', 'grenades?',
      'mortars?(?:\\s+(?:shells?|rounds?))?', 'rockets?', 'rocket-propelled\\s+grenades?', 'RPGs?', 'artillery(?:\\s+shells?)?', 'shells?', 'landmines?', 'land\\s+mines?',
      'missiles?', 'suicide\\s+vests?', 'dynamite', 'blasts?', 'explod(?:ed|ing)', 'detonat(?:ed|ing|ion)',
    ),
    confidence: 0.8,
  },
  {
    value: 'firearms',
    pattern: words('guns?', 'gunm[ae]n', 'gunfire', 'gunshots?', 'firearms?', 'rifles?', 'AK-47s?', 'pistols?', 'handguns?', 'shotguns?', 'machine\\s+guns?', 'bullets?', 'opened\\s+fire', 'fired\\s+(?:upon|on|at|into)', 'shot', 'shooting', 'sniper'),
    confidence: 0.75,
  },
  {
    value: 'incendiary',
    pattern: words('set\\s+(?:\\w+\\s+){0,4}(?:on\\s+)?(?:fire|ablaze|alight)', 'arson', 'torch(?:ed|ing)', 'burn(?:ed|t)\\s+down', 'petrol\\s+bombs?', 'molotov(?:\\s+cocktails?)?', 'firebombs?', 'incendiary(?:\\s+devices?)?', 'gasoline', 'petrol'),
    confidence: 0.75,
  },
  { value: 'melee', pattern: words('knives', 'knife', 'machetes?', 'stabb(?:ed|ing)', 'hacked', 'axes?', 'swords?', 'clubs?', 'sticks', 'stones', 'rocks', 'beat(?:en|ing)?', 'blunt\\s+objects?'), confidence: 0.7 },
  { value: 'vehicle', pattern: words('ramm(?:ed|ing)', 'ran\\s+over', 'drove\\s+(?:\\w+\\s+){0,3}into', 'vehicle\\s+attack'), confidence: 0.6 },
  { value: 'chemical', pattern: words('acid', 'poison(?:ed|ing)?', 'chemical\\s+(?:weapons?|agents?|substances?)', 'toxic\\s+gas'), confidence: 0.6 },
  { value: 'sabotage', pattern: words('sabotag(?:ed|e)'), confidence: 0.6 },
];

const PRIMARY_WEAPON: Partial<Record<AttackType, WeaponType>> = {
  bombing: 'explosives',
  armed_assault: 'firearms',
  facility_attack: 'incendiary',
  unarmed_assault: 'melee',
};

/** The weapon an attack type implies when the report names none (GTD codes an unspecified armed assault or kidnapping as firearms). */
const IMPLIED_WEAPON: Partial<Record<AttackType, WeaponType>> = {
  ...PRIMARY_WEAPON,
  assassination: 'firearms',
  kidnapping: 'firearms',
  hijacking: 'firearms',
  hostage_barricade: 'firearms',
};

/**
 * The weapon type implied by the primary attack type, for reports that name no weapon: an
 * inference from the attack words (their span is the evidence), so it gets a low confidence.
 */
export function impliedWeapon(attack: RuleMatch<AttackType> | undefined): RuleMatch<WeaponType> | undefined {
  if (attack === undefined) return undefined;
  const value = IMPLIED_WEAPON[attack.value];
  if (value === undefined) return undefined;
  return { value, evidence: attack.evidence.slice(0, 1), first: attack.first, confidence: 0.35 };
}

/** Weapon types signalled in the text; the one that goes with the primary attack type comes first. */
export function detectWeaponTypes(text: string, primaryAttack: AttackType | undefined, scope?: readonly Span[]): RuleMatch<WeaponType>[] {
  const found = matchRules(text, WEAPON_TYPE_RULES, scope);
  const lead = primaryAttack === undefined ? undefined : PRIMARY_WEAPON[primaryAttack];
  return found.sort((a, b) => Number(b.value === lead) - Number(a.value === lead) || a.first - b.first);
}

/** The weapon phrases themselves ("An explosive device"), with their type. */
export function weaponMentions(text: string, matches: readonly RuleMatch<WeaponType>[]): Field<TypedText>[] {
  const out: Field<TypedText>[] = [];
  for (const m of matches) {
    const first = m.evidence[0];
    if (first === undefined) continue;
    const phrase = extendLeft(text, first);
    out.push({ value: { text: text.slice(phrase.start, phrase.end), type: m.value }, evidence: [phrase], confidence: m.confidence });
  }
  return out;
}

/** Widens a keyword span over a preceding article and up to two modifiers ("an improvised explosive device"). */
function extendLeft(text: string, span: Span): Span {
  const before = text.slice(Math.max(0, span.start - 40), span.start);
  const m = /(?:\b(?:an?|the|two|three|several)\s+(?:[\p{L}-]+\s+){0,2})$/iu.exec(before);
  return m === null ? span : { start: span.start - m[0].length, end: span.end };
}
