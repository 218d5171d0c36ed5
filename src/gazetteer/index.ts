export { createGazetteer, findCountry, findPlaces, loadGazetteer } from './gazetteer.js';
export { buildCountryIndex, type CountryIndex } from './countries.js';
export { buildPlaceIndex, cities1000Path, type PlaceIndex } from './cities.js';
export { foldName, nameKeys, stripArticle } from './fold.js';
export { COUNTRY_ALIASES } from './country-aliases.js';
export { PLACE_RADIUS_KM, placeRefFromCandidate, placeRefFromCountry } from './place-ref.js';
export type { CountryLookupOptions, CountryMatch, Gazetteer, PlaceCandidate, PlaceMatch } from './types.js';
