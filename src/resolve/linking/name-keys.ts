import { foldName } from '../../gazetteer/index.js';

/**
 * Transliteration-tolerant keys for place names, so that "Pul-e-Alam" meets "Puli Alam", "Dih Yak"
 * meets "Deh Yak" and "Khost" meets "Khowst". A name has its folded spelling as a key, a strict key (vowels dropped, letters
 * that sound alike merged, doubled letters collapsed) and a loose one (also without h, w and y
 * after the first letter). Consonant keys shorter than three letters are not used: they match by chance.
 */

/** Words that say what kind of place a name is, not which place. */
const GENERIC = new Set([
  'district', 'districts', 'province', 'provinces', 'city', 'village', 'villages', 'town', 'area', 'region', 'county',
  'municipality', 'commune', 'department', 'prefecture', 'state', 'capital', 'near', 'outskirts', 'of', 'the', 'in',
  'centre', 'center', 'north', 'south', 'east', 'west', 'northern', 'southern', 'eastern', 'western', 'central', 'upper', 'lower',
]);

const MIN_KEY = 3;

const VOWEL = new Set(['a', 'e', 'i', 'o', 'u']);
const SOFT = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'h', 'w']);

/**
 * The strict and loose consonant keys of a folded name written without spaces, in one pass: q and
 * c (not before h) read as k, ph as f, v as w, z as s, x as ks; a leading vowel is "a"; later
 * vowels are dropped (and h, w, y too in the loose key); doubled letters collapse.
 */
function keysOfJoined(word: string): readonly [string, string] {
  let strict = '';
  let loose = '';
  for (let i = 0; i < word.length; i++) {
    let ch = word.charAt(i);
    const next = word.charAt(i + 1);
    if (ch === 'q') ch = 'k';
    else if (ch === 'c' && next !== 'h') ch = 'k';
    else if (ch === 'p' && next === 'h') {
      ch = 'f';
      i++;
    } else if (ch === 'v') ch = 'w';
    else if (ch === 'z') ch = 's';
    if (strict === '') {
      const first = VOWEL.has(ch) ? 'a' : ch;
      strict = first;
      loose = first;
      if (ch === 'x') {
        strict = 'ks';
        loose = 'ks';
      }
      continue;
    }
    const letters = ch === 'x' ? 'ks' : ch;
    for (const letter of letters) {
      if (!VOWEL.has(letter) && strict.charAt(strict.length - 1) !== letter) strict += letter;
      if (!SOFT.has(letter) && loose.charAt(loose.length - 1) !== letter) loose += letter;
    }
  }
  return [strict, loose];
}

/** The folded tokens of a text, punctuation and accents removed. */
export function tokens(text: string): string[] {
  const folded = foldName(text);
  return folded === '' ? [] : folded.split(' ');
}

/** The keys of one name: its strict and loose consonant keys (generic words dropped), when long enough. */
export function nameKeysOf(name: string | null | undefined): string[] {
  if (name === null || name === undefined) return [];
  const words = tokens(name).filter((w) => !GENERIC.has(w));
  if (words.length === 0) return [];
  const joined = words.join('');
  if (joined.length < 3 || joined === 'unknown') return [];
  const out = new Set<string>([`f:${joined}`]);
  const [strict, loose] = keysOfJoined(joined);
  if (strict.length >= MIN_KEY) out.add(`s:${strict}`);
  if (loose.length >= MIN_KEY) out.add(`l:${loose}`);
  return [...out];
}

/**
 * The keys of every run of one to three consecutive words of a text: a place name "occurs" in the
 * text when one of its keys is among these.
 */
export function textKeysOf(text: string | null | undefined, into: Set<string> = new Set()): Set<string> {
  if (text === null || text === undefined || text === '') return into;
  const words = tokens(text);
  for (let i = 0; i < words.length; i++) {
    let joined = '';
    for (let n = 0; n < 3 && i + n < words.length; n++) {
      const word = words[i + n] as string;
      if (n === 0 && GENERIC.has(word)) break;
      joined += word;
      if (joined.length < 3) continue;
      into.add(`f:${joined}`);
      const [strict, loose] = keysOfJoined(joined);
      if (strict.length >= MIN_KEY) into.add(`s:${strict}`);
      if (loose.length >= MIN_KEY) into.add(`l:${loose}`);
    }
  }
  return into;
}

/** True when any of `keys` is in `set`. */
export function anyIn(keys: readonly string[], set: ReadonlySet<string>): boolean {
  for (const key of keys) if (set.has(key)) return true;
  return false;
}
