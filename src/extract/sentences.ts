import type { Span } from '../core/model.js';

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'sgt', 'cpl', 'pvt', 'adm', 'gov', 'sen', 'rep', 'rev',
  'st', 'mt', 'ft', 'jr', 'sr', 'no', 'vs', 'etc', 'approx', 'dept', 'est', 'inc', 'ltd', 'co', 'corp', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'u.n', 'e.g', 'i.e', 'a.m', 'p.m',
]);

/**
 * Splits a text into sentence spans: a sentence ends at `.`, `!` or `?` (with closing quotes or
 * brackets) followed by white space and a capital, digit or quote, except after common
 * abbreviations and single initials; line breaks with a blank line also end a sentence.
 */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const boundary = /([.!?]+)["'\u201D\u2019)\]]*(\s+)(?=["'\u201C\u2018([]?[\p{Lu}\p{N}])|\n\s*\n/gu;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + m[0].length - (m[2]?.length ?? 0);
    if (m[1] !== undefined && m[1] === '.') {
      const before = text.slice(start, m.index);
      const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
      if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word)) continue;
    }
    pushTrimmed(text, start, m[1] === undefined ? m.index : end, out);
    start = m.index + m[0].length;
  }
  pushTrimmed(text, start, text.length, out);
  return out;
}

function pushTrimmed(text: string, start: number, end: number, out: Span[]): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  if (e > s) out.push({ start: s, end: e });
}

/** The index of the sentence that contains offset `at`, or -1. */
export function sentenceIndexAt(sentences: readonly Span[], at: number): number {
  return sentences.findIndex((s) => at >= s.start && at < s.end);
}
