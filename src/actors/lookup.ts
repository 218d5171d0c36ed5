import type { Actor } from '../core/model.js';
import { ACTORS } from './registry.js';

/** One occurrence of an actor's name in a text. */
export interface ActorMatch {
  readonly actorId: string;
  /** The actor's canonical name. */
  readonly name: string;
  /** The text as written. */
  readonly text: string;
  /** Offsets into the searched text, UTF-16 code units, end exclusive. */
  readonly start: number;
  readonly end: number;
}

interface Matcher {
  readonly pattern: RegExp;
  readonly owners: ReadonlyMap<string, Actor>;
  readonly fold: (s: string) => string;
}

const WORD = '[\\p{L}\\p{N}]';
let cached: { readonly exact: Matcher; readonly loose: Matcher } | undefined;

/** An acronym-like name (one token with at least two capitals: ISKP, LeT, IS-K) is matched as written. */
function isAcronym(name: string): boolean {
  return !/\s/.test(name) && (name.match(/\p{Lu}/gu) ?? []).length >= 2;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for a name that tolerates hyphen/space and apostrophe variants. */
function namePattern(name: string): string {
  return name
    .split('')
    .map((ch) => {
      if (ch === '-' || ch === ' ') return "[\\s\\u2010-\\u2014-]+";
      if (ch === "'" || ch === '\u2019' || ch === '\u2018') return "['\\u2018\\u2019\\u02BC]?";
      return escape(ch);
    })
    .join('');
}

function looseKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['\u2018\u2019\u02BC]/g, '')
    .replace(/[\s\u2010-\u2014-]+/g, ' ');
}

function buildMatcher(names: { name: string; actor: Actor }[], flags: string, fold: (s: string) => string): Matcher {
  const owners = new Map<string, Actor>();
  for (const { name, actor } of names) if (!owners.has(fold(name))) owners.set(fold(name), actor);
  const sorted = [...new Set(names.map((n) => n.name))].sort((a, b) => b.length - a.length);
  const alternation = sorted.map(namePattern).join('|');
  return { pattern: new RegExp(`(?<!${WORD})(?:${alternation})(?!${WORD})`, flags), owners, fold };
}

function matchers(): { readonly exact: Matcher; readonly loose: Matcher } {
  if (cached !== undefined) return cached;
  const exact: { name: string; actor: Actor }[] = [];
  const loose: { name: string; actor: Actor }[] = [];
  for (const actor of ACTORS) {
    for (const alias of [actor.name, ...actor.aliases.map((a) => a.name)]) {
      (isAcronym(alias) ? exact : loose).push({ name: alias, actor });
    }
  }
  const id = (s: string): string => s.replace(/[\s\u2010-\u2014-]+/g, '-');
  cached = { exact: buildMatcher(exact, 'gu', id), loose: buildMatcher(loose, 'giu', looseKey) };
  return cached;
}

/**
 * Every actor named in a text, in text order. Names match at word boundaries; acronyms match
 * case-sensitively, other names case-insensitively and with hyphen, space, apostrophe and accent
 * variants; where matches overlap, the longest wins.
 */
export function findActors(text: string): ActorMatch[] {
  const found: ActorMatch[] = [];
  for (const matcher of [matchers().exact, matchers().loose]) {
    matcher.pattern.lastIndex = 0;
    for (const m of text.matchAll(matcher.pattern)) {
      const owner = lookupOwner(matcher, m[0]);
      if (owner === undefined) continue;
      found.push({ actorId: owner.id, name: owner.name, text: m[0], start: m.index, end: m.index + m[0].length });
    }
  }
  return longestFirst(found);
}

/** Matches in text order where overlapping ones give way to the longest (first on a tie). */
export function longestFirst<T extends { start: number; end: number }>(found: T[]): T[] {
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: T[] = [];
  for (const match of found) {
    const last = out[out.length - 1];
    if (last !== undefined && match.start < last.end) {
      if (match.end - match.start > last.end - last.start) out[out.length - 1] = match;
      continue;
    }
    out.push(match);
  }
  return out;
}

function lookupOwner(matcher: Matcher, text: string): Actor | undefined {
  const key = matcher.fold(text);
  const direct = matcher.owners.get(key);
  if (direct !== undefined) return direct;
  const squeezed = key.replace(/\s+/g, ' ');
  for (const [name, actor] of matcher.owners) if (name.replace(/\s+/g, ' ') === squeezed) return actor;
  return undefined;
}

/** The registry entry of an actor id, or undefined. */
export function getActor(id: string): Actor | undefined {
  return ACTORS.find((a) => a.id === id);
}
