import type { Attribution } from '../core/codebook.js';
import type { Field, Perpetrator, Span, TypedText } from '../core/model.js';
import { findActors, getActor, type ActorMatch } from '../actors/index.js';
import { words } from './keyword-rules.js';
import { OTHER_ATTACK } from './incident-gate.js';
import { hits } from './spans.js';

/** Perpetrators named in a text with their attribution, and the generic words for the attackers. */
export interface PerpetratorFindings {
  perpetrators: Field<Perpetrator>[];
  mentions: Field<TypedText>[];
  /** Actors named as the ones attacked ("targeting Taliban fighters"), not as attackers. */
  targetedActors: ActorMatch[];
  /** Every actor name in the text, whatever its role (not to be read as a place). */
  actorNames: ActorMatch[];
}

const CLAIM = /\b(?:claimed|claims|claiming)\b(?:\s+\w+){0,3}?\s+(?:responsibility|credit|(?:the|this|that|an?)\s+(?:attack|bombing|killing|incident|abduction|kidnapping|assault|operation|raid|ambush|blast|explosion|massacre|shooting|strike|assassination))|\b(?:took|takes|accepted)\s+responsibility|\bclaimed\s+(?:it|that)\b|\b(?:said|stated|announced)\s+(?:that\s+)?it\s+(?:had\s+|has\s+)?(?:carried\s+out|targeted|attacked|killed|detonated|ambushed|stormed)\b|\b(?:said|stated|announced)\b[^.;]{0,80}\b(?:its|their)\s+(?:fighters|militants|members|men|forces|units?|cadres?|mujahideen|soldiers)\s+(?:had\s+|have\s+)?(?:carried\s+out|killed|attacked|targeted|ambushed|stormed|detonated|abducted|seized)/i;
const NO_CLAIM = /\b(?:no|not|nobody|none|neither|yet\s+to|did\s+not|has\s+not|have\s+not|had\s+not)\b[^.;]{0,40}\bclaim/i;
const DENIAL = /\b(?:denied|denies|deny|denying|rejected)\b[^.;]{0,40}\b(?:responsibility|involvement|role|claims?|having|carrying|accusations?|allegations?|charges?)\b|\bdenied\s+(?:it|the\s+(?:attack|accusation))\b/i;
const SUSPICION = /\b(?:suspected|suspect|believed\s+to\s+be|believed|likely|allegedly|alleged|presumably|probably|possibly|may\s+have|might\s+have|thought\s+to\s+be)\b/i;
const TARGETED = /\b(?:target(?:ing|ed|s)?|attack(?:ed|ing)|ambush(?:ed|ing)|against|kill(?:ed|ing)|abduct(?:ed|ing)|kidnapp?(?:ed|ing)|clash(?:ed|es)?\s+with|fight(?:ing)?)\s+["'\u201C]?(?:(?:a|the|two|three|four|five|several|some|\d+|of|members?|fighters?|commanders?|militants?|positions?|elements?|officials?|leaders?|of)\s+["'\u201C]?){0,5}$/i;
const PERPETRATOR_WORDS = words(
  'assailants?', 'attackers?', 'gunm[ae]n', 'suicide\\s+bombers?', 'bombers?', 'militants?', 'insurgents?', 'terrorists?', 'jihadists?', 'extremists?',
  'rebels?', 'kidnappers?', 'abductors?', 'hijackers?', 'perpetrators?', 'armed\\s+men', 'unidentified\\s+(?:men|individuals|persons)', 'separatists?', 'bandits?',
);

/** Splits a sentence into clauses at semicolons and at ", however,"-like turns. */
function clauseOf(text: string, sentence: Span, at: number): Span {
  const body = text.slice(sentence.start, sentence.end);
  let start = sentence.start;
  let end = sentence.end;
  for (const m of body.matchAll(/;|,\s*(?:however|but|while|although)\b|\bbut\b/gi)) {
    const pos = sentence.start + m.index;
    if (pos <= at) start = pos + m[0].length;
    else if (pos < end) end = pos;
  }
  return { start, end };
}

function attributionIn(clause: string, actorOffset: number): Attribution {
  const hasClaim = CLAIM.test(clause) && !NO_CLAIM.test(clause);
  const before = clause.slice(0, actorOffset);
  if (DENIAL.test(clause) && !/\battribut|\bblam/i.test(before)) return 'denied';
  if (hasClaim && !/\b(?:said|says|according)\b[^.;]{0,30}$/i.test(before)) return 'claimed';
  if (SUSPICION.test(clause)) return 'suspected';
  return 'attributed';
}

const RANK: Readonly<Record<Attribution, number>> = { claimed: 0, attributed: 1, suspected: 2, denied: 3 };

/** Words that make a clause say who did it: a claim, a denial, a suspicion, a blame. */
const ATTRIBUTION_CUE =
  /\b(?:claim(?:ed|s|ing)?|responsib(?:le|ility)|credit|den(?:ied|ies|y|ying)\s+(?:any\s+|all\s+)?(?:responsibility|involvement|role|claims?|having|carrying|the\s+(?:attack|accusation|allegation|charge))|suspect(?:ed|s)?|blam(?:ed|es|ing)|attribut(?:ed|es|ing)|accus(?:ed|es|ing)|believed|thought\s+to\s+be|alleged(?:ly)?|behind\s+the|carried\s+out\s+by|perpetrated\s+by|(?:its|their)\s+(?:fighters|militants|members|men|forces|units?|cadres?|mujahideen|soldiers)|belong(?:ed|s|ing)?\s+to|(?:were|was|are|is|being)\s+(?:\p{L}+\s+)?members?\s+of|affiliated|linked\s+to|loyal\s+to|allegiance|involvement)\b/iu;
/** A group named as the one that acted: "ISWAP fighters stormed", "attacked by Boko Haram", "militants of the ADF killed". */
const AGENT_AFTER =
  /^\)?(?:\s*\([^)]{1,40}\))?(?:['\u2019]s)?(?:\s+(?:\p{Ll}+\s+)?(?:militants?|fighters?|insurgents?|gunm[ae]n|members?|rebels?|jihadists?|terrorists?|assailants?|attackers?|elements?|cadres?|combatants?|suicide\s+bombers?|bombers?))?\s+(?:have\s+|had\s+|has\s+|reportedly\s+|allegedly\s+|also\s+)?(?:attacked|stormed|raided|ambushed|killed|abducted|kidnapped|seized|overran|struck|bombed|shot|opened\s+fire|set\s+fire|torched|burned|beheaded|detonated|launched|fired|planted|executed|massacred|hit|targeted|carried\s+out\s+(?:the|an?|this|today|yesterday))\b/iu;
const AGENT_BEFORE = /\b(?:by|of)\s+(?:the\s+)?(?:(?:suspected|alleged|armed)\s+)?$/i;
/** An actor named as a government, an authority or a source of news, not as an attacker. */
const GOVERNING_AFTER =
  /^(?:['\u2019]s)?(?:-(?:led|run|controlled|appointed))?\s+(?:\p{Ll}+\s+)?(?:government|administration|authorities|authority|officials?|spokes(?:man|men|woman|person)|police|security\s+(?:forces|officials|services)|ministry|ministers?|governor|leadership|rulers?|regime|court|media|news\s+agency|intelligence)\b|^\s+(?:returned\s+to\s+power|took\s+(?:power|over)|seized\s+power|came\s+to\s+power|government)/iu;
/** Background and generic statements: a group's history, habits, or what it usually does. */
const BACKGROUND = /\b(?:has|have)\s+(?:long\s+|repeatedly\s+|often\s+|frequently\s+|previously\s+|also\s+|since\s+\S+\s+)?(?:carried\s+out|staged|waged|launched|claimed\s+(?:many|several|numerous|similar|previous|past)|been\s+(?:active|behind|blamed|fighting|waging))|\b(?:insurgency|campaign|since\s+(?:19|20)\d\d|in\s+recent\s+(?:months|years|weeks)|a\s+string\s+of|a\s+series\s+of|is\s+active|operates?\s+in|which\s+(?:has|is|was)|emerged|founded|pledged\s+allegiance\s+to\s+the\s+Islamic\s+State\s+in\s+\d{4})\b/i;

/** A group named in an attribution phrase, whether or not the registry knows it. */
interface NamedGroup {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly attribution: Attribution;
}

const TOKEN = String.raw`[\p{L}\p{N}'\u2019()-]+(?:\.[\p{L}\p{N}]+)*(?![\p{L}\p{N}])`;
const NP = String.raw`((?:the\s+)?(?:${TOKEN})(?:\s+(?:${TOKEN})){0,8}?)`;
const NP_STOP = String.raw`(?=\s*(?:[.;,:]|$|\s(?:and\s+(?:noted|said|stated|added|that|reported|\p{Ll}+\s+\p{Ll}+)|who|which|for|in|on|at|after|as|because|but|while|although|though|over|during|to\s+(?:avenge|protest|retaliate)|militants?|fighters?|insurgents?)\b))`;
const ATTRIBUTED_TO = new RegExp(String.raw`\b(?:attributed|blamed|pinned)\s+(?:the\s+|this\s+|both\s+)?(?:attacks?|incidents?|bombings?|killings?|abductions?|kidnappings?|assaults?|blasts?|explosions?|shootings?|violence|it)\s+(?:on|to)\s+${NP}${NP_STOP}`, 'giu');
const BLAMED = new RegExp(String.raw`\b(?:blamed|accused)\s+(?!(?:the\s+)?(?:attacks?|incidents?|bombings?|killings?|abductions?|blasts?|explosions?|violence|it)\b)${NP}${NP_STOP}`, 'giu');
const SUSPECTED_OF = new RegExp(String.raw`\bsuspected\s+(?:the\s+)?(?:involvement|role|hand)\s+of\s+${NP}${NP_STOP}`, 'giu');
const SUSPECTED_THAT = new RegExp(String.raw`\bsuspected\s+that\s+(?:the\s+(?:attack|incident|bombing|killing|abduction|fire|arson)\s+(?:may|might|could)\s+have\s+been\s+(?:carried\s+out|perpetrated|committed)\s+by\s+${NP}${NP_STOP}|${NP}\s+(?:carried\s+out|(?:were|was)\s+(?:behind|responsible)))`, 'giu');
const BY_GROUP = new RegExp(String.raw`\b(?:carried\s+out|perpetrated|claimed|committed)\s+by\s+${NP}${NP_STOP}`, 'giu');
const CLAIMED_BY_SUBJECT = /((?:the\s+)?(?:\p{Lu}[\p{L}\p{N}'\u2019()-]*)(?:[\s-]+(?:\p{Lu}[\p{L}\p{N}'\u2019()-]*|of|the|al|el|for|and|de|del|la|wal|ul|e|i|(?:\([^)]{1,40}\))))*(?:\s+(?:extremists?|separatists?|rebels?|insurgents?|jihadists?|militants?|nationalists?|republicans?|loyalists?|militias?|dissidents?|guerrillas?|anarchists?|activists?|paramilitar(?:y|ies)))?)\s+(?:has\s+|have\s+|had\s+|later\s+|quickly\s+|also\s+|reportedly\s+|subsequently\s+)?(?:claimed|claims|accepted|took)\s+(?:the\s+)?(?:responsibility|credit)\b/gu;
const GENERIC_GROUP = /^(?:the\s+)?(?:unknown|unidentified|suspected|armed|several|some|two|three|a|an|local|other)?\s*(?:assailants?|attackers?|gunm[ae]n|militants?|insurgents?|terrorists?|perpetrators?|individuals?|men|persons?|people|group|groups|elements?|bandits?|criminals?|it|them|him|her|they|this|that)?$/i;
/** A lower-case group description that codes as a group: "left-wing extremists", "dissident republicans". */
const GROUP_NOUN = /\b(?:extremists?|separatists?|rebels?|insurgents?|jihadists?|militants?|nationalists?|republicans?|loyalists?|militias?|dissidents?|guerrillas?|anarchists?|maoists?|naxalites?|herders?|tribesmen|vigilantes?|activists?|paramilitar(?:y|ies))$/i;
const NOT_A_GROUP = /^(?:no|none|nobody|not|any|of|by|sources?|officials?|authorities|police|security\s+forces|government|the\s+(?:attack|incident|government|police|army)|national\s+police)\b/i;

function cleanGroupName(raw: string): string {
  return raw
    .replace(/^(?:the|an?)\s+/i, '')
    .replace(/\s+(?:group|organi[sz]ation)$/i, (m) => m)
    .replace(/[\s,.;:]+$/u, '')
    .trim();
}

/** Group names in attribution phrases: "attributed the attack to X", "X claimed responsibility", "suspected the involvement of X". */
function namedGroups(text: string): NamedGroup[] {
  const out: NamedGroup[] = [];
  const push = (m: RegExpMatchArray, group: string | undefined, attribution: Attribution): void => {
    if (group === undefined || m.index === undefined) return;
    const at = m.index + m[0].indexOf(group);
    const trimmed = group.replace(/[\s,.;:]+$/u, '');
    const name = cleanGroupName(trimmed);
    if (name === '' || GENERIC_GROUP.test(name) || NOT_A_GROUP.test(name)) return;
    if (!/^\p{Lu}/u.test(name) && !GROUP_NOUN.test(name)) return;
    if (out.some((g) => g.start < at + trimmed.length && at < g.end)) return;
    out.push({ start: at, end: at + trimmed.length, text: name, attribution });
  };
  for (const m of text.matchAll(ATTRIBUTED_TO)) push(m, m[1], SUSPICION.test(text.slice(Math.max(0, (m.index ?? 0) - 40), m.index)) ? 'suspected' : 'attributed');
  for (const m of text.matchAll(BLAMED)) push(m, m[1], 'attributed');
  for (const m of text.matchAll(SUSPECTED_OF)) push(m, m[1], 'suspected');
  for (const m of text.matchAll(SUSPECTED_THAT)) push(m, m[1] ?? m[2], 'suspected');
  for (const m of text.matchAll(BY_GROUP)) push(m, m[1], /claimed/i.test(m[0]) ? 'claimed' : 'attributed');
  for (const m of text.matchAll(CLAIMED_BY_SUBJECT)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 30), m.index);
    if (/\b(?:no|not|nobody)\s*$/i.test(before) || /^(?:No|None|Nobody)\b/.test(m[1] ?? '')) continue;
    push(m, m[1], 'claimed');
  }
  return out;
}

