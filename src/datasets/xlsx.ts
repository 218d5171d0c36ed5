import path from 'node:path';
import StreamZip from 'node-stream-zip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { VigilError } from '../core/errors.js';
import type { RawRecord } from './csv.js';

/*
 * A streaming reader of the first worksheet of an .xlsx workbook (GTD is published as one). The
 * zip is read through its central directory, so the parts are read in the order needed whatever
 * their order in the file: the workbook and its relationships (which sheet is first), the styles
 * (which cells are dates), the shared strings (held in memory: cells refer to them by number), then
 * the sheet, parsed chunk by chunk. Each row becomes one CSV record (its sheet row number as line
 * number), so the rows go through the same reading, mapping and rejection as a CSV file's.
 */

/** Built-in number formats that show dates (ECMA-376 18.8.30). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** True for a number format code that shows a date or time (d, m, y, h, s outside quotes and brackets). */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dmyhs]/i.test(bare) && !/^[#0.,%E+\- ]*$/i.test(bare);
}

/** An Excel serial day number (1900 date system) as YYYY-MM-DD, with the time of day when it has one. */
export function excelSerialDate(serial: number): string {
  const ms = Math.round((serial - 25569) * 86_400_000);
  const iso = new Date(ms).toISOString();
  return ms % 86_400_000 === 0 ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/** The 0-based column of a cell reference ("AB12" → 27). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i += 1) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** A value as one CSV field. */
function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  const value = tag.attributes[name];
  return typeof value === 'string' ? value : undefined;
}

/** Parses a whole (small) XML part, calling `open` for every start tag and `text` for text within. */
function parseSmall(xml: string, open: (tag: SaxesTagPlain) => void): void {
  const parser = new SaxesParser();
  parser.on('opentag', open);
  parser.write(xml).close();
}

/** Reads the shared strings part: the text of each `<si>`, its runs joined, phonetic runs left out. */
async function readSharedStrings(zip: StreamZip.StreamZipAsync, entry: string): Promise<string[]> {
  const strings: string[] = [];
  if ((await zip.entry(entry)) === undefined) return strings;
  const parser = new SaxesParser();
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  parser.on('opentag', (tag) => {
    if (tag.name === 'si') current = '';
    else if (tag.name === 'rPh') phonetic += 1;
    else if (tag.name === 't' && phonetic === 0) inText = true;
  });
  parser.on('text', (text) => {
    if (inText && current !== null) current += text;
  });
  parser.on('cdata', (text) => {
    if (inText && current !== null) current += text;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 't') inText = false;
    else if (tag.name === 'rPh') phonetic -= 1;
    else if (tag.name === 'si') {
      strings.push(current ?? '');
      current = null;
    }
  });
  const decoder = new TextDecoder('utf-8');
  const stream = await zip.stream(entry);
  for await (const chunk of stream as AsyncIterable<Buffer>) parser.write(decoder.decode(chunk, { stream: true }));
  parser.write(decoder.decode()).close();
  return strings;
}

/** Which style indices (`s` of a cell) format numbers as dates. */
async function readDateStyles(zip: StreamZip.StreamZipAsync, entry: string): Promise<Set<number>> {
  const dates = new Set<number>();
  if ((await zip.entry(entry)) === undefined) return dates;
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    if (tag.name === 'numFmt') custom.set(Number(attribute(tag, 'numFmtId')), attribute(tag, 'formatCode') ?? '');
    else if (tag.name === 'cellXfs') inCellXfs = true;
    else if (tag.name === 'xf' && inCellXfs) xfFormats.push(Number(attribute(tag, 'numFmtId') ?? 0));
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'cellXfs') inCellXfs = false;
  });
  parser.write((await zip.entryData(entry)).toString('utf8')).close();
  xfFormats.forEach((id, index) => {
    const code = custom.get(id);
    if (BUILTIN_DATE_FORMATS.has(id) || (code !== undefined && isDateFormat(code))) dates.add(index);
  });
  return dates;
}

/** The zip entry of a relationship target, relative to the part that names it. */
function resolveTarget(base: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(base), target));
}

