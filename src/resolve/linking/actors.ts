import { findActors, getActor } from '../../actors/index.js';
import { foldName } from '../../gazetteer/index.js';

/**
 * Perpetrator names for linking: registry ids where the name resolves (aliases included), else a
 * normalised name. Qualifiers such as "(suspected)" are dropped, and "Taliban or Islamic State"
 * gives both. Names that say nothing about who ("Unknown", "gunmen", "militants") give nothing.
 */

const QUALIFIERS = /\((?:suspected|claimed|alleged|unconfirmed|disputed|presumed|probable|likely)\)|\b(?:suspected|alleged|presumed|claimed)\b/gi;
const UNINFORMATIVE = new Set([
  'unknown', 'none', 'gunmen', 'gunman', 'militants', 'militant', 'insurgents', 'unidentified', 'unknown gunmen',
  'other', 'individual', 'lone wolf', 'terrorists', 'islamists', 'islamist', 'islamic militants', 'unknown islamists',
  'jihadists', 'jihadist', 'extremists', 'separatists', 'rebels', 'attackers', 'assailants', 'not claimed',
]);

/** Actor ids or normalised names in a perpetrator text. */
export function resolveActorNames(text: string | null | undefined): string[] {
  if (text === null || text === undefined) return [];
  const cleaned = text.replace(QUALIFIERS, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned === '') return [];
  const out = new Set<string>();
  const matches = findActors(cleaned);
  for (const match of matches) out.add(match.actorId);
  if (out.size > 0) return [...out].sort();
  for (const part of cleaned.split(/\s*(?:,|;|\/|\bor\b|\band\b)\s*/i)) {
    const name = foldName(part.replace(/\([^)]*\)/g, ' ')).trim();
    if (name === '' || UNINFORMATIVE.has(name)) continue;
    out.add(`name:${name}`);
  }
  return [...out].sort();
}

function lineage(id: string): string[] {
  const out: string[] = [];
  let current: string | null | undefined = id;
  while (current !== null && current !== undefined && !out.includes(current)) {
    out.push(current);
    current = getActor(current)?.parentId;
  }
  return out;
}

const NAME_STOP = new Set(['the', 'of', 'and', 'in', 'for', 'de', 'la', 'del', 'front', 'forces', 'force', 'army', 'group', 'movement', 'party', 'extremists', 'militants', 'liberation', 'national', 'people', 'peoples', 'islamic']);

/** The significant word stems of an unresolved name ("Ambazonia Defense Forces" and "Ambazonia Defence Forces" share "ambazon"). */
function stems(name: string): Set<string> {
  const out = new Set<string>();
  for (const word of name.slice('name:'.length).split(' ')) {
    if (word.length < 4 || NAME_STOP.has(word)) continue;
    out.add(word.slice(0, 6));
  }
  return out;
}

/** How two actors compare: `same` (one id, or a name and its spelling), `compatible` (a branch and its parent), `conflict`, or `unknown`. */
export function compareActor(a: string, b: string): 'same' | 'compatible' | 'conflict' | 'unknown' {
  if (a === b) return 'same';
  const aName = a.startsWith('name:');
  const bName = b.startsWith('name:');
  if (!aName && !bName) {
    const la = lineage(a);
    const lb = lineage(b);
    if (la.includes(b) || lb.includes(a)) return 'compatible';
    return 'conflict';
  }
  if (aName && bName) {
    const sa = stems(a);
    for (const s of stems(b)) if (sa.has(s)) return 'same';
    return 'unknown';
  }
  return 'unknown';
}

/** The best relation between two actor lists: any same or compatible pair wins over a conflict. */
export function compareActors(a: readonly string[], b: readonly string[]): { relation: 'same' | 'compatible' | 'conflict' | 'unknown'; actor: string | null } {
  if (a.length === 0 || b.length === 0) return { relation: 'unknown', actor: null };
  let best: { relation: 'same' | 'compatible' | 'conflict' | 'unknown'; actor: string | null } = { relation: 'unknown', actor: null };
  const rank = { same: 3, compatible: 2, unknown: 1, conflict: 0 } as const;
  let sawUnknown = false;
  let sawConflict = false;
  for (const x of a) {
    for (const y of b) {
      const relation = compareActor(x, y);
      if (relation === 'unknown') sawUnknown = true;
      if (relation === 'conflict') sawConflict = true;
      if (rank[relation] > rank[best.relation] && relation !== 'unknown') best = { relation, actor: x.length <= y.length ? x : y };
    }
  }
  if (best.relation === 'same' || best.relation === 'compatible') return best;
  if (sawConflict && !sawUnknown) return { relation: 'conflict', actor: null };
  return { relation: 'unknown', actor: null };
}
