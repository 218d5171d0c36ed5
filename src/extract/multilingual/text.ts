import type { Span } from '../../core/model.js';

/** One word of a text with its offsets. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const TOKEN = /[\p{L}\p{M}\p{N}\u200C]+(?:['\u02BB\u02BC\u2018\u2019\u2010-][\p{L}\p{M}\p{N}\u200C]+)*/gu;

/** The words of a text (letters, digits, joiners; inner hyphens and apostrophes kept). */
export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** Sentences: spans ended by . ! ? ؟ or a blank line, never inside a number ("3.5"). */
export function sentencesOf(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const re = /(?<!\d)[.!?؟।]+(?=\s|$)|\n\s*\n/gu;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    if (text.slice(start, end).trim() !== '') out.push(trim(text, start, end));
    start = end;
  }
  if (text.slice(start).trim() !== '') out.push(trim(text, start, text.length));
  return out;
}

function trim(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}

/** Whether the text between two offsets holds a clause break: punctuation or a line break. */
export function breaksBetween(text: string, from: number, to: number): boolean {
  return /[.,;:!?،؛؟()\n«»"]/u.test(text.slice(from, to));
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
