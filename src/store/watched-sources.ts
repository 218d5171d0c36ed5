import { facetOf } from './facets.js';
import type { Store } from './store.js';

/** Kinds of sources Vigil polls or watches on a schedule. */
export const WATCHED_KINDS = ['feed', 'folder', 'telegram'] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];

/** What the scheduler remembers of a source between polls: its health, as the API shows it. */
export interface WatchState {
  /** Validators of the last 200 answer, sent back for a conditional GET. */
  etag: string | null;
  lastModified: string | null;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  /** The last failure's message; null after a success. */
  lastError: string | null;
  /** Failures since the last success: the back-off grows with them. */
  failures: number;
  /** When the source is next due. */
  nextPollAt: string | null;
  /** Entries (feed items, files, channel messages) taken in so far. */
  itemsSeen: number;
  /** Kind-specific position: the last Telegram message id, the folder's file fingerprints. */
  cursor: string | null;
}

export interface WatchedSource {
  id: string;
  kind: WatchedKind;
  name: string;
  /** The feed URL, the folder or the export file. */
  locator: string;
  intervalSeconds: number;
  enabled: boolean;
  createdAt: string;
  state: WatchState;
}

export const EMPTY_WATCH_STATE: WatchState = Object.freeze({
  etag: null,
  lastModified: null,
  lastPolledAt: null,
  lastSuccessAt: null,
  lastError: null,
  failures: 0,
  nextPollAt: null,
  itemsSeen: 0,
  cursor: null,
});

/** The registry of watched sources and the entries already taken from each. */
export interface WatchedSourceStore {
  /** Adds a source; a VigilError('conflict') when the same kind and locator is already watched. */
  add(source: Omit<WatchedSource, 'state'>): Promise<WatchedSource>;
  list(): Promise<WatchedSource[]>;
  get(id: string): Promise<WatchedSource | null>;
  /** True when it existed. Entries taken from it are forgotten too; documents stay. */
  remove(id: string): Promise<boolean>;
  saveState(id: string, state: WatchState): Promise<void>;
  /** Which of these entry ids were already taken from the source. */
  seen(sourceId: string, itemIds: readonly string[]): Promise<Set<string>>;
  markSeen(sourceId: string, itemIds: readonly string[], at: string): Promise<void>;
}

export interface WithWatchedSources {
  readonly watched: WatchedSourceStore;
}

/** The watched-source registry of a store; a VigilError('config') for a store without one. */
export function watchedSourcesOf(store: Store): WatchedSourceStore {
  return facetOf<keyof WithWatchedSources, WatchedSourceStore>(store, 'watched', 'watched-source registry');
}

export interface WatchedRow {
  id: string;
  kind: string;
  name: string;
  locator: string;
  interval_s: number;
  enabled: number | boolean;
  created_at: string | Date;
  state: string | WatchState;
}

export function watchedFromRow(row: WatchedRow): WatchedSource {
  const state = typeof row.state === 'string' ? (JSON.parse(row.state) as WatchState) : row.state;
  return {
    id: row.id,
    kind: row.kind as WatchedKind,
    name: row.name,
    locator: row.locator,
    intervalSeconds: Number(row.interval_s),
    enabled: row.enabled === true || row.enabled === 1,
    createdAt: row.created_at instanceof Date ? row.created_at.toISOString() : row.created_at,
    state: { ...EMPTY_WATCH_STATE, ...state },
  };
}
