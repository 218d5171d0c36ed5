/** The view a URL shares: which incidents are listed and which one is open. */
export interface FilterState {
  /** YYYY-MM-DD */
  from?: string | undefined;
  /** YYYY-MM-DD */
  to?: string | undefined;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string | undefined;
  /** The id of the incident shown in the panel. */
  incident?: string | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY = /^[A-Z]{2}$/;

/** A valid YYYY-MM-DD day, or undefined. */
export function parseDay(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || !DAY.test(raw)) return undefined;
  return Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) ? undefined : raw;
}

/** A two-letter country code in capitals, or undefined. */
export function parseCountry(raw: string | null | undefined): string | undefined {
  const code = raw?.trim().toUpperCase();
  return code !== undefined && COUNTRY.test(code) ? code : undefined;
}

/** Reads the filters from a query string; values that do not parse are ignored. */
export function readFilterState(search: string): FilterState {
  const params = new URLSearchParams(search);
  const incident = params.get('incident')?.trim();
  return {
    from: parseDay(params.get('from')),
    to: parseDay(params.get('to')),
    country: parseCountry(params.get('country')),
    incident: incident === undefined || incident === '' ? undefined : incident,
  };
}

/** Writes the filters into a URL's query string, keeping its other parameters and its hash. */
export function writeFilterState(url: URL, state: FilterState): URL {
  const next = new URL(url.href);
  for (const key of ['from', 'to', 'country', 'incident'] as const) {
    const value = state[key];
    if (value === undefined || value === '') next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next;
}

/** True when two states select the same incidents (the open incident aside). */
export function sameFilters(a: FilterState, b: FilterState): boolean {
  return a.from === b.from && a.to === b.to && a.country === b.country;
}
