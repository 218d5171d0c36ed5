import type { FeatureCollection, Point } from 'geojson';
import type { CircleLayerSpecification, ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import { isLocated, type IncidentFeature } from './api-client.js';
import { ATTACK_TYPE_COLOURS, UNKNOWN_ATTACK_COLOUR } from './labels.js';

/** The id of the GeoJSON source holding the incidents. */
export const INCIDENTS_SOURCE = 'incidents';

/** Incidents known to a point: drawn as solid dots. */
export const POINT_LAYER = 'incidents-point';
/** Incidents known only to a province or a country: drawn as large hollow circles. */
export const AREA_LAYER = 'incidents-area';
/** The ring around the incident open in the panel. */
export const SELECTED_LAYER = 'incidents-selected';

/** The layers a click can hit, topmost first. */
export const CLICKABLE_LAYERS = [POINT_LAYER, AREA_LAYER] as const;

/** The properties the map layers read: flat values only, derived once from the API's feature. */
export interface MapIncidentProperties {
  id: string;
  /** The first attack type, or "unknown". */
  attackType: string;
  /** killed + wounded, each counted as 0 when unknown. */
  casualties: number;
  /** True when the place is known only to a province or a country. */
  area: boolean;
}

/** Turns the API's features into the flat features the layers draw. */
export function toMapFeatures(features: readonly IncidentFeature[]): FeatureCollection<Point, MapIncidentProperties> {
  return {
    type: 'FeatureCollection',
    features: features.filter(isLocated).map((item) => {
      const { id, attackTypes, killed, wounded, precision } = item.properties;
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [item.geometry.coordinates[0] ?? 0, item.geometry.coordinates[1] ?? 0] },
        properties: {
          id,
          attackType: Array.isArray(attackTypes) && typeof attackTypes[0] === 'string' ? attackTypes[0] : 'unknown',
          casualties: (typeof killed === 'number' ? killed : 0) + (typeof wounded === 'number' ? wounded : 0),
          area: precision === 'admin1' || precision === 'country',
        },
      };
    }),
  };
}

const colourByAttackType: ExpressionSpecification = [
  'match',
  ['get', 'attackType'],
  ...ATTACK_TYPE_COLOURS.flatMap(([type, colour]) => [type, colour]),
  UNKNOWN_ATTACK_COLOUR,
] as unknown as ExpressionSpecification;

/** Dot radius in pixels: grows with the square root of killed + wounded, so area tracks the toll. */
const pointRadius: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['sqrt', ['get', 'casualties']],
  0,
  4.5,
  2,
  6.5,
  5,
  10,
  10,
  15,
  20,
  24,
];

/** Area circles stay large at every zoom, and larger still as the map zooms in: [zoom, radius]. */
const AREA_RADIUS_STOPS = [
  [1, 16],
  [4, 26],
  [7, 44],
] as const;

const areaRadius = ['interpolate', ['linear'], ['zoom'], ...AREA_RADIUS_STOPS.flat()] as unknown as ExpressionSpecification;

const isArea: FilterSpecification = ['==', ['get', 'area'], true];
const isPoint: FilterSpecification = ['!=', ['get', 'area'], true];

/** The incident layers, drawn over the basemap: areas first, then dots, then the selection ring. */
export function incidentLayers(): CircleLayerSpecification[] {
  return [
    {
      id: AREA_LAYER,
      type: 'circle',
      source: INCIDENTS_SOURCE,
      filter: isArea,
      paint: {
        'circle-radius': areaRadius,
        'circle-color': colourByAttackType,
        'circle-opacity': 0.12,
        'circle-stroke-color': colourByAttackType,
        'circle-stroke-width': 2,
        'circle-stroke-opacity': 0.75,
      },
    },
    {
      id: POINT_LAYER,
      type: 'circle',
      source: INCIDENTS_SOURCE,
      filter: isPoint,
      paint: {
        'circle-radius': pointRadius,
        'circle-color': colourByAttackType,
        'circle-opacity': 0.88,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.25,
      },
    },
    {
      id: SELECTED_LAYER,
      type: 'circle',
      source: INCIDENTS_SOURCE,
      filter: ['==', ['get', 'id'], ''],
      paint: {
        // A zoom expression must be the outermost one, so the area/point choice sits inside each stop.
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          ...AREA_RADIUS_STOPS.flatMap(([zoom, radius]) => [zoom, ['case', isArea, radius + 2, ['+', pointRadius, 4]]]),
        ] as unknown as ExpressionSpecification,
        'circle-opacity': 0,
        'circle-stroke-color': '#111111',
        'circle-stroke-width': 2.5,
      },
    },
  ];
}

/** The filter that shows the selection ring around one incident (none for null). */
export function selectedFilter(id: string | null): FilterSpecification {
  return ['==', ['get', 'id'], id ?? ''];
}
