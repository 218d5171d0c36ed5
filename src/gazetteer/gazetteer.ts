import { iso1A2Code, iso1A2Codes } from '@rapideditor/country-coder';
import { buildPlaceIndex, type PlaceIndex } from './cities.js';
import { buildCountryIndex, type CountryIndex } from './countries.js';
import { foldName, looseKey, nameKeys } from './fold.js';
import { indexFilePath, readIndexFile, writeIndexFile } from './index-file.js';
import { PLACE_RADIUS_KM } from './place-ref.js';
import { compare, type SortedKeys } from './keys.js';
import { regionNameKeys, type Region } from './regions.js';
import type { CountryLookupOptions, CountryMatch, Gazetteer, PlaceCandidate, PlaceMatch, PlaceSearchHit } from './types.js';

let cached: Gazetteer | undefined;

/** How the process-wide gazetteer was obtained, for benchmarks and `vigil gazetteer`. */
export interface GazetteerLoadInfo {
  readonly source: 'index-file' | 'built';
  readonly file: string | null;
  readonly loadMs: number;
}
let lastLoad: GazetteerLoadInfo | undefined;

/**
 * The place index of the installed data packages: read from the built index file when there is
 * one (fast), else built from the GeoNames and region packages and written to that file for the
 * next process. A cache folder that cannot be written only costs the next process the build.
 */
export function loadPlaceIndex(options: { file?: string; rebuild?: boolean } = {}): { index: PlaceIndex; countries: CountryIndex; info: GazetteerLoadInfo } {
  const started = performance.now();
  let file: string | null = null;
  try {
    file = options.file ?? indexFilePath();
  } catch {
    file = null;
  }
  if (file !== null && options.rebuild !== true) {
    const read = readIndexFile(file);
    if (read !== null) return { ...read, info: { source: 'index-file', file, loadMs: performance.now() - started } };
  }
  const index = buildPlaceIndex();
  const countries = buildCountryIndex();
  if (file !== null) {
    try {
      writeIndexFile(index, countries, file);
    } catch {
      file = null;
    }
  }
  return { index, countries, info: { source: 'built', file, loadMs: performance.now() - started } };
}

/**
 * The process-wide gazetteer, loaded on first use (see `loadPlaceIndex`) from GeoNames cities500
 * (CC BY 4.0), first-level regions named from `country-state-city`, country names in many
 * languages from `i18n-iso-countries`, and Vigil's own alias table; cached for the process.
 */
export function loadGazetteer(): Gazetteer {
  if (cached !== undefined) return cached;
  const { index, countries, info } = loadPlaceIndex();
  cached = createGazetteer(() => countries, () => index);
  lastLoad = info;
  return cached;
}

/** How the process-wide gazetteer was loaded, or undefined before `loadGazetteer`. */
export function gazetteerLoadInfo(): GazetteerLoadInfo | undefined {
  return lastLoad;
}

function collect(index: PlaceIndex, map: SortedKeys, keys: readonly string[], loose: boolean): PlaceMatch[] {
  const seen = new Map<number, boolean>();
  for (const key of keys) {
    for (const entry of map.get(key) ?? []) {
      const i = entry >> 1;
      const alternate = (entry & 1) === 1;
      const before = seen.get(i);
      if (before === undefined || (before && !alternate)) seen.set(i, alternate);
    }
  }
  const out: PlaceMatch[] = [];
  for (const [i, alternate] of seen) {
    const place = index.place(i);
    if (place !== undefined) out.push(loose ? { place, alternate, loose: true } : { place, alternate });
  }
  return out.sort((a, b) => Number(a.alternate) - Number(b.alternate) || b.place.population - a.place.population);
}

/**
 * Countries whose records may carry points inside another's borders as country-coder draws them:
 * a state and its successor or predecessor (a UCDP "Sudan" event of 2005 lies in today's South
 * Sudan; "Serbia (Yugoslavia)" in Kosovo) and disputed or occupied lines (Crimea, Western Sahara,
 * the Golan, Kashmir), where datasets code the country on the other side of the line.
 */
