import { franc } from 'franc';

/** The languages Vigil reads, as ISO 639-1 codes. */
export const EXPECTED_LANGUAGES = ['en', 'ar', 'ru', 'fa', 'tg', 'uz', 'fr', 'es'] as const;
export type ExpectedLanguage = (typeof EXPECTED_LANGUAGES)[number];

/** How a language was decided. */
export type DetectionMethod = 'trigrams' | 'script' | 'none';

export interface LanguageGuess {
  /** ISO 639-1 code, or null when the text does not decide. */
  readonly language: ExpectedLanguage | null;
  readonly method: DetectionMethod;
}

/** franc's ISO 639-3 codes for the expected set (Dari `prs` reads as Persian). */
const FROM_639_3: Readonly<Record<string, ExpectedLanguage>> = {
  eng: 'en',
  arb: 'ar',
  rus: 'ru',
  pes: 'fa',
  prs: 'fa',
  tgk: 'tg',
  uzn: 'uz',
  fra: 'fr',
  spa: 'es',
};
const ONLY = Object.keys(FROM_639_3);
/** Latin-script texts: English, French or Spanish by trigrams; Uzbek Latin only by its own words. */
const LATIN_ONLY = ['eng', 'fra', 'spa'];

/** Letters (not digits, spaces or punctuation) below which trigram statistics are noise. */
export const MIN_LETTERS_FOR_TRIGRAMS = 40;
/** Latin-script texts need more: on one short English sentence the trigrams answer French. */
export const MIN_LATIN_LETTERS_FOR_TRIGRAMS = 80;

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
const CYRILLIC = /[\u0400-\u04FF]/gu;
const LATIN = /[A-Za-z\u00C0-\u024F]/gu;
/** Letters Persian writes and Arabic does not: pe, che, zhe, gaf, Persian yeh and keheh. */
const PERSIAN_LETTERS = /[\u067E\u0686\u0698\u06AF\u06CC\u06A9]/u;
/** Letters of Tajik Cyrillic absent from Russian: ӣ ӯ ҳ қ ғ ҷ. */
const TAJIK_LETTERS = /[\u04E3\u04E2\u04EF\u04EE\u04B3\u04B2\u049B\u049A\u0493\u0492\u04B7\u04B6]/u;
/** ў is Uzbek Cyrillic (қ ғ ҳ are shared with Tajik; ӣ ӯ ҷ are not Uzbek). */
const UZBEK_LETTERS = /[\u045E\u040E]/u;
/** Uzbek Latin: oʻ gʻ with the modifier letter or an apostrophe, and the sh/ch digraphs of its words. */
const UZBEK_LATIN = /(?<![A-Za-z])(?:[OoGg][\u02BB\u2018](?=[a-z])|va|bilan|uchun|yilda|yil|kuni|shahrida|viloyatida|tumanida|halok|yaralandi|yarador|hujum|portlash|nafar|kishi)(?![A-Za-z])/gu;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * The text's dominant script and what its letters alone say: Arabic script is Arabic unless it
 * has letters only Persian uses; Cyrillic is Russian unless it has Tajik or Uzbek letters.
 */
function byScript(text: string): { script: 'arabic' | 'cyrillic' | 'latin' | null; language: ExpectedLanguage | null; letters: number } {
  const arabic = count(text, ARABIC_SCRIPT);
  const cyrillic = count(text, CYRILLIC);
  const latin = count(text, LATIN);
  const letters = arabic + cyrillic + latin;
  if (letters === 0) return { script: null, language: null, letters };
  if (arabic >= cyrillic && arabic >= latin) return { script: 'arabic', language: PERSIAN_LETTERS.test(text) ? 'fa' : 'ar', letters: arabic };
  if (cyrillic >= latin) {
    const language = TAJIK_LETTERS.test(text) && !UZBEK_LETTERS.test(text) && /[\u04E3\u04EF\u04B7]/u.test(text) ? 'tg' : UZBEK_LETTERS.test(text) ? 'uz' : TAJIK_LETTERS.test(text) ? 'tg' : 'ru';
    return { script: 'cyrillic', language, letters: cyrillic };
  }
  const marks = new Set((text.match(UZBEK_LATIN) ?? []).map((m) => m.toLowerCase()));
  return { script: 'latin', language: marks.size >= 2 ? 'uz' : null, letters: latin };
}

/**
 * The language of a text among the expected set. Long enough texts are decided by franc's
 * trigram model restricted to the expected languages, with the script's own letters as a check
 * (a Cyrillic text with Tajik-only letters is Tajik whatever the trigrams say); short texts by
 * their script and its telltale letters only. A short Latin-script text without Uzbek marks is
 * undetermined: its script alone does not decide between English, French and Spanish. Uzbek
 * in Latin script is recognised by its words (two distinct of "halok", "viloyatida", "kishi",
 * "oʻ"...), never by trigrams alone, which take short English reports for Uzbek.
 */
export function detectLanguage(text: string): LanguageGuess {
  const script = byScript(text);
  if (script.script === null) return { language: null, method: 'none' };
  // Uzbek Latin by its words: franc's Uzbek model takes short English reports for Uzbek
  if (script.script === 'latin' && script.language === 'uz') return { language: 'uz', method: 'script' };
  if (script.letters >= (script.script === 'latin' ? MIN_LATIN_LETTERS_FOR_TRIGRAMS : MIN_LETTERS_FOR_TRIGRAMS)) {
    const code = franc(text, { only: script.script === 'latin' ? LATIN_ONLY : ONLY, minLength: MIN_LETTERS_FOR_TRIGRAMS });
    const language = FROM_639_3[code];
    if (language !== undefined) {
      // telltale letters outrank trigrams between close neighbours of the same script
      if (script.script === 'cyrillic' && script.language !== 'ru' && language === 'ru') return { language: script.language, method: 'script' };
      if (script.script === 'arabic' && script.language === 'fa' && language === 'ar') return { language: 'fa', method: 'script' };
      if (script.script === 'arabic' && script.language === 'ar' && language === 'fa') return { language: 'ar', method: 'script' };
      return { language, method: 'trigrams' };
    }
  }
  if (script.language !== null) return { language: script.language, method: 'script' };
  return { language: null, method: 'none' };
}
