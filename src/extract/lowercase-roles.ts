import type { Field, Perpetrator, Span, TypedText } from '../core/model.js';
import { hits, trimSpan } from './spans.js';

/**
 * Role fillers of texts written without any capital letter (wire copy, transcripts, the lower-cased
 * MUC-4 news): capitalisation cues are gone there, so groups, attackers, targets, victims and
 * weapons are read from word lists and the phrases around attack verbs instead.
 */
export interface LowercaseRoles {
  readonly perpetrators: Field<Perpetrator>[];
  readonly perpetratorMentions: Field<TypedText>[];
  readonly targets: Field<TypedText>[];
  readonly victims: Field<TypedText>[];
  readonly weapons: Field<TypedText>[];
  /** Whether the text reports an attack at all. */
  readonly attack: boolean;
}

/** True when the text has letters but no capital letter at all. */
export function isCaseless(text: string): boolean {
  return /\p{Ll}/u.test(text) && !/\p{Lu}/u.test(text);
}

const B = String.raw`(?<![\p{L}\p{N}])`;
const E = String.raw`(?![\p{L}\p{N}])`;
const rx = (s: string): RegExp => new RegExp(`${B}(?:${s})${E}`, 'giu');

/** Armed groups of the Latin-American conflicts and others that news reports name in full or by acronym; one entry per group. */
const GROUPS: readonly (readonly string[])[] = [
  ['farabundo marti national liberation front', 'farabundo marti liberation front', 'fmln'],
  ['shining path', 'sendero luminoso'],
  ['army of national liberation', 'national liberation army', 'eln'],
  ['tupac amaru revolutionary movement', 'mrta'],
  ['manuel rodriguez patriotic front', 'fpmr'],
  ['medellin drug cartel', 'medellin cartel'],
  ['the extraditables', 'extraditables'],
  ['revolutionary armed forces of colombia', 'farc'],
  ['april 19 movement', 'm-19'],
  ['popular liberation army', 'epl'],
  ['guatemalan national revolutionary unity', 'urng'],
  ['cinchonero popular liberation movement', 'cinchoneros'],
  ['morazanist patriotic front', 'fpm'],
  ['lautaro youth movement', 'lautaro front'],
  ['zarate willka liberation armed forces', 'zarate willka'],
  ['anticommunist action alliance'],
  ['secret anticommunist army'],
  ['cali cartel'],
  ['drug mafia', 'drug mafias', 'drug trafficking mafias'],
  ['ricardo franco front'],
  // state forces and their auxiliaries: output only where they act as the agent, like every group
  ['armed forces'],
  ['salvadoran air force', 'air force'],
  ['death squads', 'death squad'],
  ['atlacatl battalion'],
  ['national police'],
  ['treasury police'],
];

const GROUP_PATTERNS: readonly (readonly RegExp[])[] = GROUPS.map((names) => names.map((n) => rx(n.replace(/\./g, '\\.').replace(/\s+/g, '\\s+'))));

const ATTACK = rx(
  String.raw`attack(?:s|ed|ing)?|bomb(?:s|ed|ing|ings)?|dynamit(?:e|ed)|explo(?:ded|sion|sions|sive|sives)|blew\s+up|blown\s+up|set\s+fire|burn(?:ed|t)|kill(?:ed|ing)|murder(?:ed|s)?|assassinat(?:ed|ion)|kidnapp?(?:ed|ing)|abduct(?:ed|ion)|shot|machinegunned|wounded|ambush(?:ed)?|massacre(?:d)?|destroy(?:ed)|damag(?:ed|e)|sabotage(?:d)?|hurled|fired|raided|seized|hijack(?:ed)?`,
);

const PERP_HEAD = String.raw`guerrillas|terrorists|rebels|gunmen|narcoterrorists|hit\s*men|hitmen|murderers|kidnappers|attackers|assailants|insurgents|sicarios|(?:unidentified|unknown|armed|heavily\s+armed|masked|hooded)\s+(?:men|individuals|persons|people|subjects)|(?:two|three|four|five|several)\s+(?:men|individuals|persons|subjects)`;
const PERP_MOD = String.raw`(?:(?:urban|salvadoran|peruvian|colombian|guatemalan|honduran|chilean|leftist|rightist|fmln|eln|farc|alleged|suspected|presumed|unidentified|armed|heavily\s+armed)\s+)?`;
const PERP = rx(`${PERP_MOD}(?:${PERP_HEAD})(?:\\s+commandos?)?`);

