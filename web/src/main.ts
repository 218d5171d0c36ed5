import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { actorFamily, actorName } from './actors.js';
import { renderHistory } from './incident-extras.js';
import { ApiError, fetchHistory, fetchIncidentDetail, fetchIncidents, INCIDENT_PAGE_SIZE, isLocated, type IncidentFeature, type IncidentQuery } from './api-client.js';
import { byId, el } from './dom.js';
import { FilterBar } from './filter-bar.js';
import { readFilterState, sameFilters, writeFilterState, type FilterState } from './filter-state.js';
import { incidentTitle, renderIncidentDetail } from './incident-detail.js';
import { renderIncidentList, renderPanelMessage } from './incident-list.js';
import { IncidentMap } from './incident-map.js';
import { countryName } from './labels.js';
import { renderMapLegend } from './legend.js';
import { PlaceSearch } from './place-search.js';
import { initAccount } from './session.js';
import { Timeline } from './timeline.js';

/** The most incidents the map loads for one view (pages of INCIDENT_PAGE_SIZE, drawn as they come). */
export const MAX_MAP_INCIDENTS = 5000;

/** The first page is small, so that the first incidents are on screen quickly; the rest follow. */
export const FIRST_PAGE_SIZE = 250;

/** What the page exposes for tests and the console as `window.__vigil`. */
export interface VigilHandle {
  /** The MapLibre map; null when the browser could not create one (no WebGL). */
  map: MapLibreMap | null;
  /** Resolves once the first incidents are drawn and the map is idle; rejects if they cannot be. */
  ready: Promise<void>;
}

declare global {
  interface Window {
    __vigil?: VigilHandle;
  }
}

const panel = byId('panel', HTMLElement);
const status = byId('status', HTMLElement);
const legend = byId('legend-body', HTMLElement);
const legendBox = byId('legend', HTMLDetailsElement);
const mapContainer = byId('map', HTMLDivElement);

let view: FilterState = readFilterState(window.location.search);
let incidents: IncidentFeature[] = [];
let canChange = false;
let truncated = false;
let listRequest: AbortController | null = null;
/**
 * Every incident the API gave for the last query it was asked (before the browser's own filters),
 * once all its pages are in: a change of only the filters applied here (attack type, attribution,
 * an actor family within the same API query) filters these again instead of asking the API.
 */
let fetchedFor: { key: string; features: IncidentFeature[]; truncated: boolean } | null = null;
let detailRequest: AbortController | null = null;

let readyResolve: () => void = () => undefined;
let readyReject: (error: unknown) => void = () => undefined;
const ready = new Promise<void>((resolve, reject) => {
  readyResolve = resolve;
  readyReject = reject;
});
ready.catch(() => undefined);

let incidentMap: IncidentMap | null = null;
try {
  incidentMap = new IncidentMap(mapContainer, view.colour ?? 'attack');
  incidentMap.onSelect((id) => void openIncident(id, { history: 'push' }));
  incidentMap.map.on('error', (event) => console.error('Map error:', event.error));
} catch (error) {
  mapContainer.replaceChildren(
    el('p', { class: 'map-error', role: 'alert' }, 'The map cannot be drawn: this browser has WebGL turned off or unsupported. The incidents are listed in the side panel.'),
  );
  readyReject(error);
}
window.__vigil = { map: incidentMap?.map ?? null, ready };

const filterBar = new FilterBar(byId('filters', HTMLFormElement), byId('country-hint', HTMLElement), (filters) => applyFilters(filters));
filterBar.write(view);
renderMapLegend(legend, new Set(), view.colour ?? 'attack');

const timeline = new Timeline(byId('timeline', HTMLElement), (from, to) => {
  const next = { ...view, from, to };
  filterBar.write(next);
  applyFilters(next);
});

new PlaceSearch(byId('place-search', HTMLFormElement), byId('place-hits-list', HTMLUListElement), (hit) => {
  if (hit.lat !== null && hit.lon !== null) incidentMap?.flyTo(hit.lon, hit.lat, hit.radiusKm ?? null);
  else if (hit.precision === 'country' && hit.country !== null) {
    // A country has no point in the gazetteer: picking one filters the map to it instead.
    const next = { ...view, country: hit.country };
    filterBar.write(next);
    applyFilters(next);
  }
});

void initAccount(byId('account', HTMLElement), (me) => {
  canChange = me.can.change;
  if (view.incident !== undefined) void openIncident(view.incident, { history: 'none' });
}).then((me) => {
  canChange = me.can.change;
});

function applyFilters(filters: FilterState): void {
  const colourChanged = (filters.colour ?? 'attack') !== (view.colour ?? 'attack');
  const selectionChanged = !sameFilters(filters, view);
  if (!colourChanged && !selectionChanged) return;
  view = { ...filters, incident: view.incident };
  updateUrl('replace');
  if (colourChanged) {
    incidentMap?.setColour(view.colour ?? 'attack');
    renderMapLegend(legend, presentKeys(), view.colour ?? 'attack');
  }
  if (selectionChanged) void loadIncidents({ fit: false });
}

