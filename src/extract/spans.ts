import type { Span } from '../core/model.js';

/** A regular-expression hit with its span in the searched text. */
export interface Hit {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly groups: readonly (string | undefined)[];
}

/** Every hit of a global pattern in `text`, offset by `base` (for searching inside a sentence). */
export function hits(pattern: RegExp, text: string, base = 0): Hit[] {
  if (!pattern.global) throw new Error('hits() needs a global pattern');
  const out: Hit[] = [];
  for (const m of text.matchAll(pattern)) {
    if (m[0] === '') continue;
    out.push({ text: m[0], start: base + m.index, end: base + m.index + m[0].length, groups: m.slice(1) });
  }
  return out;
}

/** The span of a hit. */
export function spanOf(hit: { start: number; end: number }): Span {
  return { start: hit.start, end: hit.end };
}

/** The span with surrounding white space removed, or null when nothing is left. */
export function trimSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /[\s,;:]/.test(text[e - 1] ?? '')) e--;
  return e > s ? { start: s, end: e } : null;
}

/** True when `span` lies inside `outer`. */
export function within(span: Span, outer: Span): boolean {
  return span.start >= outer.start && span.end <= outer.end;
}
