import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import overview from 'world-atlas/countries-110m.json' with { type: 'json' };

/** The colours of the offline basemap. */
export const BASEMAP_COLOURS = {
  ocean: '#c9dbe6',
  land: '#f6f3ec',
  border: '#9c9486',
} as const;

/** The id of the GeoJSON source of the overview country shapes (1:110m), in the style from the start. */
export const COUNTRIES_SOURCE = 'countries';

/** The id of the GeoJSON source of the detailed country shapes (1:50m), filled when first needed. */
export const COUNTRIES_DETAIL_SOURCE = 'countries-detail';

/**
 * From this zoom on the detailed shapes are drawn (once loaded); below it the overview shapes,
 * which are a tenth of the points: at the world view they look the same, and they cost the first
 * render almost nothing (the 1:50m shapes took a second of the main thread and one of the worker).
 */
export const DETAIL_ZOOM = 3;

/** The overview's layers, limited to below DETAIL_ZOOM once the detailed shapes are in. */
export const OVERVIEW_LAYERS = ['countries-fill', 'countries-line'] as const;

type Countries = FeatureCollection<Geometry, { name?: string }>;
type CountriesTopology = Topology<{ countries: GeometryCollection<{ name?: string }> }>;

/** The overview country shapes (Natural Earth 1:110m, from world-atlas), bundled with the map's code. */
export function overviewCountries(): Countries {
  return countriesOf(overview as unknown as CountriesTopology);
}

/**
 * The detailed country shapes (Natural Earth 1:50m, from world-atlas) as GeoJSON. The TopoJSON is
 * bundled with the app as a separate chunk, loaded only when the map is zoomed in, so nothing is
 * fetched from outside the Vigil server.
 */
export async function loadDetailedCountries(): Promise<Countries> {
  const module = await import('world-atlas/countries-50m.json', { with: { type: 'json' } });
  return countriesOf(module.default as unknown as CountriesTopology);
}

function countriesOf(topology: CountriesTopology): Countries {
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
 * The map style, built in code: a plain ocean background with countries as fill and line layers,
 * the overview shapes in it and the detailed ones (empty until loaded) from DETAIL_ZOOM on. It has
 * no `glyphs` or `sprite`, so MapLibre never fetches fonts or icons; only circle, fill and line
 * layers are used anywhere on the map.
 */
export function basemapStyle(): StyleSpecification {
  const line = (id: string, source: string): LayerSpecification => ({
    id,
    type: 'line',
    source,
    paint: {
      'line-color': BASEMAP_COLOURS.border,
      'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.4, 6, 1.2],
    },
  });
  return {
    version: 8,
    sources: {
      [COUNTRIES_SOURCE]: { type: 'geojson', data: overviewCountries() },
      [COUNTRIES_DETAIL_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': BASEMAP_COLOURS.ocean } },
      { id: 'countries-fill', type: 'fill', source: COUNTRIES_SOURCE, paint: { 'fill-color': BASEMAP_COLOURS.land } },
      line('countries-line', COUNTRIES_SOURCE),
      { id: 'countries-detail-fill', type: 'fill', source: COUNTRIES_DETAIL_SOURCE, minzoom: DETAIL_ZOOM, paint: { 'fill-color': BASEMAP_COLOURS.land } },
      { ...line('countries-detail-line', COUNTRIES_DETAIL_SOURCE), minzoom: DETAIL_ZOOM },
    ],
  };
}
