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

function consonantKey(word: string, loose: boolean): string {
  const mapped = word.replace(/q/g, 'k').replace(/c(?=[^h])|c$/g, 'k').replace(/ph/g, 'f').replace(/v/g, 'w').replace(/z/g, 's').replace(/x/g, 'ks');
  const first = mapped.charAt(0);
  const rest = mapped.slice(1).replace(loose ? /[aeiouyhw]/g : /[aeiou]/g, '');
  let out = /[aeiou]/.test(first) ? 'a' : first;
  for (const ch of rest) if (ch !== out.charAt(out.length - 1)) out += ch;
  return out;
}

const memo = new Map<string, readonly [string, string]>();
const MEMO_LIMIT = 200_000;

/** The strict and loose consonant keys of a joined name, remembered for the names seen most recently. */
function keysOfJoined(joined: string): readonly [string, string] {
  let keys = memo.get(joined);
  if (keys === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    keys = [consonantKey(joined, false), consonantKey(joined, true)];
    memo.set(joined, keys);
  }
  return keys;
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