const ASIDE = /,?\s+(?:which|who|whose|that\s+(?:is|was|has|have))\b|,\s+(?:an?|the)\s+(?:[\p{L}-]+\s+){0,3}(?:group|branch|affiliate|unit|faction|wing|movement|offshoot)\b/iu;

/** The clause around an actor without the relative clauses and appositions after it ("X, which has ...", "X, the local affiliate of Y,"). */
function withoutAsides(text: string, from: number, clause: Span): string {
  let out = text.slice(clause.start, from);
  let pos = from;
  for (let guard = 0; guard < 5 && pos < clause.end; guard++) {
    const m = ASIDE.exec(text.slice(pos, clause.end));
    if (m === null) break;
    const asideStart = pos + m.index;
    const comma = text.indexOf(',', asideStart + m[0].length);
    const asideEnd = comma === -1 || comma >= clause.end ? clause.end : comma;
    out += text.slice(pos, asideStart);
    pos = asideEnd;
  }
  return out + text.slice(pos, clause.end);
}

/** True when the actor is named as the one that acted, in a sentence that reports the attack. */
function isAgent(text: string, match: ActorMatch, clauseStart: number): boolean {
  const after = text.slice(match.end, match.end + 80);
  const before = text.slice(clauseStart, match.start);
  return AGENT_AFTER.test(after) || (AGENT_BEFORE.test(before) && /\b(?:attack(?:ed)?|carried\s+out|claimed|killed|abducted|kidnapped|stormed|raided|ambushed|bombing|assault|operation|raid)\b/i.test(before));
}

