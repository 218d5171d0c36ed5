import type { AttackType, WeaponType } from '../../core/codebook.js';
import type { DateRange, DocumentKind, Field, MentionFields, Perpetrator, Span, TypedText } from '../../core/model.js';
import type { Gazetteer } from '../../gazetteer/index.js';
import { parsePublished } from '../dates.js';
import type { ExtractInput, ExtractedIncident } from '../types.js';
import { findActorsMultilingual } from './actors.js';
import { ARABIC } from './ar.js';
import { readCasualties } from './casualties.js';
import { claimedPerpetrator, isClaim } from './claims.js';
import { findDatesIn } from './dates.js';
import { PERSIAN } from './fa.js';
import { foldDigits } from './numerals.js';
import { chooseLocation, findPlacesIn } from './places.js';
import { RUSSIAN } from './ru.js';
import type { LanguageRules, MultilingualLanguage } from './rules.js';
import { overlaps, sentencesOf, tokenize } from './text.js';
import { TAJIK } from './tg.js';
import { UZBEK } from './uz.js';

export const RULES: Readonly<Record<MultilingualLanguage, LanguageRules>> = { ru: RUSSIAN, ar: ARABIC, fa: PERSIAN, tg: TAJIK, uz: UZBEK };

const DAY_MS = 86_400_000;

function first(re: RegExp, text: string): Span | null {
  const m = new RegExp(re.source, re.flags.replace('g', '')).exec(text);
  return m === null ? null : { start: m.index, end: m.index + m[0].length };
}

/**
 * One incident from a short report or claim in Russian, Arabic, Persian, Tajik or Uzbek: date,
 * place, group, killed and wounded, each with its evidence spans, and a coarse attack type. A
 * text without any attack or casualty word reports no incident. A claim (see `isClaim`) gives the
 * group as perpetrator with attribution 'claimed' and its figures with kind 'claimed'.
 */
export function extractMultilingual(text: string, input: ExtractInput & { readonly kind?: DocumentKind | null }, language: MultilingualLanguage, gazetteer: Gazetteer): ExtractedIncident[] {
  const rules = RULES[language];
  const attackWord = first(rules.attack, text);
  if (attackWord === null) return [];
  const claim = isClaim(text, language, input.kind);
  const tokens = tokenize(foldDigits(text));
  const sentences = sentencesOf(text);
  const published = parsePublished(input.published);

  const dates = findDatesIn(text, rules, published);
  const explicit = dates.find((d) => d.kind === 'explicit' && d.range.precision === 'day') ?? dates.find((d) => d.kind === 'relative') ?? dates[0];
  let date: Field<DateRange> | undefined;
  if (explicit !== undefined) date = { value: explicit.range, evidence: [explicit.span], confidence: explicit.kind === 'explicit' ? 0.8 : 0.7 };
  else if (published !== null) {
    const before = new Date(published.getTime() - DAY_MS);
    date = { value: { start: before.toISOString().slice(0, 10), end: published.toISOString().slice(0, 10), precision: 'day' }, evidence: [attackWord], confidence: 0.3 };
  }

  const actors = findActorsMultilingual(text);
  const actorSpans = actors.map((a) => ({ start: a.start, end: a.end }));
  const perpetrators: Field<Perpetrator>[] = [];
  const mentions: Field<TypedText>[] = [];
  if (claim) {
    const group = claimedPerpetrator(text, language);
    if (group !== null) perpetrators.push(group);
  }
  for (const a of actors) {
    mentions.push({ value: { text: a.text }, evidence: [{ start: a.start, end: a.end }], confidence: 0.6 });
    if (perpetrators.some((p) => p.value.actorId === a.actorId)) continue;
    const sentence = sentences.find((s) => s.start <= a.start && a.end <= s.end) ?? { start: 0, end: text.length };
    const body = text.slice(sentence.start, sentence.end);
    const attribution: Perpetrator['attribution'] = claim || rules.claimVerb.test(body) ? 'claimed' : rules.blameVerb.test(body) ? 'suspected' : 'attributed';
    perpetrators.push({
      value: { name: a.name, actorId: a.actorId, attribution, attributedBy: attribution === 'claimed' ? a.name : null },
      evidence: [{ start: a.start, end: a.end }],
      confidence: attribution === 'claimed' ? 0.75 : 0.6,
    });
  }

  const dateSpans = dates.map((d) => d.span);
  const location = chooseLocation(findPlacesIn(text, tokens, rules, gazetteer, actorSpans), gazetteer);
  const casualties = readCasualties(text, tokens, rules, dateSpans, claim ? 'claimed' : 'reported');

  const attackTypes: Field<AttackType>[] = [];
  const weaponTypes: Field<WeaponType>[] = [];
  const bomb = first(rules.bombing, text);
  const assault = first(rules.assault, text);
  if (bomb !== null) {
    attackTypes.push({ value: 'bombing', evidence: [bomb], confidence: 0.6 });
    weaponTypes.push({ value: 'explosives', evidence: [bomb], confidence: 0.6 });
  } else if (assault !== null) {
    attackTypes.push({ value: 'armed_assault', evidence: [assault], confidence: 0.5 });
  }

  const fields: MentionFields = {
    perpetrators,
    attackTypes,
    targetTypes: [],
    weaponTypes,
    victims: [],
    targets: [],
    weapons: [],
    perpetratorMentions: mentions.filter((m, i) => !mentions.slice(0, i).some((o) => o.evidence[0] !== undefined && m.evidence[0] !== undefined && overlaps(o.evidence[0], m.evidence[0]))),
  };
  if (date !== undefined) fields.date = date;
  if (location !== undefined) fields.location = location;
  if (casualties.killed !== undefined) fields.killed = casualties.killed;
  if (casualties.wounded !== undefined) fields.wounded = casualties.wounded;
  const known = [fields.date, fields.location, fields.killed, perpetrators[0]].filter((f) => f !== undefined).length;
  return [{ span: { start: 0, end: text.length }, fields, confidence: Math.round(Math.min(0.9, 0.3 + 0.12 * known) * 100) / 100 }];
}
