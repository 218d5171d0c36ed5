import type { Incident } from '../core/model.js';
import type { IncidentFilter, Store } from '../store/store.js';
import { CSV_COLUMNS, csvLine, incidentCsvRow } from './csv.js';
import { incidentFeature } from './geojson.js';

/** The export formats of this module. */
export const EXPORT_FORMATS = ['csv', 'geojson', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Every incident matching the filter, page after page, in the store's order. */
export async function* allIncidents(store: Store, filter: Omit<IncidentFilter, 'limit' | 'cursor'>, pageSize = 1000): AsyncGenerator<Incident> {
  let cursor: string | undefined;
  do {
    const page = await store.listIncidents({ ...filter, limit: pageSize, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * The export as text chunks, streamed: memory stays flat whatever the number of incidents.
 * GeoJSON is one RFC 7946 FeatureCollection; incidents without a point have a null geometry.
 */
export async function* exportIncidents(incidents: AsyncIterable<Incident>, format: ExportFormat): AsyncGenerator<string> {
  switch (format) {
    case 'csv':
      yield csvLine(CSV_COLUMNS);
      for await (const incident of incidents) yield csvLine(incidentCsvRow(incident));
      return;
    case 'jsonl':
      for await (const incident of incidents) yield `${JSON.stringify(incident)}\n`;
      return;
    case 'geojson': {
      yield '{"type":"FeatureCollection","features":[';
      let first = true;
      for await (const incident of incidents) {
        yield `${first ? '\n' : ',\n'}${JSON.stringify(incidentFeature(incident))}`;
        first = false;
      }
      yield '\n]}\n';
      return;
    }
    default: {
      const unknown: never = format;
      throw new Error(`unknown export format ${String(unknown)}`);
    }
  }
}
