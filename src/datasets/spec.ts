import type { PlacePrecision } from '../core/codebook.js';
import type { Field, MentionFields, PlaceRef } from '../core/model.js';
import { PLACE_RADIUS_KM, pointInCountry } from '../gazetteer/index.js';
import type { DatasetKind } from './types.js';
import { coded, type Row } from './values.js';

/** What a dataset row maps to before it becomes a document. */
export interface MappedRow {
  readonly rowId: string;
  readonly narrative: string | null;
  readonly publishedAt: string | null;
  readonly fields: MentionFields;
}

/** How one dataset's CSV files are read: its columns and its mapping to Vigil's model. */
export interface DatasetSpec {
  readonly kind: DatasetKind;
  /** The dataset's name as people write it: GTD, ACLED, UCDP GED. */
  readonly label: string;
  /** The column holding the dataset's row id. */
  readonly idColumn: string;
  /** Columns every file of this dataset must have. */
  readonly requiredColumns: readonly string[];
  /** Groups of columns of which a file must have at least one (a code or its label). */
  readonly requiredOneOf: ReadonlyArray<readonly string[]>;
  /** Maps one row; throws a RowError naming the field when a value is missing or unreadable. */
  map(row: Row): MappedRow;
}


/**
 * A location field from a dataset's coded place columns. A country-precision place carries no
 * point (a centroid would read as a place on the map); the row keeps it.
 */
export function locationField(place: {
  name: string | null;
  admin1: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  precision: PlacePrecision;
}): Field<PlaceRef> | undefined {
  const { name, admin1, country, precision } = place;
  // A coordinate that contradicts the row's own country (swapped or mistyped) is dropped, not
  // drawn in the wrong country; the raw row keeps what the dataset said.
  const point = precision !== 'country' && place.lat !== null && place.lon !== null && (country === null || pointInCountry(place.lat, place.lon, country));
  if (name === null && admin1 === null && country === null && !point) return undefined;
  return coded({
    name,
    admin1,
    country,
    lat: point ? place.lat : null,
    lon: point ? place.lon : null,
    precision,
    radiusKm: PLACE_RADIUS_KM[precision],
    placeId: null,
  });
}

/** A place name column, with the datasets' "Unknown" read as no name. */
export function placeName(row: Row, column: string): string | null {
  const value = row.get(column);
  return value === null || value.toLowerCase() === 'unknown' ? null : value;
}
