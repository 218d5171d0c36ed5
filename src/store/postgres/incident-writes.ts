import pg from 'pg';
import { VigilError } from '../../core/errors.js';
import type { ChangeSet } from '../../resolve/review.js';
import { incidentWriteRows } from '../rows.js';

/** The columns of an incident row written by an operation, with their PostgreSQL array types for `unnest`. */
const INCIDENT_COLUMNS = [
  ['id', 'text'],
  ['status', 'text'],
  ['revision', 'int4'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['fields', 'jsonb'],
  ['title', 'text'],
  ['date_start', 'date'],
  ['date_end', 'date'],
  ['country', 'text'],
  ['admin1', 'text'],
  ['lat', 'float8'],
  ['lon', 'float8'],
  ['place_precision', 'text'],
  ['killed_best', 'int4'],
  ['wounded_best', 'int4'],
  ['merged_into', 'text'],
  ['pins', 'jsonb'],
] as const;

/** `unnest($1::t1[], $2::t2[], …) AS alias (c1, c2, …)` over parallel arrays, jsonb passed as text. */
function unnest(columns: readonly (readonly [string, string])[], alias: string, from = 1): string {
  const args = columns.map(([, type], n) => `$${from + n}::${type === 'jsonb' ? 'text' : type}[]`).join(', ');
  return `unnest(${args}) AS ${alias} (${columns.map(([name]) => name).join(', ')})`;
}

/** A column's value as `unnest` takes it (jsonb as text, cast back in the statement). */
function select(columns: readonly (readonly [string, string])[], alias: string): string {
  return columns.map(([name, type]) => (type === 'jsonb' ? `${alias}.${name}::jsonb` : `${alias}.${name}`)).join(', ');
}

const INSERT_INCIDENTS = `
  INSERT INTO incidents (${INCIDENT_COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${select(INCIDENT_COLUMNS, 'u')} FROM ${unnest(INCIDENT_COLUMNS, 'u')}`;

const UPDATE_INCIDENTS = `
  UPDATE incidents AS i SET ${INCIDENT_COLUMNS.slice(1)
    .map(([name, type]) => `${name} = u.${name}${type === 'jsonb' ? '::jsonb' : ''}`)
    .join(', ')}
  FROM ${unnest([...INCIDENT_COLUMNS, ['expected', 'int4']], 'u')}
  WHERE i.id = u.id AND i.revision = u.expected`;

const REVISION_COLUMNS = [
  ['incident_id', 'text'],
  ['revision', 'int4'],
  ['at', 'text'],
  ['by', 'text'],
  ['action', 'text'],
  ['before', 'jsonb'],
  ['after', 'jsonb'],
  ['reason', 'text'],
] as const;

const INSERT_REVISIONS = `
  INSERT INTO revisions (${REVISION_COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${select(REVISION_COLUMNS, 'u')} FROM ${unnest(REVISION_COLUMNS, 'u')}`;

const LINK_COLUMNS = [
  ['mention_id', 'text'],
  ['incident_id', 'text'],
  ['score', 'float8'],
  ['explanation', 'jsonb'],
  ['decided_by', 'text'],
] as const;

const UPSERT_LINKS = `
  INSERT INTO links (${LINK_COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${select(LINK_COLUMNS, 'u')} FROM ${unnest(LINK_COLUMNS, 'u')}
  ON CONFLICT (mention_id, incident_id) DO UPDATE SET score = excluded.score, explanation = excluded.explanation, decided_by = excluded.decided_by`;

/** Rows as parallel column arrays, the shape `unnest` takes. */
function columnsOf<Row>(rows: readonly Row[], columns: readonly (readonly [string, string])[], value: (row: Row, column: string) => unknown): unknown[][] {
  return columns.map(([name]) => rows.map((row) => value(row, name)));
}

/** Whether a database error means another writer got there first: a duplicate key, a serialisation failure or a deadlock. */
function lostRace(error: unknown): boolean {
  return error instanceof pg.DatabaseError && (error.code === '23505' || error.code === '40001' || error.code === '40P01');
}

/**
 * Writes a change set in one transaction on `client`. The incidents it updates are locked first,
 * in id order (so two operations on the same incidents queue rather than deadlock), and their
 * revisions checked against those expected before anything is written.
 */
export async function applyPostgresChanges(client: pg.PoolClient, changes: ChangeSet): Promise<void> {
  await client.query('BEGIN');
  try {
    const ids = [...new Set(changes.writes.map((w) => w.incident.id))].sort();
    const locked = await client.query<{ id: string; revision: number }>('SELECT id, revision FROM incidents WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE', [ids]);
    const current = new Map(locked.rows.map((r) => [r.id, r.revision]));
    for (const write of changes.writes) {
      const id = write.incident.id;
      const revision = current.get(id);
      if (write.expectedRevision === null) {
        if (revision !== undefined) throw new VigilError('conflict', `incident ${id} already exists (revision ${revision}); reload and decide again`);
      } else if (revision === undefined) {
        throw new VigilError('not_found', `no incident with id "${id}"`);
      } else if (revision !== write.expectedRevision) {
        throw new VigilError('conflict', `incident ${id} is at revision ${revision}, not ${write.expectedRevision}: it changed since it was read; reload it and decide again`);
      }
    }
    // Every table is written with one statement over arrays, whatever the number of incidents.
    const written = changes.writes.map((w) => ({ write: w, rows: incidentWriteRows(w.incident) }));
    const fresh = written.filter((w) => w.write.expectedRevision === null);
    const updated = written.filter((w) => w.write.expectedRevision !== null);
    const incidentValue = (w: (typeof written)[number], column: string): unknown =>
      column === 'expected' ? w.write.expectedRevision : (w.rows.incident as unknown as Record<string, unknown>)[column];
    if (fresh.length > 0) await client.query(INSERT_INCIDENTS, columnsOf(fresh, INCIDENT_COLUMNS, incidentValue));
    if (updated.length > 0) {
      const result = await client.query(UPDATE_INCIDENTS, columnsOf(updated, [...INCIDENT_COLUMNS, ['expected', 'int4']], incidentValue));
      if (result.rowCount !== updated.length) throw new VigilError('conflict', 'another change to these incidents was written at the same time; reload them and decide again');
    }
    const writtenIds = written.map((w) => w.rows.incident.id);
    await client.query('DELETE FROM incident_mentions WHERE incident_id = ANY ($1::text[])', [writtenIds]);
    await client.query('DELETE FROM incident_related WHERE incident_id = ANY ($1::text[])', [writtenIds]);
    await client.query('DELETE FROM incident_actors WHERE incident_id = ANY ($1::text[])', [writtenIds]);
    const mentions = written.flatMap((w) => w.rows.mentions);
    if (mentions.length > 0) {
      await client.query('INSERT INTO incident_mentions (incident_id, mention_id, ordinal) SELECT * FROM unnest($1::text[], $2::text[], $3::int4[])', [
        mentions.map((r) => r.incident_id),
        mentions.map((r) => r.mention_id),
        mentions.map((r) => r.ordinal),
      ]);
    }
    const related = written.flatMap((w) => w.rows.related);
    if (related.length > 0) {
      await client.query('INSERT INTO incident_related (incident_id, related_id, ordinal) SELECT * FROM unnest($1::text[], $2::text[], $3::int4[])', [
        related.map((r) => r.incident_id),
        related.map((r) => r.related_id),
        related.map((r) => r.ordinal),
      ]);
    }
    const actors = written.flatMap((w) => w.rows.actors);
    if (actors.length > 0) {
      await client.query('INSERT INTO incident_actors (incident_id, actor_id, attribution) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING', [
        actors.map((r) => r.incident_id),
        actors.map((r) => r.actor_id),
        actors.map((r) => r.attribution),
      ]);
    }
    const revisions = changes.writes.map((w) => w.revision);
    await client.query(
      INSERT_REVISIONS,
      columnsOf(revisions, REVISION_COLUMNS, (r, column) => {
        switch (column) {
          case 'incident_id':
            return r.incidentId;
          case 'before':
            return r.before === null ? null : JSON.stringify(r.before);
          case 'after':
            return JSON.stringify(r.after);
          default:
            return (r as unknown as Record<string, unknown>)[column];
        }
      }),
    );
    // One row per mention and incident (the last given wins), as ON CONFLICT needs.
    const links = [...new Map(changes.links.map((l) => [`${l.mentionId}\u0000${l.incidentId}`, l])).values()];
    if (links.length > 0) {
      await client.query(UPSERT_LINKS, [
        links.map((l) => l.mentionId),
        links.map((l) => l.incidentId),
        links.map((l) => l.score),
        links.map((l) => JSON.stringify(l.explanation)),
        links.map((l) => l.decidedBy),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (lostRace(error)) throw new VigilError('conflict', 'another change to these incidents was written at the same time; reload them and decide again', { cause: error });
    throw error;
  }
}