/** Attackers that are often bystanders or victims too ("soldiers"): read only where they act. */
const PERP_IF_AGENT = rx(
  `${PERP_MOD}(?:drug\\s+traffickers|death\\s+squads?|paramilitary\\s+groups|criminals|subversives|members\\s+of\\s+the\\s+(?:armed\\s+forces|army|security\\s+forces)|(?:men|individuals)\\s+wearing\\s+(?:military|civilian)\\s+(?:uniforms|clothes|clothing))`,
);

const WEAPON = rx(
  String.raw`(?:homemade\s+)?(?:car[\s-]bombs?|truck\s+bombs?|bombs?|dynamite(?:\s+(?:charges?|sticks?))?|(?:charges?|sticks?)\s+of\s+dynamite|explosives|explosive\s+(?:devices?|charges?)|(?:hand\s+)?grenades?|machine-?guns?|sub-?machine-?guns?|rifles?|mortars?|rockets?|molotov\s+cocktails?|incendiary\s+bombs?|firearms?|automatic\s+weapons?|assault\s+weapons?|pistols?|revolvers?|machetes?|tnt|ak-47s?|m-16s?|rocket\s+launchers?|bazookas?|mines?|landmines?|booby\s+traps?)`,
);

const TARGET_HEAD = String.raw`cars?|vehicles?|bus(?:es)?|trucks?|jeeps?|houses?|homes?|residences?|buildings?|stores?|shops?|restaurants?|hotels?|offices?|headquarters|banks?|embass(?:y|ies)|stations?|gas\s+stations?|towers?|pylons?|(?:power|high\s+voltage|transmission)\s+lines?|electricity\s+system|power\s+(?:plant|station|grid)s?|substations?|telephone\s+(?:exchange|junction\s+boxes|company)|bridges?|pipelines?|oil\s+pipeline|plants?|factor(?:y|ies)|warehouses?|schools?|church(?:es)?|facilities|installations|barracks|farm|farms|estate|aircraft|plane|helicopter|train|ship|premises|property|properties|establishments?|supermarkets?|agenc(?:y|ies)|ministry|courthouse|airport|dam|mayor's\s+office|city\s+hall|university|club|theater|hospital`;
const TARGET = new RegExp(
  `${B}((?:(?:the|a|an|two|three|four|five|several|some|its|his|their|several)\\s+)?)((?:[\\p{Ll}.'-]+\\s+){0,3}?)(${TARGET_HEAD})${E}`,
  'giu',
);

/** Words that end a name or a noun phrase read without capitals. */
const STOP = new Set(
  (
    'a an the and or but of in on at by for from to with without into onto over under near after before during since while when where who whom whose which that this these those ' +
    'was were is are be been being has have had do does did will would shall should can could may might must ' +
    'he she it they we you i his her its their our my your him them us ' +
    'said says say told reported added stated noted according also not no yes very just only still even then there here today yesterday tomorrow ' +
    'killed murdered assassinated kidnapped abducted wounded injured shot died dead death attack attacked bomb bombed exploded as because ' +
    'last first second third one two three four five six seven eight nine ten several some all other others both each many more most ' +
    'government army police military troops guerrillas forces president candidate minister mayor people persons men women children ' +
    'house home car office city town department province street avenue near priests priest sources source staff report reports command secretary presidency'
  ).split(' '),
);

