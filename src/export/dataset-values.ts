import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Count, Field } from '../core/model.js';
import { DATASET_COUNTRY_ALIASES, datasetActorId, datasetCountry } from '../datasets/index.js';
import { getActor } from '../actors/index.js';

const require = createRequire(import.meta.url);
const isoCountries = require('i18n-iso-countries') as {
  getNames(lang: string, options: { select: 'all' }): Record<string, string[]>;
  alpha2ToNumeric(code: string): string | undefined;
};

let countryNames: Map<string, string> | undefined;

/**
 * The English name of a country, chosen so that the dataset importer reads it back as the same
 * code (`datasetCountry`). Null when no name does (then the importer would store no country).
 */
export function datasetCountryName(code: string): string | null {
  if (countryNames === undefined) {
    countryNames = new Map();
    for (const [alpha2, names] of Object.entries(isoCountries.getNames('en', { select: 'all' }))) {
      const name = names.find((n) => datasetCountry(n) === alpha2);
      if (name !== undefined) countryNames.set(alpha2, name);
    }
    for (const [name, alpha2] of Object.entries(DATASET_COUNTRY_ALIASES)) {
      if (alpha2 !== null && !countryNames.has(alpha2) && datasetCountry(name) === alpha2) countryNames.set(alpha2, name);
    }
  }
  return countryNames.get(code) ?? null;
}

/** The ISO 3166-1 numeric code of an alpha-2 code (ACLED's `iso`), or null. */
export function isoNumeric(code: string): number | null {
  const numeric = isoCountries.alpha2ToNumeric(code);
  return numeric === undefined ? null : Number(numeric);
}

/**
 * The name to write for a perpetrator so that the importer resolves it to the same registry actor:
 * the name as stored when it resolves alike, else the registry's canonical name of the actor.
 */
export function datasetActorName(name: string, actorId: string | null | undefined): string {
  if (actorId === null || actorId === undefined || datasetActorId(name) === actorId) return name;
  const canonical = getActor(actorId)?.name;
  return canonical !== undefined && datasetActorId(canonical) === actorId ? canonical : name;
}

/** The figure a dataset keeps of a reported count: its best value, else its low bound. */
export function reportedFigure(count: Field<Count> | undefined): number | null {
  if (count === undefined || count.value.kind !== 'reported') return null;
  return count.value.best ?? count.value.low;
}

/** A stable 64-bit-ish digest of a string, as hexadecimal. */
export function digestHex(text: string, length: number): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}

/** Whole days from one YYYY-MM-DD to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A day shifted by whole days. */
export function shiftDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The last day of the month of a YYYY-MM-DD. */
export function lastOfMonth(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
