import { describe, expect, it } from 'vitest';
import type { IncidentFeature } from '../../web/src/api-client.js';
import { AREA_SHAPE_ZOOM, areaShapes, toMapFeatures } from '../../web/src/incident-layers.js';

/*
 * Below AREA_SHAPE_ZOOM an area is drawn as a disc whose radius in pixels is `radiusPx0` doubled
 * at each zoom level; from it on, as a geodesic polygon. These tests check that both say the same
 * size on the map, so that nothing jumps when the map crosses that zoom.
 */

function incident(id: string, lon: number, lat: number, location: { precision: IncidentFeature['properties']['precision']; radiusKm?: number | null }): IncidentFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      id,
      title: null,
      date: '2026-01-01',
      country: 'XX',
      place: null,
      precision: location.precision,
      radiusKm: location.radiusKm ?? null,
      killed: 2,
      wounded: null,
      attackTypes: ['bombing'],
      perpetrators: [],
      actorIds: [],
      attributions: [],
      status: 'machine',
      revision: 1,
    },
  };
}

/** Web Mercator x and y in pixels at `zoom`, the world 512 px wide at zoom 0 (as MapLibre draws it). */
function project([lon, lat]: [number, number], zoom: number): [number, number] {
  const size = 512 * 2 ** zoom;
  const φ = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * size, (size / (2 * Math.PI)) * (Math.PI - Math.log(Math.tan(Math.PI / 4 + φ / 2)))];
}

describe('areas on the map', () => {
  it('keeps points as points and sends areas to the discs, with their radius at zoom 0', () => {
    const town = incident('town', 10, 10, { precision: 'city' });
    const province = incident('province', 13.4, 11.7, { precision: 'admin1', radiusKm: 170 });
    const { points, areas } = toMapFeatures([town, province]);
    expect(points.features.map((f) => f.properties.id)).toEqual(['town']);
    expect(areas.features.map((f) => [f.properties.id, f.geometry.coordinates])).toEqual([['province', [13.4, 11.7]]]);
    expect(areas.features[0]?.properties.casualties).toBe(2);
    // 170 km at 11.7° N: the equator's 78,271.5 m per pixel at zoom 0 shrinks with cos(latitude).
    expect(areas.features[0]?.properties.radiusPx0).toBeCloseTo(170_000 / (78_271.517 * Math.cos((11.7 * Math.PI) / 180)), 6);
  });

  it.each([
    ['near the equator', 13.4, 11.7, 170],
    ['at 45° N', 2.35, 45, 350],
    ['at 60° S', -68, -60, 120],
  ])('draws the disc and the polygon the same size at AREA_SHAPE_ZOOM (%s)', (_, lon, lat, radiusKm) => {
    const feature = incident('area', lon, lat, { precision: 'admin1', radiusKm });
    const disc = toMapFeatures([feature]).areas.features[0]?.properties.radiusPx0 ?? 0;
    const ring = areaShapes([feature]).features[0]?.geometry.coordinates[0] ?? [];
    const centre = project([lon, lat], AREA_SHAPE_ZOOM);
    const xs = ring.map((vertex) => project(vertex as [number, number], AREA_SHAPE_ZOOM)[0] - centre[0]);
    const ys = ring.map((vertex) => project(vertex as [number, number], AREA_SHAPE_ZOOM)[1] - centre[1]);
    const discPx = disc * 2 ** AREA_SHAPE_ZOOM;
    // East and west the polygon reaches the disc's radius to within 1 %.
    expect(Math.max(...xs) / discPx).toBeCloseTo(1, 2);
    expect(-Math.min(...xs) / discPx).toBeCloseTo(1, 2);
    // North and south Mercator stretches it unevenly, by about r/R·tan(latitude), which the disc
    // (drawn at its centre's scale) leaves out: within that and 1 % more.
    const skew = (radiusKm / 6371) * Math.abs(Math.tan((lat * Math.PI) / 180)) + 0.01;
    expect(Math.abs(-Math.min(...ys) / discPx - 1)).toBeLessThan(skew);
    expect(Math.abs(Math.max(...ys) / discPx - 1)).toBeLessThan(skew);
  });

  it('makes no area for a place known to a point', () => {
    expect(areaShapes([incident('town', 10, 10, { precision: 'city', radiusKm: 5 })]).features).toEqual([]);
  });
});
