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
    pattern: words('soldiers?', 'troops', 'army', 'military', 'security\\s+forces?', 'security\\s+force\\s+members?', 'servicem[ae]n', 'peacekeepers?', 'national\\s+guard', 'paramilitar(?:y|ies)', 'army\\s+(?:base|post|camp|convoy)', 'military\\s+(?:base|post|camp|convoy|vehicle)', 'marines?', 'navy', 'air\\s+force', 'sailors', '(?:logistic(?:al|s)\\s+|military\\s+|army\\s+|supply\\s+)?convoys?(?!\\s+(?:of|belonging\\s+to)\\b)', '(?:military|army|air|security)\\s+bases?', 'outposts?', 'security\\s+posts?', 'barracks', 'coalition(?:\\s+forces)?', 'peacekeeping', 'AMISOM', 'MINUSMA', 'MINUSCA', 'MONUSCO', 'Popular\\s+Mobili[sz]ation\\s+(?:Forces|Units)', 'PMF', 'Hashd', 'ANA', 'Afghan\\s+National\\s+Army', 'military\\s+(?:posts?|positions?|detachments?|checkpoints?|patrols?|outposts?)', 'army\\s+(?:posts?|positions?|detachments?|patrols?|outposts?)', 'brigades?', 'battalions?', 'security\\s+(?:personnel|patrols?|checkpoints?)', 'checkpoints?', 'Rangers', 'Frontier\\s+Corps', '(?:Assam|Rashtriya)\\s+Rifles', 'Border\\s+Security\\s+Force', 'BSF', 'colonels?', 'lieutenants?'),
  },
  {
    value: 'government',
    pattern: words('officials?', 'governors?', 'mayors?', 'lawmakers?', 'legislators?', 'parliamentarians?', 'members?\\s+of\\s+parliament', 'MPs?', 'ministers?', 'ministry', 'government\\s+(?:buildings?|offices?|employees?|workers?|officials?|compound)', 'civil\\s+servants?', 'judges?', 'prosecutors?', 'councill?ors?', 'district\\s+(?:chief|head|commissioner)', 'village\\s+(?:chief|head|leaders?)', 'tribal\\s+elders?', 'politicians?', 'candidates?', 'election\\s+(?:officials?|workers?)', 'prison(?:s)?', 'courthouse', 'National\\s+Directorate\\s+of\\s+Security', 'NDS', 'intelligence\\s+(?:officers?|officials?|agents?|agency|service)', '(?:polio\\s+)?vaccinat(?:ion|ors?)(?:\\s+(?:workers?|teams?|campaign))?', 'vaccine\\s+(?:offices?|workers?)', 'health\\s+workers?', '(?:provincial|district|city|municipal|local|town|village|regional|people\'s|peoples)\\s+council(?:\\s+members?)?', 'council\\s+(?:members?|chairm[ae]n|heads?)', 'head\\s+of\\s+(?:the\\s+)?(?:[\\p{L}\'-]+\\s+){0,3}council', '(?:presidential\\s+)?palace', 'parliament(?:ary)?\\s+members?', '(?:political\\s+)?part(?:y|ies)\\s+(?:headquarters|offices?|members?|leaders?|officials?|workers?|supporters?|activists?)', 'headquarters\\s+of\\s+the\\s+(?:[\\p{L}\'-]+\\s+){0,4}Party', 'polling\\s+(?:stations?|booths?|centres?|centers?)', 'electoral\\s+(?:commission|offices?|officials?)', 'district\\s+(?:governors?|chiefs?|offices?|headquarters|administrators?|cent(?:er|re)s?|compounds?)', '(?:town|city)\\s+halls?', 'municipal(?:ity)?\\s+(?:offices?|buildings?|headquarters|commissioners?)', '(?:voter|electoral)\\s+registration', 'administrative\\s+offices?', 'commissioners?', 'members?\\s+of\\s+(?:the\\s+)?(?:[\\p{L}-]+\\s+){0,3}(?:parliament|assembly|senate|council)', 'chiefs?\\s+of\\s+staff'),
  },
  { value: 'airports_aircraft', pattern: words('airports?', 'aircraft', 'airplanes?', 'planes?', 'airliners?', 'airstrips?') },
  { value: 'maritime', pattern: words('ships?', 'vessels?', 'tankers?', 'boats?', 'ports?', 'fishing\\s+boats?') },
  { value: 'telecommunication', pattern: words('(?:telecom(?:munications?)?|cell(?:phone)?|mobile(?:\\s+phone)?|communication)\\s+(?:towers?|masts?)', 'telecom(?:munications?)?\\s+(?:company|facility|facilities)') },
  { value: 'utilities', pattern: words('power\\s+(?:lines?|stations?|plants?|grid|pylons?)', 'electricity\\s+(?:pylons?|towers?|lines?|grid)', 'pylons?', 'pipelines?', 'gas\\s+pipelines?', 'transmission\\s+towers?', 'electric(?:al)?\\s+(?:towers?|substations?)', 'substations?') },
  { value: 'food_water', pattern: words('water\\s+(?:supply|wells?|plants?|tanks?)', 'food\\s+(?:supplies|distribution)') },
  { value: 'tourists', pattern: words('tourists?', 'tour\\s+bus') },
  { value: 'transportation', pattern: words('bus(?:es)?', 'minibus(?:es)?', 'trains?', 'railways?', 'rail\\s+(?:lines?|tracks?)', 'passengers?', 'bus\\s+stations?', 'trucks?\\s+drivers?', 'truckers?', 'commuters?', 'bridges?', 'highways?') },
  { value: 'business', pattern: words('shops?', 'stores?', 'markets?', 'marketplace', 'businesses', 'business(?:m[ae]n|wom[ae]n)?', 'restaurants?', 'hotels?', 'banks?', 'compan(?:y|ies)', 'factor(?:y|ies)', 'traders?', 'merchants?', 'shopkeepers?', '(?:gas|petrol|fuel)\\s+stations?', 'contractors?', 'construction\\s+(?:workers?|crew|company|site)', 'mines?\\s+workers?', 'mining\\s+(?:company|site|workers?)', 'bars?', 'nightclubs?', 'cafes?', 'spas?', 'massage\\s+(?:parlou?rs?|salons?)', 'bakery', 'bakeries', 'salons?', 'pharmac(?:y|ies)', 'construction\\s+equipment', 'liquor\\s+stores?', 'warehouses?') },
  {
    value: 'private_citizens',
    pattern: words('civilians?', 'villagers?', 'residents?', 'farmers?', 'herders?', 'shepherds?', 'passers-by', 'pedestrians?', 'famil(?:y|ies)', '(?<!(?:armed|unidentified|masked|unknown|gun)\\s)(?:wo)?m[ae]n', 'child(?:ren)?', 'boys?', 'girls?', '(?:homes?|houses?|residences?)(?!\\s+(?:of|belonging\\s+to|owned\\s+by)\\b)', 'residential\\s+(?:areas?|buildings?|neighbou?rhoods?)', 'wedding(?:\\s+(?:hall|party|guests))?', 'funeral', 'people', 'refugees?', 'displaced\\s+(?:people|persons)', 'IDPs?', 'fishermen', 'woodcutters?', 'activists?', 'an?\\s+person'),
    confidence: 0.5,
  },
  {
    value: 'terrorists_militia',
    pattern: words('(?:rival\\s+)?militants?\\s+(?:commanders?|hideouts?)', 'former\\s+militants?', '(?:pro-government\\s+)?militia(?:men|\\s+(?:members?|commanders?|fighters?|posts?|outposts?))?', 'Syrian\\s+Democratic\\s+Forces', 'SDF', 'vigilance\\s+committees?', 'vigilantes?', '(?:civilian\\s+)?joint\\s+task\\s+force'),
  },
];