/** The actor ids of `id` and its ancestors. */
function ancestors(id: string): string[] {
  const out: string[] = [];
  let current = getActor(id)?.parentId ?? null;
  while (current !== null && !out.includes(current)) {
    out.push(current);
    current = getActor(current)?.parentId ?? null;
  }
  return out;
}

/**
 * Perpetrators with their attribution, read only from the places where a report says who did it:
 * a claim ("X claimed responsibility"), an attribution ("officials blamed X", "attributed the
 * attack to X", "the attackers belonged to X"), a suspicion ("suspected X fighters"), a denial,
 * or X named as the one that acted in a sentence reporting the attack ("X fighters stormed ...",
 * "attacked by X"). A group named as a government or a source ("a Taliban police spokesman"), as
 * the target, or in background ("X, which has carried out a string of raids") is no perpetrator.
 * Registry actors get their id; a group the registry does not know, named in an attribution
 * phrase, is kept by name. When a branch and its parent are both found, only the branch is kept.
 */
export function extractPerpetrators(text: string, sentences: readonly Span[], eventSentences?: readonly Span[]): PerpetratorFindings {
  const byKey = new Map<string, Field<Perpetrator>>();
  const targetedActors: ActorMatch[] = [];
  const add = (key: string, value: Perpetrator, evidence: Span[]): void => {
    const existing = byKey.get(key);
    if (existing !== undefined) {
      existing.evidence.push(...evidence.slice(0, 1));
      return;
    }
    byKey.set(key, { value, evidence, confidence: value.attribution === 'claimed' ? 0.8 : value.attribution === 'attributed' ? 0.65 : 0.5 });
  };
  const groups = namedGroups(text);
  const inEvent = (at: number): boolean => eventSentences === undefined || eventSentences.some((s) => at >= s.start && at < s.end);
  const actors = findActors(text);
  for (const match of actors) {
    const sentence = sentences.find((s) => match.start >= s.start && match.start < s.end) ?? { start: 0, end: text.length };
    const clause = clauseOf(text, sentence, match.start);
    const before = text.slice(clause.start, match.start);
    if (TARGETED.test(before)) {
      targetedActors.push(match);
      continue;
    }
    if (GOVERNING_AFTER.test(text.slice(match.end, match.end + 60))) continue;
    const clauseText = withoutAsides(text, match.end, clause);
    if (OTHER_ATTACK.test(text.slice(sentence.start, sentence.end))) continue;
    const named = groups.find((g) => match.start >= g.start && match.end <= g.end);
    const cue = ATTRIBUTION_CUE.test(clauseText) && !BACKGROUND.test(clauseText);
    const agent = inEvent(match.start) && isAgent(text, match, clause.start) && !BACKGROUND.test(clauseText);
    if (named === undefined && !cue && !agent) continue;
    const attribution = named?.attribution ?? attributionIn(clauseText, match.start - clause.start);
    const evidence: Span[] = [{ start: match.start, end: match.end }];
    if (clause.end > clause.start && (clause.start !== match.start || clause.end !== match.end)) evidence.push({ start: clause.start, end: clause.end });
    add(`${match.actorId}|${attribution}`, { name: match.name, actorId: match.actorId, attribution, attributedBy: attribution === 'claimed' ? match.name : null }, evidence);
  }
  for (const g of groups) {
    const sentence = sentences.find((x) => g.start >= x.start && g.start < x.end);
    if (sentence !== undefined && OTHER_ATTACK.test(text.slice(sentence.start, sentence.end))) continue;
    if (actors.some((a) => a.start < g.end && a.end > g.start)) continue;
    add(`name:${g.text.toLowerCase()}|${g.attribution}`, { name: g.text, actorId: null, attribution: g.attribution, attributedBy: g.attribution === 'claimed' ? g.text : null }, [{ start: g.start, end: g.end }]);
  }
  // A branch and its parent named for the same attack: the branch is the more precise coding.
  const ids = new Set([...byKey.values()].map((p) => p.value.actorId).filter((id): id is string => typeof id === 'string'));
  const covered = new Set([...ids].flatMap(ancestors));
  const perpetrators = [...byKey.values()]
    .filter((p) => p.value.actorId === null || p.value.actorId === undefined || !covered.has(p.value.actorId))
    .sort((a, b) => RANK[a.value.attribution] - RANK[b.value.attribution]);

  const mentions: Field<TypedText>[] = [];
  for (const h of hits(PERPETRATOR_WORDS, text)) {
    const value = h.text;
    if (mentions.some((m) => m.value.text.toLowerCase() === value.toLowerCase())) continue;
    mentions.push({ value: { text: value }, evidence: [{ start: h.start, end: h.end }], confidence: 0.6 });
    if (mentions.length >= 5) break;
  }
  return { perpetrators, mentions, targetedActors, actorNames: actors };
}
