/*
 * A streaming RFC 4180 CSV reader that works on bytes, so that every record keeps the exact bytes
 * it was read from (for `--rejects`), its physical line number, and so that one broken record can
 * never swallow the rest of the file.
 */

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** One physical CSV record: its first line number (1-based) and its bytes, terminator included. */
export interface RawRecord {
  readonly line: number;
  readonly bytes: Buffer;
  /** Set when a quoted field was still open at the end of the file or after `maxQuotedBytes`. */
  readonly unterminated: boolean;
}

/** Options of {@link splitRecords}. */
export interface SplitOptions {
  /**
   * The most bytes a record may span while inside a quoted field before the quote is taken as
   * broken (default 4 MiB). Its first line is then reported and reading resumes on the next line.
   */
  readonly maxQuotedBytes?: number;
}

/**
 * Splits bytes into CSV records, chunk by chunk: a record ends at a line feed outside quotes. A
 * record whose quote never closes (at the end, or within `maxQuotedBytes`) is cut back to its first
 * physical line, returned with `unterminated: true`, and splitting resumes on the line after.
 */
export class RecordSplitter {
  readonly #maxQuoted: number;
  #buf: Buffer = Buffer.alloc(0);
  #start = 0; // start of the current record in buf
  #pos = 0; // where scanning resumes
  #inQuotes = false;
  #line: number; // line number of the record starting at #start
  #nl = -1; // cached position of the next line feed at or after #pos (-1: unknown)

  constructor(options: SplitOptions & { firstLine?: number } = {}) {
    this.#maxQuoted = options.maxQuotedBytes ?? 4 * 1024 * 1024;
    this.#line = options.firstLine ?? 1;
  }

