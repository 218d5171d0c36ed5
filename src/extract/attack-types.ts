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
      'explosions?', 'explosives?', 'explod(?:ed|ing|es?)', 'detonat(?:ed|ing|ion|es?)', 'IEDs?', 'VBIEDs?', 'bombs?', 'bomb(?:ed|ing|ings)', 'bombers?',
      'blasts?', 'grenades?', 'mortars?(?:\\s+shells?)?', 'rockets?', 'artillery', 'shell(?:ed|ing|s)', 'landmines?', 'land\\s+mines?', 'mines?\\s+(?:exploded|blast)',
      'missiles?', 'drones?\\s+(?:strike|attack)', 'explosive\\s+device', 'projectiles?', 'explosives-laden\\s+\\p{L}+', 'drones?',
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

const FALLBACK: KeywordRule<AttackType> = { value: 'armed_assault', pattern: words('attack(?:ed|ing|s)?', 'assault(?:ed)?', 'clash(?:ed|es)?'), confidence: 0.35 };

const ROLE =
  '(?:(?:deputy|vice|former|retired|local|district|provincial|regional|village|tribal|town|city|municipal|court|religious|senior|prominent|opposition|party)\\s+)*' +
  '(?:governors?|mayors?|judges?|prosecutors?|council(?:l)?ors?|elders?|clerics?|imams?|scholars?|journalists?|editors?|activists?|lawmakers?|legislators?|MPs?|ministers?|candidates?|politicians?|commanders?|chiefs?|chairm[ae]n|leaders?|officials?|heads?\\s+of|directors?|spokes(?:man|woman|person)|presidents?|secretary|barangay\\s+captain|captains?|commissioners?|members?\\s+of\\s+(?:parliament|the\\s+\\p{L}+\\s+(?:assembly|council|parliament))|parliamentarians?)';
const ATTACK_VERB =
  '(?:shot(?:\\s+and\\s+(?:killed|wounded|injured))?|shot\\s+dead|killed|opened\\s+fire\\s+(?:on|at|targeting)|fired\\s+(?:on|at)|attacked|targeting|targeted|stabbed(?:\\s+and\\s+killed)?|hacked(?:\\s+to\\s+death)?|ambushed|assassinated|against|beheaded|executed|attached\\s+to|detonated)';
const HOLDING = '(?:(?:the|a)\\s+)?(?:[\\p{L}-]+\\s+){0,2}?(?:vehicle|car|residence|house|home|convoy|motorcade|office|bodyguards?|guards?)\\s+(?:of|belonging\\s+to)\\s+';
const NAME = "\\p{Lu}[\\p{L}'\\u2019.-]+(?:\\s+(?:\\p{Lu}[\\p{L}'\\u2019.-]+|al-\\p{L}+|bin|ibn|de|van|von)){1,4}";
/** A named person or office holder as the object of the attack: "shot and killed Ana Cruz, a town councillor", "targeting the vehicle of a district governor". */
const PERSONAL_TARGET = new RegExp(
  `(?<![\\p{L}])${ATTACK_VERB}\\s+(?:${HOLDING}(?:(?:(?:[Cc]olonel|[Gg]eneral|[Mm]ajor|[Cc]aptain|[Cc]ommander|[Jj]udge|Dr|Mr|Mrs|Ms|Haji|Maulvi|Mullah|Sheikh)\\.?\\s+)?${NAME})(?![\\p{L}])|(?:${HOLDING})?(?:(?:an?|the|two|three|one)\\s+)?(?:(?:${ROLE})(?:\\s+[\\p{L}-]+){0,4}?[,\\s]+(?:${NAME})|(?:${NAME})\\s*,\\s+(?:an?\\s+|the\\s+|who\\s+|former\\s+)?(?:[\\p{L}-]+\\s+){0,4}?${ROLE}(?![\\p{L}])|(?:[\\p{L}-]+\\s+){0,2}?${ROLE}(?![\\p{L}])))`,
  'u',
);

/**
 * GTD's assassination: an attack aimed at a particular person, named or designated by office (a
 * judge, a district governor, a village elder). Kidnapping, hijacking and hostage taking keep
 * their own type.
 */
function personalTarget(text: string, scope?: readonly Span[]): RuleMatch<AttackType> | null {
  const spans = scope === undefined ? [{ start: 0, end: text.length }] : scope.slice(0, 1);
  for (const s of spans) {
    const m = PERSONAL_TARGET.exec(text.slice(s.start, s.end));
    if (m === null) continue;
    const span = { start: s.start + m.index, end: s.start + m.index + m[0].length };
    return { value: 'assassination', evidence: [span], first: span.start, confidence: 0.55 };
  }
  return null;
}

/** Attack types signalled in the text, primary first. */
export function detectAttackTypes(text: string, scope?: readonly Span[]): RuleMatch<AttackType>[] {
  const found = matchRules(text, ATTACK_TYPE_RULES, scope);
  if (found.length === 0) found.push(...matchRules(text, [FALLBACK], scope));
  const primary = found[0]?.value;
  if (primary === undefined || primary === 'assassination' || primary === 'kidnapping' || primary === 'hijacking' || primary === 'hostage_barricade' || primary === 'facility_attack') return found;
  const personal = personalTarget(text, scope);
  return personal === null ? found : [personal, ...found];
}
