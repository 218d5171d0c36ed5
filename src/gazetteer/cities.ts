import { readFileSync } from 'node:fs';
import { looseKey, nameKeys } from './fold.js';
import { SortedKeys } from './keys.js';
import { buildRegions, regionNameKeys, type RegionTable } from './regions.js';
import { geonamesPlacesPath, readLocalities, readPostalPlaces, type LocalityRecord, type PostalRecord } from './sources.js';
import type { PlaceCandidate } from './types.js';
import { distanceKm } from './geo.js';

/**
 * Populated places and name indexes over them. Index entries are `place index * 2 + (alternate ? 1 : 0)`.
 * `byLoose` holds the transliteration-tolerant keys (see `looseKey`) of main and alternate names.
 */
export interface PlaceIndex {
  readonly placeCount: number;
  /** The place at an index (places of a loaded index file are made on first use). */
  place(index: number): PlaceCandidate | undefined;
  readonly byKey: SortedKeys;
  readonly byLoose: SortedKeys;
  readonly regions: RegionTable;
}

/** Alternate names kept: Latin, Cyrillic and Arabic-script (Arabic, Persian, Urdu) ones. */
const KEPT_SCRIPTS = /^(?:[\p{Script=Latin}\p{N} ]+|[\p{Script=Cyrillic}\p{N} ]+|[\p{Script=Arabic}\p{N} ]+)$/u;
const MAX_ALTERNATE_LENGTH = 48;

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
export function buildPlaceIndex(
  text: string = readFileSync(geonamesPlacesPath(), 'utf8'),
  regionNames?: Parameters<typeof buildRegions>[1],
  localities: readonly LocalityRecord[] = readLocalities(),
  postal: readonly PostalRecord[] = readPostalPlaces(),
): PlaceIndex {
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
  addLocalities(localities, places, byKey, byLoose, regions);
  addPostalPlaces(postal, places, byKey, byLoose, regions);
  return { placeCount: places.length, place: (i) => places[i], byKey: SortedKeys.fromMap(byKey), byLoose: SortedKeys.fromMap(byLoose), regions };
}


/**
 * Adds GeoNames postal places (villages and quarters of India that cities500 lacks) as places of
 * population 0 and feature code `PPLX`: they are candidates only where the report names their
 * country (places.ts drops small places otherwise), and a cities500 place of the same name within
 * 10 km is kept instead. The rows' region names are matched to the gazetteer's regions by name.
 */
function addPostalPlaces(rows: readonly PostalRecord[], places: PlaceCandidate[], byKey: Map<string, number[]>, byLoose: Map<string, number[]>, regions: RegionTable): void {
  const regionCache = new Map<string, { code: string; name: string | null } | null>();
  for (const row of rows) {
    const keys = nameKeys(row.name);
    const known = keys.some((key) => (byKey.get(key) ?? []).some((e) => {
      const p = places[e >> 1];
      return p !== undefined && p.country === row.country && distanceKm(p.lat, p.lon, row.lat, row.lon) <= 10;
    }));
    if (known) continue;
    let region = regionCache.get(`${row.country}\t${row.admin1}`);
    if (region === undefined) {
      const found = regionNameKeys(row.admin1.replace(/&/g, 'and'))
        .flatMap((key) => regions.byKey.get(key) ?? [])
        .map((i) => regions.regions[i])
        .find((r) => r !== undefined && r.country === row.country);
      region = found === undefined ? null : { code: found.code, name: found.name };
      regionCache.set(`${row.country}\t${row.admin1}`, region);
    }
    const index = places.length;
    places.push(ownPlace(`${row.id}`, row, region, 0, 'PPLX'));
    for (const key of keys) pushEntry(byKey, key, index * 2);
    const lk = looseKey(row.name);
    if (lk !== '') pushEntry(byLoose, lk, index * 2);
  }
}

/** A populated place of a table other than cities500, in the region its row names when that is known. */
function ownPlace(
  id: string,
  row: { name: string; country: string; admin1: string; lat: number; lon: number },
  region: { code: string; name: string | null } | null | undefined,
  population: number,
  featureCode: string,
): PlaceCandidate {
  const { name, country, lat, lon } = row;
  return { id, name, country, admin1Code: region?.code ?? null, admin1: region?.name ?? row.admin1, lat, lon, population, featureClass: 'P', featureCode };
}

/**
 * Adds the own locality table: each row becomes a place (id `vigil:N`, population unknown, taken
 * as 1,000 for ranking) in the region its row names, unless GeoNames already has a place of that
 * name within 10 km.
 */
function addLocalities(rows: readonly LocalityRecord[], places: PlaceCandidate[], byKey: Map<string, number[]>, byLoose: Map<string, number[]>, regions: RegionTable): void {
  for (const row of rows) {
    const names = [row.name, ...row.alternates];
    const known = names.some((n) =>
      nameKeys(n).some((key) => (byKey.get(key) ?? []).some((e) => {
        const p = places[e >> 1];
        return p !== undefined && !p.id.startsWith('vigil:') && p.country === row.country && distanceKm(p.lat, p.lon, row.lat, row.lon) <= 10;
      })),
    );
    if (known) continue;
    const region = regionNameKeys(row.admin1)
      .flatMap((key) => regions.byKey.get(key) ?? [])
      .map((i) => regions.regions[i])
      .find((r) => r !== undefined && r.country === row.country);
    const index = places.length;
    places.push(ownPlace(`vigil:${row.line}`, row, region, 1000, 'PPL'));
    names.forEach((n, k) => {
      for (const key of nameKeys(n)) pushEntry(byKey, key, index * 2 + (k === 0 ? 0 : 1));
      const lk = looseKey(n);
      if (lk !== '') pushEntry(byLoose, lk, index * 2 + (k === 0 ? 0 : 1));
    });
  }
}
