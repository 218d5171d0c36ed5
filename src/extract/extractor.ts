import type { AttackType } from '../core/codebook.js';
import type { MentionFields, Span } from '../core/model.js';
import { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
import { detectAttackTypes } from './attack-types.js';
import { extractCasualties } from './casualties.js';
import { extractDate, findDates, parsePublished } from './dates.js';
import { findEvent, hasAttackWord, notAnEvent, OTHER_ATTACK } from './incident-gate.js';
import { toFields } from './keyword-rules.js';
import { blankMarkup } from './markup.js';
import { extractPerpetrators } from './perpetrators.js';
import { extractLowercaseRoles, isCaseless } from './lowercase-roles.js';
import { extractLocation } from './places.js';
import { detectLanguage } from './language.js';
import { asClaim, extractMultilingual, isMultilingual } from './multilingual/index.js';
import { splitSentences } from './sentences.js';
import { extractSuicide } from './suicide.js';
import { detectTargetTypes, targetMentions } from './target-types.js';
import type { ExtractInput, ExtractedIncident, Extractor } from './types.js';
import { detectWeaponTypes, impliedWeapon, weaponMentions } from './weapon-types.js';

const INFRASTRUCTURE = /\b(?:infrastructure|(?:electricity|power|transmission|telecom(?:munications?)?|mobile|cell(?:phone)?|radio)\s+(?:towers?|masts?|lines?|pylons?|stations?|grid)|pipelines?|headquarters|offices?|buildings?|facilit(?:y|ies))\b/i;

/** The name and version recorded on every mention this extractor makes. */
export const EXTRACTOR_NAME = 'vigil-rules@0.1.0';

/** Options of the rule-based extractor. */
export interface ExtractorOptions {
  /** The gazetteer to resolve places with (default: the process-wide one, loaded on first use). */
  readonly gazetteer?: Gazetteer;
}

/**
 * The rule-based extractor of the walking skeleton: one incident per report that reports an attack
 * (the whole text as its span), with every field backed by evidence spans into the text.
 */
export function createExtractor(options: ExtractorOptions = {}): Extractor {
  let gazetteer = options.gazetteer;
  return {
    name: EXTRACTOR_NAME,
    extract(input: ExtractInput): ExtractedIncident[] {
      gazetteer ??= loadGazetteer();
      return extractIncidents(input, gazetteer);
    },
  };
}

function extractIncidents(input: ExtractInput, gazetteer: Gazetteer): ExtractedIncident[] {
  const text = blankMarkup(input.text);
  if (text.trim() === '') return [];
  // Russian, Arabic, Persian, Tajik and Uzbek reports go to the multilingual reader; a group's own claim in English keeps its figures as claimed
  const language = input.language != null && input.language !== '' ? input.language.toLowerCase().slice(0, 2) : detectLanguage(text).language;
  if (isMultilingual(language)) return extractMultilingual(text, input, language, gazetteer);
  return asClaim(text, extractEnglish(text, input, gazetteer), input.kind);
}

function extractEnglish(text: string, input: ExtractInput, gazetteer: Gazetteer): ExtractedIncident[] {
  const sentences = splitSentences(text);
  const whole = readIncident(text, sentences, input, gazetteer, { start: 0, end: text.length });
  const main = whole[0];
  if (main === undefined || isCaseless(text)) return whole;
  const published = parsePublished(input.published);
  const others = findOtherEvents(text, sentences, main, published, gazetteer, input);
  if (others.length === 0) return whole;
  const covered = others.flat();
  const outside = sentences.filter((s) => !covered.some((c) => c.start === s.start));
  const rest = readIncident(keepOnly(text, outside), outside, input, gazetteer, { start: 0, end: text.length });
  const out: ExtractedIncident[] = rest.length > 0 ? rest : whole;
  for (const cluster of others) {
    const first = cluster[0];
    const last = cluster[cluster.length - 1];
    if (first === undefined || last === undefined) continue;
    // "two days after three policemen were killed": the phrase that dates it from the main event is not its own
    const own = keepOnly(text, cluster).replace(RELATIVE_TO_MAIN, (m) => ' '.repeat(m.length));
    for (const incident of readIncident(own, cluster, input, gazetteer, { start: first.start, end: last.end })) {
      // an earlier attack without a date of its own is not dated from the publication day
      const date = incident.fields.date;
      if (date !== undefined && date.confidence < 0.5 && cluster.some((c) => BACKGROUND.test(text.slice(c.start, c.end)))) delete incident.fields.date;
      out.push(incident);
    }
  }
  return out;
}

/** The text with everything outside the given sentences blanked by spaces (offsets unchanged). */
function keepOnly(text: string, keep: readonly Span[]): string {
  const chars = text.replace(/[^\n]/g, ' ').split('');
  for (const s of keep) for (let i = s.start; i < s.end; i++) chars[i] = text[i] ?? ' ';
  return chars.join('');
}

/** A sentence that announces another attack than the one reported before it. */
const SEPARATE = /\b(?:a\s+second|a\s+third|another|a\s+separate|in\s+a\s+separate|separately|elsewhere|in\s+a\s+related)\b/i;
/** A sentence that opens with its own date: "In October 2023, ...", "Last month, ...". */
const DATED_OPENING = /^\s*(?:(?:In|On|During|Last|Earlier\s+this)\s+)?(?:\p{L}+\s+)?(?:(?:19|20)\d\d|month|year|week|January|February|March|April|May|June|July|August|September|October|November|December)\b/iu;
const MIN_GAP_DAYS = 5;
/** A time dated from the main event: "two days after", "days before". */
const RELATIVE_TO_MAIN = /\b(?:(?:two|three|four|five|six|seven|several|\d+|a\s+few)\s+)?(?:hours?|days?|weeks?|months?)\s+(?:after|before)\b/gi;
const BACKGROUND = new RegExp(`${OTHER_ATTACK.source}|${RELATIVE_TO_MAIN.source}`, 'i');
/** The main event named as the reference point: "two days before the attack", "after the bombing". */
const ABOUT_MAIN = /\b(?:before|after|since|ahead\s+of|prior\s+to)\s+(?:the|this|that|Sunday's|Monday's|Tuesday's|Wednesday's|Thursday's|Friday's|Saturday's)\s+(?:\w+\s+)?(?:attack|assault|bombing|blast|explosion|shooting|raid|ambush|killings?|massacre)\b/i;

/**
 * Sentences that report another attack than the main one, grouped by event: a sentence with an
 * attack word that has its own explicit date ending days before the main event's date, or that
 * announces another attack ("a second bomb", "a previous attack") in another place than the main
 * one. A sentence that opens a paragraph takes the rest of its paragraph with it.
 */
function findOtherEvents(text: string, sentences: readonly Span[], main: ExtractedIncident, published: Date | null, gazetteer: Gazetteer, input: ExtractInput): Span[][] {
  const mainDate = main.fields.date?.value;
  const mainStart = mainDate === undefined ? null : Date.parse(mainDate.start);
  const mainPlace = main.fields.location?.value;
  const dates = findDates(text, published);
  const clusters: { sentences: Span[]; key: string }[] = [];
  let firstEventSeen = false;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i];
    if (s === undefined) continue;
    const body = text.slice(s.start, s.end);
    if (!hasAttackWord(body) || notAnEvent(body) !== null) continue;
    if (!firstEventSeen) {
      firstEventSeen = true;
      continue;
    }
    if (clusters.some((c) => c.sentences.some((x) => x.start === s.start)) || ABOUT_MAIN.test(body)) continue;
    const own = dates.find((d) => d.span.start >= s.start && d.span.end <= s.end);
    const earlier =
      own !== undefined &&
      mainStart !== null &&
      Date.parse(own.range.end) < mainStart - MIN_GAP_DAYS * 86_400_000 &&
      (DATED_OPENING.test(body) || OTHER_ATTACK.test(body) || SEPARATE.test(body));
    let key: string | null = earlier && own !== undefined ? `${own.range.start}/${own.range.end}` : null;
    if (key === null && (SEPARATE.test(body) || OTHER_ATTACK.test(body))) {
      const place = extractLocation(keepOnly(text, [s]), [s], gazetteer, { allLanguages: false, exclude: [], eventSentences: [s] })?.value;
      if (
        place?.name != null &&
        mainPlace?.name != null &&
        place.name !== mainPlace.name &&
        place.name !== mainPlace.admin1 &&
        (place.precision === 'city' || place.precision === 'exact') &&
        new RegExp(`\\b(?:in|near|at|of)\\s+(?:the\\s+)?(?:\\S+\\s+){0,2}${place.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(body)
      ) {
        key = `place:${place.name}`;
      }
    }
    if (key === null) continue;
    const cluster: Span[] = [s];
    // a paragraph that opens with the other attack is about it to its end
    const before = text.slice(0, s.start);
    if (i === 0 || /\n\s*\n\s*$/.test(before)) {
      for (let j = i + 1; j < sentences.length; j++) {
        const n = sentences[j];
        if (n === undefined || /\n\s*\n/.test(text.slice(cluster[cluster.length - 1]?.end ?? n.start, n.start))) break;
        cluster.push(n);
      }
    }
    const same = clusters.find((c) => c.key === key);
    if (same !== undefined) same.sentences.push(...cluster);
    else clusters.push({ sentences: cluster, key });
  }
  void input;
  return clusters.map((c) => c.sentences.sort((a, b) => a.start - b.start));
}

function readIncident(text: string, sentences: readonly Span[], input: ExtractInput, gazetteer: Gazetteer, span: Span): ExtractedIncident[] {
  if (text.trim() === '') return [];
  const event = findEvent(text, sentences);
  const caseless = isCaseless(text) ? extractLowercaseRoles(text) : null;
  if (event === null) {
    if (caseless === null || !caseless.attack) return [];
    const fields: MentionFields = { ...caseless, attackTypes: [], targetTypes: [], weaponTypes: [] };
    return [{ span, fields, confidence: 0.3 }];
  }
  const firstTrigger: Span = event.triggers[0] ?? { start: 0, end: Math.min(text.length, 1) };
  const published = parsePublished(input.published);

  const perpetratorFindings = extractPerpetrators(text, sentences, event.sentences);
  const actorSpans = [...perpetratorFindings.perpetrators.flatMap((p) => p.evidence.slice(0, 1)), ...perpetratorFindings.actorNames.map((a) => ({ start: a.start, end: a.end }))];
  const language = input.language?.toLowerCase() ?? null;
  const location = extractLocation(text, sentences, gazetteer, { allLanguages: language !== null && language !== 'en', exclude: actorSpans, eventSentences: event.sentences });
  const date = extractDate(text, published, event.sentences, firstTrigger);

  const attack = detectAttackTypes(text, event.sentences);
  const primaryAttack: AttackType | undefined = attack[0]?.value;
  const weapons = detectWeaponTypes(text, primaryAttack);
  const implied = weapons.length === 0 ? impliedWeapon(attack[0]) : undefined;
  if (implied !== undefined) weapons.push(implied);
  const firstEventSentence = event.sentences.slice(0, 1);
  const targets = detectTargetTypes(text, firstEventSentence);
  const notAboutThis = sentences.filter((s) => {
    if (event.sentences.some((e) => e.start === s.start)) return false;
    const body = text.slice(s.start, s.end);
    return notAnEvent(body) !== null || OTHER_ATTACK.test(body);
  });
  const casualties = extractCasualties(text, notAboutThis);
  // "Assailants attacked an electricity tower" with nobody hurt: GTD codes an attack on a thing as a facility attack.
  const lead = attack[0];
  const leadSentence = firstEventSentence[0];
  if (
    lead !== undefined &&
    lead.value === 'armed_assault' &&
    lead.confidence < 0.4 &&
    leadSentence !== undefined &&
    INFRASTRUCTURE.test(text.slice(leadSentence.start, leadSentence.end)) &&
    (casualties.killed?.value.best ?? 0) === 0 &&
    (casualties.wounded?.value.best ?? 0) === 0
  ) {
    attack[0] = { ...lead, value: 'facility_attack' };
  }

  const fields: MentionFields = {
    perpetrators: perpetratorFindings.perpetrators,
    attackTypes: toFields(attack),
    targetTypes: toFields(targets),
    weaponTypes: toFields(weapons),
    suicide: extractSuicide(text, firstTrigger),
    victims: casualties.victims,
    targets: targetMentions(text, targets),
    weapons: weaponMentions(text, weapons),
    perpetratorMentions: perpetratorFindings.mentions,
  };
  if (caseless !== null) {
    // no capitals: the role fillers come from the caseless reader
    fields.perpetrators = caseless.perpetrators;
    fields.perpetratorMentions = caseless.perpetratorMentions;
    fields.targets = caseless.targets;
    fields.victims = caseless.victims;
    fields.weapons = caseless.weapons;
  } else if (targets.length === 0 && perpetratorFindings.targetedActors.length > 0) {
    const actor = perpetratorFindings.targetedActors[0];
    if (actor !== undefined) {
      const span = { start: actor.start, end: actor.end };
      fields.targetTypes.push({ value: 'terrorists_militia', evidence: [span], confidence: 0.5 });
      fields.targets.push({ value: { text: actor.text, type: 'terrorists_militia' }, evidence: [span], confidence: 0.5 });
    }
  }
  if (date !== undefined) fields.date = date;
  if (location !== undefined) fields.location = location;
  if (casualties.killed !== undefined) fields.killed = casualties.killed;
  if (casualties.wounded !== undefined) fields.wounded = casualties.wounded;
  if (casualties.perpetratorsKilled !== undefined) fields.perpetratorsKilled = casualties.perpetratorsKilled;

  const known = [fields.date, fields.location, fields.attackTypes[0], fields.killed].filter((f) => f !== undefined);
  const confidence = Math.min(0.95, 0.3 + 0.1 * known.length + 0.05 * Math.min(3, event.triggers.length));
  return [{ span, fields, confidence: Math.round(confidence * 100) / 100 }];
}
