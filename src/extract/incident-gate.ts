import type { Span } from '../core/model.js';
import { words } from './keyword-rules.js';
import { hits } from './spans.js';

/**
 * Words that report an attack that happened. The gate is deliberately wide: the attack-type rules
 * decide what kind of attack it was.
 */
const TRIGGER = words(
  'attack(?:ed|s)?', 'assault(?:ed)?', 'explo(?:ded|sion|sions)', 'detonated?', 'blasts?', 'bomb(?:ed|ing|ings)?', 'IEDs?', 'grenades?', 'shell(?:ed|ing)', 'mortars?', 'rockets?',
  'gunm[ae]n', 'opened\\s+fire', 'fired\\s+(?:upon|on|at|into)', 'shot(?:\\s+dead)?', 'shooting', 'killed', 'killing', 'wounded', 'injured', 'stabbed', 'hacked',
  'kidnapp?(?:ed|ing)', 'abduct(?:ed|ion)', 'hijack(?:ed|ing)', 'hostages?', 'assassinat(?:ed|ion)', 'set\\s+(?:\\w+\\s+){0,4}(?:on\\s+)?(?:fire|ablaze)', 'torched', 'arson',
  'ambush(?:ed)?', 'raided', 'stormed', 'beheaded', 'suicide\\s+bomb(?:er|ing)', 'massacre(?:d)?',
  // A device that was planted or launched is an attack even when it was defused or intercepted.
  'explosive\\s+devices?', 'explosives-laden', 'missiles?', 'projectiles?', 'artillery', 'landmines?', 'drones?', 'drones?\\s+(?:strike|attack)s?', 'incendiary\\s+devices?', 'molotov', 'petrol\\s+bombs?',
  'threw\\s+(?:\\w+\\s+){0,2}(?:stones|rocks|acid|bricks)', 'abducted', 'executed',
);

/** Plots, threats and what might happen: no attack took place. */
const PLOT = /\b(?:plott?(?:ed|ing|s)?|planning|planned|plans?\s+to|to\s+plan|conspir(?:ed|acy|ing)|foiled|thwarted|prevented|averted|threat(?:ened|ens)?\s+to|would|could|might|intended\s+to\s+carry|preparing\s+(?:an?\s+)?attack|on\s+suspicion|suspected\s+of\s+(?:planning|preparing|plotting))\b|\bno\s+(?:attack|bomb|explosion|blast)s?\s+(?:took\s+place|occurred|happened|was\s+carried\s+out)/i;
/** Arrests, trials and counter-terrorism operations: what the state did, not an attack. */
const STATE_ACTION =
  /\b(?:arrested|arrests?|detained|detention|sentenced|convicted|charged\s+with|indicted|on\s+trial|trial\s+(?:of|began|opened|started)|(?:in|before|to)\s+(?:a\s+|the\s+)?(?:\w+\s+)?court|court\s+(?:hearing|ruling|case|order)|extradited|raids?\s+on\s+(?:homes|hideouts|houses|addresses)|searches)\b|\b(?:security|military|counter-?terrorism)\s+operations?\b[^.;]{0,60}\bkilled\b|\bkilled\s+(?:\S+\s+){0,5}?in\s+(?:an?\s+)?(?:\S+\s+)?(?:raid|air\s*strike|airstrike|drone\s+strike|military\s+operation|security\s+operation|counter-?terrorism\s+operation)\b/i;
/** Statistics and trends: aggregates over many events. */
const STATISTICS = new RegExp(
  [
    String.raw`\b(?:attacks|incidents|killings|bombings)\b[^.;]{0,40}\b(?:in|over|during|since|throughout)\s+(?:the\s+)?(?:past|last|previous)\s+(?:\w+\s+)?(?:year|years|decade|months|weeks|twelve|\d+)`,
    String.raw`\b(?:in|over|during|throughout)\s+(?:the\s+)?(?:past|last|previous)\s+(?:year|decade|\d+\s+(?:years|months))\b`,
    String.raw`\b(?:during|throughout|over)\s+the\s+year\b`,
    String.raw`\b(?:more\s+than|over|nearly|some|about|at\s+least)?\s*\d{1,3}(?:,\d{3})+\s+(?:\w+\s+)?(?:attacks|incidents|people|civilians|deaths)\b`,
    String.raw`\b(?:recorded|documented|counted|tallied|registered)\s+(?:more\s+than\s+|over\s+|nearly\s+|some\s+)?[\d,]+\b`,
    String.raw`\b(?:statistics|figures\s+show|data\s+show|according\s+to\s+(?:a|the)\s+(?:report|study|index|database|tally|count)|the\s+report(?:['\u2019]s)?\b|research\s+(?:group|centre|center|institute)|think\s+tank|per\s+cent|percent|%|annual|per\s+year|each\s+year|every\s+year|on\s+average|a\s+year\s+earlier|previous\s+year|(?:one|two)-thirds?|half\s+of\s+(?:the|all)|majority\s+of)`,
    String.raw`\b(?:attacks|violence|killings|bombings)\s+(?:\w+\s+){0,4}(?:have|has)\s+(?:\w+\s+)?(?:declined|decreased|fallen|dropped|risen|rose|increased|surged|intensified|escalated|continued)\b`,
    String.raw`\b(?:have|has)\s+(?:\w+\s+)?(?:intensified|stepped\s+up|escalated)\s+(?:their\s+|its\s+)?attacks\b`,
    String.raw`\b(?:insurgency|conflict|war|violence|campaign|fighting|rebellion|uprising)\b[^.;]{0,80}\b(?:has|have|had)\s+(?:\w+\s+)?(?:killed|left|claimed|displaced)\b`,
    String.raw`\b(?:has|have)\s+(?:\w+\s+)?killed\s+(?:more\s+than\s+|over\s+|about\s+|nearly\s+)?(?:thousands|hundreds|tens\s+of\s+thousands|[\d,]{4,})\b`,
  ].join('|'),
  'iu',
);
/** Anniversaries and commemorations of past attacks. */
const ANNIVERSARY = /\b(?:anniversar(?:y|ies)|commemorat(?:e|ed|ing|ion)|memorial\s+(?:service|ceremony)|marked\s+(?:\w+\s+){0,3}years?\s+since|years?\s+(?:ago|after|since)\s+(?:the\s+)?(?:attack|bombing|massacre|siege))\b/i;

