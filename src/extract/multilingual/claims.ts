import type { Count, Field, Perpetrator, Span } from '../../core/model.js';
import type { DocumentKind } from '../../core/model.js';
import { findActors, getActor, type ActorMatch } from '../../actors/index.js';
import type { ExtractedIncident } from '../types.js';
import { findActorsMultilingual } from './actors.js';

/**
 * Claims: statements in which a group announces its own attack. They are formulaic: an opening
 * that praises God ("بفضل الله تعالى", "by the grace of Allah"), the group's fighters as subject
 * ("جنود الخلافة", "our mujahideen"), and the result in the group's own figures ("مما أدى إلى
 * هلاك ..."). A claim's figures are the group's (kind 'claimed'); its perpetrator is the group,
 * attribution 'claimed', attributed by itself.
 */

const ARABIC_CLAIM = /(?:بفضل\s+الله|بتوفيق\s+(?:من\s+)?الله|بحمد\s+الله|جنود\s+الخلافة|(?:إخوانكم|اخوانكم)\s+المجاهد|مجاهدو|مجاهدي\s+(?:حركة|الدولة|جماعة)|تمكن\s+(?:جنود|مجاهدو|المجاهدون|أسود|اسود|الإخوة|الاخوة)|(?:ولله|فلله)\s+الحمد|وكالة\s+أعماق|وكالة\s+اعماق)/u;
const ENGLISH_CLAIM = /\b(?:our\s+(?:fighters|mujahideen|mujahidin|brothers|soldiers|lions|forces|martyrdom[- ]seekers?)|soldiers\s+of\s+the\s+caliphate|by\s+the\s+grace\s+of\s+(?:Allah|God)|praise\s+be\s+to\s+(?:Allah|God)|all\s+praise\s+is\s+due\s+to\s+(?:Allah|God)|we\s+(?:claim|take|bear|announce)\s+(?:full\s+)?(?:responsibility|our\s+responsibility)|(?:the\s+)?Amaq\s+(?:news\s+)?agency\s+(?:said|reported|stated))\b/i;

/** The self-designations of Islamic State fighters that name the group without its name. */
const IS_SELF = /جنود\s+الخلافة|وكالة\s+أعماق|وكالة\s+اعماق|\bsoldiers\s+of\s+the\s+caliphate\b|\bAmaq\b/iu;

/** Whether a text is a group's own claim of an attack (the document kind 'claim' says so outright). */
export function isClaim(text: string, language: string | null, kind?: DocumentKind | null): boolean {
  if (kind === 'claim') return true;
  if (language === 'ar') return ARABIC_CLAIM.test(text);
  if (language === 'en' || language === null) return ENGLISH_CLAIM.test(text);
  return false;
}

/** The group that makes the claim: the first actor it names, else the Islamic State when its fighters name themselves. */
export function claimant(text: string, language: string | null): { match: ActorMatch | null; selfSpan: Span | null } {
  const actors = language === 'en' || language === null ? findActors(text) : findActorsMultilingual(text);
  const first = actors[0];
  if (first !== undefined) return { match: first, selfSpan: null };
  const self = IS_SELF.exec(text);
  return { match: null, selfSpan: self === null ? null : { start: self.index, end: self.index + self[0].length } };
}

/** The claimed perpetrator field: the group, attribution 'claimed', attributed by itself. */
export function claimedPerpetrator(text: string, language: string | null): Field<Perpetrator> | null {
  const { match, selfSpan } = claimant(text, language);
  if (match !== null) {
    return { value: { name: match.name, actorId: match.actorId, attribution: 'claimed', attributedBy: match.name }, evidence: [{ start: match.start, end: match.end }], confidence: 0.8 };
  }
  if (selfSpan !== null) {
    const is = getActor('islamic-state');
    if (is !== undefined) return { value: { name: is.name, actorId: is.id, attribution: 'claimed', attributedBy: is.name }, evidence: [selfSpan], confidence: 0.7 };
  }
  return null;
}

function asClaimed(count: Field<Count> | undefined): Field<Count> | undefined {
  return count === undefined ? undefined : { ...count, value: { ...count.value, kind: 'claimed' } };
}

/**
 * An English extraction of a claim made into the claim's mention: the figures become the group's
 * own (kind 'claimed') and the claimant stands first among the perpetrators with attribution
 * 'claimed'. Reports about a claim ("the group claimed responsibility") are not claims and are
 * returned unchanged.
 */
export function asClaim(text: string, incidents: ExtractedIncident[], kind?: DocumentKind | null): ExtractedIncident[] {
  if (!isClaim(text, 'en', kind)) return incidents;
  const group = claimedPerpetrator(text, 'en');
  return incidents.map((incident) => {
    const fields = { ...incident.fields };
    const killed = asClaimed(fields.killed);
    const wounded = asClaimed(fields.wounded);
    if (killed !== undefined) fields.killed = killed;
    if (wounded !== undefined) fields.wounded = wounded;
    const others = fields.perpetrators
      .filter((p) => group === null || (p.value.actorId ?? p.value.name) !== (group.value.actorId ?? group.value.name))
      .map((p) => ({ ...p, value: { ...p.value, attribution: 'claimed' as const, attributedBy: p.value.attributedBy ?? p.value.name } }));
    fields.perpetrators = group === null ? others : [group, ...others];
    return { ...incident, fields };
  });
}
