import { readFileSync } from 'node:fs';
import { looseKey, nameKeys } from './fold.js';
import { buildRegions, type RegionTable } from './regions.js';
import { geonamesPlacesPath } from './sources.js';
import type { PlaceCandidate } from './types.js';

/**
 * Populated places and name indexes over them. Index entries are `place index * 2 + (alternate ? 1 : 0)`.
 * `byLoose` holds the transliteration-tolerant keys (see `looseKey`) of main and alternate names.
 */
export interface PlaceIndex {
  readonly places: readonly PlaceCandidate[];
  readonly byKey: ReadonlyMap<string, Iterable<number>>;
  readonly byLoose: ReadonlyMap<string, Iterable<number>>;
  readonly regions: RegionTable;
}

/** Alternate names kept: Latin, Cyrillic and Arabic-script (Arabic, Persian, Urdu) ones. */
const KEPT_SCRIPTS = /^(?:[\p{Script=Latin}\p{N} ]+|[\p{Script=Cyrillic}\p{N} ]+|[\p{Script=Arabic}\p{N} ]+)$/u;
const MAX_ALTERNATE_LENGTH = 48;

/** @deprecated kept for callers of the first gazetteer; the places now come from cities500. */
export function cities1000Path(): string {
  return geonamesPlacesPath();
}

function pushEntry(map: Map<string, number[]>, key: string, entry: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [entry]);
  else if ((list[list.length - 1] ?? -2) >> 1 !== entry >> 1) list.push(entry);
}

/**
 * Parses a GeoNames cities file (tab separated: id, name, asciiname, alternate names, lat, lon,
 * feature class, feature code, country, cc2, admin1, admin2, admin3, admin4, population, ...) and
 * indexes every place under its name, its ASCII name and those alternate names written in Latin,
 * Cyrillic or Arabic script; then names the first-level regions (see `buildRegions`).
 */
export function buildPlaceIndex(text: string = readFileSync(geonamesPlacesPath(), 'utf8'), regionNames?: Parameters<typeof buildRegions>[1]): PlaceIndex {
  const places: PlaceCandidate[] = [];
  const byKey = new Map<string, number[]>();
  const byLoose = new Map<string, number[]>();
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
      admin1: null,
      lat,
      lon,
      population: Number(f[14]) || 0,
      featureClass: f[6] ?? 'P',
      featureCode: f[7] ?? 'PPL',
    });
    const main = new Set<string>();
    const loose = new Set<string>();
    for (const n of [name, f[2] ?? '']) {
      for (const key of nameKeys(n)) main.add(key);
      const lk = looseKey(n);
      if (lk !== '') loose.add(lk);
    }
    for (const key of main) pushEntry(byKey, key, index * 2);
    const alternates = f[3];
    if (alternates !== undefined && alternates !== '') {
      for (const alt of alternates.split(',')) {
        if (alt.length < 3 || alt.length > MAX_ALTERNATE_LENGTH) continue;
        let kept = false;
        for (const key of nameKeys(alt)) {
          if (main.has(key) || !KEPT_SCRIPTS.test(key)) continue;
          pushEntry(byKey, key, index * 2 + 1);
          kept = true;
        }
        if (kept) {
          const lk = looseKey(alt);
          if (lk !== '' && !loose.has(lk)) pushEntry(byLoose, lk, index * 2 + 1);
        }
      }
    }
    for (const lk of loose) pushEntry(byLoose, lk, index * 2);
  }
  const regions = buildRegions(places, regionNames);
  return { places, byKey, byLoose, regions };
}
