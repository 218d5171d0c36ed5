/**
 * Name folding shared by the gazetteer and the extractor: the same key for "Al-Ḥudaydah",
 * "al Hudaydah" and "Hudaydah".
 */

const DASHES = /[\u002D\u2010-\u2015\u2212\uFE63\uFF0D_]/g;
const APOSTROPHES = /['\u2018\u2019\u02BC\u02BB\u02BE\u02BF`\u00B4]/g;
const MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N} ]+/gu;
const SPACES = /\s+/g;
const PLAIN = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;
const ARTICLE = /^(?:al|el|ad|ar|as|ash|at|az|an|ed|es|et)\s+(?=\S)/;
const ARABIC_ARTICLE = /^\u0627\u0644(?=\S{2,})/;

/**
 * Folds a name to its lookup key: lower case, accents and other combining marks stripped,
 * hyphens and dashes read as spaces, apostrophes dropped, other punctuation dropped, spaces
 * collapsed.
 */
export function foldName(name: string): string {
  if (PLAIN.test(name)) return name.toLowerCase();
  return name
    .normalize('NFD')
    .replace(MARKS, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(DASHES, ' ')
    .replace(NON_WORD, ' ')
    .replace(SPACES, ' ')
    .trim();
}

/** A folded key without a leading Arabic article ("al hudaydah" -> "hudaydah"), or the key itself. */
export function stripArticle(folded: string): string {
  return folded.replace(ARTICLE, '').replace(ARABIC_ARTICLE, '');
}

/** The keys under which a name is indexed and looked up: its folded form and the form without article. */
export function nameKeys(name: string): string[] {
  const folded = foldName(name);
  if (folded === '') return [];
  const bare = stripArticle(folded);
  return bare === folded ? [folded] : [folded, bare];
}

const LOOSE_STEPS: readonly (readonly [RegExp, string])[] = [
  [/ /g, ''],
  [/dh/g, 'd'],
  [/ph/g, 'f'],
  [/q/g, 'k'],
  [/(?:ou|oo)/g, 'u'],
  [/(?:ai|ay|ei|ey|ee)/g, 'i'],
  [/h$/, ''],
  [/[ey]/g, 'i'],
  [/o/g, 'u'],
  [/(.)\1+/g, '$1'],
];

/**
 * A transliteration-tolerant key for Latin-script names, for a second lookup when the exact key
 * finds nothing: no article, no spaces, and the spellings that differ between English, French and
 * scholarly transliterations of Arabic, Persian and Somali names folded together ("Sheikh
 * Zuweid" and "Ash Shaykh Zuwayd", "Ras al-Ain" and "Ra's al 'Ayn", "Qandahar" and "Kandahar").
 * Empty for names in other scripts or shorter than four letters, which it would over-match.
 */
export function looseKey(name: string): string {
  const bare = stripArticle(foldName(name));
  if (!/^[a-z0-9 ]{4,}$/.test(bare)) return '';
  let key = bare;
  for (const [pattern, replacement] of LOOSE_STEPS) key = key.replace(pattern, replacement);
  return key.length >= 4 ? key : '';
}
