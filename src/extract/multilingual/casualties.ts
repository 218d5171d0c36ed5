import type { Count, Field, Span } from '../../core/model.js';
import { readNumber, wordKey } from './numerals.js';
import type { CasualtyRule, LanguageRules } from './rules.js';
import { L } from './rules.js';
import { breaksBetween, overlaps, type Token } from './text.js';

const WINDOW = 5;

interface Keyword {
  readonly span: Span;
  readonly rule: CasualtyRule;
  readonly field: 'killed' | 'wounded';
}

function keywords(text: string, rules: LanguageRules): Keyword[] {
  const out: Keyword[] = [];
  for (const field of ['killed', 'wounded'] as const) {
    for (const rule of rules[field]) {
      const re = new RegExp(`(?<!${L})(?:${rule.pattern})(?!${L})`, 'giu');
      for (const m of text.matchAll(re)) out.push({ span: { start: m.index, end: m.index + m[0].length }, rule, field });
    }
  }
  out.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  return out.filter((k, i) => !out.slice(0, i).some((o) => overlaps(o.span, k.span)));
}

/** A number found next to a keyword, with its token span. */
interface NumberHit {
  readonly value: number;
  readonly span: Span;
  readonly vague?: boolean;
}

function numberAt(tokens: readonly Token[], i: number, rules: LanguageRules): NumberHit | null {
  const words = tokens.slice(i, i + 3).map((t) => t.text);
  const n = readNumber(words, rules.numbers, rules.numberForms);
  if (n === null) {
    const first = tokens[i];
    const vague = first === undefined ? undefined : rules.numberForms(first.text).map((w) => rules.vague.get(wordKey(w))).find((v) => v !== undefined);
    return first === undefined || vague === undefined ? null : { value: vague, span: { start: first.start, end: first.end }, vague: true };
  }
  const last = tokens[i + n.used - 1] ?? tokens[i];
  const first = tokens[i];
  if (first === undefined || last === undefined) return null;
  return { value: n.value, span: { start: first.start, end: last.end } };
}

function figure(text: string, hit: NumberHit, rules: LanguageRules, kind: Count['kind']): Count {
  if (hit.vague === true) return { low: hit.value, best: null, high: null, kind };
  const before = text.slice(Math.max(0, hit.span.start - 40), hit.span.start);
  if (rules.atLeast.test(before)) return { low: hit.value, best: hit.value, high: null, kind };
  if (rules.about.test(before)) return { low: null, best: hit.value, high: null, kind };
  return { low: hit.value, best: hit.value, high: hit.value, kind };
}

/**
 * Killed and wounded figures: the number next to each casualty keyword, searched first on the side
 * the language usually puts it ("погибли пять человек", "۵ نفر کشته شدند"), then on the other,
 * within four words and never across punctuation, a conjunction written apart, another casualty
 * keyword or a date. A singular keyword without a number is one ("погиб полицейский"). The first
 * keyword with a figure gives each field.
 */
export function readCasualties(text: string, tokens: readonly Token[], rules: LanguageRules, exclude: readonly Span[], kind: Count['kind']): { killed?: Field<Count>; wounded?: Field<Count> } {
  const out: { killed?: Field<Count>; wounded?: Field<Count> } = {};
  const found = keywords(text, rules);
  const blocked = (t: Token): boolean => exclude.some((e) => overlaps(e, t)) || found.some((k) => overlaps(k.span, t));
  for (const k of found) {
    if (out[k.field] !== undefined || exclude.some((e) => overlaps(e, k.span))) continue;
    const first = tokens.findIndex((t) => t.end > k.span.start);
    const lastIdx = tokens.findIndex((t) => t.start >= k.span.end);
    const after = (): NumberHit | null => {
      let prevEnd = k.span.end;
      for (let i = lastIdx, n = 0; i >= 0 && i < tokens.length && n < WINDOW; i++, n++) {
        const t = tokens[i];
        if (t === undefined || breaksBetween(text, prevEnd, t.start) || rules.clauseBreak.test(t.text) || blocked(t)) return null;
        const hit = numberAt(tokens, i, rules);
        if (hit !== null) return hit;
        prevEnd = t.end;
      }
      return null;
    };
    const before = (): NumberHit | null => {
      let nextStart = k.span.start;
      for (let i = first - 1, n = 0; i >= 0 && n < WINDOW; i--, n++) {
        const t = tokens[i];
        if (t === undefined || breaksBetween(text, t.end, nextStart) || rules.clauseBreak.test(t.text) || blocked(t)) return null;
        const hit = numberAt(tokens, i, rules);
        // "وقتلوا 6 عناصر وأصابوا آخرين": a number right after another keyword is that keyword's
        if (hit !== null && found.some((o) => o !== k && o.rule.numberFirst === 'after' && o.span.end <= hit.span.start && /^\s*$/u.test(text.slice(o.span.end, hit.span.start)))) return null;
        if (hit !== null) {
          // "двадцать пять": the tens word before the units word
          const wider = i > 0 ? numberAt(tokens, i - 1, rules) : null;
          if (wider !== null && wider.span.end === hit.span.end && !blocked(tokens[i - 1] as Token)) return wider;
          return hit;
        }
        nextStart = t.start;
      }
      return null;
    };
    const hit = k.rule.numberFirst === 'after' ? (after() ?? before()) : (before() ?? after());
    if (hit !== null) {
      const span = { start: Math.min(hit.span.start, k.span.start), end: Math.max(hit.span.end, k.span.end) };
      out[k.field] = { value: figure(text, hit, rules, kind), evidence: [span], confidence: 0.7 };
    } else if (k.rule.singular === true) {
      out[k.field] = { value: { low: 1, best: 1, high: 1, kind }, evidence: [k.span], confidence: 0.5 };
    }
  }
  return out;
}