const SHARED_GROUND: Readonly<Record<string, readonly string[]>> = {
  SD: ['SS'],
  SS: ['SD'],
  // Yugoslavia: UCDP codes the wars of the 1990s as Serbia (Yugoslavia) wherever they were fought.
  RS: ['XK', 'ME', 'BA', 'HR', 'SI', 'MK'],
  XK: ['RS'],
  ME: ['RS'],
  BA: ['RS', 'HR'],
  HR: ['RS', 'BA'],
  UA: ['RU'],
  RU: ['UA', 'GE'],
  GE: ['RU'],
  MA: ['EH'],
  EH: ['MA'],
  IL: ['PS', 'SY'],
  PS: ['IL'],
  SY: ['IL'],
  ET: ['ER'],
  ER: ['ET'],
  ID: ['TL'],
  TL: ['ID'],
  IN: ['PK', 'CN'],
  PK: ['IN'],
  CN: ['IN'],
  AZ: ['AM'],
  AM: ['AZ'],
  CY: ['TR'],
};

function pointFits(lon: number, lat: number, country: string): boolean | null {
  const codes = iso1A2Codes([lon, lat]);
  if (codes.length === 0 || (codes.length === 1 && codes[0] === 'UN')) return null;
  const accepted = [country, ...(SHARED_GROUND[country] ?? [])];
  return codes.some((c) => accepted.includes(c));
}

/**
 * True when a point lies in (or within about 10 km of) the country's territory, its dependencies
 * counted (Puerto Rico for PR and for US), or on ground it shares with a predecessor, successor or
 * the other side of a disputed line (see SHARED_GROUND); true as well at sea or where the borders
 * are unknown.
 */
export function pointInCountry(lat: number, lon: number, country: string): boolean {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return false;
  // Datasets give the same few points (towns' centroids) again and again: answers are remembered.
  const key = `${lat},${lon},${country}`;
  let answer = pointAnswers.get(key);
  if (answer === undefined) {
    answer = pointInCountryNow(lat, lon, country);
    if (pointAnswers.size >= POINT_ANSWERS_MAX) pointAnswers.clear();
    pointAnswers.set(key, answer);
  }
  return answer;
}

/** The answers of {@link pointInCountry} so far, by point and country; emptied when full. */
const pointAnswers = new Map<string, boolean>();
const POINT_ANSWERS_MAX = 100_000;

function pointInCountryNow(lat: number, lon: number, country: string): boolean {
  const here = pointFits(lon, lat, country);
  if (here !== false) return true;
  // Simplified borders and towns on the line: look about 10 km around.
  const d = 0.1;
  for (const [dy, dx] of [[d, 0], [-d, 0], [0, d], [0, -d], [d, d], [d, -d], [-d, d], [-d, -d]] as const) if (pointFits(lon + dx, lat + dy, country) === true) return true;
  return false;
}

