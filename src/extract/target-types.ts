import type { TargetType } from '../core/codebook.js';
import type { Field, Span, TypedText } from '../core/model.js';
import { matchRules, words, type KeywordRule, type RuleMatch } from './keyword-rules.js';

/** Target-type rules. The primary target type is the one mentioned first in the attack sentences. */
export const TARGET_TYPE_RULES: readonly KeywordRule<TargetType>[] = [
  { value: 'diplomatic', pattern: words('embass(?:y|ies)', 'consulates?', 'diplomats?', 'ambassadors?', 'diplomatic\\s+\\p{L}+') },
  { value: 'journalists_media', pattern: words('journalists?', 'reporters?', 'editors?', 'photographers?', 'cameram[ae]n', '(?:radio|television|TV)\\s+stations?', 'newspapers?', 'media\\s+(?:outlets?|workers?|office)', 'broadcasters?') },
  { value: 'ngo', pattern: words('aid\\s+workers?', 'humanitarian\\s+(?:workers?|convoy|organi[sz]ations?|staff)', 'NGOs?', 'non-governmental\\s+organi[sz]ations?', 'Red\\s+Cross', 'charity\\s+workers?') },
  { value: 'religious', pattern: words('church(?:es)?', 'mosques?', 'temples?', 'synagogues?', 'shrines?', 'monaster(?:y|ies)', 'priests?', 'pastors?', 'imams?', 'clerics?', 'monks?', 'nuns?', 'worshipp?ers', 'religious\\s+(?:leaders?|scholars?|figures?)', 'madrass?as?') },
  { value: 'educational', pattern: words('schools?', 'universit(?:y|ies)', 'colleges?', 'students?', 'teachers?', 'pupils', 'schoolchildren', 'classrooms?', 'lecturers?') },
  { value: 'police', pattern: words('police(?:m[ae]n|wom[ae]n)?', 'police\\s+(?:officers?|stations?|posts?|checkpoints?|vehicles?)', 'constables?', 'gendarmes?', 'gendarmerie', 'CRPF', 'patrolm[ae]n', 'law\\s+enforcement', 'border\\s+guards?') },
  {
    value: 'military',
    pattern: words('soldiers?', 'troops', 'army', 'military', 'security\\s+forces?', 'security\\s+force\\s+members?', 'servicem[ae]n', 'peacekeepers?', 'national\\s+guard', 'paramilitar(?:y|ies)', 'army\\s+(?:base|post|camp|convoy)', 'military\\s+(?:base|post|camp|convoy|vehicle)', 'marines?', 'navy', 'air\\s+force', 'sailors'),
  },
  {
    value: 'government',
    pattern: words('officials?', 'governors?', 'mayors?', 'lawmakers?', 'legislators?', 'parliamentarians?', 'members?\\s+of\\s+parliament', 'MPs?', 'ministers?', 'ministry', 'government\\s+(?:buildings?|offices?|employees?|workers?|officials?|compound)', 'civil\\s+servants?', 'judges?', 'prosecutors?', 'councill?ors?', 'district\\s+(?:chief|head|commissioner)', 'village\\s+(?:chief|head|leaders?)', 'tribal\\s+elders?', 'politicians?', 'candidates?', 'election\\s+(?:officials?|workers?)', 'prison(?:s)?', 'courthouse'),
  },
  { value: 'airports_aircraft', pattern: words('airports?', 'aircraft', 'airplanes?', 'planes?', 'airliners?', 'airstrips?') },
  { value: 'maritime', pattern: words('ships?', 'vessels?', 'tankers?', 'boats?', 'ports?', 'fishing\\s+boats?') },
  { value: 'telecommunication', pattern: words('(?:telecom(?:munications?)?|cell(?:phone)?|mobile(?:\\s+phone)?|communication)\\s+(?:towers?|masts?)', 'telecom(?:munications?)?\\s+(?:company|facility|facilities)') },
  { value: 'utilities', pattern: words('power\\s+(?:lines?|stations?|plants?|grid|pylons?)', 'electricity\\s+(?:pylons?|towers?|lines?|grid)', 'pylons?', 'pipelines?', 'gas\\s+pipelines?', 'transmission\\s+towers?', 'electric(?:al)?\\s+(?:towers?|substations?)', 'substations?') },
  { value: 'food_water', pattern: words('water\\s+(?:supply|wells?|plants?|tanks?)', 'food\\s+(?:supplies|distribution)') },
  { value: 'tourists', pattern: words('tourists?', 'tour\\s+bus') },
  { value: 'transportation', pattern: words('bus(?:es)?', 'minibus(?:es)?', 'trains?', 'railways?', 'rail\\s+(?:lines?|tracks?)', 'passengers?', 'bus\\s+stations?', 'trucks?\\s+drivers?', 'truckers?', 'commuters?', 'bridges?', 'highways?') },
  { value: 'business', pattern: words('shops?', 'stores?', 'markets?', 'marketplace', 'businesses', 'business(?:m[ae]n|wom[ae]n)?', 'restaurants?', 'hotels?', 'banks?', 'compan(?:y|ies)', 'factor(?:y|ies)', 'traders?', 'merchants?', 'shopkeepers?', '(?:gas|petrol|fuel)\\s+stations?', 'contractors?', 'construction\\s+(?:workers?|crew|company|site)', 'mines?\\s+workers?', 'mining\\s+(?:company|site|workers?)', 'bars?', 'nightclubs?', 'cafes?') },
  {
    value: 'private_citizens',
    pattern: words('civilians?', 'villagers?', 'residents?', 'farmers?', 'herders?', 'shepherds?', 'passers-by', 'pedestrians?', 'famil(?:y|ies)', '(?<!(?:armed|unidentified|masked|unknown|gun)\\s)(?:wo)?m[ae]n', 'child(?:ren)?', 'boys?', 'girls?', 'homes?', 'houses?', 'residences?', 'wedding(?:\\s+(?:hall|party|guests))?', 'funeral', 'people', 'refugees?', 'displaced\\s+(?:people|persons)', 'IDPs?', 'fishermen', 'woodcutters?'),
    confidence: 0.5,
  },
  { value: 'terrorists_militia', pattern: words('(?:rival\\s+)?militants?\\s+(?:commanders?|hideouts?)', 'former\\s+militants?', 'militia\\s+(?:members?|commanders?)') },
];

/** Target types in the order their first mention appears, within `scope` when given. */
export function detectTargetTypes(text: string, scope?: readonly Span[]): RuleMatch<TargetType>[] {
  const scoped = scope === undefined ? [] : matchRules(text, TARGET_TYPE_RULES, scope);
  const found = scoped.length > 0 ? scoped : matchRules(text, TARGET_TYPE_RULES);
  return found.sort((a, b) => a.first - b.first);
}

/** The target phrases themselves ("the vehicle of security forces"), with their type. */
export function targetMentions(text: string, matches: readonly RuleMatch<TargetType>[]): Field<TypedText>[] {
  const out: Field<TypedText>[] = [];
  for (const m of matches) {
    const first = m.evidence[0];
    if (first === undefined) continue;
    const before = text.slice(Math.max(0, first.start - 40), first.start);
    const lead = /(?:\b(?:an?|the|two|three|several|local|some)\s+(?:[\p{L}-]+\s+){0,2})$/iu.exec(before);
    const span = lead === null ? first : { start: first.start - lead[0].length, end: first.end };
    out.push({ value: { text: text.slice(span.start, span.end), type: m.value }, evidence: [span], confidence: m.confidence });
  }
  return out;
}
