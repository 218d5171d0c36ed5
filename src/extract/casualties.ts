import type { Count, Field, Span, TypedText } from '../core/model.js';
import { NUMBER_SOURCE, QUALIFIER_SOURCE, parseNumber, toFigure, type Figure } from './numbers.js';

/** Casualty figures found in a text, each with its evidence. */
export interface Casualties {
  killed?: Field<Count>;
  wounded?: Field<Count>;
  perpetratorsKilled?: Field<Count>;
  victims: Field<TypedText>[];
}

const KILL = "(?:killed|killing|kills|kill|dead|died|shot\\s+dead|slain|beheaded|executed|lost\\s+(?:their|his|her)\\s+lives|perished|(?:hacked|burned|burnt|stabbed|beaten)\\s+to\\s+death)";
const WOUND = '(?:wounded|wounding|wounds|injured|injuring|injures|hurt)';
const PERPETRATOR_NOUN = /\b(?:assailants?|attackers?|gunm[ae]n|perpetrators?|(?:suicide\s+)?bombers?|militants?|insurgents?|terrorists?|jihadists?|fighters?|rebels?|suspects?|hostage[- ]takers?|kidnappers?)\b/i;

const Q_NUM = `(?:(${QUALIFIER_SOURCE})\\s+)?(${NUMBER_SOURCE})`;
const ARTICLE_ONE = '(?:a|an|one|both)';
/** A noun phrase that starts with a number: "two soldiers", "at least 12 people", "five others". */
const NP = `(?:(?:${QUALIFIER_SOURCE})\\s+)?(?:${NUMBER_SOURCE}|${ARTICLE_ONE})(?![\\p{L}\\p{N}])(?:\\s+(?!(?:were|was|are|is|have|had|and|who)\\b)(?:[\\p{L}'\\u2019-]+|\\([\\p{L}\\p{N}-]{1,12}\\))){0,6}?`;
const NP_LIST = `${NP}(?:(?:\\s*,\\s*|,?\\s+and\\s+)${NP})*(?:\\s+and\\s+(?!(?:were|was|are|is|have|had)\\b)\\p{Ll}[\\p{L}-]+)?`;
/** The same list with greedy noun words, for figures after the verb ("killed two police officers in ..."). */
const NP_AFTER = `(?:(?:${QUALIFIER_SOURCE})\\s+)?(?:${NUMBER_SOURCE}|${ARTICLE_ONE})(?![\\p{L}\\p{N}])(?:\\s+(?!(?:were|was|are|is|have|had|and|who|in|at|on|near|while|when|during|after|as|with|from|inside|outside|before|by|the|a|an)\\b)(?:[\\p{L}'\\u2019-]+|\\([\\p{L}\\p{N}-]{1,12}\\))){0,6}`;
const NP_AFTER_LIST = `${NP_AFTER}(?:(?:\\s*,\\s*|,?\\s+and\\s+)${NP_AFTER})*`;
const AUX = '(?:were|was|have\\s+been|has\\s+been|had\\s+been|are|is|got|remain|remained)';

interface Hit {
  readonly figure: Figure;
  readonly evidence: Span;
  readonly subject: Span | null;
  readonly perpetrators: boolean;
  readonly claimed: boolean;
  /** Attackers counted inside a victims' figure ("six people, including the bomber, were killed"). */
  readonly includedPerpetrators: number;
}

