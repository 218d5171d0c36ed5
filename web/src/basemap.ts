import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** The colours of the offline basemap. */
export const BASEMAP_COLOURS = {
  ocean: '#c9dbe6',
  land: '#f6f3ec',
  border: '#9c9486',
} as const;

/** The id of the GeoJSON source holding the country shapes. */
export const COUNTRIES_SOURCE = 'countries';

/**
 * Country shapes (Natural Earth 1:50m, from world-atlas) as GeoJSON. The TopoJSON is bundled with
 * the app and loaded as a separate chunk, so nothing is fetched from outside the Vigil server.
 */
export async function loadCountries(): Promise<FeatureCollection<Geometry, { name?: string }>> {
  const module = await import('world-atlas/countries-50m.json', { with: { type: 'json' } });
  const topology = module.default as unknown as Topology<{ countries: GeometryCollection<{ name?: string }> }>;
  const countries = feature(topology, topology.objects.countries);
  for (const country of countries.features) unwrapGeometry(country.geometry);
  return countries;
}

/**
 * World-atlas is made for spherical projections: a ring that crosses the antimeridian (Chukotka,
 * Fiji) jumps from +180 to -180. Drawn flat, such a jump becomes a line and a band of land right
 * across the world. Making the longitudes continuous (179.9 → 180.2 instead of -179.8) gives a
 * ring MapLibre draws correctly. Rings that go round a pole (Antarctica) cannot be unwrapped and
 * are left as they are; their jumps lie beyond the edge of the Web Mercator map.
 */
function unwrapGeometry(geometry: Geometry | null): void {
  if (geometry === null) return;
  if (geometry.type === 'Polygon') geometry.coordinates = geometry.coordinates.map(unwrapRing);
  else if (geometry.type === 'MultiPolygon') geometry.coordinates = geometry.coordinates.map((polygon) => polygon.map(unwrapRing));
}

function unwrapRing(ring: Position[]): Position[] {
  let offset = 0;
  let jumped = false;
  const unwrapped = ring.map((position, index) => {
    const previous = ring[index - 1];
    if (previous !== undefined) {
      const step = (position[0] ?? 0) - (previous[0] ?? 0);
      if (step > 180) offset -= 360;
      else if (step < -180) offset += 360;
      if (Math.abs(step) > 180) jumped = true;
    }
    return [(position[0] ?? 0) + offset, position[1] ?? 0];
  });
  const first = unwrapped[0];
  const last = unwrapped.at(-1);
  const closes = first !== undefined && last !== undefined && Math.abs((first[0] ?? 0) - (last[0] ?? 0)) < 1e-9;
  return jumped && closes ? unwrapped : ring;
}

/**
 * The map style, built in code: a plain ocean background with countries as fill and line layers.
 * It has no `glyphs` or `sprite`, so MapLibre never fetches fonts or icons; only circle, fill and
 * line layers are used anywhere on the map.
 */
export function basemapStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      [COUNTRIES_SOURCE]: {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
      },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': BASEMAP_COLOURS.ocean } },
      { id: 'countries-fill', type: 'fill', source: COUNTRIES_SOURCE, paint: { 'fill-color': BASEMAP_COLOURS.land } },
      {
        id: 'countries-line',
        type: 'line',
        source: COUNTRIES_SOURCE,
        paint: {
          'line-color': BASEMAP_COLOURS.border,
          'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.4, 6, 1.2],
        },
      },
    ],
  };
}
