import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl';
import { ACTOR_COLOURS, actorColourKey, OTHER_ACTOR_COLOUR } from './actors.js';
import { isLocated, type IncidentFeature } from './api-client.js';
import type { ColourBy } from './filter-state.js';
import { ATTACK_TYPE_COLOURS, UNKNOWN_ATTACK_COLOUR } from './labels.js';

/** The clustered source of incidents known to a point. */
export const INCIDENTS_SOURCE = 'incidents';
/** The source of incidents known only to an area: circles of the place's radius, in metres. */
export const AREAS_SOURCE = 'incident-areas';

export const CLUSTER_LAYER = 'incidents-cluster';
export const POINT_LAYER = 'incidents-point';
export const AREA_FILL_LAYER = 'incidents-area-fill';
export const AREA_LINE_LAYER = 'incidents-area-line';
export const SELECTED_LAYER = 'incidents-selected';
export const SELECTED_AREA_LAYER = 'incidents-selected-area';

/** The layers a click can hit, topmost first. */
export const CLICKABLE_LAYERS = [CLUSTER_LAYER, POINT_LAYER, AREA_FILL_LAYER] as const;

/** Clusters break up from this zoom on: every point is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 8;

/** The flat properties the layers read. */
export interface MapIncidentProperties {
  id: string;
  /** The first attack type, or "unknown". */
  attack: string;
  /** The colour family of the first perpetrator (see actorColourKey). */
  family: string;
  /** killed + wounded, each counted as 0 when unknown. */
  casualties: number;
}

/** The radius drawn when a place known only to an area has no radius of its own, by precision. */
const DEFAULT_RADIUS_KM: Readonly<Record<string, number>> = { admin2: 30, admin1: 120, country: 350 };

