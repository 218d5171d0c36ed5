import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlaceIndex } from './cities.js';
import { SortedKeys } from './keys.js';
import type { Region, RegionTable } from './regions.js';
import { sourceFiles } from './sources.js';
import type { PlaceCandidate } from './types.js';

/** Bumped whenever the index's content or layout changes, so an old file is rebuilt, never misread. */
const FORMAT = 7;

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

interface Header {
  format: number;
  places: number;
  keys: number;
  looseKeys: number;
  sections: Record<'strings' | 'coords' | 'populations' | 'keyOffsets' | 'keyEntries' | 'looseOffsets' | 'looseEntries', [number, number]>;
  regions: Region[];
  regionKeys: [string, number[]][];
}

/**
 * Writes the built index to `file` atomically (a temporary file renamed into place). The layout is
 * a small JSON header (counts, regions, section offsets) followed by one UTF-8 block of every
 * string and typed arrays for numbers, so reading it is a few copies and one string split.
 */
export function writeIndexFile(index: PlaceIndex, file: string): void {
  const n = index.placeCount;
  const cols: string[][] = [[], [], [], [], []];
  const coords = new Float64Array(n * 2);
  const populations = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = index.place(i);
    if (p === undefined) throw new Error(`gazetteer index: no place ${i}`);
    cols[0]?.push(p.id);
    cols[1]?.push(p.name);
    cols[2]?.push(p.country);
    cols[3]?.push(p.admin1Code ?? '');
    cols[4]?.push(`${p.featureClass}.${p.featureCode}`);
    coords[i * 2] = p.lat;
    coords[i * 2 + 1] = p.lon;
    populations[i] = p.population;
  }
  const strings = Buffer.from([...cols.flat(), ...index.byKey.keys, ...index.byLoose.keys].join('\0'), 'utf8');
  const blocks: [keyof Header['sections'], Uint8Array][] = [
    ['strings', strings],
    ['coords', new Uint8Array(coords.buffer)],
    ['populations', new Uint8Array(populations.buffer)],
    ['keyOffsets', new Uint8Array(index.byKey.offsets.buffer, index.byKey.offsets.byteOffset, index.byKey.offsets.byteLength)],
    ['keyEntries', new Uint8Array(index.byKey.entries.buffer, index.byKey.entries.byteOffset, index.byKey.entries.byteLength)],
    ['looseOffsets', new Uint8Array(index.byLoose.offsets.buffer, index.byLoose.offsets.byteOffset, index.byLoose.offsets.byteLength)],
    ['looseEntries', new Uint8Array(index.byLoose.entries.buffer, index.byLoose.entries.byteOffset, index.byLoose.entries.byteLength)],
  ];
  const sections = {} as Header['sections'];
  let at = 0;
  for (const [name, bytes] of blocks) {
    sections[name] = [at, bytes.byteLength];
    at += Math.ceil(bytes.byteLength / 8) * 8;
  }
  const header: Header = { format: FORMAT, places: n, keys: index.byKey.size, looseKeys: index.byLoose.size, sections, regions: [...index.regions.regions], regionKeys: [...index.regions.byKey] };
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

/** Reads an index written by `writeIndexFile`, or null when the file is missing, damaged or of another format. */
export function readIndexFile(file: string): PlaceIndex | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  if (buf.byteLength < 12 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  let header: Header;
  try {
    const length = buf.readUInt32LE(MAGIC.length);
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length)) as Header;
    if (header.format !== FORMAT) return null;
    const base = Math.ceil((MAGIC.length + 4 + length) / 8) * 8;
    const [sOff, sLen] = header.sections.strings;
    const strings = buf.toString('utf8', base + sOff, base + sOff + sLen).split('\0');
    const n = header.places;
    if (strings.length !== n * 5 + header.keys + header.looseKeys) return null;
    const coords = typed(buf, base, header.sections.coords, Float64Array, 8);
    const populations = typed(buf, base, header.sections.populations, Float64Array, 8);
    const byKey = new SortedKeys(strings.slice(n * 5, n * 5 + header.keys), typed(buf, base, header.sections.keyOffsets, Int32Array, 4), typed(buf, base, header.sections.keyEntries, Int32Array, 4));
    const byLoose = new SortedKeys(strings.slice(n * 5 + header.keys), typed(buf, base, header.sections.looseOffsets, Int32Array, 4), typed(buf, base, header.sections.looseEntries, Int32Array, 4));
    const regionList = header.regions;
    const byCode = new Map<string, number>();
    regionList.forEach((r, i) => byCode.set(r.id, i));
    const regions: RegionTable = { regions: regionList, byCode, byKey: new Map(header.regionKeys) };
    const made: (PlaceCandidate | undefined)[] = new Array<PlaceCandidate | undefined>(n);
    const place = (i: number): PlaceCandidate | undefined => {
      if (i < 0 || i >= n) return undefined;
      const existing = made[i];
      if (existing !== undefined) return existing;
      const country = strings[n * 2 + i] as string;
      const code = strings[n * 3 + i] as string;
      const admin1Code = code === '' ? null : code;
      const region = admin1Code === null ? undefined : regionList[byCode.get(`${country}.${admin1Code}`) ?? -1];
      const feature = strings[n * 4 + i] as string;
      const dot = feature.indexOf('.');
      const p: PlaceCandidate = {
        id: strings[i] as string,
        name: strings[n + i] as string,
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
    return { placeCount: n, place, byKey, byLoose, regions };
  } catch {
    return null;
  }
}
