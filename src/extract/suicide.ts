import type { Field, Span } from '../core/model.js';
import { words } from './keyword-rules.js';
import { hits } from './spans.js';

const SUICIDE = words(
  'suicide\\s+(?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vests?|belts?|car\\s+bomb(?:er|ing)?|truck\\s+bomb(?:er|ing)?|operations?|missions?|assault)',
  'blew\\s+(?:himself|herself|themselves)\\s+up',
  'detonated\\s+(?:his|her|their)\\s+(?:explosive|suicide)\\s+(?:vests?|belts?)',
  'self-detonat(?:ed|ion)',
  'inghimasi',
);

/**
 * The suicide flag: true with evidence when the text describes a suicide attack; false, with the
 * event phrase as evidence, when it reports an attack without any such words.
 */
export function extractSuicide(text: string, eventEvidence: Span): Field<boolean> {
  const found = hits(SUICIDE, text);
  if (found.length > 0) return { value: true, evidence: found.slice(0, 3).map((h) => ({ start: h.start, end: h.end })), confidence: 0.85 };
  return { value: false, evidence: [eventEvidence], confidence: 0.6 };
}
