import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlaceIndex } from './cities.js';
import type { CountryIndex } from './countries.js';
import { SortedKeys, StringTable } from './keys.js';
import type { Region, RegionTable } from './regions.js';
import { sourceFiles } from './sources.js';
import type { PlaceCandidate } from './types.js';

/** Bumped whenever the index's content or layout changes, so an old file is rebuilt, never misread. */
const FORMAT = 9;

/** The folder of the built gazetteer index: VIGIL_CACHE_DIR, else $XDG_CACHE_HOME/vigil, else ~/.cache/vigil. */
export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env['VIGIL_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(os.homedir(), '.cache'), 'vigil');
}

/** The index file for the installed data packages: its name changes when they do. */
export function indexFilePath(dir: string = cacheDir()): string {
  const hash = createHash('sha256');
  hash.update(String(FORMAT));
  for (const file of sourceFiles()) {
    const st = statSync(file);
    hash.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return path.join(dir, `gazetteer-${hash.digest('hex').slice(0, 16)}.bin`);
}

const MAGIC = 'VIGILGAZ';

type SectionName = 'placeBlob' | 'placeStarts' | 'keyBlob' | 'keyStarts' | 'looseBlob' | 'looseStarts' | 'coords' | 'populations' | 'keyOffsets' | 'keyEntries' | 'looseOffsets' | 'looseEntries';

interface Header {
  format: number;
  places: number;
  sections: Record<SectionName, [number, number]>;
  regions: Region[];
  regionKeys: [string, number[]][];
  countryKeys: [string, string, string, string][];
  countryNames: [string, string][];
}

/** A place index together with the country names it was built with. */
export interface IndexFile {
  readonly index: PlaceIndex;
  readonly countries: CountryIndex;
}

function bytesOf(a: Int32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Writes the built index to `file` atomically (a temporary file renamed into place). The layout is
 * a small JSON header (counts, regions, countries, section offsets) followed by three UTF-8
 * blocks of strings laid end to end with their start offsets, and typed arrays for numbers, so
 * reading it splits and hashes nothing.
 */
export function writeIndexFile(index: PlaceIndex, countries: CountryIndex, file: string): void {
  const n = index.placeCount;
  const placeStrings: string[] = [];
  const coords = new Float64Array(n * 2);
  const populations = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = index.place(i);
    if (p === undefined) throw new Error(`gazetteer index: no place ${i}`);
    placeStrings.push(p.id, p.name, p.country, p.admin1Code ?? '', `${p.featureClass}.${p.featureCode}`);
    coords[i * 2] = p.lat;
    coords[i * 2 + 1] = p.lon;
    populations[i] = p.population;
  }
  const places = StringTable.from(placeStrings);
  const blocks: [SectionName, Uint8Array][] = [
    ['placeBlob', Buffer.from(places.blob, 'utf8')],
    ['placeStarts', bytesOf(places.starts)],
    ['keyBlob', Buffer.from(index.byKey.keys.blob, 'utf8')],
    ['keyStarts', bytesOf(index.byKey.keys.starts)],
    ['looseBlob', Buffer.from(index.byLoose.keys.blob, 'utf8')],
    ['looseStarts', bytesOf(index.byLoose.keys.starts)],
    ['coords', bytesOf(coords)],
    ['populations', bytesOf(populations)],
    ['keyOffsets', bytesOf(index.byKey.offsets)],
    ['keyEntries', bytesOf(index.byKey.entries)],
    ['looseOffsets', bytesOf(index.byLoose.offsets)],
    ['looseEntries', bytesOf(index.byLoose.entries)],
  ];
  const sections = {} as Header['sections'];
  let at = 0;
  for (const [name, bytes] of blocks) {
    sections[name] = [at, bytes.byteLength];
    at += Math.ceil(bytes.byteLength / 8) * 8;
  }
  const header: Header = {
    format: FORMAT,
    places: n,
    sections,
    regions: [...index.regions.regions],
    regionKeys: [...index.regions.byKey],
    countryKeys: [...countries.byKey].map(([key, m]) => [key, m.code, m.name, m.source]),
    countryNames: [...countries.names],
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Math.ceil((MAGIC.length + 4 + headerBytes.byteLength) / 8) * 8;
  const out = Buffer.alloc(prefix + at);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(headerBytes.byteLength, MAGIC.length);
  headerBytes.copy(out, MAGIC.length + 4);
  for (const [name, bytes] of blocks) out.set(bytes, prefix + sections[name][0]);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
}

function typed<T extends Float64Array | Int32Array>(buf: Buffer, base: number, [offset, length]: [number, number], make: new (b: ArrayBuffer, o: number, l: number) => T, size: number): T {
  const start = buf.byteOffset + base + offset;
  if (start % size === 0) return new make(buf.buffer as ArrayBuffer, start, length / size);
  const copy = new Uint8Array(length);
  copy.set(buf.subarray(base + offset, base + offset + length));
  return new make(copy.buffer, 0, length / size);
}

function table(buf: Buffer, base: number, blob: [number, number], starts: [number, number]): StringTable {
  const text = buf.toString('utf8', base + blob[0], base + blob[0] + blob[1]);
  const offsets = typed(buf, base, starts, Int32Array, 4);
  if (offsets[offsets.length - 1] !== text.length) throw new Error('string table does not match its offsets');
  return new StringTable(text, offsets);
}

/** Reads an index written by `writeIndexFile`, or null when the file is missing, damaged or of another format. */
export function readIndexFile(file: string): IndexFile | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  if (buf.byteLength < 12 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  try {
    const length = buf.readUInt32LE(MAGIC.length);
    const header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length)) as Header;
    if (header.format !== FORMAT) return null;
    const base = Math.ceil((MAGIC.length + 4 + length) / 8) * 8;
    const sec = header.sections;
    const n = header.places;
    const strings = table(buf, base, sec.placeBlob, sec.placeStarts);
    if (strings.size !== n * 5) return null;
    const coords = typed(buf, base, sec.coords, Float64Array, 8);
    const populations = typed(buf, base, sec.populations, Float64Array, 8);
    const byKey = new SortedKeys(table(buf, base, sec.keyBlob, sec.keyStarts), typed(buf, base, sec.keyOffsets, Int32Array, 4), typed(buf, base, sec.keyEntries, Int32Array, 4));
    const byLoose = new SortedKeys(table(buf, base, sec.looseBlob, sec.looseStarts), typed(buf, base, sec.looseOffsets, Int32Array, 4), typed(buf, base, sec.looseEntries, Int32Array, 4));
    const regionList = header.regions;
    const byCode = new Map<string, number>();
    regionList.forEach((r, i) => byCode.set(r.id, i));
    const regions: RegionTable = { regions: regionList, byCode, byKey: new Map(header.regionKeys) };
    const made: (PlaceCandidate | undefined)[] = new Array<PlaceCandidate | undefined>(n);
    const place = (i: number): PlaceCandidate | undefined => {
      if (i < 0 || i >= n) return undefined;
      const existing = made[i];
      if (existing !== undefined) return existing;
      const country = strings.at(i * 5 + 2);
      const code = strings.at(i * 5 + 3);
      const admin1Code = code === '' ? null : code;
      const region = admin1Code === null ? undefined : regionList[byCode.get(`${country}.${admin1Code}`) ?? -1];
      const feature = strings.at(i * 5 + 4);
      const dot = feature.indexOf('.');
      const p: PlaceCandidate = {
        id: strings.at(i * 5),
        name: strings.at(i * 5 + 1),
        country,
        admin1Code,
        admin1: region?.name ?? null,
        lat: coords[i * 2] as number,
        lon: coords[i * 2 + 1] as number,
        population: populations[i] as number,
        featureClass: feature.slice(0, dot),
        featureCode: feature.slice(dot + 1),
      };
      made[i] = p;
      return p;
    };
    const countries: CountryIndex = {
      byKey: new Map(header.countryKeys.map(([key, code, name, source]) => [key, { code, name, source }])),
      names: new Map(header.countryNames),
    };
    return { index: { placeCount: n, place, byKey, byLoose, regions }, countries };
  } catch {
    return null;
  }
}
