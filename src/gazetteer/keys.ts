/**
 * Strings stored end to end in one string, with the offset where each starts: a million names
 * cost one string and one typed array instead of a million objects, so an index file loads
 * without splitting or hashing anything.
 */
export class StringTable {
  readonly blob: string;
  /** Start of string i in `blob`; one longer than the count. */
  readonly starts: Int32Array;

  constructor(blob: string, starts: Int32Array) {
    this.blob = blob;
    this.starts = starts;
  }

  static from(strings: readonly string[]): StringTable {
    const starts = new Int32Array(strings.length + 1);
    let at = 0;
    strings.forEach((s, i) => {
      starts[i] = at;
      at += s.length;
    });
    starts[strings.length] = at;
    return new StringTable(strings.join(''), starts);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  at(i: number): string {
    return this.blob.slice(this.starts[i], this.starts[i + 1]);
  }

  /** Compares string i with `s` in code-unit order without making string i. */
  compareAt(i: number, s: string): number {
    const start = this.starts[i] as number;
    const end = this.starts[i + 1] as number;
    const blob = this.blob;
    const n = Math.min(end - start, s.length);
    for (let k = 0; k < n; k++) {
      const d = blob.charCodeAt(start + k) - s.charCodeAt(k);
      if (d !== 0) return d;
    }
    return end - start - s.length;
  }

  /** True when string i starts with `prefix`. */
  startsWith(i: number, prefix: string): boolean {
    const start = this.starts[i] as number;
    if ((this.starts[i + 1] as number) - start < prefix.length) return false;
    return this.blob.startsWith(prefix, start);
  }
}

/**
 * A read-only name index: sorted keys, each with a run of integer entries. Looked up by binary
 * search, so it needs no hash map built at load time, and it answers prefix queries for search
 * boxes from the same arrays.
 */
export class SortedKeys {
  readonly keys: StringTable;
  /** Start of each key's entries in `entries`; one longer than the key count. */
  readonly offsets: Int32Array;
  readonly entries: Int32Array;

  constructor(keys: StringTable, offsets: Int32Array, entries: Int32Array) {
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
    return new SortedKeys(StringTable.from(keys), offsets, entries);
  }

  get size(): number {
    return this.keys.size;
  }

  keyAt(i: number): string {
    return this.keys.at(i);
  }

  /** The index of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys.compareAt(mid, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The entries of a key, or undefined. */
  get(key: string): Int32Array | undefined {
    const i = this.lowerBound(key);
    return i < this.keys.size && this.keys.compareAt(i, key) === 0 ? this.entriesAt(i) : undefined;
  }

  entriesAt(i: number): Int32Array {
    return this.entries.subarray(this.offsets[i], this.offsets[i + 1]);
  }
}

/** Code-unit order, the order `<` uses and binary search relies on. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
