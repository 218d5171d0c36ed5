import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { ApiError, fetchIncidentDetail, fetchIncidents, isLocated, type IncidentFeature } from './api-client.js';
import { byId, el } from './dom.js';
import { FilterBar } from './filter-bar.js';
import { readFilterState, sameFilters, writeFilterState, type FilterState } from './filter-state.js';
import { incidentTitle, renderIncidentDetail } from './incident-detail.js';
import { renderIncidentList, renderPanelMessage } from './incident-list.js';
import { IncidentMap } from './incident-map.js';
import { countryName } from './labels.js';
import { renderMapLegend } from './legend.js';

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
let truncated = false;
let listRequest: AbortController | null = null;
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
  incidentMap = new IncidentMap(mapContainer);
  incidentMap.onSelect((id) => void openIncident(id, { history: 'push' }));
  incidentMap.map.on('error', (event) => console.error('Map error:', event.error));
} catch (error) {
  mapContainer.replaceChildren(
    el('p', { class: 'map-error', role: 'alert' }, 'The map cannot be drawn: this browser has WebGL turned off or unsupported. The incidents are listed in the side panel.'),
  );
  readyReject(error);
}
window.__vigil = { map: incidentMap?.map ?? null, ready };

const filterBar = new FilterBar(byId('filters', HTMLFormElement), byId('country-hint', HTMLElement), (filters) => {
  if (sameFilters(filters, view)) return;
  view = { ...filters, incident: view.incident };
  updateUrl('replace');
  void loadIncidents({ fit: false });
});
filterBar.write(view);
renderMapLegend(legend);
// On a phone the legend would hide much of the map: it starts folded there, and opens for print.
if (window.matchMedia('(max-width: 760px)').matches) legendBox.open = false;
window.addEventListener('beforeprint', () => {
  legendBox.open = true;
});

window.addEventListener('popstate', () => {
  const next = readFilterState(window.location.search);
  const filtersChanged = !sameFilters(next, view);
  const incidentChanged = next.incident !== view.incident;
  view = next;
  filterBar.write(view);
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
  ].filter((part) => part !== null);
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

async function loadIncidents(options: { fit: boolean }): Promise<void> {
  listRequest?.abort();
  const request = new AbortController();
  listRequest = request;
  status.textContent = 'Loading incidents…';
  document.body.classList.add('is-loading');
  try {
    const collection = await fetchIncidents(view, request.signal);
    if (request.signal.aborted) return;
    incidents = collection.features;
    truncated = collection.nextCursor !== null;
    const count = incidents.length === 1 ? '1 incident' : `${incidents.length} incidents`;
    const unlocated = incidents.filter((item) => !isLocated(item)).length;
    status.textContent = `${truncated ? `Newest ${count}` : count}${describeFilters(view)}${unlocated === 0 ? '' : ` · ${unlocated} not on the map`}`;
    renderMapLegend(legend, new Set(incidents.map((item) => item.properties.attackTypes[0] ?? 'unknown')));
    if (view.incident === undefined) showList();
    if (incidentMap !== null) {
      await incidentMap.show(incidents, options);
      incidentMap.select(view.incident ?? null);
      if (!request.signal.aborted) readyResolve();
    }
  } catch (error) {
    if (request.signal.aborted) return;
    const message = error instanceof ApiError ? error.message : `Could not load incidents: ${String(error)}`;
    status.textContent = message;
    if (view.incident === undefined) renderPanelMessage(panel, message, { error: true });
    readyReject(error);
  } finally {
    if (listRequest === request) document.body.classList.remove('is-loading');
  }
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
    const heading = renderIncidentDetail(panel, detail, { onBack: () => closeIncident({ history: 'push' }) });
    document.title = `${incidentTitle(detail.incident.fields)} — Vigil`;
    heading.focus({ preventScroll: true });
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
