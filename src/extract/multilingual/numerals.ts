/**
 * Numbers as the five languages write them: Arabic-Indic and Persian digits, and number words.
 * Digit folding keeps every offset: each digit is one UTF-16 code unit in every script.
 */

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;

/** The text with Arabic-Indic (٠-٩) and Persian (۰-۹) digits as ASCII digits, same length, same offsets. */
export function foldDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= PERSIAN_ZERO ? code - PERSIAN_ZERO : code - ARABIC_INDIC_ZERO);
  });
}

/** Arabic-script letter variants folded for comparison: alef forms, alef maksura, Persian kaf and yeh, teh marbuta. */
export function foldArabicLetters(s: string): string {
  return s
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/[\u0649\u06CC]/g, '\u064A')
    .replace(/\u06A9/g, '\u0643')
    .replace(/\u0629/g, '\u0647')
    .replace(/[\u064B-\u0652\u0640]/g, '');
}

/** A key for number words and keywords: lower case, Arabic letter variants folded, ё as е, Uzbek apostrophes unified. */
export function wordKey(s: string): string {
  return foldArabicLetters(s.toLowerCase())
    .replace(/ё/g, 'е')
    .replace(/[\u02BB\u02BC\u2018\u2019`]/g, "'");
}

/** A number-word table: each key folded with `wordKey`. */
export function numberTable(entries: Readonly<Record<string, number>>): ReadonlyMap<string, number> {
  return new Map(Object.entries(entries).map(([k, v]) => [wordKey(k), v]));
}

/**
 * The value of a number written as digits or as one or two number words of the table
 * ("двадцать пять", "خمسة"), or null. Digits may be Arabic-Indic or Persian.
 */
export function readNumber(words: readonly string[], table: ReadonlyMap<string, number>, strip: (w: string) => string[] = (w) => [w]): { value: number; used: number } | null {
  const first = words[0];
  if (first === undefined) return null;
  const digits = foldDigits(first).replace(/[\s,.\u066C\u066B]/g, '');
  if (/^\d{1,5}$/.test(digits)) return { value: Number(digits), used: 1 };
  const one = lookup(first, table, strip);
  if (one === null) return null;
  const second = words[1];
  const third = words[2];
  // "بیست و پنج", "бисту панҷ" written apart: tens, a conjunction, units
  if (second !== undefined && third !== undefined && /^(?:و|ва|va)$/u.test(wordKey(second)) && one >= 20 && one % 10 === 0 && one < 100) {
    const units = lookup(third, table, strip);
    if (units !== null && units < 10) return { value: one + units, used: 3 };
  }
  if (second !== undefined) {
    const two = lookup(second, table, strip);
    // "двадцать пять", "o'n besh": tens then units; "خمسة عشر": units then ten; "خمسة وعشرين": units then tens
    if (two !== null && one >= 10 && one % 10 === 0 && one < 100 && two < 10) return { value: one + two, used: 2 };
    if (two !== null && one < 10 && (two === 10 || (two >= 20 && two % 10 === 0 && two < 100)) && /^(?:[وو]|عشر)/u.test(second)) return { value: one + two, used: 2 };
  }
  return { value: one, used: 1 };
}

function lookup(word: string, table: ReadonlyMap<string, number>, strip: (w: string) => string[]): number | null {
  for (const form of strip(word)) {
    const v = table.get(wordKey(form));
    if (v !== undefined) return v;
  }
  return null;
}
