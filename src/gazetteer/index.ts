export { createGazetteer, findCountry, findPlaces, gazetteerLoadInfo, loadGazetteer, loadPlaceIndex, pointInCountry, type GazetteerLoadInfo } from './gazetteer.js';
export { buildCountryIndex, type CountryIndex } from './countries.js';
export { buildPlaceIndex, cities1000Path, type PlaceIndex } from './cities.js';
export { buildRegions, regionNameKeys, type Region, type RegionNamer, type RegionTable } from './regions.js';
export { cacheDir, indexFilePath, readIndexFile, writeIndexFile } from './index-file.js';
export { foldName, looseKey, nameKeys, stripArticle } from './fold.js';
export { COUNTRY_ALIASES } from './country-aliases.js';
export { PLACE_RADIUS_KM, placeRefFromCandidate, placeRefFromCountry, withoutContradictingPoint } from './place-ref.js';
export type { CountryLookupOptions, CountryMatch, Gazetteer, PlaceCandidate, PlaceMatch, PlaceSearchHit } from './types.js';
