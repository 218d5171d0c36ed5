import type { Region } from './regions.js';

/** One GeoNames populated place as the gazetteer returns it. */
export interface PlaceCandidate {
  /** The GeoNames id. */
  readonly id: string;
  /** The GeoNames main name. */
  readonly name: string;
  /** ISO 3166-1 alpha-2 code in capitals. */
  readonly country: string;
  /** The GeoNames first-level administrative code (not a name), or null. */
  readonly admin1Code: string | null;
  /** The English name of its first-level region, when the region could be named. */
  readonly admin1: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly population: number;
  /** The GeoNames feature class: `P` for populated places. */
  readonly featureClass: string;
  /** The GeoNames feature code: `PPLC` capital, `PPLA` seat of a first-order division, `PPL`, ... */
  readonly featureCode: string;
}

/** A place found under a name, and whether the name was its main name or an alternate one. */
export interface PlaceMatch {
  readonly place: PlaceCandidate;
  /** True when the name matched one of the place's alternate names only. */
  readonly alternate: boolean;
  /** True when only the transliteration-tolerant key matched ("Zuweid" for "Zuwayd"). */
  readonly loose?: boolean;
}

/** A first-level region found under a name. */
export type { Region } from './regions.js';

/** One answer of `Gazetteer.search`. */
export interface PlaceSearchHit {
  readonly kind: 'city' | 'admin1' | 'country';
  /** GeoNames id of a place, `COUNTRY.CODE` of a region, ISO code of a country. */
  readonly id: string;
  readonly name: string;
  readonly admin1: string | null;
  readonly country: string;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly precision: 'city' | 'admin1' | 'country';
  readonly radiusKm: number;
  readonly population: number | null;
}

/** A country found under a name. */
export interface CountryMatch {
  /** ISO 3166-1 alpha-2 code in capitals. */
  readonly code: string;
  /** The English short name of the country. */
  readonly name: string;
  /** Where the name came from: `alias` (own table), `en`, or another ISO 639-1 code. */
  readonly source: string;
}

/** Options of a country lookup. */
export interface CountryLookupOptions {
  /** Accept names in languages other than English (default true). */
  readonly allLanguages?: boolean;
}

/** The in-memory gazetteer: countries and populated places with their alternate names. */
export interface Gazetteer {
  /** Number of places loaded. */
  readonly placeCount: number;
  /** Milliseconds it took to build. */
  readonly loadMs: number;
  /** The country a name denotes, or null. */
  findCountry(name: string, options?: CountryLookupOptions): CountryMatch | null;
  /** Every populated place with this name, main-name matches first, then by population. */
  findPlaces(name: string): PlaceMatch[];
  /**
   * Places whose transliteration-tolerant key equals the name's (see `looseKey`), marked
   * `loose`; for a second look when `findPlaces` finds nothing.
   */
  findPlacesLoose(name: string): PlaceMatch[];
  /** First-level regions with this name ("Diyala", "Diyala Governorate"), optionally in one country. */
  findRegions(name: string, country?: string): Region[];
  /** The region a place lies in, or null. */
  regionOf(place: PlaceCandidate): Region | null;
  /**
   * Places and regions whose names start with the text (for a search box), best first: exact
   * names, then regions and larger places.
   */
  search(text: string, options?: { country?: string; limit?: number }): PlaceSearchHit[];
  /** The country (ISO alpha-2) whose territory holds the point, or null at sea or unknown. */
  countryAt(lat: number, lon: number): string | null;
  /** The English short name of a country code, or null. */
  countryName(code: string): string | null;
}
