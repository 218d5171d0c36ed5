import type { PlacePrecision } from '../core/codebook.js';
import type { PlaceRef } from '../core/model.js';
import type { PlaceCandidate } from './types.js';

/**
 * The radius, in kilometres, within which an event is believed to lie for each place precision. A
 * city point stands for the town and its surroundings; a country has no point at all.
 */
export const PLACE_RADIUS_KM: Readonly<Record<PlacePrecision, number>> = {
  exact: 1,
  city: 10,
  admin2: 50,
  admin1: 150,
  country: 1000,
};

/** A city-precision place reference for a gazetteer place. */
export function placeRefFromCandidate(place: PlaceCandidate, admin1: string | null = null): PlaceRef {
  return {
    name: place.name,
    admin1,
    country: place.country,
    lat: place.lat,
    lon: place.lon,
    precision: 'city',
    radiusKm: PLACE_RADIUS_KM.city,
    placeId: place.id,
  };
}

/**
 * A country-precision place reference. It carries no point: a country centroid would read as a
 * place on a map, which the report does not give.
 */
export function placeRefFromCountry(code: string): PlaceRef {
  return { name: null, admin1: null, country: code, lat: null, lon: null, precision: 'country', radiusKm: PLACE_RADIUS_KM.country, placeId: null };
}

/**
 * The reference with its point removed when the point lies outside its country (a geocoding or
 * data error): a coordinate must never contradict the country it is given for. `inCountry` is
 * the point-in-country test (see `pointInCountry`).
 */
export function withoutContradictingPoint(ref: PlaceRef, inCountry: (lat: number, lon: number, country: string) => boolean): PlaceRef {
  if (ref.lat == null || ref.lon == null || ref.country == null) return ref;
  return inCountry(ref.lat, ref.lon, ref.country) ? ref : { ...ref, lat: null, lon: null };
}
