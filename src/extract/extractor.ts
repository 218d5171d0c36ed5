import type { AttackType } from '../core/codebook.js';
import type { MentionFields, Span } from '../core/model.js';
import { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
import { detectAttackTypes } from './attack-types.js';
import { extractCasualties } from './casualties.js';
import { extractDate, parsePublished } from './dates.js';
import { findEvent, notAnEvent, OTHER_ATTACK } from './incident-gate.js';
import { toFields } from './keyword-rules.js';
import { blankMarkup } from './markup.js';
import { extractPerpetrators } from './perpetrators.js';
import { extractLowercaseRoles, isCaseless } from './lowercase-roles.js';
import { extractLocation } from './places.js';
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
  const sentences = splitSentences(text);
  const event = findEvent(text, sentences);
  const caseless = isCaseless(text) ? extractLowercaseRoles(text) : null;
  if (event === null) {
    if (caseless === null || !caseless.attack) return [];
    const fields: MentionFields = { ...caseless, attackTypes: [], targetTypes: [], weaponTypes: [] };
    return [{ span: { start: 0, end: text.length }, fields, confidence: 0.3 }];
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
  return [{ span: { start: 0, end: text.length }, fields, confidence: Math.round(confidence * 100) / 100 }];
}
