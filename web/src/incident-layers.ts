import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl';
import { ACTOR_COLOURS, actorColourKey, OTHER_ACTOR_COLOUR } from './actors.js';
import { isLocated, type IncidentFeature } from './api-client.js';
import type { ColourBy } from './filter-state.js';
import { ATTACK_TYPE_COLOURS, UNKNOWN_ATTACK_COLOUR } from './labels.js';

/** The clustered source of incidents known to a point. */
export const INCIDENTS_SOURCE = 'incidents';
/**
 * The source of incidents known only to an area, as geodesic circles of the place's radius (polygons),
 * drawn from AREA_SHAPE_ZOOM on.
 */
export const AREAS_SOURCE = 'incident-areas';
/** The same areas as their centres with their radius, drawn as circles below AREA_SHAPE_ZOOM. */
export const AREA_CENTRES_SOURCE = 'incident-area-centres';

/**
 * Below this zoom an area is a circle layer's disc whose radius follows the map's scale at its
 * centre: one quad per area, where the polygon's fill and dashed outline were hundreds of
 * vertices (in software WebGL the areas cost more than the rest of the map). Drawn this way, a
 * 350 km area is at most 143 px across at the equator, and differs from the circle on the sphere
 * by under r/R·tan(lat) of its radius (4 % for 350 km at 35°): a pixel or two. From this zoom on,
 * where a disc would be hundreds of pixels and lost with its centre's tile, the polygons are drawn.
 */
export const AREA_SHAPE_ZOOM = 5;

export const CLUSTER_LAYER = 'incidents-cluster';
export const POINT_LAYER = 'incidents-point';
export const AREA_FILL_LAYER = 'incidents-area-fill';
export const AREA_LINE_LAYER = 'incidents-area-line';
export const AREA_CIRCLE_LAYER = 'incidents-area-circle';
export const SELECTED_LAYER = 'incidents-selected';
export const SELECTED_AREA_LAYER = 'incidents-selected-area';
export const SELECTED_AREA_CIRCLE_LAYER = 'incidents-selected-area-circle';

/** The selection rings, whose filter follows the incident open in the panel. */
export const SELECTED_LAYERS = [SELECTED_LAYER, SELECTED_AREA_LAYER, SELECTED_AREA_CIRCLE_LAYER] as const;

/** The layers a click can hit, topmost first. */
export const CLICKABLE_LAYERS = [CLUSTER_LAYER, POINT_LAYER, AREA_CIRCLE_LAYER, AREA_FILL_LAYER] as const;

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