/** Titles and roles that stand before a person's name. */
const TITLE = String.raw`(?:presidential\s+candidate|candidate|senator|congressman|deputy|mayor|judge|magistrate|justice|attorney\s+general|prosecutor|minister|governor|ambassador|consul|councilman|councilor|colonel|col|lieutenant\s+colonel|lieutenant|lt|general|gen|major|captain|capt|sergeant|commander|archbishop|bishop|monsignor|msgr|father|priest|jesuit\s+priest|jesuit|rector|journalist|reporter|newsman|director|leader|union\s+leader|businessman|industrialist|lawyer|professor|doctor|dr|mr|mrs|ms|engineer|economist|councilwoman|congresswoman|chief|official)`;
const NAME_TOKEN = String.raw`[\p{Ll}][\p{Ll}'-]*`;
const VICTIM_AFTER_TITLE = new RegExp(`${B}${TITLE}\\s+((?:${NAME_TOKEN}\\s+){0,4}${NAME_TOKEN})`, 'giu');
const VICTIM_OF = new RegExp(
  `${B}(?:murder|assassination|killing|kidnapping|abduction|death|attack\\s+on|attack\\s+against|attempt\\s+on\\s+the\\s+life)\\s+of\\s+((?:${NAME_TOKEN}\\s+){1,4}${NAME_TOKEN})`,
  'giu',
);
const VICTIM_VERB = new RegExp(
  `${B}(?:murdered|assassinated|kidnapped|abducted|killed|shot|wounded)\\s+((?:${NAME_TOKEN}\\s+){1,4}${NAME_TOKEN})`,
  'giu',
);
const VICTIM_POSSESSIVE = new RegExp(
  `${B}((?:${NAME_TOKEN}\\s+){1,2}${NAME_TOKEN})'s\\s+(?:murder|assassination|killing|kidnapping|abduction|death|murderers|killers|kidnappers)${E}`,
  'giu',
);
const VICTIM_PASSIVE = new RegExp(
  `${B}((?:${NAME_TOKEN}\\s+){1,4}${NAME_TOKEN}),?\\s+(?:who\\s+)?(?:was|were|had\\s+been|has\\s+been)\\s+(?:\\p{Ll}+\\s+)?(?:murdered|assassinated|kidnapped|abducted|killed|shot|wounded)`,
  'giu',
);

const DESCRIPTOR = String.raw`${TITLE}|analyst|magnate|announcer|hopeful|sister|brother|banker|advis[eo]r|activist|student|teacher|unionist|politician|rancher|landowner|merchant|businesswoman|named|year-?old|old|following|bodyguard|comrade|officer|cattleman|policeman|patrolman|detective|citizen|law|replaced?|brothers?|guard|agent|peasant|driver`;
const UP_TO_DESCRIPTOR = new RegExp(`^(?:.*\\s)?(?:${DESCRIPTOR})\\s+`, 'u');

/** `name` without the titles and descriptions before it ("liberal leader luis galan" -> "luis galan"). */
function stripTitle(name: string | null): string | null {
  if (name === null) return null;
  const bare = name.replace(UP_TO_DESCRIPTOR, '');
  return bare === '' ? null : bare;
}

/** The longest run of name-like tokens at the start (or end) of `s`: tokens not in STOP. */
function nameRun(s: string, fromEnd = false): string | null {
  const toks = s.split(/\s+/).filter(Boolean);
  if (fromEnd) toks.reverse();
  const out: string[] = [];
  for (const t of toks) {
    if (STOP.has(t) || /\d/.test(t)) break;
    out.push(t);
  }
  if (fromEnd) out.reverse();
  return out.length > 0 ? out.join(' ') : null;
}

/** The complement of a target head ("offices of the labor unions"). */
const OF_COMPLEMENT = /^\s+of\s+(?:the\s+)?([\p{Ll}'-]+(?:\s+[\p{Ll}'-]+){0,5})/u;

/** Heads too vague to name a target on their own ("the headquarters", "the installations"). */
const VAGUE_HEAD = /^(?:headquarters|offices|installations|facilities|property|properties|premises)$/u;

/** The text of the complement after a target head, as written (" of the labor unions"), or ''. */
function ofComplement(text: string, end: number): string {
  const after = text.slice(end, end + 80);
  const of = OF_COMPLEMENT.exec(after);
  const tail = of !== null ? nameRun(of[1] ?? '') : null;
  if (of === null || tail === null) return '';
  const words = tail.split(' ').length;
  const exact = new RegExp(String.raw`^\s+of\s+(?:the\s+)?[\p{Ll}'-]+(?:\s+[\p{Ll}'-]+){${words - 1}}`, 'u').exec(after);
  return exact === null ? '' : exact[0].replace(/\s+/g, ' ');
}

/** Nouns of STOP that do modify a target ("police station", "government house"). */
const TARGET_NOUNS = new Set('government army military police house home office city town department province car'.split(' '));

