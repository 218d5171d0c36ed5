import { createRequire } from 'node:module';
import { buildCountryIndex, nameKeys, type CountryIndex } from '../gazetteer/index.js';

/**
 * Country names the datasets use that the gazetteer does not know: GTD's historical states and
 * spellings, UCDP's "current (former)" names. Values are ISO 3166-1 alpha-2 codes of today's
 * successor state; null marks names that are no country (GTD "International").
 */
export const DATASET_COUNTRY_ALIASES: Readonly<Record<string, string | null>> = {
  'West Bank and Gaza Strip': 'PS',
  'Macedonia, FYR': 'MK',
  Macedonia: 'MK',
  'Soviet Union': 'RU',
  'West Germany (FRG)': 'DE',
  'East Germany (GDR)': 'DE',
  Yugoslavia: 'RS',
  'Serbia-Montenegro': 'RS',
  'Serbia and Montenegro': 'RS',
  Czechoslovakia: 'CZ',
  'South Vietnam': 'VN',
  'North Yemen': 'YE',
  'South Yemen': 'YE',
  Zaire: 'CD',
  Rhodesia: 'ZW',
  "People's Republic of the Congo": 'CG',
  'Slovak Republic': 'SK',
  'Vatican City': 'VA',
  'Falkland Islands': 'FK',
  'New Hebrides': 'VU',
  'St. Kitts and Nevis': 'KN',
  'Kingdom of eSwatini': 'SZ',
  Swaziland: 'SZ',
  International: null,
};

const require = createRequire(import.meta.url);
const isoCountries = require('i18n-iso-countries') as { numericToAlpha2(code: string | number): string | undefined };

const cache = new Map<string, string | null>();
let countries: CountryIndex | undefined;

/**
 * The country of a name, as the gazetteer's `findCountry` finds it (all languages and aliases), from
 * the country index alone: an import never needs the cities, which take seconds and hundreds of
 * megabytes to load.
 */
function findCountry(name: string): { code: string } | null {
  countries ??= buildCountryIndex();
  for (const key of nameKeys(name)) {
    const match = countries.byKey.get(key);
    if (match !== undefined) return match;
  }
  return null;
}

/**
 * The ISO 3166-1 alpha-2 code of a country as a dataset names it, or null when unknown. Tries the
 * dataset alias table, then the gazetteer (all its languages and aliases), then the name without a
 * parenthesised former name ("DR Congo (Zaire)" → "DR Congo").
 */
export function datasetCountry(name: string): string | null {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const code = lookup(name.trim());
  cache.set(name, code);
  return code;
}

function lookup(name: string): string | null {
  if (name === '') return null;
  if (Object.hasOwn(DATASET_COUNTRY_ALIASES, name)) return DATASET_COUNTRY_ALIASES[name] ?? null;
  const direct = findCountry(name);
  if (direct !== null) return direct.code;
  const paren = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(name);
  if (paren !== null) {
    for (const part of [paren[1] ?? '', paren[2] ?? '']) {
      if (part === '') continue;
      if (Object.hasOwn(DATASET_COUNTRY_ALIASES, part)) return DATASET_COUNTRY_ALIASES[part] ?? null;
      const match = findCountry(part);
      if (match !== null) return match.code;
    }
  }
  return null;
}

/** The alpha-2 code of an ISO 3166-1 numeric code (ACLED's `iso` column), or null. */
export function countryFromNumeric(code: number): string | null {
  return isoCountries.numericToAlpha2(code) ?? null;
}