/** Target types in the order their first mention appears, within `scope` when given. */
/** A target word that is the subject of its sentence ("Security forces defused ...") is who acted, not who was attacked. */
const SUBJECT_VERB = /^\s+(?:[\p{L}-]+\s+){0,2}?(?:intercepted|discovered|defused|dismantled|found|arrested|repelled|responded|foiled|thwarted|said|reported|recovered|identified|killed\s+(?:the|two|three|\d+|several|an?)\s+(?:assailants?|attackers?|militants?|gunmen))\b/iu;
/** A town or village attacked as a whole: "Assailants shelled Mandar", "a drone targeting Abha". */
const PLACE_AS_TARGET = /\b(?:attacked|shelled|struck|stormed|raided|targeting|targeted|hit|bombed|fired\s+(?:\p{L}+\s+){0,3}(?:at|on|into|towards)|launched\s+(?:\p{L}+\s+){0,4}(?:at|on|into|towards))\s+(?:the\s+(?:village|town|city|district)\s+of\s+)?\p{Lu}[\p{L}'\u2019-]+(?:\s+\p{Lu}[\p{L}'\u2019-]+)*\s*,/u;

function dropSubjects(text: string, found: RuleMatch<TargetType>[], scope?: readonly Span[]): RuleMatch<TargetType>[] {
  const out: RuleMatch<TargetType>[] = [];
  for (const m of found) {
    const evidence = m.evidence.filter((e) => {
      const sentenceStart = Math.max(0, text.lastIndexOf('. ', e.start) + 2);
      const lead = text.slice(scope?.[0]?.start ?? sentenceStart, e.start).trim();
      const atStart = lead === '' || /^(?:the|an?)$/i.test(lead) || text.slice(sentenceStart, e.start).trim().split(/\s+/).length <= 1;
      return !(atStart && SUBJECT_VERB.test(text.slice(e.end, e.end + 60)));
    });
    if (evidence.length === 0) continue;
    out.push({ ...m, evidence, first: Math.min(...evidence.map((e) => e.start)) });
  }
  return out;
}

export function detectTargetTypes(text: string, scope?: readonly Span[]): RuleMatch<TargetType>[] {
  const scoped = scope === undefined ? [] : dropSubjects(text, matchRules(text, TARGET_TYPE_RULES, scope), scope);
  const found = scoped.length > 0 ? scoped : dropSubjects(text, matchRules(text, TARGET_TYPE_RULES));
  if (found.length === 0) {
    const spans = scope === undefined ? [{ start: 0, end: text.length }] : scope;
    for (const s of spans) {
      const m = PLACE_AS_TARGET.exec(text.slice(s.start, s.end));
      if (m === null) continue;
      const span = { start: s.start + m.index, end: s.start + m.index + m[0].length - 1 };
      found.push({ value: 'private_citizens', evidence: [span], first: span.start, confidence: 0.4 });
      break;
    }
  }
  const firstScope = scope?.[0];
  if (found.length === 0 && firstScope !== undefined) {
    // GTD's convention for an attack on a place with no stated target: private citizens and property.
    found.push({ value: 'private_citizens', evidence: [firstScope], first: firstScope.start, confidence: 0.25 });
  }
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
