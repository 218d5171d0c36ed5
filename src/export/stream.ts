import type { Incident } from '../core/model.js';
import type { Store } from '../store/store.js';
import { ACLED_COLUMNS, acledRow } from './acled.js';
import { CSV_COLUMNS, csvLine, incidentCsvRow, type Cell } from './csv.js';
import { incidentFeature } from './geojson.js';
import { GTD_COLUMNS, gtdRow } from './gtd.js';
import { exportRecords, type ExportFilter, type ExportRecord } from './records.js';
import { stixBundle, type StixOptions } from './stix.js';

export { allIncidents, exportRecords, incidentPages, type ExportFilter, type ExportRecord } from './records.js';

/** The export formats. */
export const EXPORT_FORMATS = ['csv', 'geojson', 'jsonl', 'stix', 'acled', 'gtd'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats that read each incident's mentions and documents as well (ids, texts, evidence). */
const NEEDS_SOURCES: ReadonlySet<ExportFormat> = new Set<ExportFormat>(['stix', 'acled', 'gtd']);

/** An incident that a format could not write, and why. */
export interface SkippedIncident {
  readonly incidentId: string;
  readonly reason: string;
}

/** Options of {@link exportChunks}. */
export interface ExportOptions extends StixOptions {
  /** Called for each incident the format cannot express (a GTD or ACLED row needs a date). */
  onSkip?: (skipped: SkippedIncident) => void;
  /** Incidents read from the store at a time (default 500): memory holds one page. */
  pageSize?: number;
}

async function* datasetCsv(
  records: AsyncIterable<ExportRecord>,
  columns: readonly string[],
  row: (record: ExportRecord) => { cells: Cell[] } | { skipped: string },
  options: ExportOptions,
): AsyncGenerator<string> {
  yield csvLine(columns, false);
  for await (const record of records) {
    const result = row(record);
    if ('cells' in result) yield csvLine(result.cells, false);
    else options.onSkip?.({ incidentId: record.incident.id, reason: result.skipped });
  }
}

/**
 * The export of the records as text chunks, streamed: memory stays flat whatever their number.
 * GeoJSON is one RFC 7946 FeatureCollection (incidents without a point have a null geometry);
 * STIX one 2.1 bundle; `acled` and `gtd` CSV files in the datasets' own columns that
 * `vigil import` reads back. CSV of Vigil's own columns guards cells against spreadsheet formulas;
 * the dataset-shaped files are written exactly, for re-import.
 */
export async function* exportChunks(records: AsyncIterable<ExportRecord>, format: ExportFormat, options: ExportOptions = {}): AsyncGenerator<string> {
  switch (format) {
    case 'csv':
      yield csvLine(CSV_COLUMNS);
      for await (const { incident } of records) yield csvLine(incidentCsvRow(incident));
      return;
    case 'jsonl':
      for await (const { incident } of records) yield `${JSON.stringify(incident)}\n`;
      return;
    case 'geojson': {
      yield '{"type":"FeatureCollection","features":[';
      let first = true;
      for await (const { incident } of records) {
        yield `${first ? '\n' : ',\n'}${JSON.stringify(incidentFeature(incident))}`;
        first = false;
      }
      yield '\n]}\n';
      return;
    }
    case 'stix':
      yield* stixBundle(records, options);
      return;
    case 'acled':
      yield* datasetCsv(records, ACLED_COLUMNS, acledRow, options);
      return;
    case 'gtd':
      yield* datasetCsv(records, GTD_COLUMNS, gtdRow, options);
      return;
    default: {
      const unknown: never = format;
      throw new Error(`unknown export format ${String(unknown)}`);
    }
  }
}

/** Every incident of the store matching the filter, exported in a format, streamed. */
export function exportStore(store: Store, filter: ExportFilter, format: ExportFormat, options: ExportOptions = {}): AsyncGenerator<string> {
  return exportChunks(exportRecords(store, filter, { sources: NEEDS_SOURCES.has(format), pageSize: options.pageSize }), format, options);
}

/** {@link exportChunks} over bare incidents (no mentions or documents): for csv, geojson and jsonl. */
export async function* exportIncidents(incidents: AsyncIterable<Incident>, format: ExportFormat, options: ExportOptions = {}): AsyncGenerator<string> {
  async function* records(): AsyncGenerator<ExportRecord> {
    for await (const incident of incidents) yield { incident, mentions: [], documents: [] };
  }
  yield* exportChunks(records(), format, options);
}