/** The properties of an area's centre: the radius in pixels at zoom 0, where the world is 512 px wide. */
export interface MapAreaCentreProperties extends MapIncidentProperties {
  radiusPx0: number;
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

/** Metres per pixel at the equator at zoom 0 (the world 512 px wide). */
const METRES_PER_PIXEL_Z0 = (2 * Math.PI * 6_378_137) / 512;

/**
 * Splits the incidents into the points to cluster and the centres of the areas (drawn as circles
 * below AREA_SHAPE_ZOOM); `areaShapes` makes the areas' polygons for the zooms above.
 */
export function toMapFeatures(features: readonly IncidentFeature[]): {
  points: FeatureCollection<Point, MapIncidentProperties>;
  areas: FeatureCollection<Point, MapAreaCentreProperties>;
} {
  const points: Feature<Point, MapIncidentProperties>[] = [];
  const areas: Feature<Point, MapAreaCentreProperties>[] = [];
  for (const feature of features) {
    if (!isLocated(feature)) continue;
    const [lon = 0, lat = 0] = feature.geometry.coordinates;
    const radius = areaRadiusKm(feature);
    const geometry: Point = { type: 'Point', coordinates: [lon, lat] };
    if (radius === null) points.push({ type: 'Feature', geometry, properties: propertiesOf(feature) });
    else {
      // Web Mercator's scale at the centre: 1 / cos(latitude) (kept finite near the poles).
      const metresPerPixel = METRES_PER_PIXEL_Z0 * Math.max(0.01, Math.cos((lat * Math.PI) / 180));
      areas.push({ type: 'Feature', geometry, properties: { ...propertiesOf(feature), radiusPx0: (radius * 1000) / metresPerPixel } });
    }
  }
  return { points: { type: 'FeatureCollection', features: points }, areas: { type: 'FeatureCollection', features: areas } };
}

/** The areas of the incidents known only to an area, as geodesic circles of the place's radius. */
export function areaShapes(features: readonly IncidentFeature[]): FeatureCollection<Polygon, MapIncidentProperties> {
  const areas: Feature<Polygon, MapIncidentProperties>[] = [];
  for (const feature of features) {
    if (!isLocated(feature)) continue;
    const radius = areaRadiusKm(feature);
    if (radius === null) continue;
    const [lon = 0, lat = 0] = feature.geometry.coordinates;
    areas.push({ type: 'Feature', geometry: geodesicCircle(lon, lat, radius * 1000), properties: propertiesOf(feature) });
  }
  return { type: 'FeatureCollection', features: areas };
}

/** The colour expression of a point or area. */
export function colourExpression(by: ColourBy): ExpressionSpecification {
  const [property, pairs, fallback] = by === 'actor' ? ['family', ACTOR_COLOURS, OTHER_ACTOR_COLOUR] : ['attack', ATTACK_TYPE_COLOURS, UNKNOWN_ATTACK_COLOUR];
  return ['match', ['get', property], ...pairs.flatMap(([key, colour]) => [key, colour]), fallback] as unknown as ExpressionSpecification;
}

/** Dot radius in pixels: grows with the square root of killed + wounded, so area tracks the toll. */
const pointRadius: ExpressionSpecification = ['interpolate', ['linear'], ['sqrt', ['get', 'casualties']], 0, 4.5, 2, 6.5, 5, 10, 10, 15, 20, 24];

/**
 * An area's disc radius in pixels: its radius at zoom 0 doubled with each zoom level. Up to
 * AREA_SHAPE_ZOOM only, where the layer stops; the interpolation must reach it exactly.
 */
const areaRadius = [
  'interpolate',
  ['exponential', 2],
  ['zoom'],
  0,
  ['get', 'radiusPx0'],
  AREA_SHAPE_ZOOM,
  ['*', ['get', 'radiusPx0'], 2 ** AREA_SHAPE_ZOOM],
] as unknown as ExpressionSpecification;

const isCluster: FilterSpecification = ['has', 'point_count'];
const notCluster: FilterSpecification = ['!', ['has', 'point_count']];

/** The source options of the clustered points. */
export const CLUSTER_OPTIONS = {
  cluster: true,
  clusterRadius: 42,
  clusterMaxZoom: CLUSTER_MAX_ZOOM,
  clusterProperties: { casualties: ['+', ['get', 'casualties']] },
} as const;

/**
 * The incident layers over the basemap: areas (discs below AREA_SHAPE_ZOOM, polygons from it on),
 * clusters, dots, then the selection rings.
 */
export function incidentLayers(by: ColourBy): LayerSpecification[] {
  const colour = colourExpression(by);
  return [
    {
      id: AREA_CIRCLE_LAYER,
      type: 'circle',
      source: AREA_CENTRES_SOURCE,
      maxzoom: AREA_SHAPE_ZOOM,
      paint: { 'circle-radius': areaRadius, 'circle-color': colour, 'circle-opacity': 0.12, 'circle-stroke-color': colour, 'circle-stroke-width': 1.25, 'circle-stroke-opacity': 0.8 },
    },
    {
      id: AREA_FILL_LAYER,
      type: 'fill',
      source: AREAS_SOURCE,
      minzoom: AREA_SHAPE_ZOOM,
      paint: { 'fill-color': colour, 'fill-opacity': 0.12 },
    },
    {
      id: AREA_LINE_LAYER,
      type: 'line',
      source: AREAS_SOURCE,
      minzoom: AREA_SHAPE_ZOOM,
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
      id: SELECTED_AREA_CIRCLE_LAYER,
      type: 'circle',
      source: AREA_CENTRES_SOURCE,
      maxzoom: AREA_SHAPE_ZOOM,
      filter: selectedFilter(null),
      paint: { 'circle-radius': areaRadius, 'circle-opacity': 0, 'circle-stroke-color': '#111111', 'circle-stroke-width': 2.5 },
    },
    {
      id: SELECTED_AREA_LAYER,
      type: 'line',
      source: AREAS_SOURCE,
      minzoom: AREA_SHAPE_ZOOM,
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
export const COLOURED_LAYERS: ReadonlyArray<readonly [string, 'fill-color' | 'line-color' | 'circle-color' | 'circle-stroke-color']> = [
  [AREA_CIRCLE_LAYER, 'circle-color'],
  [AREA_CIRCLE_LAYER, 'circle-stroke-color'],
  [AREA_FILL_LAYER, 'fill-color'],
  [AREA_LINE_LAYER, 'line-color'],
  [POINT_LAYER, 'circle-color'],
];
