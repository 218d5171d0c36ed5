import type { AttackType } from '../core/codebook.js';
import type { Span } from '../core/model.js';
import { matchRules, words, type KeywordRule, type RuleMatch } from './keyword-rules.js';

/**
 * Attack-type rules in the order of the GTD attack-type hierarchy (assassination, hijacking,
 * kidnapping, barricade, bombing, armed assault, unarmed assault, facility attack): when a report
 * fits several, the first is the primary type. The last rule is a weak fallback for reports that
 * say only "attacked".
 */
export const ATTACK_TYPE_RULES: readonly KeywordRule<AttackType>[] = [
  { value: 'assassination', pattern: words('assassinat(?:ed|ion|ing|e)', 'targeted\\s+killing'), confidence: 0.75 },
  { value: 'hijacking', pattern: words('hijack(?:ed|ing|ers?)?', 'commandeered'), confidence: 0.8 },
  { value: 'kidnapping', pattern: words('kidnapp?(?:ed|ing|ers?)?', 'abduct(?:ed|ing|ion|ions|s)?', 'took\\s+(?:\\w+\\s+){0,3}hostages?', 'taken\\s+hostage', 'held\\s+captive', 'ransom'), confidence: 0.8 },
  { value: 'hostage_barricade', pattern: words('barricad(?:ed|ing)', 'hostage\\s+(?:standoff|siege|crisis)', 'held\\s+(?:\\w+\\s+){0,3}hostage\\s+inside'), confidence: 0.75 },
  {
    value: 'bombing',
    pattern: words(
      'explosions?', 'explosives?', 'explod(?:ed|ing|es?)', 'detonat(?:ed|ing|ion|es?)', 'IEDs?', 'VBIEDs?', 'bombs?', 'bomb(?:ed|ing|ings)', 'bomber',
      'blasts?', 'grenades?', 'mortars?(?:\\s+shells?)?', 'rockets?', 'artillery', 'shell(?:ed|ing|s)', 'landmines?', 'land\\s+mines?', 'mines?\\s+(?:exploded|blast)',
      'missiles?', 'drones?\\s+(?:strike|attack)', 'explosive\\s+device',
    ),
    confidence: 0.8,
  },
  {
    value: 'armed_assault',
    pattern: words('gunm[ae]n', 'gunfire', 'opened\\s+fire', 'open\\s+fire', 'fired\\s+(?:upon|on|at|into)', 'shot', 'shooting', 'shootings', 'firing', 'stabb(?:ed|ing)', 'hacked', 'machetes?', 'ambush(?:ed|es)?', 'raid(?:ed)?', 'stormed', 'armed\\s+(?:men|assailants|attackers)'),
    confidence: 0.7,
  },
  { value: 'unarmed_assault', pattern: words('beat(?:en|ing)?\\s+(?:up\\s+)?', 'punch(?:ed|ing)', 'assaulted\\s+(?:\\w+\\s+){0,3}with\\s+(?:fists|acid)', 'acid\\s+attack', 'threw\\s+acid', 'lynch(?:ed|ing)'), confidence: 0.6 },
  { value: 'facility_attack', pattern: words('set\\s+(?:\\w+\\s+){0,4}(?:on\\s+)?(?:fire|ablaze|alight)', 'arson', 'torch(?:ed|ing)', 'burn(?:ed|t)\\s+down', 'vandali[sz](?:ed|ing)', 'sabotag(?:ed|e)', 'firebomb(?:ed|ing)?', 'petrol\\s+bombs?', 'molotov'), confidence: 0.7 },
];

const FALLBACK: KeywordRule<AttackType> = { value: 'armed_assault', pattern: words('attack(?:ed|ing)', 'assault(?:ed)?', 'clash(?:ed|es)?'), confidence: 0.35 };

/** Attack types signalled in the text, primary first. */
export function detectAttackTypes(text: string, scope?: readonly Span[]): RuleMatch<AttackType>[] {
  const found = matchRules(text, ATTACK_TYPE_RULES, scope);
  if (found.length > 0) return found;
  return matchRules(text, [FALLBACK], scope);
}
