import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Incident } from '../core/model.js';

/** The properties of an incident on the map. */
export interface IncidentFeatureProperties {
  id: string;
  title: string | null;
  date: string | null;
  dateEnd: string | null;
  datePrecision: string | null;
  country: string | null;
  admin1: string | null;
  place: string | null;
  precision: string | null;
  radiusKm: number | null;
  killed: number | null;
  wounded: number | null;
  attackTypes: string[];
  perpetrators: string[];
  status: string;
}

/**
 * Decimal places of the coordinates written: 6 places are about 0.1 m, finer than any place Vigil
 * knows, as RFC 7946 section 11.2 advises (more digits only add bytes and false precision).
 */
export const COORDINATE_DECIMALS = 6;

const round = (x: number): number => Math.round(x * 10 ** COORDINATE_DECIMALS) / 10 ** COORDINATE_DECIMALS;

/**
 * An incident as a GeoJSON Feature (RFC 7946): a Point [longitude, latitude] in WGS 84, with no
 * `crs` member. Incidents without coordinates, and country-precision places, have a null geometry
 * (RFC 7946 section 3.2 allows it): they are kept, not dropped, and not placed on a false point.
 */
export function incidentFeature(incident: Incident): Feature<Point | null, IncidentFeatureProperties> {
  const { fields } = incident;
  const place = fields.location;
  const hasPoint = place !== null && place.precision !== 'country' && typeof place.lat === 'number' && typeof place.lon === 'number';
  return {
    type: 'Feature',
    id: incident.id,
    geometry: hasPoint ? { type: 'Point', coordinates: [round(place.lon as number), round(place.lat as number)] } : null,
    properties: {
      id: incident.id,
      title: fields.title,
      date: fields.date?.start ?? null,
      dateEnd: fields.date?.end ?? null,
      datePrecision: fields.date?.precision ?? null,
      country: place?.country ?? null,
      admin1: place?.admin1 ?? null,
      place: place?.name ?? null,
      precision: place?.precision ?? null,
      radiusKm: place?.radiusKm ?? null,
      killed: fields.killed?.best ?? null,
      wounded: fields.wounded?.best ?? null,
      attackTypes: fields.attackTypes,
      perpetrators: [...new Set(fields.perpetrators.map((p) => p.name))],
      status: incident.status,
    },
  };
}

/** A page of incidents as a FeatureCollection, with the next page's cursor as a foreign member. */
export function incidentCollection(
  incidents: readonly Incident[],
  nextCursor: string | null,
): FeatureCollection<Point | null, IncidentFeatureProperties> & { nextCursor: string | null } {
  return { type: 'FeatureCollection', features: incidents.map(incidentFeature), nextCursor };
}