/** The first worksheet's part and the shared strings and styles parts, from the workbook and its relationships. */
async function workbookParts(zip: StreamZip.StreamZipAsync): Promise<{ sheet: string; sharedStrings: string; styles: string }> {
  const workbook = 'xl/workbook.xml';
  const rels = 'xl/_rels/workbook.xml.rels';
  if ((await zip.entry(workbook)) === undefined) throw new Error('it has no xl/workbook.xml; is it an Excel workbook?');
  let firstSheetId: string | undefined;
  parseSmall((await zip.entryData(workbook)).toString('utf8'), (tag) => {
    if (tag.name === 'sheet' && firstSheetId === undefined) firstSheetId = attribute(tag, 'r:id');
  });
  const targets = new Map<string, string>();
  let sharedStrings = 'xl/sharedStrings.xml';
  let styles = 'xl/styles.xml';
  if ((await zip.entry(rels)) !== undefined) {
    parseSmall((await zip.entryData(rels)).toString('utf8'), (tag) => {
      if (tag.name !== 'Relationship') return;
      const id = attribute(tag, 'Id');
      const target = attribute(tag, 'Target');
      const type = attribute(tag, 'Type') ?? '';
      if (id === undefined || target === undefined) return;
      const part = resolveTarget(workbook, target);
      targets.set(id, part);
      if (type.endsWith('/sharedStrings')) sharedStrings = part;
      if (type.endsWith('/styles')) styles = part;
    });
  }
  const sheet = (firstSheetId === undefined ? undefined : targets.get(firstSheetId)) ?? 'xl/worksheets/sheet1.xml';
  if ((await zip.entry(sheet)) === undefined) throw new Error(`its first worksheet (${sheet}) is missing`);
  return { sheet, sharedStrings, styles };
}

/**
 * The rows of the first worksheet of an .xlsx file as CSV records (UTF-8, LF-terminated), each
 * with its sheet row number as line number. Empty rows are left out. A file that is not a readable
 * workbook throws a VigilError('bad_input').
 */
export async function* xlsxRecords(file: string, displayName: string = file): AsyncGenerator<RawRecord> {
  let zip: StreamZip.StreamZipAsync;
  let parts: { sheet: string; sharedStrings: string; styles: string };
  let strings: string[];
  let dateStyles: Set<number>;
  try {
    zip = new StreamZip.async({ file });
    parts = await workbookParts(zip);
    strings = await readSharedStrings(zip, parts.sharedStrings);
    dateStyles = await readDateStyles(zip, parts.styles);
  } catch (error) {
    throw new VigilError('bad_input', `cannot read ${displayName} as an .xlsx workbook: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      location: { file: displayName },
    });
  }
  try {
    const ready: RawRecord[] = [];
    const parser = new SaxesParser();
    let values: string[] = [];
    let rowNumber = 0;
    let width: number | null = null;
    let cell: { column: number; type: string; style: number } | null = null;
    let text = '';
    let collecting = false;
    let inInline = false;
    parser.on('opentag', (tag) => {
      switch (tag.name) {
        case 'row': {
          values = [];
          const r = Number(attribute(tag, 'r'));
          rowNumber = Number.isSafeInteger(r) && r > 0 ? r : rowNumber + 1;
          break;
        }
        case 'c': {
          const ref = attribute(tag, 'r');
          cell = { column: ref === undefined ? values.length : columnOf(ref), type: attribute(tag, 't') ?? 'n', style: Number(attribute(tag, 's') ?? -1) };
          text = '';
          break;
        }
        case 'v':
          collecting = true;
          break;
        case 'is':
          inInline = true;
          break;
        case 't':
          if (inInline) collecting = true;
          break;
        default:
      }
    });
    const onText = (t: string): void => {
      if (collecting) text += t;
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', (tag) => {
      switch (tag.name) {
        case 'v':
        case 't':
          collecting = false;
          break;
        case 'is':
          inInline = false;
          break;
        case 'c': {
          if (cell === null) break;
          let value = text;
          if (cell.type === 's') value = strings[Number(text)] ?? '';
          else if (cell.type === 'b') value = text === '1' ? '1' : '0';
          else if (cell.type === 'n' && text !== '') {
            const n = Number(text);
            if (Number.isFinite(n)) value = dateStyles.has(cell.style) ? excelSerialDate(n) : String(n);
          }
          while (values.length < cell.column) values.push('');
          values[cell.column] = value;
          cell = null;
          break;
        }
        case 'row': {
          if (values.some((v) => v !== '')) {
            // Trailing empty cells are not written: a row is as wide as the header.
            if (width === null) width = values.length;
            while (values.length < width) values.push('');
            const line = `${values.map((v) => csvField(v ?? '')).join(',')}\n`;
            ready.push({ line: rowNumber, bytes: Buffer.from(line, 'utf8'), unterminated: false });
          }
          break;
        }
        default:
      }
    });
    const decoder = new TextDecoder('utf-8');
    const stream = await zip.stream(parts.sheet);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(decoder.decode(chunk, { stream: true }));
      yield* ready.splice(0, ready.length);
    }
    parser.write(decoder.decode()).close();
    yield* ready.splice(0, ready.length);
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw new VigilError('bad_input', `cannot read the first worksheet of ${displayName}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      location: { file: displayName },
    });
  } finally {
    await zip.close();
  }
}
