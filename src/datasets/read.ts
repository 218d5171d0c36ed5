import { createReadStream } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../core/errors.js';
import { ACLED } from './acled.js';
import { decodeRecord, hasBom, parseFields, peelFirstLine, splitRecords, withoutTerminator, type CsvEncoding, type RawRecord } from './csv.js';
import { GTD } from './gtd.js';
import type { DatasetSpec } from './spec.js';
import { RowError, type DatasetItem, type DatasetKind } from './types.js';
import { UCDP } from './ucdp.js';
import { xlsxRecords } from './xlsx.js';
import { Row } from './values.js';

/** The reading and mapping rules of each dataset. */
export const DATASET_SPECS: Readonly<Record<DatasetKind, DatasetSpec>> = { gtd: GTD, acled: ACLED, ucdp: UCDP };

/** Options of {@link readDataset}. */
export interface ReadDatasetOptions {
  /** The file's text encoding (default UTF-8; `latin1` reads Windows-1252, as old GTD CSVs are). */
  readonly encoding?: CsvEncoding;
  /** How the file is named in rejections (default: the path as given). */
  readonly displayName?: string;
  /** Passed to the record splitter: the most bytes an open quoted field may span (default 4 MiB). */
  readonly maxQuotedBytes?: number;
}

/**
 * Reads a dataset CSV file (or the first worksheet of an .xlsx workbook) as a stream: first its header, then every row in file order, each
 * either mapped to a {@link DatasetRecord} or rejected with file, line, column or field and reason.
 * Every item carries the row's original bytes. Blank lines are skipped. A file without a usable
 * header (empty, unreadable, lacking a required column) throws a VigilError('bad_input').
 */
export async function* readDataset(kind: DatasetKind, file: string, options: ReadDatasetOptions = {}): AsyncGenerator<DatasetItem> {
  if (isXlsx(file)) {
    yield* readDatasetRecords(kind, xlsxRecords(file, options.displayName ?? file), {
      file: options.displayName ?? file,
      release: path.basename(file),
      encoding: 'utf-8',
    });
    return;
  }
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new VigilError('bad_input', `cannot read ${file}: ${error.message}`, { cause: error })));
  });
  await opened;
  yield* readDatasetRecords(kind, splitRecords(stream, { maxQuotedBytes: options.maxQuotedBytes }), {
    file: options.displayName ?? file,
    release: path.basename(file),
    encoding: options.encoding ?? 'utf-8',
  });
}

/** True for a file read as an Excel workbook (.xlsx) rather than CSV. */
export function isXlsx(file: string): boolean {
  return /\.xlsx$/i.test(file);
}

