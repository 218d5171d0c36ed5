import type { GeoJSONSource, LngLatBoundsLike, MapGeoJSONFeature } from 'maplibre-gl';
import { LngLatBounds, Map as MapLibreMap, Marker, NavigationControl, ScaleControl } from 'maplibre-gl';
import { isLocated, type IncidentFeature } from './api-client.js';
import { basemapStyle, COUNTRIES_DETAIL_SOURCE, DETAIL_ZOOM, loadDetailedCountries, OVERVIEW_LAYERS } from './basemap.js';
import type { ColourBy } from './filter-state.js';
import {
  AREA_CENTRES_SOURCE,
  AREA_SHAPE_ZOOM,
  areaShapes,
  AREAS_SOURCE,
  CLICKABLE_LAYERS,
  CLUSTER_LAYER,
  CLUSTER_OPTIONS,
  colourExpression,
  COLOURED_LAYERS,
  INCIDENTS_SOURCE,
  incidentLayers,
  SELECTED_LAYER,
  SELECTED_LAYERS,
  selectedFilter,
  toMapFeatures,
} from './incident-layers.js';

/** The map of incidents: an offline basemap with clustered points and area circles over it. */
export class IncidentMap {
  /** The MapLibre map, exposed for tests and the console. */
  readonly map: MapLibreMap;
  readonly #loaded: Promise<void>;
  #selectHandler: (id: string) => void = () => undefined;
  /** The DOM labels of the clusters on screen (the map has no glyphs: text is DOM), by cluster id. */
  readonly #clusterLabels = new Map<number, Marker>();
  /** The incident ringed on the map. */
  #selected: string | null = null;
  /** The detailed country shapes being loaded or in place (null until the map is first zoomed in). */
  #detail: Promise<void> | null = null;
  /**
   * True once a drawing has finished: the incident sources have then been through a render, so
   * MapLibre asks for their tiles by itself when their data changes (see `show`).
   */
  #drawn = false;
  /**
   * The incidents whose area polygons are still to be made: they are drawn only from
   * AREA_SHAPE_ZOOM on, and made (and cut into tiles) only when the map comes near that zoom.
   */
  #shapesPending: readonly IncidentFeature[] | null = null;

  /** Creates the map in the container, with the incident layers (empty until `show`) over the basemap. */
  constructor(container: HTMLElement, colour: ColourBy) {
    const basemap = basemapStyle();
    const empty = { type: 'FeatureCollection' as const, features: [] };
    this.map = new MapLibreMap({
      container,
      style: {
        ...basemap,
        sources: {
          ...basemap.sources,
          [AREA_CENTRES_SOURCE]: { type: 'geojson', data: empty },
          [AREAS_SOURCE]: { type: 'geojson', data: empty },
          [INCIDENTS_SOURCE]: { type: 'geojson', data: empty, ...CLUSTER_OPTIONS },
        },
        layers: [...basemap.layers, ...incidentLayers(colour)],
        // No paint transitions: each would be 300 ms of frames (a colour change, the style's load).
        transition: { duration: 0, delay: 0 },
      },
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
      // The map has no symbols or rasters to fade in; with a fade time it draws frame after frame
      // for 300 ms after every change of tiles (placement "transitions"), each a whole frame in
      // software WebGL.
      fadeDuration: 0,
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.map.getCanvas().setAttribute('aria-label', 'Map of incidents; use the list in the side panel to reach them with the keyboard');

    // The style (an object) is parsed a frame after the map is made; its sources can take data
    // from then on. Waiting for `load` instead would wait for the basemap's first complete frame,
    // and only then start cutting the incidents' tiles: a second round through the worker.
    this.#loaded = new Promise<void>((resolve) => {
      this.map.once('style.load', () => resolve());
    });
    this.#bindPointer();
    this.map.on('idle', () => this.#labelClusters());
    // The detailed countries and the area polygons are made a zoom level before they are drawn.
    const wantDetail = (): void => {
      if (this.map.getZoom() >= DETAIL_ZOOM - 1) void this.#loadDetail();
    };
    this.map.on('zoom', wantDetail);
    this.map.on('zoom', () => void this.#updateShapes());
    void this.#loaded.then(wantDetail);
  }

  /** Resolves when the style, with the basemap and the (empty) incident layers, is in place. */
  get loaded(): Promise<void> {
    return this.#loaded;
  }

  /** Calls `handler` with the id of an incident clicked on the map. */
  onSelect(handler: (id: string) => void): void {
    this.#selectHandler = handler;
  }

  /** Colours points and areas by attack type or by actor family. */
  setColour(by: ColourBy): void {
    void this.#loaded.then(() => {
      for (const [layer, property] of COLOURED_LAYERS) this.map.setPaintProperty(layer, property, colourExpression(by));
    });
  }

