import { ACTORS, findActors, longestFirst, type ActorMatch } from '../../actors/index.js';
import type { Actor } from '../../core/model.js';
import { L } from './rules.js';

interface Compiled {
  readonly pattern: RegExp;
  readonly actor: Actor;
  readonly length: number;
}

let compiled: Compiled[] | undefined;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A letter class that accepts every Arabic-script spelling of the letter (hamza forms, kaf, yeh, teh marbuta). */
function arabicLetter(ch: string): string {
  if ('اأإآٱ'.includes(ch)) return '[اأإآٱ]';
  if ('يیى'.includes(ch)) return '[يیى]';
  if ('كک'.includes(ch)) return '[كک]';
  if ('ةه'.includes(ch)) return '[ةه]';
  return escape(ch);
}

/**
 * The pattern of a non-Latin alias: Cyrillic words match with their case endings (the stem less its
 * final vowels plus up to three letters: "Исламского государства" for "Исламское государство");
 * Arabic-script names with their attached conjunction, preposition or article-fused "لل".
 */
function aliasPattern(name: string): string | null {
  if (/[\u0400-\u04FF]/u.test(name)) {
    const words = name.split(/[\s\u2010-]+/u).map((w) => {
      if (w.length <= 3 || /^\p{Lu}+$/u.test(w)) return escape(w);
      const stem = w.replace(/[аеёиоуыэюяйь]{1,2}$/iu, '');
      return `${escape(stem)}\\p{L}{0,3}`;
    });
    return `(?<!${L})(${words.join('[\\s\\u2010-]+')})(?!${L})`;
  }
  if (/[\u0600-\u06FF]/u.test(name)) {
    const letters = (s: string): string => [...s].map((ch) => (/\s/u.test(ch) ? '[\\s\\u200C]+' : arabicLetter(ch))).join('');
    // "للدولة": the preposition li- fused with the article drops its alef
    if (name.startsWith('ال')) return `(?<!${L})(?:[وف]?[بك]?(${letters(name)})|[وف]?ل(${letters(name.slice(1))}))(?!${L})`;
    return `(?<!${L})(?:[وف]?[بلك]?)?(${letters(name)})(?!${L})`;
  }
  if (/[\u02BB\u02BC\u2018\u2019']/u.test(name) || /^[A-Za-z' -]+$/u.test(name)) {
    // Uzbek Latin aliases: apostrophe variants and case suffixes ("Tolibonning")
    const body = escape(name).replace(/['\u02BB\u02BC\u2018\u2019]/gu, "['\u02BB\u02BC\u2018\u2019]").replace(/\\-| /g, '[\\s\\u2010-]+');
    return `(?<!${L})(${body})(?:lar|ning|ni|ga|dan|da)?(?!${L})`;
  }
  return null;
}

function compile(): Compiled[] {
  if (compiled !== undefined) return compiled;
  compiled = [];
  for (const actor of ACTORS) {
    for (const alias of actor.aliases) {
      if (alias.language === 'en' || alias.language == null) continue;
      const source = aliasPattern(alias.name);
      if (source === null) continue;
      const flags = /^\p{Lu}+$/u.test(alias.name) ? 'gu' : 'giu';
      compiled.push({ pattern: new RegExp(source, flags), actor, length: alias.name.length });
    }
  }
  return compiled;
}

/**
 * Every actor named in a text written in Russian, Arabic, Persian, Tajik or Uzbek: the registry's
 * aliases in those languages with their inflections and attached particles, plus the registry's
 * Latin names and acronyms ("ИГИЛ", "ISIS"); where matches overlap, the longest wins. Spans cover
 * the name without its attached particles.
 */
export function findActorsMultilingual(text: string): ActorMatch[] {
  const found: ActorMatch[] = [...findActors(text)];
  for (const c of compile()) {
    c.pattern.lastIndex = 0;
    for (const m of text.matchAll(c.pattern)) {
      const inner = m[1] ?? m[2] ?? m[0];
      const start = m.index + m[0].indexOf(inner);
      found.push({ actorId: c.actor.id, name: c.actor.name, text: inner, start, end: start + inner.length });
    }
  }
  return longestFirst(found);
}
