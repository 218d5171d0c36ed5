import { createRequire } from 'node:module';
import { COUNTRY_ALIASES } from './country-aliases.js';
import { nameKeys } from './fold.js';
import type { CountryMatch } from './types.js';

interface CountriesLibrary {
  getNames(lang: string, options: { select: 'all' }): Record<string, string[]>;
  getNames(lang: string): Record<string, string>;
  getSupportedLanguages(): string[];
}

/** A name index of countries: folded name -> match. */
export interface CountryIndex {
  readonly byKey: ReadonlyMap<string, CountryMatch>;
  readonly names: ReadonlyMap<string, string>;
}

/**
 * Builds the country index from the i18n-iso-countries package (all its languages) and the own
 * alias table. Precedence: own aliases, then English names, then other languages in the package's
 * order; a key keeps its first owner.
 */
export function buildCountryIndex(): CountryIndex {
  const require = createRequire(import.meta.url);
  const lib = require('i18n-iso-countries') as CountriesLibrary;
  const english = lib.getNames('en');
  const names = new Map<string, string>(Object.entries(english));
  names.set('XK', 'Kosovo');
  const byKey = new Map<string, CountryMatch>();
  const add = (name: string, code: string, source: string): void => {
    for (const key of nameKeys(name)) if (!byKey.has(key)) byKey.set(key, { code, name: names.get(code) ?? name, source });
  };
  for (const [name, code] of Object.entries(COUNTRY_ALIASES)) add(name, code, 'alias');
  for (const [code, list] of Object.entries(lib.getNames('en', { select: 'all' }))) for (const name of list) add(name, code, 'en');
  for (const lang of lib.getSupportedLanguages()) {
    if (lang === 'en') continue;
    for (const [code, list] of Object.entries(lib.getNames(lang, { select: 'all' }))) for (const name of list) add(name, code, lang);
  }
  return { byKey, names };
}
