import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlaceIndex, createGazetteer, parseLocalities, readIndexFile, writeIndexFile, type CountryIndex } from '../../src/gazetteer/index.js';

/** Three invented GeoNames-format rows (tab separated, as in cities500.txt). */
const ROWS = [
  ['1', 'Zarqa Nova', 'Zarqa Nova', 'Zarka Nova,زرقاء نوفا', '33.1', '44.2', 'P', 'PPLA', 'IQ', '', '10', '', '', '', '52000'],
  ['2', 'Zarqa Nova', 'Zarqa Nova', '', '35.5', '38.9', 'P', 'PPL', 'SY', '', '04', '', '', '', '900'],
  ['3', 'Qal‘at Sabi', 'Qal`at Sabi', 'Kalat Sabi', '34.0', '45.0', 'P', 'PPL', 'IQ', '', '10', '', '', '', '3000'],
]
  .map((r) => r.join('\t'))
  .join('\n');

const countries: CountryIndex = {
  byKey: new Map([
    ['iraq', { code: 'IQ', name: 'Iraq', source: 'en' }],
    ['syria', { code: 'SY', name: 'Syria', source: 'alias' }],
  ]),
  names: new Map([
    ['IQ', 'Iraq'],
    ['SY', 'Syria'],
  ]),
};

describe('the built index file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const index = buildPlaceIndex(
    ROWS,
    () => new Map([['IQ.10', { name: 'Diyala Governorate', iso: 'DI' }]]),
    parseLocalities('Tell Hamra\tTal Hamra\tIQ\tDiyala\t33.9\t44.9\n'),
    [],
  );

  it('reads back what was written: places, names, transliterations, regions, countries', () => {
    const file = path.join(dir, 'g.bin');
    writeIndexFile(index, countries, file);
    const read = readIndexFile(file);
    expect(read).not.toBeNull();
    if (read === null) return;
    const before = createGazetteer(() => countries, () => index);
    const after = createGazetteer(() => read.countries, () => read.index);
    for (const name of ['Zarqa Nova', 'Zarka Nova', 'زرقاء نوفا', 'Kalat Sabi', 'Tal Hamra', 'Nowhere']) {
      expect(after.findPlaces(name)).toEqual(before.findPlaces(name));
    }
    expect(after.findPlacesLoose('Zarqa Noova')).toEqual(before.findPlacesLoose('Zarqa Noova'));
    expect(after.findPlaces('Zarqa Nova').map((m) => m.place.country)).toEqual(['IQ', 'SY']);
    expect(after.findPlaces('Tal Hamra')[0]?.place).toMatchObject({ id: 'vigil:1', admin1: 'Diyala Governorate', country: 'IQ' });
    expect(after.findRegions('Diyala', 'IQ')[0]?.iso).toBe('DI');
    expect(after.findCountry('Syria')?.code).toBe('SY');
    expect(after.search('zar').map((h) => h.id)).toEqual(before.search('zar').map((h) => h.id));
  });

  it('answers null for a damaged or foreign file, so the caller rebuilds instead of misreading', () => {
    const file = path.join(dir, 'g.bin');
    writeIndexFile(index, countries, file);
    const bytes = readFileSync(file);
    writeFileSync(path.join(dir, 'cut.bin'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(readIndexFile(path.join(dir, 'cut.bin'))).toBeNull();
    writeFileSync(path.join(dir, 'other.bin'), 'not an index');
    expect(readIndexFile(path.join(dir, 'other.bin'))).toBeNull();
    expect(readIndexFile(path.join(dir, 'missing.bin'))).toBeNull();
  });
});
