import { foldName, looseKey, nameKeys } from './fold.js';
import { readRegionAliases, readRegionCityRows, readRegionRecords, type RegionRecord } from './sources.js';
import type { PlaceCandidate } from './types.js';
import { distanceKm } from './geo.js';

/** A first-level administrative region (province, state, governorate, oblast, ...). */
export interface Region {
  /** `COUNTRY.CODE` with the GeoNames admin1 code, e.g. `IQ.10`. */
  readonly id: string;
  readonly country: string;
  /** The GeoNames admin1 code. */
  readonly code: string;
  /** The ISO 3166-2 subdivision code without its country prefix, when known. */
  readonly iso: string | null;
  /** Its English name, when the region could be named; null otherwise. */
  readonly name: string | null;
  /** The median point of the region's populated places: where the region "is" when nothing finer is known. */
  readonly lat: number;
  readonly lon: number;
  /** How far (km) from that point most of its places lie: the uncertainty of a region-level location. */
  readonly radiusKm: number;
  readonly placeCount: number;
}

export interface RegionTable {
  readonly regions: readonly Region[];
  /** `COUNTRY.CODE` -> index into `regions`. */
  readonly byCode: ReadonlyMap<string, number>;
  /** Folded name keys (with and without "Province", "Governorate", ...) -> indexes into `regions`. */
  readonly byKey: ReadonlyMap<string, number[]>;
}

/** Names of regions keyed by `COUNTRY.GEONAMES_CODE`, with their ISO code. */
export type RegionNamer = (places: readonly PlaceCandidate[]) => Map<string, { name: string; iso: string | null }>;

const ADMIN_SUFFIX = / (?:governorate|province|region|prefecture|district|department|departement|state|oblast|krai|county|municipality|division|territory|autonomous region|autonomous community|special region|capital territory|federal territory)$/;
const ADMIN_PREFIX = /^(?:province|region|state|governorate|department|prefecture|wilayah|wilaya|muhafazat|republic) of /;

/** Keys under which a region name is found: the name itself and the name without its administrative word. */
export function regionNameKeys(name: string): string[] {
  const keys = new Set<string>();
  for (const key of nameKeys(name)) {
    keys.add(key);
    const bare = key.replace(ADMIN_SUFFIX, '').replace(ADMIN_PREFIX, '');
    if (bare !== key && bare.length >= 3) for (const k of nameKeys(bare)) keys.add(k);
  }
  return [...keys];
}


function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Names GeoNames regions from `country-state-city-js`: GeoNames gives each place an admin1 *code*
 * but no name, and that package gives names with ISO codes. A place present in both (same
 * country, same folded name, within 10 km) is a vote that its GeoNames code is that ISO region;
 * each code takes the region with most votes.
 */
export const namesFromRegionPackage: RegionNamer = (places) => {
  const records = readRegionRecords();
  const regionByIso = new Map<string, RegionRecord>();
  for (const r of records) regionByIso.set(`${r.countryCode}.${r.isoCode}`, r);
  const rows = new Map<string, [string, number, number][]>();
  for (const [name, cc, iso, lat, lon] of readRegionCityRows()) {
    const key = `${cc}|${foldName(name)}`;
    const list = rows.get(key);
    const item: [string, number, number] = [iso, Number(lat), Number(lon)];
    if (list === undefined) rows.set(key, [item]);
    else list.push(item);
  }
  const votes = new Map<string, Map<string, number>>();
  for (const p of places) {
    if (p.admin1Code === null) continue;
    const candidates = rows.get(`${p.country}|${foldName(p.name)}`);
    if (candidates === undefined) continue;
    const hit = candidates.find(([, lat, lon]) => distanceKm(p.lat, p.lon, lat, lon) <= 10);
    if (hit === undefined) continue;
    const id = `${p.country}.${p.admin1Code}`;
    const tally = votes.get(id) ?? new Map<string, number>();
    tally.set(hit[0], (tally.get(hit[0]) ?? 0) + 1);
    votes.set(id, tally);
  }
  const out = new Map<string, { name: string; iso: string | null }>();
  // Where no town votes, GeoNames' admin1 code is usually the FIPS code the package records.
  const codes = new Set(places.filter((p) => p.admin1Code !== null).map((p) => `${p.country}.${p.admin1Code}`));
  for (const r of records) {
    const id = `${r.countryCode}.${r.fipsCode ?? ''}`;
    if (r.fipsCode !== null && codes.has(id) && !votes.has(id)) out.set(id, { name: r.name, iso: r.isoCode });
  }
  for (const [id, tally] of votes) {
    const [iso] = [...tally].sort((a, b) => b[1] - a[1])[0] ?? [];
    const country = id.slice(0, id.indexOf('.'));
    const record = iso === undefined ? undefined : regionByIso.get(`${country}.${iso}`);
    if (record !== undefined && iso !== undefined) out.set(id, { name: record.name, iso });
  }
  return out;
};

/**
 * The first-level regions of the places: one per (country, GeoNames admin1 code), named where a
 * name is known, located at the median of its places, with the radius within which 80% of them lie.
 * Sets each place's `admin1` to its region's name.
 */
export function buildRegions(places: readonly PlaceCandidate[], namer: RegionNamer = namesFromRegionPackage, aliases: readonly [string, string, string][] = readRegionAliases()): RegionTable {
  const members = new Map<string, number[]>();
  places.forEach((p, i) => {
    if (p.admin1Code === null || p.admin1Code === '00') return;
    const id = `${p.country}.${p.admin1Code}`;
    const list = members.get(id);
    if (list === undefined) members.set(id, [i]);
    else list.push(i);
  });
  const names = namer(places);
  const regions: Region[] = [];
  const byCode = new Map<string, number>();
  const byKey = new Map<string, number[]>();
  for (const [id, indexes] of members) {
    const inside = indexes.map((i) => places[i]).filter((p): p is PlaceCandidate => p !== undefined);
    const lat = median(inside.map((p) => p.lat));
    const lon = median(inside.map((p) => p.lon));
    const distances = inside.map((p) => distanceKm(lat, lon, p.lat, p.lon)).sort((a, b) => a - b);
    const radiusKm = Math.round(Math.min(400, Math.max(15, distances[Math.floor(distances.length * 0.8)] ?? 15)));
    const named = names.get(id);
    const index = regions.length;
    const country = id.slice(0, id.indexOf('.'));
    regions.push({ id, country, code: id.slice(id.indexOf('.') + 1), iso: named?.iso ?? null, name: named?.name ?? null, lat, lon, radiusKm, placeCount: inside.length });
    byCode.set(id, index);
    if (named !== undefined) {
      for (const key of regionNameKeys(named.name)) {
        const list = byKey.get(key);
        if (list === undefined) byKey.set(key, [index]);
        else if (!list.includes(index)) list.push(index);
      }
      for (const p of inside) (p as { admin1: string | null }).admin1 = named.name;
    }
  }
  const addKey = (key: string, index: number): void => {
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [index]);
    else if (!list.includes(index)) list.push(index);
  };
  for (const [alias, country, iso] of aliases) {
    const index = regions.findIndex((r) => r.country === country && r.iso === iso);
    if (index >= 0) for (const key of regionNameKeys(alias)) addKey(key, index);
  }
  // Transliteration-tolerant keys, marked with a leading "~" ("Uruzgan" finds "Urozgan").
  for (const [key, list] of [...byKey]) {
    const loose = looseKey(key);
    if (loose !== '') for (const index of list) addKey(`~${loose}`, index);
  }
  return { regions, byCode, byKey };
}
