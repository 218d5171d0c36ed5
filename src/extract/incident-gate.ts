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

/** Sentences about what might happen, what was prevented, or aggregates over many events. */
const NOT_AN_EVENT = new RegExp(
  [
    '\\b(?:plott?(?:ed|ing)|planning|planned|conspir(?:ed|acy|ing)|foiled|thwarted|prevented|averted|threat(?:ened|ens)?\\s+to|would|could|might)\\b',
    '\\b(?:attacks|incidents|killings)\\s+(?:in|over|during|since)\\s+(?:the\\s+)?(?:past|last|previous)\\b',
    '\\b(?:more\\s+than|over|nearly|some|about)\\s+[\\d,]+\\s+(?:attacks|incidents)\\b',
    '\\b(?:statistics|data\\s+show|according\\s+to\\s+(?:a|the)\\s+(?:report|study|index|database)|per\\s+cent|percent|annual|per\\s+year|each\\s+year|every\\s+year|on\\s+average)\\b',
    '\\b(?:arrested|detained|sentenced|convicted|charged|trial)\\b',
  ].join('|'),
  'iu',
);

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
  for (const sentence of sentences) {
    const body = text.slice(sentence.start, sentence.end);
    const found = hits(TRIGGER, body, sentence.start);
    if (found.length === 0) continue;
    if (NOT_AN_EVENT.test(body)) continue;
    eventSentences.push(sentence);
    triggers.push(...found.map((h) => ({ start: h.start, end: h.end })));
  }
  return eventSentences.length === 0 ? null : { triggers, sentences: eventSentences };
}