function presentKeys(): Set<string> {
  return new Set(incidents.map((item) => ((view.colour ?? 'attack') === 'actor' ? (item.properties.actorIds[0] ?? 'other') : (item.properties.attackTypes[0] ?? 'unknown'))));
}
// On a phone the legend would hide much of the map: it starts folded there, and opens for print.
if (window.matchMedia('(max-width: 760px)').matches) legendBox.open = false;
window.addEventListener('beforeprint', () => {
  legendBox.open = true;
});

window.addEventListener('popstate', () => {
  const next = readFilterState(window.location.search);
  const filtersChanged = !sameFilters(next, view);
  const incidentChanged = next.incident !== view.incident;
  const colourChanged = (next.colour ?? 'attack') !== (view.colour ?? 'attack');
  view = next;
  filterBar.write(view);
  if (colourChanged) incidentMap?.setColour(view.colour ?? 'attack');
  if (filtersChanged) void loadIncidents({ fit: false });
  if (incidentChanged) {
    if (view.incident === undefined) closeIncident({ history: 'none' });
    else void openIncident(view.incident, { history: 'none' });
  }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && view.incident !== undefined && panel.contains(document.activeElement)) closeIncident({ history: 'push' });
});

void loadIncidents({ fit: !window.location.hash.includes('map=') });
if (view.incident !== undefined) void openIncident(view.incident, { history: 'none' });

function updateUrl(mode: 'push' | 'replace'): void {
  const next = writeFilterState(new URL(window.location.href), view);
  if (next.href === window.location.href) return;
  if (mode === 'push') window.history.pushState(null, '', next);
  else window.history.replaceState(window.history.state, '', next);
}