/** Builds a gazetteer from the given index builders (tests pass small synthetic ones). */
export function createGazetteer(countries: () => CountryIndex, places: () => PlaceIndex): Gazetteer {
  const started = performance.now();
  const countryIndex = countries();
  const placeIndex = places();
  const loadMs = performance.now() - started;
  const { regions } = placeIndex;
  // Region and country names for the search box, sorted for prefix scans; place names use byKey.
  let small: { keys: string[]; owners: ({ kind: 'region'; index: number } | { kind: 'country'; code: string })[] } | undefined;
  const smallIndex = (): NonNullable<typeof small> => {
    if (small !== undefined) return small;
    const rows: [string, { kind: 'region'; index: number } | { kind: 'country'; code: string }][] = [];
    regions.regions.forEach((r, index) => {
      if (r.name !== null) for (const key of regionNameKeys(r.name)) rows.push([key, { kind: 'region', index }]);
    });
    for (const [key, match] of countryIndex.byKey) if (match.source === 'en' || match.source === 'alias') rows.push([key, { kind: 'country', code: match.code }]);
    rows.sort((a, b) => compare(a[0], b[0]));
    small = { keys: rows.map((r) => r[0]), owners: rows.map((r) => r[1]) };
    return small;
  };
  const regionHit = (r: Region): PlaceSearchHit => ({ kind: 'admin1', id: r.id, name: r.name ?? r.id, admin1: r.name, country: r.country, lat: r.lat, lon: r.lon, precision: 'admin1', radiusKm: r.radiusKm, population: null });
  const gazetteer: Gazetteer = {
    placeCount: placeIndex.placeCount,
    loadMs,
    findCountry(name: string, options: CountryLookupOptions = {}): CountryMatch | null {
      for (const key of nameKeys(name)) {
        const match = countryIndex.byKey.get(key);
        if (match === undefined) continue;
        if (options.allLanguages === false && match.source !== 'alias' && match.source !== 'en') continue;
        return match;
      }
      return null;
    },
    findPlaces(name: string): PlaceMatch[] {
      return collect(placeIndex, placeIndex.byKey, nameKeys(name), false);
    },
    findPlacesLoose(name: string): PlaceMatch[] {
      const key = looseKey(name);
      return key === '' ? [] : collect(placeIndex, placeIndex.byLoose, [key], true);
    },
    findRegions(name: string, country?: string): Region[] {
      const out = new Set<number>();
      const keys = regionNameKeys(name);
      for (const key of keys) for (const i of regions.byKey.get(key) ?? []) out.add(i);
      if (out.size === 0 || (country !== undefined && ![...out].some((i) => regions.regions[i]?.country === country))) {
        for (const key of keys) {
          const loose = looseKey(key);
          if (loose !== '') for (const i of regions.byKey.get(`~${loose}`) ?? []) out.add(i);
        }
      }
      return [...out]
        .map((i) => regions.regions[i])
        .filter((r): r is Region => r !== undefined && (country === undefined || r.country === country))
        .sort((a, b) => b.placeCount - a.placeCount);
    },
    regionOf(place: PlaceCandidate): Region | null {
      if (place.admin1Code === null) return null;
      return regions.regions[regions.byCode.get(`${place.country}.${place.admin1Code}`) ?? -1] ?? null;
    },
    search(text: string, options: { country?: string; limit?: number } = {}): PlaceSearchHit[] {
      const q = foldName(text);
      if (q.length < 2) return [];
      const limit = Math.max(1, Math.min(options.limit ?? 10, 50));
      const country = options.country?.toUpperCase();
      const hits: { hit: PlaceSearchHit; rank: number }[] = [];
      const seen = new Set<string>();
      const add = (hit: PlaceSearchHit, exact: boolean, weight: number): void => {
        if (seen.has(`${hit.kind}:${hit.id}`) || (country !== undefined && hit.country !== country)) return;
        seen.add(`${hit.kind}:${hit.id}`);
        hits.push({ hit, rank: (exact ? 0 : 100) - weight });
      };
      const { byKey } = placeIndex;
      for (let i = byKey.lowerBound(q), scanned = 0; i < byKey.size && byKey.keys.startsWith(i, q) && scanned < 5000; i++) {
        const exact = byKey.keys.compareAt(i, q) === 0;
        for (const entry of byKey.entriesAt(i)) {
          scanned++;
          const p = placeIndex.place(entry >> 1);
          if (p === undefined) continue;
          add({ kind: 'city', id: p.id, name: p.name, admin1: p.admin1, country: p.country, lat: p.lat, lon: p.lon, precision: 'city', radiusKm: PLACE_RADIUS_KM.city, population: p.population }, exact, Math.log10(p.population + 10) - (entry & 1) * 0.5);
        }
      }
      const { keys, owners } = smallIndex();
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((keys[mid] as string) < q) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < keys.length && (keys[i] as string).startsWith(q); i++) {
        const owner = owners[i];
        const exact = keys[i] === q;
        if (owner?.kind === 'region') {
          const r = regions.regions[owner.index];
          if (r !== undefined) add(regionHit(r), exact, 3 + Math.log10(r.placeCount + 1) * 2);
        } else if (owner?.kind === 'country') {
          add({ kind: 'country', id: owner.code, name: countryIndex.names.get(owner.code) ?? owner.code, admin1: null, country: owner.code, lat: null, lon: null, precision: 'country', radiusKm: PLACE_RADIUS_KM.country, population: null }, exact, 9);
        }
      }
      return hits
        .sort((a, b) => a.rank - b.rank)
        .slice(0, limit)
        .map((h) => h.hit);
    },
    countryAt(lat: number, lon: number): string | null {
      return iso1A2Code([lon, lat]);
    },
    countryName(code: string): string | null {
      return countryIndex.names.get(code.toUpperCase()) ?? null;
    },
  };
  return gazetteer;
}

/** The country a name denotes in the process-wide gazetteer, or null. */
export function findCountry(name: string, options?: CountryLookupOptions): CountryMatch | null {
  return loadGazetteer().findCountry(name, options);
}

/** Every populated place with this name in the process-wide gazetteer. */
export function findPlaces(name: string): PlaceMatch[] {
  return loadGazetteer().findPlaces(name);
}
