import type { Feature, FeatureCollection, Point } from 'geojson';
import type { PlacePrecision } from '../../src/core/codebook.js';
import type { Document, Incident, Mention, Revision } from '../../src/core/model.js';
import type { FilterState } from './filter-state.js';

/** The properties of one incident in `GET /api/incidents?format=geojson`. */
export interface IncidentProperties {
  id: string;
  title: string | null;
  /** YYYY-MM-DD, the start of the incident's date range, or null when unknown. */
  date: string | null;
  /** YYYY-MM-DD, the end of the date range. */
  dateEnd?: string | null;
  datePrecision?: string | null;
  country: string | null;
  admin1?: string | null;
  place: string | null;
  /** How precisely the place is known; null when there is no place at all. */
  precision: PlacePrecision | null;
  /** Radius in km within which the incident is believed to lie. */
  radiusKm?: number | null;
  killed: number | null;
  wounded: number | null;
  attackTypes: string[];
  perpetrators: string[];
  status: string;
}

/** One incident; its geometry is null when its place has no coordinates (it is listed, not drawn). */
export type IncidentFeature = Feature<Point | null, IncidentProperties>;

/** An incident with a point on the map. */
export type LocatedIncidentFeature = Feature<Point, IncidentProperties>;

/** True when the incident has a point to draw. */
export function isLocated(feature: IncidentFeature): feature is LocatedIncidentFeature {
  const coordinates = feature.geometry?.coordinates;
  return feature.geometry?.type === 'Point' && Array.isArray(coordinates) && Number.isFinite(coordinates[0]) && Number.isFinite(coordinates[1]);
}

/** A page of incidents as GeoJSON, with the cursor of the next page (null on the last one). */
export interface IncidentCollection extends FeatureCollection<Point | null, IncidentProperties> {
  nextCursor: string | null;
}

/** `GET /api/incidents/:id`: an incident with everything needed to show where its fields come from. */
export interface IncidentDetail {
  incident: Incident;
  mentions: Mention[];
  documents: Document[];
  revisions: Revision[];
}

/** An API call that failed, with a message meant for the person looking at the page. */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** The most incidents one request asks for; the API's page-size limit. */
export const INCIDENT_PAGE_SIZE = 1000;

/** Resolves an API path against the page, so the app also works under a path prefix. */
function apiUrl(path: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const url = new URL(path, document.baseURI);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  return url.href;
}

async function getJson(url: string, signal: AbortSignal | undefined): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The Vigil server did not answer. Check that it is running, then reload the page.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, errorMessage(body) ?? `The server answered ${response.status} ${response.statusText}.`);
  return body;
}

function errorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const nested = record['error'];
  if (typeof nested === 'object' && nested !== null && typeof (nested as Record<string, unknown>)['message'] === 'string') {
    return (nested as Record<string, string>)['message'] ?? null;
  }
  if (typeof nested === 'string') return nested;
  return typeof record['message'] === 'string' ? record['message'] : null;
}

/** Fetches the incidents matching the filters, as GeoJSON points. */
export async function fetchIncidents(filters: FilterState, signal?: AbortSignal): Promise<IncidentCollection> {
  const body = await getJson(
    apiUrl('api/incidents', {
      format: 'geojson',
      limit: String(INCIDENT_PAGE_SIZE),
      from: filters.from,
      to: filters.to,
      country: filters.country,
    }),
    signal,
  );
  if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray((body as { features?: unknown }).features)) {
    throw new ApiError(200, 'The server sent incidents in an unexpected shape (expected a GeoJSON FeatureCollection).');
  }
  const collection = body as IncidentCollection;
  const features = collection.features.filter(
    (feature): feature is IncidentFeature =>
      typeof feature === 'object' && feature !== null && typeof feature.properties?.id === 'string' && Array.isArray(feature.properties.attackTypes),
  );
  return { ...collection, features, nextCursor: collection.nextCursor ?? null };
}

/** Fetches one incident with its mentions, documents and revisions. */
export async function fetchIncidentDetail(id: string, signal?: AbortSignal): Promise<IncidentDetail> {
  const body = await getJson(apiUrl(`api/incidents/${encodeURIComponent(id)}`), signal);
  const detail = body as Partial<IncidentDetail> | null;
  if (detail === null || typeof detail.incident !== 'object' || detail.incident === null) {
    throw new ApiError(200, 'The server sent an incident in an unexpected shape (expected { incident, mentions, documents }).');
  }
  return {
    incident: detail.incident,
    mentions: Array.isArray(detail.mentions) ? detail.mentions : [],
    documents: Array.isArray(detail.documents) ? detail.documents : [],
    revisions: Array.isArray(detail.revisions) ? detail.revisions : [],
  };
}