function describeFilters(filters: FilterState): string {
  const parts = [
    filters.country === undefined ? null : `in ${countryName(filters.country)}`,
    filters.from === undefined ? null : `from ${filters.from}`,
    filters.to === undefined ? null : `to ${filters.to}`,
    filters.actor === undefined ? null : `by ${actorName(filters.actor)}`,
    filters.attack === undefined ? null : `of type ${filters.attack.replace(/_/g, ' ')}`,
    filters.attribution === undefined ? null : `${filters.attribution}`,
    filters.status === undefined ? null : `status ${filters.status}`,
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

/**
 * What the API filters itself; the rest (attack type, attribution, an actor's whole family) is
 * filtered here, as the API has no parameter for them (its `actor` matches one actor exactly).
 */
function apiQuery(filters: FilterState): IncidentQuery {
  const family = filters.actor === undefined ? null : actorFamily(filters.actor);
  return {
    from: filters.from,
    to: filters.to,
    country: filters.country,
    status: filters.status,
    actor: family !== null && family.size === 1 ? filters.actor : undefined,
    limit: INCIDENT_PAGE_SIZE,
  };
}

/** True when an incident passes the filters the API does not apply. */
function matchesLocally(filters: FilterState, family: ReadonlySet<string> | null): (feature: IncidentFeature) => boolean {
  return (feature) => {
    const p = feature.properties;
    if (filters.attack !== undefined && !p.attackTypes.includes(filters.attack)) return false;
    if (filters.attribution !== undefined && !p.attributions.includes(filters.attribution)) return false;
    if (family !== null && family.size > 1 && !p.actorIds.some((id) => family.has(id))) return false;
    return true;
  };
}

async function loadIncidents(options: { fit: boolean }): Promise<void> {
  listRequest?.abort();
  const request = new AbortController();
  listRequest = request;
  status.textContent = 'Loading incidents…';
  document.body.classList.add('is-loading');
  const query = apiQuery(view);
  const keep = matchesLocally(view, view.actor === undefined ? null : actorFamily(view.actor));
  const key = JSON.stringify(query);
  if (fetchedFor !== null && fetchedFor.key === key) {
    // The same API query, every page already read: only the browser's filters changed.
    incidents = fetchedFor.features.filter(keep);
    truncated = fetchedFor.truncated;
    try {
      await draw({ fit: options.fit, final: true }, request);
    } finally {
      if (listRequest === request) document.body.classList.remove('is-loading');
    }
    return;
  }
  fetchedFor = null;
  const all: IncidentFeature[] = [];
  const loaded: IncidentFeature[] = [];
  let fetched = 0;
  let cursor: string | undefined;
  let first = true;
  try {
    do {
      const collection = await fetchIncidents({ ...query, cursor, limit: first ? FIRST_PAGE_SIZE : INCIDENT_PAGE_SIZE }, request.signal);
      if (request.signal.aborted) return;
      fetched += collection.features.length;
      all.push(...collection.features);
      loaded.push(...collection.features.filter(keep));
      cursor = collection.nextCursor ?? undefined;
      incidents = loaded;
      truncated = cursor !== undefined && fetched >= MAX_MAP_INCIDENTS;
      if (cursor === undefined || fetched >= MAX_MAP_INCIDENTS) fetchedFor = { key, features: all, truncated };
      const final = cursor === undefined || fetched >= MAX_MAP_INCIDENTS;
      // The first page is drawn at once; the others are drawn together when the last is in (each
      // drawing is a whole map frame, costly in software WebGL), the status saying more are coming.
      if (first || final) await draw({ fit: options.fit && first, final }, request);
      if (first && !request.signal.aborted) readyResolve();
      first = false;
    } while (cursor !== undefined && fetched < MAX_MAP_INCIDENTS && !request.signal.aborted);
  } catch (error) {
    if (request.signal.aborted) return;
    document.body.toggleAttribute('data-loading-more', false);
    const message = error instanceof ApiError ? error.message : `Could not load incidents: ${String(error)}`;
    status.textContent = message;
    if (view.incident === undefined) renderPanelMessage(panel, message, { error: true });
    readyReject(error);
  } finally {
    if (listRequest === request) document.body.classList.remove('is-loading');
  }
}

async function draw(options: { fit: boolean; final: boolean }, request: AbortController): Promise<void> {
  const count = incidents.length === 1 ? '1 incident' : `${incidents.length.toLocaleString('en')} incidents`;
  const unlocated = incidents.filter((item) => !isLocated(item)).length;
  status.textContent = `${truncated ? `Newest ${count}` : count}${describeFilters(view)}${unlocated === 0 ? '' : ` · ${unlocated} not on the map`}${options.final ? '' : ' · loading more…'}`;
  // Set while pages of this view are still to come, and cleared only once the last one is drawn.
  if (!options.final) document.body.toggleAttribute('data-loading-more', true);
  renderMapLegend(legend, presentKeys(), view.colour ?? 'attack');
  timeline.render(incidents, view);
  if (view.incident === undefined) showList();
  if (incidentMap !== null) {
    await incidentMap.show(incidents, { fit: options.fit });
    if (request.signal.aborted) return;
    incidentMap.select(view.incident ?? null);
  }
  if (options.final) document.body.toggleAttribute('data-loading-more', false);
  // For the browser benchmark and tests: the incidents of the current filters are on screen.
  document.dispatchEvent(new CustomEvent('vigil:drawn', { detail: { count: incidents.length, final: options.final } }));
}

function showList(): void {
  renderIncidentList(panel, incidents, { truncated, onSelect: (id) => void openIncident(id, { history: 'push' }) });
}

async function openIncident(id: string, options: { history: 'push' | 'none' }): Promise<void> {
  detailRequest?.abort();
  const request = new AbortController();
  detailRequest = request;
  view = { ...view, incident: id };
  if (options.history === 'push') updateUrl('push');
  incidentMap?.select(id);
  renderPanelMessage(panel, 'Loading the incident and its reports…', { onBack: () => closeIncident({ history: 'push' }) });
  try {
    const detail = await fetchIncidentDetail(id, request.signal);
    if (request.signal.aborted) return;
    const heading = renderIncidentDetail(panel, detail, { onBack: () => closeIncident({ history: 'push' }), canChange });
    document.title = `${incidentTitle(detail.incident.fields)} — Vigil`;
    heading.focus({ preventScroll: true });
    const historySection = panel.querySelector<HTMLElement>('[data-testid="history"]');
    void fetchHistory(id, request.signal)
      .then((answer) => {
        if (historySection !== null && !request.signal.aborted) renderHistory(historySection, answer.history, detail.incident);
      })
      .catch((error: unknown) => {
        if (historySection !== null && !request.signal.aborted) historySection.replaceChildren(el('p', { class: 'error' }, error instanceof ApiError ? error.message : 'Could not load the history.'));
      });
    const feature = incidents.find((item) => item.properties.id === id);
    if (feature !== undefined) incidentMap?.reveal(feature);
  } catch (error) {
    if (request.signal.aborted) return;
    const message =
      error instanceof ApiError && error.status === 404
        ? 'This incident is not in the database (it may have been merged into another). Go back to the list and pick another.'
        : error instanceof ApiError
          ? error.message
          : `Could not load the incident: ${String(error)}`;
    renderPanelMessage(panel, message, { error: true, onBack: () => closeIncident({ history: 'push' }) });
  }
}

function closeIncident(options: { history: 'push' | 'none' }): void {
  detailRequest?.abort();
  const previous = view.incident;
  view = { ...view, incident: undefined };
  if (options.history === 'push') updateUrl('push');
  incidentMap?.select(null);
  document.title = 'Vigil — incident map';
  showList();
  const item = previous === undefined ? null : panel.querySelector<HTMLElement>(`[data-incident-id="${CSS.escape(previous)}"]`);
  (item ?? panel).focus();
}
