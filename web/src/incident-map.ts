import type { GeoJSONSource, LngLatBoundsLike, MapGeoJSONFeature } from 'maplibre-gl';
import { LngLatBounds, Map as MapLibreMap, NavigationControl, ScaleControl } from 'maplibre-gl';
import { isLocated, type IncidentFeature } from './api-client.js';
import { basemapStyle, COUNTRIES_SOURCE, loadCountries } from './basemap.js';
import { CLICKABLE_LAYERS, INCIDENTS_SOURCE, incidentLayers, SELECTED_LAYER, selectedFilter, toMapFeatures } from './incident-layers.js';

/** The map of incidents: an offline basemap with the incident layers over it. */
export class IncidentMap {
  /** The MapLibre map, exposed for tests and the console. */
  readonly map: MapLibreMap;
  readonly #loaded: Promise<void>;
  #selectHandler: (id: string) => void = () => undefined;

  /** Creates the map in the container; it starts loading the country shapes at once. */
  constructor(container: HTMLElement) {
    this.map = new MapLibreMap({
      container,
      style: basemapStyle(),
      center: [20, 15],
      zoom: 1.4,
      minZoom: 0.5,
      maxZoom: 12,
      hash: 'map',
      attributionControl: { customAttribution: 'Natural Earth', compact: false },
      maplibreLogo: false,
      // Keeps the drawn frame, so the map shows up when the page is printed or captured.
      canvasContextAttributes: { preserveDrawingBuffer: true },
      cooperativeGestures: false,
      dragRotate: false,
      pitchWithRotate: false,
      collectResourceTiming: false,
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.map.getCanvas().setAttribute('aria-label', 'Map of incidents; use the list in the side panel to reach them with the keyboard');

    const styleLoaded = new Promise<void>((resolve) => {
      if (this.map.isStyleLoaded()) resolve();
      else this.map.once('load', () => resolve());
    });
    this.#loaded = Promise.all([styleLoaded, loadCountries()]).then(([, countries]) => {
      (this.map.getSource(COUNTRIES_SOURCE) as GeoJSONSource).setData(countries);
      this.map.addSource(INCIDENTS_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      for (const layer of incidentLayers()) this.map.addLayer(layer);
      this.#bindPointer();
    });
  }

  /** Resolves when the basemap and the (empty) incident layers are in place. */
  get loaded(): Promise<void> {
    return this.#loaded;
  }

  /** Calls `handler` with the id of an incident clicked on the map. */
  onSelect(handler: (id: string) => void): void {
    this.#selectHandler = handler;
  }

  /**
   * Draws the incidents and resolves once the map is idle, that is, once they are on screen.
   * With `fit`, the view is moved (without animation) to show them all first.
   */
  async show(features: readonly IncidentFeature[], options: { fit: boolean }): Promise<void> {
    await this.#loaded;
    const idle = new Promise<void>((resolve) => this.map.once('idle', () => resolve()));
    (this.map.getSource(INCIDENTS_SOURCE) as GeoJSONSource).setData(toMapFeatures(features));
    if (options.fit) {
      const bounds = boundsOf(features);
      if (bounds !== null) this.map.fitBounds(bounds, { padding: 60, maxZoom: 6, animate: false });
    }
    this.map.triggerRepaint();
    await idle;
  }

  /** Rings the incident open in the panel (none for null). */
  select(id: string | null): void {
    if (this.map.getLayer(SELECTED_LAYER) !== undefined) this.map.setFilter(SELECTED_LAYER, selectedFilter(id));
  }

  /** Brings an incident into view when it is outside the visible part of the map. */
  reveal(feature: IncidentFeature): void {
    if (!isLocated(feature)) return;
    const [lon, lat] = feature.geometry.coordinates;
    if (lon === undefined || lat === undefined) return;
    if (!this.map.getBounds().contains([lon, lat])) this.map.easeTo({ center: [lon, lat], duration: 400 });
  }

  #bindPointer(): void {
    const canvas = this.map.getCanvas();
    for (const layer of CLICKABLE_LAYERS) {
      this.map.on('mouseenter', layer, () => {
        canvas.style.cursor = 'pointer';
      });
      this.map.on('mouseleave', layer, () => {
        canvas.style.cursor = '';
      });
    }
    this.map.on('click', (event) => {
      const hits: MapGeoJSONFeature[] = this.map.queryRenderedFeatures(event.point, { layers: [...CLICKABLE_LAYERS] });
      const top = hits.find((hit) => hit.layer.id === CLICKABLE_LAYERS[0]) ?? hits[0];
      const id: unknown = top?.properties['id'];
      if (typeof id === 'string') this.#selectHandler(id);
    });
  }
}

function boundsOf(features: readonly IncidentFeature[]): LngLatBoundsLike | null {
  let bounds: LngLatBounds | null = null;
  for (const feature of features) {
    if (!isLocated(feature)) continue;
    const [lon, lat] = feature.geometry.coordinates;
    if (lon === undefined || lat === undefined) continue;
    bounds = bounds === null ? new LngLatBounds([lon, lat], [lon, lat]) : bounds.extend([lon, lat]);
  }
  return bounds;
}
