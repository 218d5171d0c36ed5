import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { PlaceIndex } from './cities.js';
import type { Region, RegionTable } from './regions.js';
import { sourceFiles } from './sources.js';
import type { PlaceCandidate } from './types.js';

/** Bumped whenever the index's content or layout changes, so an old file is rebuilt, never misread. */
const FORMAT = 4;

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
  return path.join(dir, `gazetteer-${hash.digest('hex').slice(0, 16)}.v8`);
}

interface PackedMap {
  keys: string[];
  /** Start of each key's entries in `entries`; one more than keys. */
  offsets: Int32Array;
  entries: Int32Array;
}

interface Packed {
  format: number;
  ids: string[];
  names: string[];
  countries: string[];
  admin1Codes: (string | null)[];
  coords: Float64Array;
  populations: Float64Array;
  features: string[];
  byKey: PackedMap;
  byLoose: PackedMap;
  regions: Region[];
  regionKeys: [string, number[]][];
}

function packMap(map: ReadonlyMap<string, Iterable<number>>): PackedMap {
  const keys: string[] = [];
  const offsets: number[] = [0];
  const entries: number[] = [];
  for (const [key, list] of map) {
    keys.push(key);
    for (const e of list) entries.push(e);
    offsets.push(entries.length);
  }
  return { keys, offsets: Int32Array.from(offsets), entries: Int32Array.from(entries) };
}

function unpackMap(packed: PackedMap): Map<string, Int32Array> {
  const map = new Map<string, Int32Array>();
  const { keys, offsets, entries } = packed;
  for (let i = 0; i < keys.length; i++) map.set(keys[i] as string, entries.subarray(offsets[i], offsets[i + 1]));
  return map;
}

/** Writes the built index to `file` atomically (a temporary file renamed into place). */
export function writeIndexFile(index: PlaceIndex, file: string): void {
  const { places } = index;
  const coords = new Float64Array(places.length * 2);
  const populations = new Float64Array(places.length);
  places.forEach((p, i) => {
    coords[i * 2] = p.lat;
    coords[i * 2 + 1] = p.lon;
    populations[i] = p.population;
  });
  const packed: Packed = {
    format: FORMAT,
    ids: places.map((p) => p.id),
    names: places.map((p) => p.name),
    countries: places.map((p) => p.country),
    admin1Codes: places.map((p) => p.admin1Code),
    coords,
    populations,
    features: places.map((p) => `${p.featureClass}.${p.featureCode}`),
    byKey: packMap(index.byKey),
    byLoose: packMap(index.byLoose),
    regions: [...index.regions.regions],
    regionKeys: [...index.regions.byKey],
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serialize(packed));
  renameSync(tmp, file);
}

/** Reads an index written by `writeIndexFile`, or null when the file is missing or of another format. */
export function readIndexFile(file: string): PlaceIndex | null {
  let packed: Packed;
  try {
    packed = deserialize(readFileSync(file)) as Packed;
  } catch {
    return null;
  }
  if (packed.format !== FORMAT) return null;
  const regionList = packed.regions;
  const byCode = new Map<string, number>();
  regionList.forEach((r, i) => byCode.set(r.id, i));
  const places: PlaceCandidate[] = new Array<PlaceCandidate>(packed.ids.length);
  for (let i = 0; i < packed.ids.length; i++) {
    const country = packed.countries[i] as string;
    const admin1Code = packed.admin1Codes[i] ?? null;
    const region = admin1Code === null ? undefined : regionList[byCode.get(`${country}.${admin1Code}`) ?? -1];
    const feature = packed.features[i] as string;
    const dot = feature.indexOf('.');
    places[i] = {
      id: packed.ids[i] as string,
      name: packed.names[i] as string,
      country,
      admin1Code,
      admin1: region?.name ?? null,
      lat: packed.coords[i * 2] as number,
      lon: packed.coords[i * 2 + 1] as number,
      population: packed.populations[i] as number,
      featureClass: feature.slice(0, dot),
      featureCode: feature.slice(dot + 1),
    };
  }
  const regions: RegionTable = { regions: regionList, byCode, byKey: new Map(packed.regionKeys) };
  return { places, byKey: unpackMap(packed.byKey), byLoose: unpackMap(packed.byLoose), regions };
}
