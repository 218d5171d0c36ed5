import { describe, expect, it } from 'vitest';
import { decodeRecord, parseFields, splitRecords, type RawRecord } from '../../src/datasets/index.js';

async function split(chunks: Array<string | Uint8Array>, maxQuotedBytes?: number): Promise<RawRecord[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
  }
  const out: RawRecord[] = [];
  for await (const r of splitRecords(source(), { maxQuotedBytes })) out.push(r);
  return out;
}

describe('splitRecords', () => {
  it('splits on line feeds outside quotes, keeps terminators and line numbers', async () => {
    const records = await split(['a,b\r\n1,"x\r\ny"\r\n2,', 'z\n3,"q""', '"\n']);
    expect(records.map((r) => [r.line, r.bytes.toString()])).toEqual([
      [1, 'a,b\r\n'],
      [2, '1,"x\r\ny"\r\n'],
      [4, '2,z\n'],
      [5, '3,"q"""\n'],
    ]);
  });

  it('yields a last record without a terminator', async () => {
    const records = await split(['a\n1']);
    expect(records.map((r) => r.bytes.toString())).toEqual(['a\n', '1']);
  });

  it('cuts an unterminated quote back to its first line and reads on', async () => {
    const records = await split(['h\n1,"broken\n2,ok\n3,ok\n']);
    expect(records.map((r) => [r.line, r.bytes.toString(), r.unterminated])).toEqual([
      [1, 'h\n', false],
      [2, '1,"broken\n', true],
      [3, '2,ok\n', false],
      [4, '3,ok\n', false],
    ]);
  });

  it('gives up on a quoted field longer than maxQuotedBytes', async () => {
    const long = `1,"${'x\n'.repeat(100)}`;
    const records = await split(['h\n', long, '"\n2,ok\n'], 50);
    expect(records[1]).toMatchObject({ line: 2, unterminated: true });
    expect(records.at(-1)?.bytes.toString()).toBe('2,ok\n');
    expect(records.every((r) => r.bytes.length < 60)).toBe(true);
  });
});

describe('parseFields', () => {
  it('reads quoted commas, doubled quotes and line breaks', () => {
    expect(parseFields('a,"b,c","say ""hi""","x\ny",')).toEqual({ fields: ['a', 'b,c', 'say "hi"', 'x\ny', ''] });
    expect(parseFields('')).toEqual({ fields: [''] });
  });

  it('names the field and column of broken quotes', () => {
    expect(parseFields('a,b"c,d')).toEqual({ error: expect.objectContaining({ field: 2, column: 4, lineOffset: 0 }) });
    expect(parseFields('a,"b"c')).toEqual({ error: expect.objectContaining({ field: 2, column: 6 }) });
    expect(parseFields('a,"x\ny",  "open')).toEqual({ error: expect.objectContaining({ field: 3, lineOffset: 1 }) });
    expect(parseFields('a,"open')).toEqual({ error: expect.objectContaining({ field: 2, column: 3, reason: expect.stringContaining('never closed') }) });
  });
});

describe('decodeRecord', () => {
  it('refuses invalid UTF-8 with the offset, and reads Latin-1 on request', () => {
    const bytes = Buffer.from([0x61, 0x2c, 0x43, 0x61, 0x66, 0xe9]);
    expect(decodeRecord(bytes, 'utf-8')).toMatchObject({ invalidAt: 5 });
    expect(decodeRecord(bytes, 'latin1')).toEqual({ text: 'a,Café' });
    expect(decodeRecord(Buffer.from('a,Café'), 'utf-8')).toEqual({ text: 'a,Café' });
  });
});
