import type { Attribution } from '../core/codebook.js';
import type { Field, Perpetrator, Span, TypedText } from '../core/model.js';
import { findActors, type ActorMatch } from '../actors/index.js';
import { words } from './keyword-rules.js';
import { hits } from './spans.js';

/** Perpetrators named in a text with their attribution, and the generic words for the attackers. */
export interface PerpetratorFindings {
  perpetrators: Field<Perpetrator>[];
  mentions: Field<TypedText>[];
  /** Actors named as the ones attacked ("targeting Taliban fighters"), not as attackers. */
  targetedActors: ActorMatch[];
}

const CLAIM = /\b(?:claimed|claims|claiming)\b(?:\s+\w+){0,3}?\s+(?:responsibility|credit|the\s+(?:attack|bombing|killing|incident|abduction|kidnapping|assault|operation))|\b(?:took|takes|accepted)\s+responsibility|\bclaimed\s+(?:it|that)\b/i;
const NO_CLAIM = /\b(?:no|not|nobody|none|neither|yet\s+to|did\s+not|has\s+not|have\s+not|had\s+not)\b[^.;]{0,40}\bclaim/i;
const DENIAL = /\b(?:denied|denies|deny|denying|rejected)\b[^.;]{0,40}\b(?:responsibility|involvement|role|claims?|having)\b|\bdenied\b/i;
const SUSPICION = /\b(?:suspected|suspect|believed\s+to\s+be|believed|likely|allegedly|alleged|presumably|probably|possibly|may\s+have|might\s+have|thought\s+to\s+be)\b/i;
const TARGETED = /\b(?:target(?:ing|ed|s)?|attack(?:ed|ing)|ambush(?:ed|ing)|against|kill(?:ed|ing)|abduct(?:ed|ing)|kidnapp?(?:ed|ing)|clash(?:ed|es)?\s+with|fight(?:ing)?)\s+(?:(?:a|the|two|three|several|some|of|members?|fighters?|commanders?|militants?|positions?|of)\s+){0,4}$/i;
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

/**
 * Perpetrators from the actor registry with attribution from the clause that names them:
 * `claimed` when it says the group claimed the attack (and not that no group claimed it), `denied`
 * when the group denies it, `suspected` for "suspected" / "believed to be" and the like, else
 * `attributed`. An actor named as the target of the attack is no perpetrator.
 */
export function extractPerpetrators(text: string, sentences: readonly Span[]): PerpetratorFindings {
  const byKey = new Map<string, Field<Perpetrator>>();
  const targetedActors: ActorMatch[] = [];
  for (const match of findActors(text)) {
    const sentence = sentences.find((s) => match.start >= s.start && match.start < s.end) ?? { start: 0, end: text.length };
    const clause = clauseOf(text, sentence, match.start);
    const before = text.slice(clause.start, match.start);
    if (TARGETED.test(before)) {
      targetedActors.push(match);
      continue;
    }
    const attribution = attributionIn(text.slice(clause.start, clause.end), match.start - clause.start);
    const key = `${match.actorId}|${attribution}`;
    const existing = byKey.get(key);
    if (existing !== undefined) {
      existing.evidence.push({ start: match.start, end: match.end });
      continue;
    }
    const evidence: Span[] = [{ start: match.start, end: match.end }];
    if (clause.end > clause.start && (clause.start !== match.start || clause.end !== match.end)) evidence.push({ start: clause.start, end: clause.end });
    byKey.set(key, {
      value: { name: match.name, actorId: match.actorId, attribution, attributedBy: attribution === 'claimed' ? match.name : null },
      evidence,
      confidence: attribution === 'claimed' ? 0.8 : attribution === 'attributed' ? 0.65 : 0.5,
    });
  }
  const perpetrators = [...byKey.values()].sort((a, b) => RANK[a.value.attribution] - RANK[b.value.attribution]);

  const mentions: Field<TypedText>[] = [];
  for (const h of hits(PERPETRATOR_WORDS, text)) {
    const value = h.text;
    if (mentions.some((m) => m.value.text.toLowerCase() === value.toLowerCase())) continue;
    mentions.push({ value: { text: value }, evidence: [{ start: h.start, end: h.end }], confidence: 0.6 });
    if (mentions.length >= 5) break;
  }
  return { perpetrators, mentions, targetedActors };
}
