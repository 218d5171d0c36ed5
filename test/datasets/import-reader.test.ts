import { describe, expect, it } from 'vitest';
import { sourceId } from '../../src/core/ids.js';
import type { Source } from '../../src/core/model.js';
import { readImportItemsHere, type ImportItem } from '../../src/datasets/import-reader.js';
import { fixture } from './helpers.js';

const source: Source = { id: sourceId('acled', 'acled.csv'), kind: 'acled', locator: 'acled.csv', name: 'ACLED acled.csv', createdAt: '2030-06-01T00:00:00.000Z' };

async function items(probe?: (ids: readonly string[]) => Promise<ReadonlySet<string>>): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of readImportItemsHere('acled', fixture('acled.csv'), source, { probe })) out.push(item);
  return out;
}

describe('readImportItemsHere with a probe of stored documents', () => {
  it('does not build the rows the probe finds stored, and keeps file order and bytes', async () => {
    const plain = await items();
    const rows = plain.flatMap((item) => (item.type === 'row' ? [item] : []));
    expect(rows.length).toBeGreaterThan(2);
    const stored = new Set(rows.filter((_, n) => n % 2 === 0).map((row) => row.id));
    const asked: string[][] = [];
    const probed = await items(async (ids) => {
      asked.push([...ids]);
      return new Set(ids.filter((id) => stored.has(id)));
    });
    // Every row's id was asked about once, in file order.
    expect(asked.flat()).toEqual(rows.map((row) => row.id));
    expect(probed.map((item) => item.type)).toEqual(plain.map((item) => (item.type === 'row' && stored.has(item.id) ? 'present' : item.type)));
    probed.forEach((item, n) => {
      const before = plain[n]!;
      expect(item.bytes.equals(before.bytes)).toBe(true);
      if (item.type === 'present') expect(item).toMatchObject({ id: (before as { id: string }).id, line: (before as { line: number }).line });
      if (item.type === 'row') expect(item).toEqual(before);
    });
  });

  it('builds every row when the probe finds nothing stored', async () => {
    const plain = await items();
    const probed = await items(async () => new Set());
    expect(probed).toEqual(plain);
  });

  it('passes a failing probe on', async () => {
    await expect(items(async () => Promise.reject(new Error('store gone')))).rejects.toThrow('store gone');
  });
});