const ARREST_AFTER_ATTACK = /\b(?:arrested|detained|apprehended|caught|overpowered)\b/i;
const RAID_OR_OPERATION = /\b(?:security|military|counter-?terrorism)\s+operations?\b[^.;]{0,60}\bkilled\b|\bkilled\s+(?:\S+\s+){0,5}?in\s+(?:an?\s+)?(?:\S+\s+)?(?:raid|air\s*strike|airstrike|drone\s+strike|military\s+operation|security\s+operation|counter-?terrorism\s+operation)\b|\b(?:on\s+suspicion|suspected\s+of)\b/i;

/** "A man attacked passers-by ... before he was detained": the attack comes first, the arrest after it. */
function attackBeforeArrest(body: string, firstTrigger: number): boolean {
  if (firstTrigger < 0 || RAID_OR_OPERATION.test(body)) return false;
  const arrest = ARREST_AFTER_ATTACK.exec(body);
  return arrest !== null && arrest.index > firstTrigger && !/\b(?:trial|court|sentenced|convicted|charged|indicted)\b/i.test(body.slice(0, arrest.index));
}

/** Why a sentence with attack words reports no attack that happened, or null when it does. */
export function notAnEvent(body: string): 'plot' | 'state_action' | 'statistics' | 'anniversary' | null {
  if (STATISTICS.test(body)) return 'statistics';
  if (ANNIVERSARY.test(body)) return 'anniversary';
  if (PLOT.test(body)) return 'plot';
  if (STATE_ACTION.test(body)) return 'state_action';
  return null;
}

/** A sentence about another, earlier attack: "two days after ...", "last month", "a previous attack". */
export const OTHER_ATTACK =
  /\b(?:(?:two|three|four|five|six|seven|several|\d+|a\s+few)\s+(?:days?|weeks?|months?|years?)\s+(?:after|before|earlier|ago)|last\s+(?:week|month|year)|earlier\s+(?:this|that)\s+(?:week|month|year)|(?:previous|earlier|similar)\s+(?:attacks?|bombings?|raids?))\b/i;

/** The attack triggers of a text, and the sentences that report an attack. */
export interface EventEvidence {
  readonly triggers: Span[];
  readonly sentences: Span[];
}

/**
 * Decides whether a text reports an attack that happened: at least one sentence with an attack
 * word that is not about a plot, a threat, an arrest or statistics. Returns the triggers and the
 * event sentences, or null for a text that reports no incident.
 */
export function findEvent(text: string, sentences: readonly Span[]): EventEvidence | null {
  const triggers: Span[] = [];
  const eventSentences: Span[] = [];
  const background: { sentence: Span; found: Span[] }[] = [];
  for (const sentence of sentences) {
    const body = text.slice(sentence.start, sentence.end);
    const found = hits(TRIGGER, body, sentence.start).map((h) => ({ start: h.start, end: h.end }));
    if (found.length === 0) continue;
    const why = notAnEvent(body);
    if (why !== null && !(why === 'state_action' && attackBeforeArrest(body, found[0]?.start === undefined ? -1 : found[0].start - sentence.start))) continue;
    const lead = eventSentences.length === 0 && background.length === 0;
    if (!lead && (OTHER_ATTACK.test(body) || /^\s*(?:In|On|Since|During)\s+(?:\p{L}+\s+)?(?:19|20)\d\d\b/u.test(body))) {
      background.push({ sentence, found });
      continue;
    }
    eventSentences.push(sentence);
    triggers.push(...found);
  }
  if (eventSentences.length === 0 && background.length > 0) {
    for (const b of background) {
      eventSentences.push(b.sentence);
      triggers.push(...b.found);
    }
  }
  return eventSentences.length === 0 ? null : { triggers, sentences: eventSentences };
}

/** Whether a sentence has an attack word. */
export function hasAttackWord(body: string): boolean {
  return hits(TRIGGER, body, 0).length > 0;
}
