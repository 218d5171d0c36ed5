import type pg from 'pg';
import { VigilError } from '../../core/errors.js';
import type { Migration } from '../migration.js';
import { EMPTY_WATCH_STATE, watchedFromRow, type WatchedRow, type WatchedSource, type WatchedSourceStore, type WatchState } from '../watched-sources.js';
import { PostgresFacet } from './facet.js';

/** Schema version 5: sources polled or watched on a schedule, and the entries taken from each. */
export const postgresWatchedSourcesMigration: Migration = {
  version: 5,
  name: 'watched-sources',
  sql: `
CREATE TABLE watched_sources (
  id         text COLLATE "C" PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('feed', 'folder', 'telegram')),
  name       text NOT NULL,
  locator    text NOT NULL,
  interval_s integer NOT NULL CHECK (interval_s > 0),
  enabled    boolean NOT NULL DEFAULT true,
  created_at text NOT NULL,
  state      jsonb NOT NULL,
  UNIQUE (kind, locator)
);

CREATE TABLE watched_items (
  source_id text COLLATE "C" NOT NULL REFERENCES watched_sources (id) ON DELETE CASCADE,
  item_id   text NOT NULL,
  seen_at   text NOT NULL,
  PRIMARY KEY (source_id, item_id)
);
`,
};

export class PostgresWatchedSourceStore extends PostgresFacet implements WatchedSourceStore {
  async add(source: Omit<WatchedSource, 'state'>): Promise<WatchedSource> {
    const clash = await this.query<{ id: string }>(`cannot add source ${source.locator}`, 'SELECT id FROM watched_sources WHERE kind = $1 AND locator = $2', [source.kind, source.locator]);
    const existing = clash.rows[0];
    if (existing !== undefined) throw new VigilError('conflict', `this ${source.kind} is already watched as ${existing.id}`, { location: { field: 'locator' } });
    await this.query(
      `cannot add source ${source.locator}`,
      'INSERT INTO watched_sources (id, kind, name, locator, interval_s, enabled, created_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [source.id, source.kind, source.name, source.locator, source.intervalSeconds, source.enabled, source.createdAt, JSON.stringify(EMPTY_WATCH_STATE)],
    );
    return { ...source, state: { ...EMPTY_WATCH_STATE } };
  }

  async list(): Promise<WatchedSource[]> {
    const { rows } = await this.query<WatchedRow & pg.QueryResultRow>('cannot list sources', 'SELECT * FROM watched_sources ORDER BY created_at, id');
    return rows.map(watchedFromRow);
  }

  async get(id: string): Promise<WatchedSource | null> {
    const { rows } = await this.query<WatchedRow & pg.QueryResultRow>(`cannot read source ${id}`, 'SELECT * FROM watched_sources WHERE id = $1', [id]);
    const row = rows[0];
    return row === undefined ? null : watchedFromRow(row);
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.query(`cannot remove source ${id}`, 'DELETE FROM watched_sources WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async saveState(id: string, state: WatchState): Promise<void> {
    await this.query(`cannot save the state of source ${id}`, 'UPDATE watched_sources SET state = $1 WHERE id = $2', [JSON.stringify(state), id]);
  }

  async seen(sourceId: string, itemIds: readonly string[]): Promise<Set<string>> {
    if (itemIds.length === 0) return new Set();
    const { rows } = await this.query<{ item_id: string }>(`cannot read the entries of source ${sourceId}`, 'SELECT item_id FROM watched_items WHERE source_id = $1 AND item_id = ANY($2::text[])', [sourceId, [...itemIds]]);
    return new Set(rows.map((r) => r.item_id));
  }

  async markSeen(sourceId: string, itemIds: readonly string[], at: string): Promise<void> {
    if (itemIds.length === 0) return;
    await this.query(
      `cannot record the entries of source ${sourceId}`,
      'INSERT INTO watched_items (source_id, item_id, seen_at) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING',
      [sourceId, [...itemIds], at],
    );
  }
}