/** The radius of the area an incident may lie in, in km; null when it is known to a point. */
export function areaRadiusKm(feature: IncidentFeature): number | null {
  const { precision, radiusKm } = feature.properties;
  const fallback = precision === null ? undefined : DEFAULT_RADIUS_KM[precision];
  if (fallback === undefined && (typeof radiusKm !== 'number' || radiusKm < 25)) return null;
  return typeof radiusKm === 'number' && radiusKm > 0 ? radiusKm : (fallback ?? null);
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * A circle on the sphere as a polygon: `steps` points at `radiusM` metres from the centre, so a
 * 100 km radius is 100 km on the ground at any latitude (it looks taller near the poles on the map).
 */
export function geodesicCircle(lon: number, lat: number, radiusM: number, steps = 48): Polygon {
  const d = radiusM / EARTH_RADIUS_M;
  const φ1 = (lat * Math.PI) / 180;
  const λ1 = (lon * Math.PI) / 180;
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i += 1) {
    const θ = (2 * Math.PI * (i % steps)) / steps;
    const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
    const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
    ring.push([(λ2 * 180) / Math.PI, (φ2 * 180) / Math.PI]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

function propertiesOf(feature: IncidentFeature): MapIncidentProperties {
  const { id, attackTypes, killed, wounded, actorIds } = feature.properties;
  return {
    id,
    attack: typeof attackTypes[0] === 'string' ? attackTypes[0] : 'unknown',
    family: actorColourKey(actorIds),
    casualties: (typeof killed === 'number' ? killed : 0) + (typeof wounded === 'number' ? wounded : 0),
  };
}

/** Splits the incidents into the points to cluster and the areas to draw. */
export function toMapFeatures(features: readonly IncidentFeature[]): {
  points: FeatureCollection<Point, MapIncidentProperties>;
  areas: FeatureCollection<Polygon, MapIncidentProperties>;
} {
  const points: Feature<Point, MapIncidentProperties>[] = [];
  const areas: Feature<Polygon, MapIncidentProperties>[] = [];
  for (const feature of features) {
    if (!isLocated(feature)) continue;
    const [lon = 0, lat = 0] = feature.geometry.coordinates;
    const radius = areaRadiusKm(feature);
    if (radius === null) points.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: propertiesOf(feature) });
    else areas.push({ type: 'Feature', geometry: geodesicCircle(lon, lat, radius * 1000), properties: propertiesOf(feature) });
  }
  return { points: { type: 'FeatureCollection', features: points }, areas: { type: 'FeatureCollection', features: areas } };
}

/** The colour expression of a point or area. */
export function colourExpression(by: ColourBy): ExpressionSpecification {
  const [property, pairs, fallback] = by === 'actor' ? ['family', ACTOR_COLOURS, OTHER_ACTOR_COLOUR] : ['attack', ATTACK_TYPE_COLOURS, UNKNOWN_ATTACK_COLOUR];
  return ['match', ['get', property], ...pairs.flatMap(([key, colour]) => [key, colour]), fallback] as unknown as ExpressionSpecification;
}

/** Dot radius in pixels: grows with the square root of killed + wounded, so area tracks the toll. */
const pointRadius: ExpressionSpecification = ['interpolate', ['linear'], ['sqrt', ['get', 'casualties']], 0, 4.5, 2, 6.5, 5, 10, 10, 15, 20, 24];

const isCluster: FilterSpecification = ['has', 'point_count'];
const notCluster: FilterSpecification = ['!', ['has', 'point_count']];

/** The source options of the clustered points. */
export const CLUSTER_OPTIONS = {
  cluster: true,
  clusterRadius: 42,
  clusterMaxZoom: CLUSTER_MAX_ZOOM,
  clusterProperties: { casualties: ['+', ['get', 'casualties']] },
} as const;

/** The incident layers over the basemap: areas, clusters, dots, then the selection rings. */
export function incidentLayers(by: ColourBy): LayerSpecification[] {
  const colour = colourExpression(by);
  return [
    {
      id: AREA_FILL_LAYER,
      type: 'fill',
      source: AREAS_SOURCE,
      paint: { 'fill-color': colour, 'fill-opacity': 0.12 },
    },
    {
      id: AREA_LINE_LAYER,
      type: 'line',
      source: AREAS_SOURCE,
      paint: { 'line-color': colour, 'line-width': 1.5, 'line-opacity': 0.8, 'line-dasharray': [3, 2] },
    },
    {
      id: CLUSTER_LAYER,
      type: 'circle',
      source: INCIDENTS_SOURCE,
      filter: isCluster,
      paint: {
        'circle-color': '#3b4a5a',
        'circle-opacity': 0.82,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 11, 10, 22, 40, 38] as unknown as ExpressionSpecification,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: POINT_LAYER,
      type: 'circle',
      source: INCIDENTS_SOURCE,
      filter: notCluster,
      paint: { 'circle-radius': pointRadius, 'circle-color': colour, 'circle-opacity': 0.88, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.25 },
    },
    {
      id: SELECTED_LAYER,
      type: 'circle',
      source: INCIDENTS_SOURCE,
      filter: selectedFilter(null),
      paint: { 'circle-radius': ['+', pointRadius, 4] as unknown as ExpressionSpecification, 'circle-opacity': 0, 'circle-stroke-color': '#111111', 'circle-stroke-width': 2.5 },
    },
    {
      id: SELECTED_AREA_LAYER,
      type: 'line',
      source: AREAS_SOURCE,
      filter: selectedFilter(null),
      paint: { 'line-color': '#111111', 'line-width': 3 },
    },
  ];
}

/** The filter that shows the selection ring around one incident (none for null). */
export function selectedFilter(id: string | null): FilterSpecification {
  return ['==', ['get', 'id'], id ?? ''];
}

/** The layers whose colour follows the colour toggle, with the paint property that holds it. */
export const COLOURED_LAYERS: ReadonlyArray<readonly [string, 'fill-color' | 'line-color' | 'circle-color']> = [
  [AREA_FILL_LAYER, 'fill-color'],
  [AREA_LINE_LAYER, 'line-color'],
  [POINT_LAYER, 'circle-color'],
];