  /** Adds bytes; returns the records they complete. */
  push(chunk: Uint8Array): RawRecord[] {
    if (chunk.length === 0) return [];
    const rest = this.#buf.subarray(this.#start);
    this.#buf = rest.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([rest, chunk]);
    this.#pos -= this.#start;
    if (this.#nl !== -1) this.#nl -= this.#start;
    this.#start = 0;
    return this.#scan(false);
  }

  /** Ends the input; returns the records left (the last may lack a terminator). */
  end(): RawRecord[] {
    return this.#scan(true);
  }

  #cut(end: number, unterminated: boolean): RawRecord {
    const bytes = Buffer.from(this.#buf.subarray(this.#start, end));
    const record: RawRecord = { line: this.#line, bytes, unterminated };
    this.#line += countLineFeeds(bytes);
    this.#start = end;
    this.#pos = end;
    this.#nl = -1;
    this.#inQuotes = false;
    return record;
  }

  #scan(eof: boolean): RawRecord[] {
    const out: RawRecord[] = [];
    const buf = this.#buf;
    for (;;) {
      if (!this.#inQuotes) {
        if (this.#nl < this.#pos) this.#nl = buf.indexOf(LF, this.#pos);
        const q = buf.indexOf(QUOTE, this.#pos);
        if (q !== -1 && (this.#nl === -1 || q < this.#nl)) {
          this.#inQuotes = true;
          this.#pos = q + 1;
          continue;
        }
        if (this.#nl !== -1) {
          out.push(this.#cut(this.#nl + 1, false));
          continue;
        }
        this.#pos = buf.length;
        if (eof && this.#start < buf.length) out.push(this.#cut(buf.length, false));
        return out;
      }
      const q = buf.indexOf(QUOTE, this.#pos);
      if (q !== -1) {
        this.#inQuotes = false;
        this.#pos = q + 1;
        continue;
      }
      this.#pos = buf.length;
      if (eof || buf.length - this.#start > this.#maxQuoted) {
        if (this.#start >= buf.length) return out;
        const firstLf = buf.indexOf(LF, this.#start);
        out.push(this.#cut(firstLf === -1 ? buf.length : firstLf + 1, true));
        continue;
      }
      return out;
    }
  }
}

/** {@link RecordSplitter} over a byte stream. */
export async function* splitRecords(input: AsyncIterable<Uint8Array>, options: SplitOptions = {}): AsyncGenerator<RawRecord> {
  const splitter = new RecordSplitter(options);
  for await (const chunk of input) yield* splitter.push(chunk);
  yield* splitter.end();
}

/**
 * Takes a multi-line record apart: its first physical line, and the records the rest splits into
 * (used when a multi-line record cannot be read, so that one stray quote costs one line).
 */
export function peelFirstLine(record: RawRecord): { first: RawRecord; rest: RawRecord[] } {
  const lf = record.bytes.indexOf(LF);
  const cut = lf === -1 ? record.bytes.length : lf + 1;
  const first: RawRecord = { line: record.line, bytes: record.bytes.subarray(0, cut), unterminated: record.unterminated };
  const splitter = new RecordSplitter({ firstLine: record.line + 1, maxQuotedBytes: Number.MAX_SAFE_INTEGER });
  const rest = [...splitter.push(record.bytes.subarray(cut)), ...splitter.end()];
  return { first, rest };
}

function countLineFeeds(bytes: Buffer): number {
  let n = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) n += 1;
  return n;
}

/** The bytes of a record without its line terminator (LF or CRLF). */
export function withoutTerminator(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === LF) end -= 1;
  if (end > 0 && bytes[end - 1] === CR) end -= 1;
  return bytes.subarray(0, end);
}

/** Why a record's fields could not be read, and where: the 1-based field number and character column. */
export interface FieldError {
  readonly field: number;
  /** Lines after the record's first line where the problem is (0 on a one-line record). */
  readonly lineOffset: number;
  readonly column: number;
  readonly reason: string;
}

/**
 * The fields of one decoded record (no terminator). Quoted fields may hold commas, doubled quotes
 * and line breaks. A quote inside an unquoted field, text after a closing quote or an unclosed
 * quote is an error naming the field and the character column.
 */
export function parseFields(text: string): { fields: string[] } | { error: FieldError } {
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  let line = 0;
  let lineStart = 0;
  const columnAt = (at: number): number => at - lineStart + 1;
  const fail = (field: number, at: number, reason: string): { error: FieldError } => ({ error: { field, lineOffset: line, column: columnAt(at), reason } });
  for (;;) {
    const fieldNo = fields.length + 1;
    if (text.charCodeAt(i) === QUOTE) {
      const openedAt = i;
      i += 1;
      let value = '';
      let from = i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          return fail(fieldNo, openedAt, 'a quoted field is never closed (unbalanced quotes)');
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          i = q + 2;
          from = i;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) line += 1;
      if (line > 0) lineStart = text.lastIndexOf('\n', i - 1) + 1;
      fields.push(value);
      if (i === n) return { fields };
      if (text[i] === ',') {
        i += 1;
        if (i === n) {
          fields.push('');
          return { fields };
        }
        continue;
      }
      return fail(fieldNo, i, `unexpected ${JSON.stringify(text[i])} after a closing quote`);
    }
    const comma = text.indexOf(',', i);
    const end = comma === -1 ? n : comma;
    const quote = text.indexOf('"', i);
    if (quote !== -1 && quote < end) {
      return fail(fieldNo, quote, 'a quote inside an unquoted field (quote the field and double the quote)');
    }
    fields.push(text.slice(i, end));
    if (comma === -1) return { fields };
    i = comma + 1;
    if (i === n) {
      fields.push('');
      return { fields };
    }
  }
}

/** Text encodings a dataset file may be read in. `latin1` decodes as Windows-1252 (its superset). */
export type CsvEncoding = 'utf-8' | 'latin1';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_LOOSE = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const LATIN1 = new TextDecoder('windows-1252', { ignoreBOM: true });

/**
 * Decodes a record's bytes. With `utf-8`, invalid sequences are an error that gives the byte
 * offset of the first bad byte within the record and the loosely decoded text (for locating it).
 */
export function decodeRecord(bytes: Uint8Array, encoding: CsvEncoding): { text: string } | { invalidAt: number; loose: string } {
  if (encoding === 'latin1') return { text: LATIN1.decode(bytes) };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { invalidAt: firstInvalidUtf8(bytes), loose: UTF8_LOOSE.decode(bytes) };
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}

/** True when the bytes start with the UTF-8 byte-order mark. */
export function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