/** {@link readDataset} over records already split (tests and other sources of bytes use this). */
export async function* readDatasetRecords(
  kind: DatasetKind,
  records: AsyncIterable<RawRecord>,
  where: { file: string; release: string; encoding: CsvEncoding },
): AsyncGenerator<DatasetItem> {
  const spec = DATASET_SPECS[kind];
  const { file, release, encoding } = where;
  let header: string[] | null = null;
  let index = new Map<string, number>();
  const seen = new Map<string, number>();

  /** The item of one record; a multi-line record that cannot be read is taken apart line by line. */
  function* rowItems(record: RawRecord, body: Buffer, decoded: ReturnType<typeof decodeRecord>): Generator<DatasetItem> {
    const columns = header ?? [];
    const multiLine = body.includes(0x0a);
    const reject = (reason: string, at: { line?: number; column?: number; field?: string } = {}): DatasetItem => ({
      type: 'rejected',
      rejection: { location: { file, line: at.line ?? record.line, column: at.column, field: at.field }, reason },
      bytes: record.bytes,
    });
    const peel = function* (): Generator<DatasetItem> {
      const { first, rest } = peelFirstLine(record);
      const firstBody = withoutTerminator(first.bytes);
      yield* rowItems(first, firstBody, decodeRecord(firstBody, encoding));
      for (const next of rest) {
        const nextBody = withoutTerminator(next.bytes);
        if (nextBody.length > 0) yield* rowItems(next, nextBody, decodeRecord(nextBody, encoding));
      }
    };
    const fieldName = (n: number): string => columns[n - 1] ?? `field ${n}`;
    if ('invalidAt' in decoded) {
      const parsed = parseFields(decoded.loose);
      const bad = 'fields' in parsed ? parsed.fields.findIndex((v) => v.includes('\uFFFD')) : -1;
      const byte = body[decoded.invalidAt] ?? 0;
      yield reject(
        `invalid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte ${decoded.invalidAt + 1} of the row); ` +
          'save the file as UTF-8, or import it with --encoding latin1',
        { field: bad === -1 ? undefined : fieldName(bad + 1) },
      );
      return;
    }
    const parsed = parseFields(decoded.text);
    if ('error' in parsed) {
      if (multiLine) return yield* peel();
      const { error } = parsed;
      const reason = record.unterminated ? `${error.reason}; reading resumes on the next line` : error.reason;
      yield reject(reason, { line: record.line + error.lineOffset, column: error.column, field: fieldName(error.field) });
      return;
    }
    const values = parsed.fields;
    if (values.length !== columns.length) {
      if (multiLine) return yield* peel();
      const missing = values.length < columns.length;
      yield reject(`expected ${columns.length} fields as in the header, found ${values.length}${missing ? '' : ' (extra fields)'}`, {
        field: missing ? fieldName(values.length + 1) : undefined,
      });
      return;
    }
    let mapped;
    try {
      mapped = spec.map(new Row(index, values));
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      yield reject(error.message, { field: error.field });
      return;
    }
    const firstLine = seen.get(mapped.rowId);
    if (firstLine !== undefined) {
      yield reject(`duplicate ${spec.idColumn} ${mapped.rowId} (first on line ${firstLine})`, { field: spec.idColumn });
      return;
    }
    seen.set(mapped.rowId, record.line);
    yield {
      type: 'row',
      record: {
        dataset: kind,
        file: release,
        line: record.line,
        rowId: mapped.rowId,
        externalId: `${kind}:${mapped.rowId}`,
        header: columns,
        values,
        narrative: mapped.narrative,
        publishedAt: mapped.publishedAt,
        fields: mapped.fields,
      },
      bytes: record.bytes,
    };
  }

  for await (const record of records) {
    let body = withoutTerminator(record.bytes);
    if (header === null && hasBom(body)) body = body.subarray(3);
    if (body.length === 0) continue;
    const decoded = decodeRecord(body, encoding);
    if (header === null) {
      header = readHeader(spec, decoded, file, record.line);
      index = new Map(header.map((name, i) => [name, i]));
      yield { type: 'header', columns: header, bytes: record.bytes };
      continue;
    }
    yield* rowItems(record, body, decoded);
  }
  if (header === null) throw new VigilError('bad_input', `the file is empty; expected a ${spec.label} CSV header`, { location: { file } });
}

function readHeader(spec: DatasetSpec, decoded: ReturnType<typeof decodeRecord>, file: string, line: number): string[] {
  const fail = (message: string): never => {
    throw new VigilError('bad_input', message, { location: { file, line } });
  };
  if ('invalidAt' in decoded) return fail('the header is not valid UTF-8; save the file as UTF-8, or import it with --encoding latin1');
  const parsed = parseFields(decoded.text);
  if ('error' in parsed) return fail(`the header cannot be read: ${parsed.error.reason}`);
  const header = parsed.fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) fail(`the header names column ${JSON.stringify(name)} twice`);
    seen.add(name);
  }
  const missing = spec.requiredColumns.filter((c) => !seen.has(c));
  for (const group of spec.requiredOneOf) if (!group.some((c) => seen.has(c))) missing.push(group.join(' or '));
  if (missing.length > 0) {
    fail(`not a ${spec.label} file: the header lacks ${missing.map((c) => JSON.stringify(c)).join(', ')} (is this the right dataset?)`);
  }
  return header;
}