  /**
   * Draws the incidents and resolves once the map is idle, that is, once they are on screen.
   * With `fit`, the view is moved (without animation) to show them all first.
   */
  async show(features: readonly IncidentFeature[], options: { fit: boolean }): Promise<void> {
    await this.#loaded;
    const { points, areas } = toMapFeatures(features);
    // MapLibre redraws as soon as the worker has the new data, while the tiles are still being
    // cut: a whole frame of the old incidents (hundreds of ms in software WebGL). Redraws wait
    // until the new tiles of the incident sources are in, so one frame shows the new incidents.
    // This holds only once a drawing has finished: a source asks for its tiles on new data by
    // itself only after a render has shown it the view, and before that (the first drawing) its
    // tiles are asked for by the next render, which the hold would keep from coming. Nothing old
    // is on the map then anyway.
    const release = this.#drawn ? this.#holdRedraws() : (): void => undefined;
    this.#shapesPending = features;
    try {
      const updated = Promise.all([
        (this.map.getSource(INCIDENTS_SOURCE) as GeoJSONSource).setData(points, true),
        (this.map.getSource(AREA_CENTRES_SOURCE) as GeoJSONSource).setData(areas, true),
      ]);
      if (options.fit) {
        const bounds = boundsOf(features);
        if (bounds !== null) this.map.fitBounds(bounds, { padding: 60, maxZoom: 6, animate: false });
      }
      // A view close enough for the detailed shapes waits for them, so that it is drawn once with them.
      const detail = this.map.getZoom() >= DETAIL_ZOOM ? this.#loadDetail() : null;
      await Promise.all([updated, this.#updateShapes()]);
      if (this.#drawn) await this.#tilesIn();
      await detail;
    } finally {
      release();
    }
    await new Promise<void>((resolve) => this.map.once('idle', () => resolve()));
    this.#drawn = true;
  }

  /** Makes and sets the pending area polygons when the map is within a zoom level of drawing them. */
  async #updateShapes(): Promise<void> {
    const features = this.#shapesPending;
    if (features === null || this.map.getZoom() < AREA_SHAPE_ZOOM - 1) return;
    this.#shapesPending = null;
    await (this.map.getSource(AREAS_SOURCE) as GeoJSONSource).setData(areaShapes(features), true);
  }

  /** Loads the detailed country shapes once; the overview ones are then drawn only below DETAIL_ZOOM. */
  #loadDetail(): Promise<void> {
    this.#detail ??= loadDetailedCountries()
      .then((countries) => (this.map.getSource(COUNTRIES_DETAIL_SOURCE) as GeoJSONSource).setData(countries, true))
      .then(() => {
        for (const layer of OVERVIEW_LAYERS) this.map.setLayerZoomRange(layer, 0, DETAIL_ZOOM);
      })
      .catch((error: unknown) => {
        // The overview shapes stay at every zoom.
        console.error('Could not load the detailed country shapes:', error);
      });
    return this.#detail;
  }

  /**
   * Resolves when both incident sources have every tile of the view loaded. The 5 s limit is a
   * safeguard only (a map that lost its WebGL context loads nothing); reaching it is reported.
   */
  #tilesIn(): Promise<void> {
    const done = (): boolean => [INCIDENTS_SOURCE, AREA_CENTRES_SOURCE, AREAS_SOURCE].every((source) => this.map.isSourceLoaded(source));
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        this.map.off('sourcedata', check);
        clearTimeout(timer);
        resolve();
      };
      const check = (): void => {
        if (done()) finish();
      };
      const timer = setTimeout(() => {
        console.warn('The map waited 5 s for the tiles of its incidents; drawing anyway.');
        finish();
      }, 5000);
      this.map.on('sourcedata', check);
    });
  }

  /** Makes the map's redraw requests wait; the returned function lets them through as one redraw. */
  #holdRedraws(): () => void {
    const map = this.map;
    map.triggerRepaint = (): void => undefined;
    return () => {
      delete (map as { triggerRepaint?: unknown }).triggerRepaint;
      map.triggerRepaint();
    };
  }

  /** Rings the incident open in the panel (none for null). */
  select(id: string | null): void {
    // Unchanged, it would cost a redraw for nothing.
    if (id === this.#selected || this.map.getLayer(SELECTED_LAYER) === undefined) return;
    this.#selected = id;
    for (const layer of SELECTED_LAYERS) {
      if (this.map.getLayer(layer) !== undefined) this.map.setFilter(layer, selectedFilter(id));
    }
  }

  /** Brings an incident into view when it is outside the visible part of the map. */
  reveal(feature: IncidentFeature): void {
    if (!isLocated(feature)) return;
    const [lon, lat] = feature.geometry.coordinates;
    if (lon === undefined || lat === undefined) return;
    if (!this.map.getBounds().contains([lon, lat])) this.map.easeTo({ center: [lon, lat], duration: 400 });
  }

  /** Flies to a place: a town close up, a region or country to fit its radius. */
  flyTo(lon: number, lat: number, radiusKm: number | null): void {
    if (radiusKm !== null && radiusKm > 5) {
      const dLat = radiusKm / 111;
      const dLon = radiusKm / (111 * Math.max(0.1, Math.cos((lat * Math.PI) / 180)));
      this.map.fitBounds([lon - dLon, lat - dLat, lon + dLon, lat + dLat], { padding: 40, maxZoom: 9, duration: 600 });
    } else {
      this.map.flyTo({ center: [lon, lat], zoom: 9, duration: 600 });
    }
  }

  #labelClusters(): void {
    if (this.map.getLayer(CLUSTER_LAYER) === undefined) return;
    const seen = new Set<number>();
    for (const cluster of this.map.queryRenderedFeatures({ layers: [CLUSTER_LAYER] })) {
      const id = Number(cluster.properties['cluster_id']);
      const count = Number(cluster.properties['point_count']);
      if (!Number.isFinite(id) || seen.has(id) || cluster.geometry.type !== 'Point') continue;
      seen.add(id);
      const [lon = 0, lat = 0] = cluster.geometry.coordinates;
      let marker = this.#clusterLabels.get(id);
      if (marker === undefined) {
        const label = document.createElement('span');
        label.className = 'cluster-label';
        label.dataset['testid'] = 'cluster-label';
        marker = new Marker({ element: label }).setLngLat([lon, lat]).addTo(this.map);
        this.#clusterLabels.set(id, marker);
      } else {
        marker.setLngLat([lon, lat]);
      }
      marker.getElement().textContent = count.toLocaleString('en');
    }
    for (const [id, marker] of this.#clusterLabels) {
      if (!seen.has(id)) {
        marker.remove();
        this.#clusterLabels.delete(id);
      }
    }
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
      const order = (hit: MapGeoJSONFeature): number => CLICKABLE_LAYERS.indexOf(hit.layer.id as (typeof CLICKABLE_LAYERS)[number]);
      const top = [...hits].sort((a, b) => order(a) - order(b))[0];
      if (top === undefined) return;
      if (top.layer.id === CLUSTER_LAYER && top.geometry.type === 'Point') {
        const center = top.geometry.coordinates as [number, number];
        const source = this.map.getSource(INCIDENTS_SOURCE) as GeoJSONSource;
        void source.getClusterExpansionZoom(Number(top.properties['cluster_id'])).then((zoom) => this.map.easeTo({ center, zoom, duration: 400 }));
        return;
      }
      const id: unknown = top.properties['id'];
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
