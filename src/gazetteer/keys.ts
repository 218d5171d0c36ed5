/**
 * A read-only name index: sorted keys, each with a run of integer entries. Looked up by binary
 * search, so it needs no hash map built at load time, and it answers prefix queries for search
 * boxes from the same arrays.
 */
export class SortedKeys {
  readonly keys: readonly string[];
  /** Start of each key's entries in `entries`; one longer than `keys`. */
  readonly offsets: Int32Array;
  readonly entries: Int32Array;

  constructor(keys: readonly string[], offsets: Int32Array, entries: Int32Array) {
    this.keys = keys;
    this.offsets = offsets;
    this.entries = entries;
  }

  /** Packs a map (any key order) into sorted form. */
  static fromMap(map: ReadonlyMap<string, readonly number[]>): SortedKeys {
    const keys = [...map.keys()].sort(compare);
    const offsets = new Int32Array(keys.length + 1);
    let total = 0;
    for (const list of map.values()) total += list.length;
    const entries = new Int32Array(total);
    let at = 0;
    keys.forEach((key, i) => {
      offsets[i] = at;
      for (const e of map.get(key) ?? []) entries[at++] = e;
    });
    offsets[keys.length] = at;
    return new SortedKeys(keys, offsets, entries);
  }

  get size(): number {
    return this.keys.length;
  }

  /** The index of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The entries of a key, or undefined. */
  get(key: string): Int32Array | undefined {
    const i = this.lowerBound(key);
    return this.keys[i] === key ? this.entriesAt(i) : undefined;
  }

  entriesAt(i: number): Int32Array {
    return this.entries.subarray(this.offsets[i], this.offsets[i + 1]);
  }
}

/** Code-unit order, the order `<` uses and binary search relies on. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
