import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VigilError, isVigilError } from '../core/errors.js';
import { htmlToReport } from './html-text.js';
import { parseReportLine, type ReadResult, type ReportInput } from './report.js';

/** File extensions `vigil ingest` reads. */
export const REPORT_EXTENSIONS = ['.txt', '.html', '.htm', '.jsonl', '.ndjson'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function reject(file: string, reason: string, line?: number, field?: string): ReadResult {
  return { ok: false, rejection: { location: { file, line, field }, reason } };
}

/** Decodes bytes as UTF-8, refusing binary data and invalid sequences with a reason. */
function decode(bytes: Uint8Array): { text: string } | { reason: string } {
  if (bytes.subarray(0, 8192).includes(0)) return { reason: 'looks like a binary file (NUL bytes); expected UTF-8 text' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { reason: 'is not valid UTF-8: convert it first (e.g. iconv -f latin1 -t utf-8)' };
  }
}

const HEADER = /^(title|published|url|language)\s*:\s*(.*)$/i;

/**
 * A plain-text report: the whole file is one report. It may start with header lines
 * (`Title:`, `Published:`, `URL:`, `Language:`) followed by a blank line.
 */
export function parseTextReport(content: string, file: string): ReportInput {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const report: ReportInput = { text: '', origin: file, id: path.basename(file) };
  let bodyStart = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const match = HEADER.exec(lines[i] ?? '');
    if (match === null) break;
    const key = (match[1] ?? '').toLowerCase();
    const value = (match[2] ?? '').trim() || null;
    if (key === 'published' && value !== null && Number.isNaN(Date.parse(value))) {
      throw new VigilError('bad_input', `"${value}" is not an ISO 8601 date`, {
        location: { file, line: i + 1, field: 'published' },
      });
    }
    if (key === 'title') report.title = value;
    else if (key === 'published') report.published = value;
    else if (key === 'url') report.url = value;
    else report.language = value;
    bodyStart = i + 1;
  }
  report.text = lines.slice(bodyStart).join('\n').trim();
  return report;
}

async function* readJsonLines(file: string): AsyncGenerator<ReadResult> {
  let lineNumber = 0;
  let pending: Buffer[] = [];
  const emit = (bytes: Buffer): ReadResult | null => {
    lineNumber += 1;
    let line = bytes;
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (lineNumber === 1 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    const decoded = decode(line);
    if ('reason' in decoded) return reject(file, `line ${decoded.reason}`, lineNumber);
    if (decoded.text.trim() === '') return null;
    try {
      return { ok: true, report: parseReportLine(decoded.text, { file, line: lineNumber }) };
    } catch (error) {
      if (isVigilError(error, 'bad_input')) {
        return reject(file, error.message, lineNumber, error.location?.field);
      }
      throw error;
    }
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, from)) {
      pending.push(chunk.subarray(from, at));
      const result = emit(Buffer.concat(pending));
      pending = [];
      if (result !== null) yield result;
      from = at + 1;
    }
    if (from < chunk.length) pending.push(chunk.subarray(from));
  }
  if (pending.length > 0) {
    const result = emit(Buffer.concat(pending));
    if (result !== null) yield result;
  }
  if (lineNumber === 0) yield reject(file, 'file is empty');
}

/** Reads one report file (.txt, .html or .jsonl) into reports and rejections. */
export async function* readReportFile(file: string): AsyncGenerator<ReadResult> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    yield* readJsonLines(file);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    yield reject(file, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const decoded = decode(bytes);
  if ('reason' in decoded) {
    yield reject(file, decoded.reason);
    return;
  }
  if (decoded.text.replace(/^\uFEFF/, '').trim() === '') {
    yield reject(file, 'file is empty');
    return;
  }
  try {
    if (ext === '.html' || ext === '.htm') {
      const html = htmlToReport(decoded.text);
      if (html.text === '') {
        yield reject(file, 'the HTML page has no readable text');
        return;
      }
      yield { ok: true, report: { ...html, id: path.basename(file), origin: file } };
    } else {
      const report = parseTextReport(decoded.text, file);
      if (report.text === '') yield reject(file, 'has headers but no text after them', undefined, 'text');
      else yield { ok: true, report };
    }
  } catch (error) {
    if (!isVigilError(error, 'bad_input')) throw error;
    yield { ok: false, rejection: { location: error.location ?? { file }, reason: error.message } };
  }
}

async function* walk(target: string): AsyncGenerator<string> {
  const info = await stat(target);
  if (info.isDirectory()) {
    const entries = await readdir(target, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = path.join(target, entry.name);
      if (entry.isDirectory()) yield* walk(child);
      else if ((REPORT_EXTENSIONS as readonly string[]).includes(path.extname(entry.name).toLowerCase())) yield child;
    }
  } else {
    yield target;
  }
}

/**
 * Every report in the given files and folders (folders are walked in name order; only report
 * extensions are read inside them). Unreadable inputs become rejections; reading goes on.
 */
export async function* readReportPaths(paths: readonly string[]): AsyncGenerator<ReadResult> {
  for (const target of paths) {
    let files: AsyncGenerator<string>;
    try {
      await stat(target);
      files = walk(target);
    } catch {
      yield reject(target, 'no such file or folder');
      continue;
    }
    for await (const file of files) {
      const ext = path.extname(file).toLowerCase();
      if (!(REPORT_EXTENSIONS as readonly string[]).includes(ext)) {
        yield reject(file, `unsupported file type "${ext || '(none)'}": expected one of ${REPORT_EXTENSIONS.join(', ')}`);
        continue;
      }
      yield* readReportFile(file);
    }
  }
}