/** Passive: "<NP list> (, ...,) were (reportedly) killed". */
function passive(verb: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?<!\\bno\\s+)(${NP_LIST})(\\s*\\([^)]{0,60}\\))?(\\s*,[^,.;]{1,140},)?\\s+(?:who\\s+)?${AUX}\\s+(?:\\p{L}+ly\\s+|also\\s+|all\\s+)?${verb}(?![\\p{L}])`, 'giu');
}
/** Active: "killed/killing <NP list>". */
function active(verb: string): RegExp {
  return new RegExp(`(?<![\\p{L}])${verb}\\s+(${NP_AFTER_LIST})`, 'giu');
}
/** Adjectival: "<NP> dead", "left <NP> dead/injured". */
function adjectival(verb: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?<!\\bno\\s+)(${NP_LIST})\\s+(?:people\\s+)?${verb}(?![\\p{L}])`, 'giu');
}
const SINGULAR = (verb: string): RegExp => new RegExp(`(?<![\\p{L}])(?:was|has\\s+been|had\\s+been)\\s+(?:also\\s+)?(?:\\p{L}+ly\\s+)?${verb}(?![\\p{L}])`, 'giu');
const NONE_KILLED = /\b(?:no\s+one|nobody|none)\s+(?:else\s+)?(?:was|were)\s+(?:\p{L}+ly\s+)?(killed|hurt|injured|wounded)|\bno\s+(casualties|deaths|fatalities|injuries)\b|\b(?:did\s+not|didn't|without)\s+(?:cause|causing|result\s+in|resulting\s+in)\s+(?:any\s+)?(casualties|deaths|injuries)/giu;
const DEATH_TOLL = new RegExp(`death\\s+toll\\s+(?:\\w+\\s+){0,3}?(?:to|of|at|is|was|stands\\s+at)\\s+${Q_NUM}`, 'giu');

/** "In addition to the assailant, at least two people were killed": the attackers are counted apart. */
const IN_ADDITION_TO = new RegExp(`\\bIn\\s+addition\\s+to\\s+(?:the\\s+)?(?:(${NUMBER_SOURCE}|the|an?)\\s+)?(?:suicide\\s+)?(?:assailants?|attackers?|bombers?|perpetrators?|gunm[ae]n|militants?|drivers?)\\s*,`, 'giu');
/** "shot and killed Juan Cruz, a councillor" / "killed former councilor Ana Reyes in ...": one named victim. */
const NAMED_VICTIM =
  /\b(?:shot\s+and\s+killed|stabbed\s+and\s+killed|shot\s+dead|killed|beheaded|assassinated)\s+(?:(?!(?:in|at|near|on|of|from|and|with|by|during|after|while|two|three|four|five|six|seven|eight|nine|ten|several|many|dozens|\d+)\b)[\p{L}.'\u2019-]+\s+){0,4}?(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b)\p{Lu}[\p{L}'\u2019-]+(?:\s+(?:\p{Lu}[\p{L}'\u2019-]+|bin|al-\p{L}+)){0,3}(?=\s*,|\s+(?:in|at|near|on|while|outside|inside)\b)/gu;
/** "killed the former district governor in ...": one office holder. */
const ONE_OFFICE_HOLDER =
  /\b(?:shot\s+and\s+killed|stabbed\s+and\s+killed|shot\s+dead|killed|beheaded|assassinated)\s+the\s+(?:[\p{L}-]+\s+){0,4}?(?:governor|commander|chief|judge|prosecutor|mayor|elder|leader|cleric|imam|official|officer|employee|director|head|councill?or|journalist|lawmaker|candidate|spokesman|spokeswoman)(?=\s*,|\s+(?:of|in|at|near|on|while|outside|inside)\b)/giu;
/** "The council member and his mother were killed": one person and his or her relatives. */
const PERSON_AND_KIN = new RegExp(`\\b(?:the|a|an)\\s+(?:[\\p{L}-]+\\s+){0,3}?[\\p{L}-]+\\s+and\\s+(?:his|her|their)\\s+(?:(${NUMBER_SOURCE})\\s+)?[\\p{L}-]+\\s+were\\s+(?:\\p{L}+ly\\s+|also\\s+)?(?:killed|shot\\s+dead|shot\\s+and\\s+killed)\\b`, 'giu');

/** Sum of the figures in a noun-phrase list ("two soldiers and a civilian" = 3). */
function figureOfList(raw: string): Figure | null {
  const list = raw.replace(/\bboth\b/gi, 'two');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:(${QUALIFIER_SOURCE})\\s+)?(${NUMBER_SOURCE}|${ARTICLE_ONE})(?![\\p{L}\\p{N}])`, 'giu');
  let low: number | null = 0;
  let best: number | null = 0;
  let high: number | null = 0;
  let any = false;
  for (const m of list.matchAll(pattern)) {
    const parsed = parseNumber(m[2] ?? '');
    if (parsed === null || (/^\d{4}$/.test(m[2] ?? '') && parsed.value >= 1900 && parsed.value <= 2100)) continue;
    const next = list.slice(m.index + m[0].length).trimStart();
    if (/^hundred\b/i.test(next)) continue;
    if (/^an?$/i.test(m[2] ?? '') && /^(?:(?:unknown|undetermined|unspecified|large|small)\s+)?(?:number|total|group|few|couple|series|spate|handful|lot|dozen)\b/i.test(next)) continue;
    const f = toFigure(parsed.value, parsed.vague, m[1]);
    any = true;
    low = low === null || f.low === null ? null : low + f.low;
    best = best === null || f.best === null ? null : best + f.best;
    high = high === null || f.high === null ? null : high + f.high;
  }
  return any ? { low, best, high } : null;
}

function makeHit(text: string, start: number, end: number, subject: string, subjectStart: number, aside: string, verbKind: 'kill' | 'wound'): Hit | null {
  const figure = figureOfList(subject);
  if (figure === null) return null;
  const perpetrators = PERPETRATOR_NOUN.test(subject) && !/\b(?:soldiers?|police|civilians?|people|others?)\b/i.test(subject);
  const including = /including\s+(?:the|an?|one|two|three|(\d+))\s+(?:suicide\s+)?(?:assailants?|attackers?|bombers?|perpetrators?|gunm[ae]n|militants?)/i.exec(aside);
  let included = 0;
  if (including !== null && verbKind === 'kill') included = including[1] !== undefined ? Number(including[1]) : (parseNumber(including[0].split(/\s+/)[1] ?? '')?.value ?? 1);
  const sentenceStart = Math.max(text.lastIndexOf('.', start), text.lastIndexOf(';', start));
  const claimed = /\bclaim(?:ed|s|ing)?\b/i.test(text.slice(sentenceStart + 1, start));
  return {
    figure,
    evidence: { start, end },
    subject: { start: subjectStart, end: subjectStart + subject.trimEnd().length },
    perpetrators,
    claimed,
    includedPerpetrators: included,
  };
}

const NOT_A_PERSON = /^(?:The|A|An|Two|Three|Four|Five|Several|Many|Some|Other|Police|Soldiers|Civilians|Security|Officials|Residents|Villagers|Assailants|Attackers|Gunmen|Militants)$/;
/** "Zaman and two other passengers were killed": a named person before "and N others" counts one more. */
function withNamedConjunct(text: string, start: number, h: Hit): Hit {
  if (h.perpetrators || h.figure.best === null) return h;
  const before = text.slice(Math.max(0, start - 160), start);
  const m = /(?:^|[.;:]\s+|,\s+)(\p{Lu}[\p{L}'\u2019-]+(?:\s+\p{Lu}[\p{L}'\u2019-]+){0,3})(?:\s*,[^,.;]{1,110},)?\s+and\s+$/u.exec(before);
  const name = m?.[1];
  if (name === undefined || NOT_A_PERSON.test(name.split(/\s+/)[0] ?? '') || PERPETRATOR_NOUN.test(name)) return h;
  if (!/^(?:(?:\S+\s+)?(?:other|others)\b|\S+\s+(?:of\s+)?(?:his|her|their)\b)/i.test(text.slice(start).replace(/^(?:at\s+least\s+)/i, '').split(/\s+/).slice(1, 4).join(' ')) && !/\bother/i.test(text.slice(start, h.evidence.end))) return h;
  const plus = (x: number | null): number | null => (x === null ? null : x + 1);
  return { ...h, figure: { low: plus(h.figure.low), best: plus(h.figure.best), high: plus(h.figure.high) }, evidence: { start: start - (before.length - (m?.index ?? 0)), end: h.evidence.end } };
}

function collect(text: string, verb: string, kind: 'kill' | 'wound'): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(passive(verb))) {
    const subject = m[1] ?? '';
    const end = m.index + m[0].length;
    const after = /^,?\s+including\s+(?:the\s+)?[^,.;]{0,40}?(?:assailants?|attackers?|bombers?|perpetrators?|gunm[ae]n|militants?)/i.exec(text.slice(end, end + 80));
    const h = makeHit(text, m.index, end, subject, m.index, `${m[2] ?? ''}${m[3] ?? ''}${after === null ? '' : `, ${after[0].replace(/^,?\s+/, '')}`}`, kind);
    if (h === null) continue;
    out.push(withNamedConjunct(text, m.index, h));
  }
  for (const m of text.matchAll(active(verb))) {
    const subject = m[1] ?? '';
    const subjectStart = m.index + m[0].length - subject.length;
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (/\b(?:no\s+one|nobody|not|did\s+not)\s*$/i.test(before)) continue;
    const h = makeHit(text, m.index, m.index + m[0].length, subject, subjectStart, '', kind);
    if (h !== null) out.push(h);
  }
  if (kind === 'kill') {
    for (const m of text.matchAll(adjectival('(?:dead|killed)'))) {
      const subject = m[1] ?? '';
      const h = makeHit(text, m.index, m.index + m[0].length, subject, m.index, '', kind);
      if (h !== null) out.push(h);
    }
    for (const m of text.matchAll(DEATH_TOLL)) {
      const parsed = parseNumber(m[2] ?? '');
      if (parsed === null) continue;
      out.push({ figure: toFigure(parsed.value, parsed.vague, m[1]), evidence: { start: m.index, end: m.index + m[0].length }, subject: null, perpetrators: false, claimed: false, includedPerpetrators: 0 });
    }
  } else {
    for (const m of text.matchAll(adjectival(`(?:${WOUND})`))) {
      const subject = m[1] ?? '';
      const h = makeHit(text, m.index, m.index + m[0].length, subject, m.index, '', kind);
      if (h !== null && !out.some((o) => o.evidence.start <= h.evidence.start && o.evidence.end >= h.evidence.end)) out.push(h);
    }
  }
  return out;
}

/** "X was killed" with no number: one person, unless an attacker or nobody. */
function singular(text: string, verb: string, taken: readonly Hit[]): Hit[] {
  const out: Hit[] = [];
  for (const m of text.matchAll(SINGULAR(verb))) {
    const end = m.index + m[0].length;
    if (taken.some((h) => h.evidence.start <= m.index && h.evidence.end >= end)) continue;
    const clauseStart = Math.max(0, ...['.', ';', ' and ', ' who ', ','].map((sep) => {
      const at = text.lastIndexOf(sep, m.index - 1);
      return at === -1 ? 0 : at + sep.length;
    }));
    const clause = text.slice(clauseStart, m.index);
    if (/\b(?:no\s+one|nobody|none|no\s+\w+)\s*$/i.test(clause)) continue;
    const words = clause.trim().split(/\s+/).slice(-6).join(' ');
    const perpetrators = PERPETRATOR_NOUN.test(words) && /\b(?:the|an?|one)\s+(?:suicide\s+)?\S+\s*$/i.test(words);
    out.push({ figure: { low: 1, best: 1, high: 1 }, evidence: { start: clauseStart, end }, subject: null, perpetrators, claimed: false, includedPerpetrators: 0 });
  }
  return out;
}

function toCount(hits: readonly Hit[], evidence: Span[], adjust = 0): Field<Count> | undefined {
  if (hits.length === 0) return undefined;
  const best = [...hits].sort((a, b) => (b.figure.best ?? b.figure.low ?? 0) - (a.figure.best ?? a.figure.low ?? 0))[0];
  if (best === undefined) return undefined;
  const sub = (x: number | null): number | null => (x === null ? null : Math.max(0, x - adjust));
  const value: Count = { low: sub(best.figure.low), best: sub(best.figure.best), high: sub(best.figure.high), kind: best.claimed ? 'claimed' : 'reported' };
  return { value, evidence: evidence.length > 0 ? evidence : [best.evidence], confidence: best.figure.best === null ? 0.5 : 0.75 };
}

const ALSO = /\b(?:also|another|other\s+than|additionally|in\s+addition|as\s+well)\b/i;

/** A figure in another sentence that says it adds to the first ("A civilian was also killed") is added to it. */
function addAlso(text: string, count: Field<Count> | undefined, best: Hit | undefined, hits: readonly Hit[]): Field<Count> | undefined {
  if (count === undefined || best === undefined || count.value.best === null) return count;
  const sentenceOf = (at: number): [number, number] => {
    const start = Math.max(text.lastIndexOf('. ', at - 1), text.lastIndexOf('; ', at - 1)) + 1;
    const dot = text.indexOf('. ', at);
    return [start, dot === -1 ? text.length : dot];
  };
  const also = (h: Hit): boolean => {
    const [hs, he] = sentenceOf(h.evidence.start);
    return ALSO.test(text.slice(hs, he));
  };
  const main = hits.filter((h) => !also(h) && h.figure.best !== null).sort((a, b) => (b.figure.best ?? 0) - (a.figure.best ?? 0))[0];
  if (main === undefined) return count;
  const [ms] = sentenceOf(main.evidence.start);
  const seen = new Set<number>([ms]);
  let extra = 0;
  for (const h of hits) {
    if (h.figure.best === null || !also(h)) continue;
    const [hs] = sentenceOf(h.evidence.start);
    if (seen.has(hs)) continue;
    seen.add(hs);
    extra += h.figure.best;
  }
  if (extra === 0) return count;
  const base = main === best ? count.value : main.figure;
  const plus = (x: number | null): number | null => (x === null ? null : x + extra);
  return { ...count, value: { ...count.value, low: plus(base.low), best: plus(base.best), high: plus(base.high) } };
}

/** Killed, wounded and attackers-killed figures, and the victims' noun phrases; figures inside `exclude` (statistics, earlier attacks) are not read. */
export function extractCasualties(text: string, exclude: readonly Span[] = []): Casualties {
  const kept = (h: Hit): boolean => !exclude.some((x) => h.evidence.start >= x.start && h.evidence.start < x.end);
  // The attackers of "In addition to the two assailants, 32 people were killed" are counted apart below.
  const victimsText = text.replace(IN_ADDITION_TO, (m) => ' '.repeat(m.length));
  const killHits = collect(victimsText, KILL, 'kill');
  killHits.push(...singular(text, '(?:(?:shot|stabbed|beaten|hacked)\\s+and\\s+)?(?:killed|shot\\s+dead|beheaded|slain|executed)', killHits));
  const woundHits = collect(text, WOUND, 'wound');
  woundHits.push(...singular(text, '(?:wounded|injured|hurt)', woundHits));
  for (const list of [killHits, woundHits]) {
    const keep = list.filter(kept);
    list.length = 0;
    list.push(...keep);
  }

  for (const m of text.matchAll(IN_ADDITION_TO)) {
    if (exclude.some((x) => m.index >= x.start && m.index < x.end)) continue;
    const sentenceEnd = text.indexOf('. ', m.index);
    if (!/\b(?:killed|dead|died)\b/i.test(text.slice(m.index, sentenceEnd === -1 ? text.length : sentenceEnd))) continue;
    const n = m[1] === undefined || /^(?:the|an?)$/i.test(m[1]) ? 1 : (parseNumber(m[1])?.value ?? null);
    if (n === null) continue;
    killHits.push({ figure: { low: n, best: n, high: n }, evidence: { start: m.index, end: m.index + m[0].length }, subject: null, perpetrators: true, claimed: false, includedPerpetrators: 0 });
  }
  for (const m of text.matchAll(PERSON_AND_KIN)) {
    if (exclude.some((x) => m.index >= x.start && m.index < x.end)) continue;
    const kin = m[1] === undefined ? 1 : (parseNumber(m[1])?.value ?? 1);
    killHits.push({ figure: { low: 1 + kin, best: 1 + kin, high: 1 + kin }, evidence: { start: m.index, end: m.index + m[0].length }, subject: null, perpetrators: false, claimed: false, includedPerpetrators: 0 });
  }
  for (const m of [...text.matchAll(NAMED_VICTIM), ...text.matchAll(ONE_OFFICE_HOLDER)]) {
    if (exclude.some((x) => m.index >= x.start && m.index < x.end)) continue;
    if (killHits.some((h) => h.evidence.start <= m.index && h.evidence.end > m.index)) continue;
    killHits.push({ figure: { low: 1, best: 1, high: 1 }, evidence: { start: m.index, end: m.index + m[0].length }, subject: null, perpetrators: false, claimed: false, includedPerpetrators: 0 });
  }

  const out: Casualties = { victims: [] };
  const victimsKilled = killHits.filter((h) => !h.perpetrators);
  const attackersKilled = killHits.filter((h) => h.perpetrators);
  const bestVictim = [...victimsKilled].sort((a, b) => (b.figure.best ?? b.figure.low ?? 0) - (a.figure.best ?? a.figure.low ?? 0))[0];
  const included = bestVictim?.includedPerpetrators ?? 0;
  const killed = addAlso(text, toCount(bestVictim === undefined ? [] : [bestVictim], [], included), bestVictim, victimsKilled);
  if (killed !== undefined) out.killed = killed;
  if (attackersKilled.length > 0) {
    const k = toCount(attackersKilled, []);
    if (k !== undefined) out.perpetratorsKilled = k;
  } else if (included > 0 && bestVictim !== undefined) {
    out.perpetratorsKilled = { value: { low: included, best: included, high: included, kind: 'reported' }, evidence: [bestVictim.evidence], confidence: 0.6 };
  }
  const victimsWounded = woundHits.filter((h) => !h.perpetrators);
  const bestWounded = [...victimsWounded].sort((a, b) => (b.figure.best ?? b.figure.low ?? 0) - (a.figure.best ?? a.figure.low ?? 0))[0];
  const wounded = addAlso(text, toCount(victimsWounded, []), bestWounded, victimsWounded);
  if (wounded !== undefined) out.wounded = wounded;

  for (const m of text.matchAll(NONE_KILLED)) {
    if (exclude.some((x) => m.index >= x.start && m.index < x.end)) continue;
    const evidence = [{ start: m.index, end: m.index + m[0].length }];
    const zero: Count = { low: 0, best: 0, high: 0, kind: 'reported' };
    const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
    const killedToo = word === 'killed' || word === 'hurt' || word === 'casualties' || word === 'deaths' || word === 'fatalities';
    const woundedToo = word !== 'killed' && word !== 'deaths' && word !== 'fatalities';
    if (killedToo && out.killed === undefined) out.killed = { value: zero, evidence, confidence: 0.7 };
    if (woundedToo && out.wounded === undefined) out.wounded = { value: { ...zero }, evidence, confidence: 0.7 };
  }

  for (const h of [...victimsKilled, ...woundHits.filter((w) => !w.perpetrators)]) {
    if (h.subject === null) continue;
    const t = text.slice(h.subject.start, h.subject.end);
    if (t.trim() === '' || out.victims.some((v) => v.value.text === t)) continue;
    out.victims.push({ value: { text: t }, evidence: [h.subject], confidence: 0.6 });
  }
  return out;
}
