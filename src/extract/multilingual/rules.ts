/** The languages the multilingual reader handles (English has its own extractor). */
export const MULTILINGUAL_LANGUAGES = ['ru', 'ar', 'fa', 'tg', 'uz'] as const;
export type MultilingualLanguage = (typeof MULTILINGUAL_LANGUAGES)[number];

export function isMultilingual(language: string | null | undefined): language is MultilingualLanguage {
  return language != null && (MULTILINGUAL_LANGUAGES as readonly string[]).includes(language);
}

/** Letters of any script, for word boundaries that JavaScript's `\b` (ASCII only) cannot draw. */
export const L = '[\\p{L}\\p{M}\\p{N}]';
/** Start and end of a word in any script. */
export const WB = `(?<!${L})`;
export const WE = `(?!${L})`;

/** A casualty keyword and where its number usually stands. */
export interface CasualtyRule {
  /** The keyword, without word boundaries (added by the reader). */
  readonly pattern: string;
  /** 'after' when the number usually follows ("погибли пять"), 'before' when it precedes ("۵ نفر کشته"). */
  readonly numberFirst: 'after' | 'before';
  /** The figure when the keyword stands alone in the singular ("погиб полицейский"): 1. */
  readonly singular?: boolean;
}

/** What the multilingual reader needs to know about one language. */
export interface LanguageRules {
  readonly code: MultilingualLanguage;
  /** Number words (keys folded with `wordKey`). */
  readonly numbers: ReadonlyMap<string, number>;
  /** Vague quantities ("десятки", "عشرات"): a lower bound only, as in English "dozens" (keys folded with `wordKey`). */
  readonly vague: ReadonlyMap<string, number>;
  /** The forms of a word to try in the number table (case endings, conjunction prefixes stripped). */
  readonly numberForms: (word: string) => string[];
  /** Words before a number that make it a lower bound ("не менее", "على الأقل"). */
  readonly atLeast: RegExp;
  /** Words before a number that make it approximate ("около", "نحو"). */
  readonly about: RegExp;
  readonly killed: readonly CasualtyRule[];
  readonly wounded: readonly CasualtyRule[];
  /** Words that end a casualty clause (conjunctions written apart). */
  readonly clauseBreak: RegExp;
  /** Words that report an attack or a violent death: a report without any is not about an incident. */
  readonly attack: RegExp;
  /** Explosion words (attack type bombing) and gunfire or assault words (armed assault). */
  readonly bombing: RegExp;
  readonly assault: RegExp;
  /** Month names: each pattern (without boundaries) with its month number 1-12. */
  readonly months: readonly (readonly [string, number])[];
  /** Solar Hijri month names (Persian and Dari), month numbers 1-12. */
  readonly solarMonths?: readonly (readonly [string, number])[];
  /** Words after a year ("года", "سنة", "-yil"). */
  readonly yearWord: string;
  /** Words that date relative to publication, with their offset in days (вчера -1). */
  readonly relative: readonly (readonly [string, number])[];
  /** Weekday names with their JavaScript day number (Sunday 0). */
  readonly weekdays: readonly (readonly [string, number])[];
  /** A word (or prefix) that introduces a place: "в", "في", "در". Matched right before the name. */
  readonly placeIntro: RegExp;
  /** Words for a first-level region, in the form used before its name ("провинции", "ولاية"). */
  readonly regionWord: RegExp;
  /** Words for a town or district before its name ("городе", "مدينة"). */
  readonly townWord: RegExp;
  /** Forms of a place word to look up: "Кабуле" -> Кабул, "بالموصل" -> الموصل, "Kobulda" -> Kobul. */
  readonly placeForms: (word: string) => string[];
  /** Whether place names must start with a capital (scripts with case). */
  readonly cased: boolean;
  /** A group claims the attack: "взяла на себя ответственность", "تبنى", "مسئولیت ... را بر عهده گرفت". */
  readonly claimVerb: RegExp;
  /** Officials blame or suspect a group: "обвинили", "اتهم", "متهم". */
  readonly blameVerb: RegExp;
}
