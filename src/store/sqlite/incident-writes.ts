import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { ChangeSet } from '../../resolve/review.js';
import { incidentWriteRows, revisionRow } from '../rows.js';

const SQL = {
  revisionOf: 'SELECT revision FROM incidents WHERE id = ?',
  insertIncident: `
    INSERT INTO incidents (id, status, revision, created_at, updated_at, fields, title, date_start, date_end,
                           country, admin1, lat, lon, place_precision, killed_best, wounded_best, merged_into, pins)
    VALUES (@id, @status, @revision, @created_at, @updated_at, @fields, @title, @date_start, @date_end,
            @country, @admin1, @lat, @lon, @place_precision, @killed_best, @wounded_best, @merged_into, @pins)`,
  updateIncident: `
    UPDATE incidents SET status = @status, revision = @revision, updated_at = @updated_at, fields = @fields,
      title = @title, date_start = @date_start, date_end = @date_end, country = @country, admin1 = @admin1,
      lat = @lat, lon = @lon, place_precision = @place_precision, killed_best = @killed_best,
      wounded_best = @wounded_best, merged_into = @merged_into, pins = @pins
    WHERE id = @id AND revision = @expected`,
  deleteMentions: 'DELETE FROM incident_mentions WHERE incident_id = ?',
  deleteRelated: 'DELETE FROM incident_related WHERE incident_id = ?',
  deleteActors: 'DELETE FROM incident_actors WHERE incident_id = ?',
  insertMention: 'INSERT INTO incident_mentions (incident_id, mention_id, ordinal) VALUES (@incident_id, @mention_id, @ordinal)',
  insertRelated: 'INSERT INTO incident_related (incident_id, related_id, ordinal) VALUES (@incident_id, @related_id, @ordinal)',
  insertActor: 'INSERT INTO incident_actors (incident_id, actor_id, attribution) VALUES (@incident_id, @actor_id, @attribution) ON CONFLICT DO NOTHING',
  insertRevision: `
    INSERT INTO revisions (incident_id, revision, at, by, action, before, after, reason)
    VALUES (@incident_id, @revision, @at, @by, @action, @before, @after, @reason)`,
  upsertLink: `
    INSERT INTO links (mention_id, incident_id, score, explanation, decided_by)
    VALUES (@mention_id, @incident_id, @score, @explanation, @decided_by)
    ON CONFLICT (mention_id, incident_id) DO UPDATE SET score = excluded.score, explanation = excluded.explanation, decided_by = excluded.decided_by`,
} as const;

/**
 * Writes a change set in one IMMEDIATE transaction (the write lock is taken first, so the revision
 * checks and the writes see the same database): every incident's stored revision is checked
 * against the one expected before anything is written.
 */
export function applySqliteChanges(db: Database.Database, changes: ChangeSet, statement: (sql: string) => Database.Statement): void {
  const run = db.transaction(() => {
    for (const write of changes.writes) {
      const id = write.incident.id;
      const current = statement(SQL.revisionOf).get(id) as { revision: number } | undefined;
      if (write.expectedRevision === null) {
        if (current !== undefined) throw new VigilError('conflict', `incident ${id} already exists (revision ${current.revision}); reload and decide again`);
      } else if (current === undefined) {
        throw new VigilError('not_found', `no incident with id "${id}"`);
      } else if (current.revision !== write.expectedRevision) {
        throw new VigilError('conflict', `incident ${id} is at revision ${current.revision}, not ${write.expectedRevision}: it changed since it was read; reload it and decide again`);
      }
    }
    for (const write of changes.writes) {
      const rows = incidentWriteRows(write.incident);
      const id = write.incident.id;
      if (write.expectedRevision === null) statement(SQL.insertIncident).run(rows.incident);
      else statement(SQL.updateIncident).run({ ...rows.incident, expected: write.expectedRevision });
      statement(SQL.deleteMentions).run(id);
      statement(SQL.deleteRelated).run(id);
      statement(SQL.deleteActors).run(id);
      for (const row of rows.mentions) statement(SQL.insertMention).run(row);
      for (const row of rows.related) statement(SQL.insertRelated).run(row);
      for (const row of rows.actors) statement(SQL.insertActor).run(row);
      statement(SQL.insertRevision).run(revisionRow(write.revision));
    }
    for (const link of changes.links) {
      statement(SQL.upsertLink).run({
        mention_id: link.mentionId,
        incident_id: link.incidentId,
        score: link.score,
        explanation: JSON.stringify(link.explanation),
        decided_by: link.decidedBy,
      });
    }
  });
  run.immediate();
}
