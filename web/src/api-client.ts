import type { Feature, FeatureCollection, Point } from 'geojson';
import type { PlacePrecision } from '../../src/core/codebook.js';
import type { Document, Incident, Mention, Revision } from '../../src/core/model.js';

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
  /** Actor registry ids of the perpetrators that resolved to one. */
  actorIds: string[];
  /** How each perpetrator is linked to the incident (claimed, attributed, …). */
  attributions: string[];
  status: string;
  revision: number;
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

/** One entry of `GET /api/incidents/:id/history`. */
export interface HistoryEntry {
  revision: number;
  at: string;
  by: string;
  action: string;
  reason: string | null;
  changed: string[];
  changes: { key: string; before: unknown; after: unknown }[];
  alsoChanged: string[];
  undoes: { incidentId: string; revision: number } | null;
}

/** `GET /api/incidents/:id/history`. */
export interface IncidentHistory {
  incidentId: string;
  revision: number | null;
  mergedInto: string | null;
  history: HistoryEntry[];
}

/** One hit of `GET /api/places`. */
export interface PlaceHit {
  name: string;
  country: string | null;
  admin1?: string | null;
  lat: number | null;
  lon: number | null;
  precision: PlacePrecision;
  radiusKm?: number | null;
}

/** `GET /api/auth/me`. */
export interface Me {
  user: { id: string; name: string; role: 'viewer' | 'analyst' | 'admin' } | null;
  csrfToken: string | null;
  openReads: boolean;
  can: { read: boolean; change: boolean; manageAccounts: boolean };
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

/** The query of one page of `GET /api/incidents`. */
export interface IncidentQuery {
  from?: string | undefined;
  to?: string | undefined;
  country?: string | undefined;
  actor?: string | undefined;
  status?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** One page of `GET /api/incidents` (full incidents). */
export interface IncidentPage {
  items: Incident[];
  nextCursor: string | null;
}

/** Fetches one page of incidents as stored (format=json). */
export async function fetchIncidentPage(query: IncidentQuery, signal?: AbortSignal): Promise<IncidentPage> {
  const body = await getJson(
    apiUrl('api/incidents', {
      format: 'json',
      limit: String(query.limit ?? INCIDENT_PAGE_SIZE),
      from: query.from,
      to: query.to,
      country: query.country,
      actor: query.actor,
      status: query.status,
      cursor: query.cursor,
    }),
    signal,
  );
  const page = body as Partial<IncidentPage> | null;
  if (page === null || typeof page !== 'object' || !Array.isArray(page.items)) {
    throw new ApiError(200, 'The server sent incidents in an unexpected shape (expected { items, nextCursor }).');
  }
  return { items: page.items.filter((item) => typeof item?.id === 'string' && typeof item.fields === 'object'), nextCursor: page.nextCursor ?? null };
}

/**
 * An incident as a map feature. Unlike the API's GeoJSON, an incident known only to its country
 * keeps the country's central point when it has one: it is drawn as an area, never as a dot.
 */
export function incidentFeatureOf(incident: Incident): IncidentFeature {
  const { fields } = incident;
  const place = fields.location;
  const located = place !== null && typeof place.lat === 'number' && typeof place.lon === 'number';
  return {
    type: 'Feature',
    id: incident.id,
    geometry: located ? { type: 'Point', coordinates: [place.lon as number, place.lat as number] } : null,
    properties: {
      id: incident.id,
      title: fields.title,
      date: fields.date?.start ?? null,
      dateEnd: fields.date?.end ?? null,
      datePrecision: fields.date?.precision ?? null,
      country: place?.country ?? null,
      admin1: place?.admin1 ?? null,
      place: place?.name ?? null,
      precision: place?.precision ?? null,
      radiusKm: place?.radiusKm ?? null,
      killed: fields.killed?.best ?? null,
      wounded: fields.wounded?.best ?? null,
      attackTypes: fields.attackTypes,
      perpetrators: [...new Set(fields.perpetrators.map((p) => p.name))],
      actorIds: [...new Set(fields.perpetrators.flatMap((p) => (typeof p.actorId === 'string' ? [p.actorId] : [])))],
      attributions: [...new Set(fields.perpetrators.map((p) => p.attribution))],
      status: incident.status,
      revision: incident.revision,
    },
  };
}

/** Fetches the incidents matching a query, as map features, with the cursor of the next page. */
export async function fetchIncidents(query: IncidentQuery, signal?: AbortSignal): Promise<IncidentCollection> {
  const page = await fetchIncidentPage(query, signal);
  return { type: 'FeatureCollection', features: page.items.map(incidentFeatureOf), nextCursor: page.nextCursor };
}

/** Sums of a casualty figure over incidents (unknown figures count 0). */
export interface FigureSums {
  low: number;
  best: number;
  high: number;
}

/** Counts and sums of `GET /api/stats` for one period. */
export interface StatsFigures {
  incidents: number;
  killed: FigureSums;
  wounded: FigureSums;
}

/** `GET /api/stats`: a window and the one before it, in total and by group (see docs/api.md). */
export interface StatsAnswer {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  groupBy: string;
  total: StatsFigures & { previous: StatsFigures };
  groups: (StatsFigures & { key: string | null; country?: string | null; previous: StatsFigures })[];
}

/** Fetches `GET /api/stats` with the given parameters (`rolling`, `end`, `group_by`, `rollup`, `status`, …). */
export async function fetchStats(params: Readonly<Record<string, string | undefined>>, signal?: AbortSignal): Promise<StatsAnswer> {
  const body = (await getJson(apiUrl('api/stats', params), signal)) as Partial<StatsAnswer> | null;
  if (body === null || typeof body !== 'object' || typeof body.total !== 'object' || !Array.isArray(body.groups) || typeof body.period !== 'object' || typeof body.previousPeriod !== 'object') {
    throw new ApiError(200, 'The server sent statistics in an unexpected shape (expected { period, previousPeriod, total, groups }).');
  }
  return body as StatsAnswer;
}

/** The revision history of an incident. */
export async function fetchHistory(id: string, signal?: AbortSignal): Promise<IncidentHistory> {
  const body = (await getJson(apiUrl(`api/incidents/${encodeURIComponent(id)}/history`), signal)) as Partial<IncidentHistory> | null;
  if (body === null || !Array.isArray(body.history)) throw new ApiError(200, 'The server sent a history in an unexpected shape.');
  return { incidentId: id, revision: body.revision ?? null, mergedInto: body.mergedInto ?? null, history: body.history };
}

/** One alert as /api/alerts gives it. */
export interface AlertItem {
  id: string;
  ruleName: string;
  kind: string;
  firedAt: string;
  incidentId: string | null;
  title: string;
}

/** The newest alerts the rules fired (an empty list where the server has none to show). */
export async function fetchAlerts(limit = 20, signal?: AbortSignal): Promise<AlertItem[]> {
  const body = (await getJson(apiUrl('api/alerts', { limit: String(limit) }), signal)) as { items?: unknown } | null;
  return Array.isArray(body?.items) ? (body.items as AlertItem[]) : [];
}

/** Places whose names start with the text typed so far. */
export async function searchPlaces(q: string, signal?: AbortSignal): Promise<PlaceHit[]> {
  const body = (await getJson(apiUrl('api/places', { q, limit: '8' }), signal)) as { items?: unknown } | null;
  return Array.isArray(body?.items) ? (body.items as PlaceHit[]) : [];
}

/** Who is signed in and what they may do. */
export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  return (await getJson(apiUrl('api/auth/me'), signal)) as Me;
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the session, sent with every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** POSTs JSON with the session's CSRF token; answers the parsed body or throws an ApiError. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(csrfToken === null ? {} : { 'x-csrf-token': csrfToken }) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The Vigil server did not answer. Check that it is running, then try again.');
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, errorMessage(answer) ?? `The server answered ${response.status} ${response.statusText}.`);
  return answer as T;
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
