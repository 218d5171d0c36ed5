/** How the map colours incidents. */
export type ColourBy = 'attack' | 'actor';

/** The view a URL shares: which incidents are shown, how, and which one is open. */
export interface FilterState {
  /** YYYY-MM-DD */
  from?: string | undefined;
  /** YYYY-MM-DD */
  to?: string | undefined;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string | undefined;
  /** An actor registry id; its provinces and sub-groups are included. */
  actor?: string | undefined;
  /** An attack type of the codebook. */
  attack?: string | undefined;
  /** How a perpetrator is linked: claimed, attributed, suspected, denied. */
  attribution?: string | undefined;
  /** Review status: machine, reviewed, rejected. */
  status?: string | undefined;
  /** How the map colours its points; attack type when absent. */
  colour?: ColourBy | undefined;
  /** The id of the incident shown in the panel. */
  incident?: string | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COUNTRY = /^[A-Z]{2}$/;
const CODE = /^[a-z][a-z0-9_-]{0,63}$/;
const STATUSES = new Set(['machine', 'reviewed', 'rejected']);
const ATTRIBUTIONS = new Set(['claimed', 'attributed', 'suspected', 'denied']);

/** The keys of the state written into the query string, in the order they appear there. */
export const FILTER_KEYS = ['from', 'to', 'country', 'actor', 'attack', 'attribution', 'status', 'colour', 'incident'] as const;

/** The keys that change which incidents are shown. */
const SELECTING_KEYS = ['from', 'to', 'country', 'actor', 'attack', 'attribution', 'status'] as const;

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

/** A lower-case code (actor id, attack type), or undefined. */
export function parseCode(raw: string | null | undefined): string | undefined {
  const code = raw?.trim();
  return code !== undefined && CODE.test(code) ? code : undefined;
}

/** Reads the filters from a query string; values that do not parse are ignored. */
export function readFilterState(search: string): FilterState {
  const params = new URLSearchParams(search);
  const incident = params.get('incident')?.trim();
  const status = params.get('status') ?? '';
  const attribution = params.get('attribution') ?? '';
  return {
    from: parseDay(params.get('from')),
    to: parseDay(params.get('to')),
    country: parseCountry(params.get('country')),
    actor: parseCode(params.get('actor')),
    attack: parseCode(params.get('attack')),
    attribution: ATTRIBUTIONS.has(attribution) ? attribution : undefined,
    status: STATUSES.has(status) ? status : undefined,
    colour: params.get('colour') === 'actor' ? 'actor' : undefined,
    incident: incident === undefined || incident === '' ? undefined : incident,
  };
}

/** Writes the filters into a URL's query string, keeping its other parameters and its hash. */
export function writeFilterState(url: URL, state: FilterState): URL {
  const next = new URL(url.href);
  for (const key of FILTER_KEYS) {
    const value = state[key];
    if (value === undefined || value === '') next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next;
}

/** True when two states select the same incidents (the open incident and the colouring aside). */
export function sameFilters(a: FilterState, b: FilterState): boolean {
  return SELECTING_KEYS.every((key) => a[key] === b[key]);
}