/** The modifiers before a target head: the trailing tokens that are neither function words nor verbs in -ed ("destroyed", "looted"). */
function modifierRun(s: string): string | null {
  const toks = s.split(/\s+/).filter(Boolean).reverse();
  const out: string[] = [];
  for (const t of toks) {
    if ((STOP.has(t) && !TARGET_NOUNS.has(t)) || /\d/.test(t) || /ed$/.test(t)) break;
    out.push(t);
  }
  return out.length > 0 ? out.reverse().join(' ') : null;
}

function field(text: string, value: string, start: number, confidence: number): Field<TypedText> {
  const at = text.indexOf(value, start);
  const s = at >= 0 ? at : start;
  return { value: { text: value }, evidence: [{ start: s, end: s + value.length }], confidence };
}

function addUnique(list: Field<TypedText>[], seen: Set<string>, f: Field<TypedText>): void {
  const key = f.value.text.replace(/^(?:the|a|an)\s+/, '');
  if (seen.has(key)) return;
  seen.add(key);
  list.push(f);
}

const DAMAGE = rx(String.raw`attack(?:ed)?|bomb(?:ed)?|dynamit(?:e|ed)|explo(?:ded|sion|sions|sives)|blew\s+up|blown\s+up|set\s+fire|burn(?:ed|t)|destroy(?:ed)|damag(?:ed|e)|sabotage(?:d)?|machinegunned|hurled|raided`);
const HARM = rx(String.raw`kill(?:ed|ing)|murder(?:ed|s)?|assassinat(?:ed|ion)|kidnapp?(?:ed|ing)|abduct(?:ed|ion)|shot|wounded|death|massacre(?:d)?|attack(?:s|ed)?\s+(?:on|against)`);

/** Sentences about arms found or seized: the weapons there were not used in the attack. */
const SEIZURE = rx(String.raw`seiz(?:ed|ure)|confiscat(?:ed|ion)|caches?|arsenals?|captured|recovered|surrendered|found|discovered|deactivated|defused`);

/** Sentences about fighting between armed forces and guerrillas, not about an attack (MUC's relevance excludes battles). */
const NOT_AN_INCIDENT = rx(String.raw`clash(?:es|ed)?|combats?|skirmish(?:es)?|battles?|fighting|offensive|will|would|threat(?:en(?:s|ed)?)?`);

/** Sentences of `text` (split at full stops followed by space) that match `cue`. */
function attackSentences(text: string, cue: RegExp = ATTACK): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?]["']?\s+|$/g)) {
    const end = m.index + m[0].length;
    const span = trimSpan(text, start, end);
    start = end;
    if (span === null) continue;
    const body = text.slice(span.start, span.end);
    cue.lastIndex = 0;
    NOT_AN_INCIDENT.lastIndex = 0;
    if (cue.test(body) && !NOT_AN_INCIDENT.test(body)) out.push(span);
    if (m[0] === '') break;
  }
  return out;
}

const AGENT_BEFORE = new RegExp(
  String.raw`(?:${B}by|attributed\s+to|blamed\s+(?:on|the)|work\s+of|responsibility\s+of|(?:${PERP_HEAD}|commandos?|members?|militants?|column|unit|cell|squad)\s+(?:of|from|belonging\s+to))\s+(?:the\s+)?(?:[^\s.]+\s+){0,3}["(]?$`,
  'u',
);
const AGENT_AFTER = new RegExp(
  String.raw`^["')]*(?:'s)?\s*(?:\([^)]{1,60}\)\s*)?["')]*\s*(?:(?:[\p{Ll}-]+\s+){0,2}(?:${PERP_HEAD}|urban\s+commandos?|commandos?|members|militants|column|squad|fronts?)${E}|(?:[^\s.]+\s+){0,6}?(?:(?:has|have|had)\s+)?(?:claimed|staged|carried\s+out|perpetrated|responsible|committed|released|took\s+responsibility|attacked|bombed|dynamited|ambushed|killed|murdered|assassinated|kidnapped|abducted|blew\s+up|set\s+fire|burned|destroyed|shot|machinegunned|seized|raided|hurled|fired|planted|detonated|executed)${E})`,
  'u',
);

/** Whether a group mention stands as the agent of an act: "by the fmln", "fmln guerrillas", "the fmln attacked ...". */
function isAgent(text: string, h: { start: number; end: number }): boolean {
  const before = text.slice(Math.max(0, h.start - 60), h.start);
  const after = text.slice(h.end, h.end + 80);
  return AGENT_BEFORE.test(before) || AGENT_AFTER.test(after);
}

