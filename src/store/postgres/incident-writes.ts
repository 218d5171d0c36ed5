import pg from 'pg';
import { VigilError } from '../../core/errors.js';
import type { ChangeSet } from '../../resolve/review.js';
import { incidentWriteRows } from '../rows.js';

const INSERT_INCIDENT = `
  INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end,
                         country, admin1, lat, lon, place_precision, killed_best, wounded_best, merged_into, pins)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`;

const UPDATE_INCIDENT = `
  UPDATE incidents SET status = $2, revision = $3, created_at = $4, updated_at = $5, fields = $6, title = $7,
    date_start = $8, date_end = $9, country = $10, admin1 = $11, lat = $12, lon = $13, place_precision = $14,
    killed_best = $15, wounded_best = $16, merged_into = $17, pins = $18
  WHERE id = $1 AND revision = $19`;

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
    for (const write of changes.writes) {
      const rows = incidentWriteRows(write.incident);
      const r = rows.incident;
      const values = [r.id, r.status, r.revision, r.created_at, r.updated_at, r.fields, r.title, r.date_start, r.date_end, r.country, r.admin1, r.lat, r.lon, r.place_precision, r.killed_best, r.wounded_best, r.merged_into, r.pins];
      if (write.expectedRevision === null) await client.query(INSERT_INCIDENT, values);
      else await client.query(UPDATE_INCIDENT, [...values, write.expectedRevision]);
      await client.query('DELETE FROM incident_mentions WHERE incident_id = $1', [r.id]);
      await client.query('DELETE FROM incident_related WHERE incident_id = $1', [r.id]);
      await client.query('DELETE FROM incident_actors WHERE incident_id = $1', [r.id]);
      if (rows.mentions.length > 0) {
        await client.query(
          'INSERT INTO incident_mentions (incident_id, mention_id, ordinal) SELECT $1, m, o::int - 1 FROM unnest($2::text[]) WITH ORDINALITY AS t (m, o)',
          [r.id, rows.mentions.map((m) => m.mention_id)],
        );
      }
      if (rows.related.length > 0) {
        await client.query(
          'INSERT INTO incident_related (incident_id, related_id, ordinal) SELECT $1, x, o::int - 1 FROM unnest($2::text[]) WITH ORDINALITY AS t (x, o)',
          [r.id, rows.related.map((x) => x.related_id)],
        );
      }
      for (const actor of rows.actors) {
        await client.query('INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [r.id, actor.actor_id, actor.attribution]);
      }
      const rev = write.revision;
      await client.query(
        `INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [rev.incidentId, rev.revision, rev.at, rev.by, rev.action, rev.before === null ? null : JSON.stringify(rev.before), JSON.stringify(rev.after), rev.reason],
      );
    }
    for (const link of changes.links) {
      await client.query(
        `INSERT INTO links (mention_id, incident_id, score, explanation, decided_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (mention_id, incident_id) DO UPDATE SET score = excluded.score, explanation = excluded.explanation, decided_by = excluded.decided_by`,
        [link.mentionId, link.incidentId, link.score, JSON.stringify(link.explanation), link.decidedBy],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (lostRace(error)) throw new VigilError('conflict', 'another change to these incidents was written at the same time; reload them and decide again', { cause: error });
    throw error;
  }
}
