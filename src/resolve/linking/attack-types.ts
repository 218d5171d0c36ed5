import { ATTACK_TYPES, type AttackType } from '../../core/codebook.js';

/**
 * A crosswalk from free-text attack types ("Suicide car bombing", "Shooting, kidnapping",
 * "Bombing/Explosion", "Armed Assault") to codebook ids. A text may give several types.
 */
const RULES: readonly { readonly pattern: RegExp; readonly type: AttackType }[] = [
  { pattern: /hijack/, type: 'hijacking' },
  { pattern: /barricade/, type: 'hostage_barricade' },
  { pattern: /kidnap|abduct|hostage taking \(kidnapping\)|hostage/, type: 'kidnapping' },
  { pattern: /assassinat|execution|behead|targeted killing/, type: 'assassination' },
  { pattern: /bomb|explos|\bied\b|blast|grenade|rocket|mortar|shell|artillery|land ?mine|\bmine\b|missile|drone/, type: 'bombing' },
  { pattern: /shoot|gun|armed assault|ambush|firing|raid|massacre|siege/, type: 'armed_assault' },
  { pattern: /arson|facility|infrastructure|burn|sabotage|fire\b/, type: 'facility_attack' },
  { pattern: /stab|melee|knife|machete|unarmed|pepper|vehicle ramming|ramming|axe/, type: 'unarmed_assault' },
];

/** Codebook attack types named by a free-text type; empty for "Unknown", "Attack" or anything unrecognised. */
export function attackTypesFromText(text: string | null | undefined): AttackType[] {
  if (text === null || text === undefined) return [];
  const lower = text.toLowerCase().replace(/_/g, ' ');
  const codebook = ATTACK_TYPES.find((t) => t === lower.trim());
  if (codebook !== undefined) return codebook === 'unknown' ? [] : [codebook];
  const out: AttackType[] = [];
  for (const { pattern, type } of RULES) if (pattern.test(lower) && !out.includes(type)) out.push(type);
  return out;
}

/** Types that sources code differently for one kind of attack: a shooting of an official is an assassination to one, an armed assault to another. */
const FAMILY: Readonly<Record<AttackType, number>> = {
  assassination: 1,
  armed_assault: 1,
  unarmed_assault: 1,
  hostage_barricade: 2,
  kidnapping: 2,
  hijacking: 2,
  bombing: 3,
  facility_attack: 4,
  unknown: 0,
};

/** How two sets of attack types compare: `same` (a shared type), `compatible` (a shared family), `conflict`, or `unknown`. */
export function compareAttackTypes(a: readonly AttackType[], b: readonly AttackType[]): 'same' | 'compatible' | 'conflict' | 'unknown' {
  const left = a.filter((t) => t !== 'unknown');
  const right = b.filter((t) => t !== 'unknown');
  if (left.length === 0 || right.length === 0) return 'unknown';
  if (left.some((t) => right.includes(t))) return 'same';
  if (left.some((t) => right.some((u) => FAMILY[t] === FAMILY[u]))) return 'compatible';
  return 'conflict';
}
