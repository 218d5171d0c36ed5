import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset, type DatasetItem, type DatasetKind, type DatasetRecord, type ReadDatasetOptions } from '../../src/datasets/index.js';

/** The folder of the hand-written fixture CSVs (invented rows in the datasets' real column layouts). */
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A fixture file's path. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** Every item a dataset file yields. */
export async function readAll(kind: DatasetKind, file: string, options?: ReadDatasetOptions): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const item of readDataset(kind, file, options)) items.push(item);
  return items;
}

/** The mapped records of a dataset file, by row id; throws if any row was rejected. */
export async function records(kind: DatasetKind, file: string): Promise<Map<string, DatasetRecord>> {
  const out = new Map<string, DatasetRecord>();
  for (const item of await readAll(kind, file)) {
    if (item.type === 'rejected') throw new Error(`unexpected rejection: ${JSON.stringify(item.rejection)}`);
    if (item.type === 'row') out.set(item.record.rowId, item.record);
  }
  return out;
}

let dir: string | undefined;

/** Writes bytes to a new temporary file and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'vigil-datasets-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A temporary path (not yet written). */
export function tempPath(name: string): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'vigil-datasets-'));
  return path.join(dir, name);
}