/** Reads the role fillers of a caseless text. */
export function extractLowercaseRoles(text: string): LowercaseRoles {
  const scope = attackSentences(text);
  const inScope = (h: { start: number }): boolean => scope.some((s) => h.start >= s.start && h.start < s.end);
  const damageScope = attackSentences(text, DAMAGE);
  const harmScope = attackSentences(text, HARM);
  const inDamage = (h: { start: number }): boolean => damageScope.some((s) => h.start >= s.start && h.start < s.end);
  const inHarm = (h: { start: number }): boolean => harmScope.some((s) => h.start >= s.start && h.start < s.end);
  const empty = { perpetrators: [], perpetratorMentions: [], targets: [], victims: [], weapons: [] };
  if (scope.length === 0) return { ...empty, attack: false };

  const perpetrators: Field<Perpetrator>[] = [];
  for (const names of GROUP_PATTERNS) {
    let best: { start: number; end: number; text: string } | null = null;
    let agent = false;
    for (const name of names) {
      const found = hits(name, text);
      const first = found[0];
      if (first !== undefined && (best === null || first.start < best.start)) best = first;
      if (!agent) agent = found.some((h) => isAgent(text, h));
    }
    if (best === null || !agent) continue;
    perpetrators.push({ value: { name: best.text, attribution: 'suspected' }, evidence: [{ start: best.start, end: best.end }], confidence: 0.4 });
  }

  const perpetratorMentions: Field<TypedText>[] = [];
  const seenPerp = new Set<string>();
  for (const h of hits(PERP, text).filter(inScope)) addUnique(perpetratorMentions, seenPerp, { value: { text: h.text }, evidence: [{ start: h.start, end: h.end }], confidence: 0.4 });

  for (const h of hits(PERP_IF_AGENT, text).filter((x) => inScope(x) && isAgent(text, x))) {
    addUnique(perpetratorMentions, seenPerp, { value: { text: h.text }, evidence: [{ start: h.start, end: h.end }], confidence: 0.35 });
  }

  const weapons: Field<TypedText>[] = [];
  const seenWeapon = new Set<string>();
  const seizure = attackSentences(text, SEIZURE);
  const inSeizure = (h: { start: number }): boolean => seizure.some((s) => h.start >= s.start && h.start < s.end);
  for (const h of hits(WEAPON, text).filter((h) => (inDamage(h) || inHarm(h)) && !inSeizure(h))) addUnique(weapons, seenWeapon, { value: { text: h.text }, evidence: [{ start: h.start, end: h.end }], confidence: 0.4 });

  const targets: Field<TypedText>[] = [];
  const seenTarget = new Set<string>();
  for (const h of hits(TARGET, text).filter(inDamage)) {
    const mods = modifierRun(h.groups[1] ?? '');
    const head = h.groups[2] ?? '';
    const complement = ofComplement(text, h.end);
    if (mods === null && complement === '' && VAGUE_HEAD.test(head)) continue;
    const phrase = (mods !== null ? `${mods} ${head}` : head) + complement;
    addUnique(targets, seenTarget, field(text, phrase, h.start, 0.4));
  }

  const victims: Field<TypedText>[] = [];
  const seenVictim = new Set<string>();
  for (const pattern of [VICTIM_AFTER_TITLE, VICTIM_OF, VICTIM_VERB]) {
    for (const h of hits(pattern, text).filter(inHarm)) {
      const name = stripTitle(nameRun(h.groups[0] ?? ''));
      if (name === null || !name.includes(' ')) continue;
      addUnique(victims, seenVictim, field(text, name, h.start, 0.4));
    }
  }
  for (const h of hits(VICTIM_POSSESSIVE, text).filter(inHarm)) {
    const name = stripTitle(nameRun(h.groups[0] ?? '', true));
    if (name === null || !name.includes(' ')) continue;
    addUnique(victims, seenVictim, field(text, name, h.start, 0.4));
  }
  for (const h of hits(VICTIM_PASSIVE, text).filter(inHarm)) {
    const name = stripTitle(nameRun(h.groups[0] ?? '', true));
    if (name === null || !name.includes(' ')) continue;
    addUnique(victims, seenVictim, field(text, name, h.start, 0.4));
  }

  return { perpetrators, perpetratorMentions, targets, victims, weapons, attack: true };
}
