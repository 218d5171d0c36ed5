import type { Field, Span } from '../core/model.js';
import { hits } from './spans.js';

/** A codebook value and the words that signal it. */
export interface KeywordRule<T extends string> {
  readonly value: T;
  readonly pattern: RegExp;
  /** How sure a hit makes the extractor (default 0.7). */
  readonly confidence?: number;
}

/** A value found by keyword rules, with all its hits. */
export interface RuleMatch<T extends string> {
  readonly value: T;
  readonly evidence: Span[];
  readonly first: number;
  readonly confidence: number;
}

/** Builds a case-insensitive, word-bounded, global pattern from alternatives. */
export function words(...alternatives: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

/** Every rule value with at least one hit in `text`, in rule order, each with its evidence. */
export function matchRules<T extends string>(text: string, rules: readonly KeywordRule<T>[], scope?: readonly Span[]): RuleMatch<T>[] {
  const out: RuleMatch<T>[] = [];
  for (const rule of rules) {
    const found = hits(rule.pattern, text).filter((h) => scope === undefined || scope.some((s) => h.start >= s.start && h.end <= s.end));
    if (found.length === 0) continue;
    const existing = out.find((m) => m.value === rule.value);
    const evidence = found.map((h) => ({ start: h.start, end: h.end }));
    if (existing !== undefined) {
      existing.evidence.push(...evidence);
      continue;
    }
    out.push({ value: rule.value, evidence, first: Math.min(...evidence.map((e) => e.start)), confidence: rule.confidence ?? 0.7 });
  }
  return out;
}

/** Rule matches as model fields. */
export function toFields<T extends string>(matches: readonly RuleMatch<T>[]): Field<T>[] {
  return matches.map((m) => ({ value: m.value, evidence: m.evidence.slice(0, 3), confidence: m.confidence }));
}
