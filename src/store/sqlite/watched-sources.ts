import { VigilError } from '../../core/errors.js';
import type { Migration } from '../migration.js';
import { EMPTY_WATCH_STATE, watchedFromRow, type WatchedRow, type WatchedSource, type WatchedSourceStore, type WatchState } from '../watched-sources.js';
import { SqliteFacet } from './facet.js';

/** Schema version 5: sources polled or watched on a schedule, and the entries taken from each. */
export const sqliteWatchedSourcesMigration: Migration = {
  version: 5,
  name: 'watched-sources',
  sql: `
CREATE TABLE watched_sources (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('feed', 'folder', 'telegram')),
  name       TEXT NOT NULL,
  locator    TEXT NOT NULL,
  interval_s INTEGER NOT NULL CHECK (interval_s > 0),
  enabled    INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (json_valid(state)),
  UNIQUE (kind, locator)
) STRICT;

CREATE TABLE watched_items (
  source_id TEXT NOT NULL REFERENCES watched_sources (id) ON DELETE CASCADE,
  item_id   TEXT NOT NULL,
  seen_at   TEXT NOT NULL,
  PRIMARY KEY (source_id, item_id)
) STRICT, WITHOUT ROWID;
`,
};

export class SqliteWatchedSourceStore extends SqliteFacet implements WatchedSourceStore {
  add(source: Omit<WatchedSource, 'state'>): Promise<WatchedSource> {
    return Promise.resolve(
      this.use(`cannot add source ${source.locator}`, (db) => {
        const clash = db.prepare('SELECT id FROM watched_sources WHERE kind = ? AND locator = ?').get(source.kind, source.locator) as { id: string } | undefined;
        if (clash !== undefined) throw new VigilError('conflict', `this ${source.kind} is already watched as ${clash.id}`, { location: { field: 'locator' } });
        db.prepare('INSERT INTO watched_sources (id, kind, name, locator, interval_s, enabled, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          source.id,
          source.kind,
          source.name,
          source.locator,
          source.intervalSeconds,
          source.enabled ? 1 : 0,
          source.createdAt,
          JSON.stringify(EMPTY_WATCH_STATE),
        );
        return { ...source, state: { ...EMPTY_WATCH_STATE } };
      }),
    );
  }

  list(): Promise<WatchedSource[]> {
    return Promise.resolve(this.use('cannot list sources', (db) => (db.prepare('SELECT * FROM watched_sources ORDER BY created_at, id').all() as WatchedRow[]).map(watchedFromRow)));
  }

  get(id: string): Promise<WatchedSource | null> {
    return Promise.resolve(
      this.use(`cannot read source ${id}`, (db) => {
        const row = db.prepare('SELECT * FROM watched_sources WHERE id = ?').get(id) as WatchedRow | undefined;
        return row === undefined ? null : watchedFromRow(row);
      }),
    );
  }

  remove(id: string): Promise<boolean> {
    return Promise.resolve(
      this.use(`cannot remove source ${id}`, (db) =>
        db.transaction(() => {
          db.prepare('DELETE FROM watched_items WHERE source_id = ?').run(id);
          return db.prepare('DELETE FROM watched_sources WHERE id = ?').run(id).changes > 0;
        })(),
      ),
    );
  }

  saveState(id: string, state: WatchState): Promise<void> {
    return Promise.resolve(
      this.use(`cannot save the state of source ${id}`, (db) => {
        db.prepare('UPDATE watched_sources SET state = ? WHERE id = ?').run(JSON.stringify(state), id);
      }),
    );
  }

  seen(sourceId: string, itemIds: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(
      this.use(`cannot read the entries of source ${sourceId}`, (db) => {
        const out = new Set<string>();
        const stmt = db.prepare('SELECT 1 FROM watched_items WHERE source_id = ? AND item_id = ?');
        for (const item of itemIds) if (stmt.get(sourceId, item) !== undefined) out.add(item);
        return out;
      }),
    );
  }

  markSeen(sourceId: string, itemIds: readonly string[], at: string): Promise<void> {
    return Promise.resolve(
      this.use(`cannot record the entries of source ${sourceId}`, (db) => {
        const stmt = db.prepare('INSERT OR IGNORE INTO watched_items (source_id, item_id, seen_at) VALUES (?, ?, ?)');
        db.transaction(() => {
          for (const item of itemIds) stmt.run(sourceId, item, at);
        })();
      }),
    );
  }
}
