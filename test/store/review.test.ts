import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../src/core/errors.js';
import { incidentIdFor } from '../../src/core/ids.js';
import { IncidentSchema, RevisionSchema, type Incident } from '../../src/core/model.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { stateAsOf } from '../../src/resolve/incident-state.js';
import {
  editIncident,
  incidentHistory,
  mergeIncidents,
  rejectIncident,
  splitIncident,
  undoRevision,
} from '../../src/store/review.js';
import type { Store } from '../../src/store/store.js';
import { rejectionOf } from '../helpers/promises.js';
import { asInput, fixtureExtractor, LINKING_FIXTURE, type FixtureReport } from '../pipeline/linking-fixtures.js';
import { storeFactories } from './stores.js';

/*
 * Analyst operations as revisions, the same on every store: optimistic concurrency (a stale
 * revision is a conflict and writes nothing), undo restores exactly, merge then split restores,
 * and linking never undoes an analyst's decision.
 */

const byId = (id: string): FixtureReport => LINKING_FIXTURE.find((r) => r.id === id) as FixtureReport;
const extractor = fixtureExtractor(LINKING_FIXTURE);

async function ingest(store: Store, ids: readonly string[], linking = true): Promise<void> {
  const summary = await ingestReports(store, asReadResults(ids.map((id) => asInput(byId(id)))), {
    extractor,
    source: { kind: 'batch', locator: 'review-test', name: 'review test' },
    now: () => new Date('2026-04-01T00:00:00Z'),
    ...(linking ? {} : { linking: false as const }),
  });
  expect(summary.rejected).toEqual([]);
}

/** The incident holding the mention of report `id`. */
async function incidentOf(store: Store, id: string): Promise<Incident> {
  const page = await store.listIncidents({ limit: 1000 });
  for (const incident of page.items) {
    const mentions = await store.getMentions(incident.mentionIds);
    const documents = await store.getDocuments(mentions.map((m) => m.documentId));
    if (documents.some((d) => d.externalId === id)) return incident;
  }
  throw new Error(`no incident holds report ${id}`);
}

async function everything(store: Store, ids: readonly string[]): Promise<unknown> {
  const incidents = await store.getIncidents(ids);
  return { incidents, links: await Promise.all(ids.map((id) => store.getLinks(id))), counts: await store.counts() };
}

describe.each(storeFactories('review'))('analyst operations on the $name store', (factory) => {
  afterEach(() => factory.closeAll());
  afterAll(() => factory.cleanup());

  async function freshStore(): Promise<Store> {
    const store = await factory.create();
    await store.migrate();
    return store;
  }

  it('edits a field with a reason, pins it, and refuses a stale revision with a conflict that writes nothing', async () => {
    const store = await freshStore();
    await ingest(store, ['mogadishu-1']);
    const incident = await incidentOf(store, 'mogadishu-1');
    const result = await editIncident(store, { id: incident.id, revision: incident.revision, field: 'killed', value: { low: 7, best: 9, high: 10 }, by: 'amina', reason: 'hospital toll' });
    const edited = result.incidents[0] as Incident;
    expect(IncidentSchema.parse(edited)).toStrictEqual(edited);
    expect(await store.getIncident(incident.id)).toStrictEqual(edited);
    expect(edited).toMatchObject({ revision: 2, status: 'reviewed', pinnedFields: ['killed'], fields: { killed: { low: 7, best: 9, high: 10 } } });

    const before = await everything(store, [incident.id]);
    const stale = await rejectionOf(editIncident(store, { id: incident.id, revision: 1, field: 'killed', value: null, by: 'omar', reason: 'no toll known' }));
    expect(isVigilError(stale, 'conflict')).toBe(true);
    expect(await everything(store, [incident.id])).toEqual(before);

    const revisions = await store.getRevisions(incident.id);
    expect(revisions.map((r) => RevisionSchema.parse(r))).toStrictEqual(revisions);
    expect(revisions.map((r) => [r.revision, r.action, r.by, r.reason])).toEqual([
      [1, 'create', 'system:ingest', expect.any(String)],
      [2, 'edit', 'amina', 'hospital toll'],
    ]);
  });

  it('lets exactly one of two analysts who saw the same revision write; the other gets a conflict', async () => {
    const store = await freshStore();
    await ingest(store, ['judge-1']);
    const incident = await incidentOf(store, 'judge-1');
    const outcomes = await Promise.allSettled([
      editIncident(store, { id: incident.id, revision: incident.revision, field: 'killed', value: { low: 1, best: 1, high: 2 }, by: 'amina', reason: 'a guard too?' }),
      rejectIncident(store, { id: incident.id, revision: incident.revision, by: 'omar', reason: 'criminal, not political' }),
    ]);
    const [edit, reject] = outcomes;
    const written = [edit, reject].filter((o) => o?.status === 'fulfilled');
    const refused = [edit, reject].filter((o) => o?.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as unknown);
    expect(written).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(isVigilError(refused[0], 'conflict')).toBe(true);
    expect((await store.getIncident(incident.id))?.revision).toBe(incident.revision + 1);
    expect(await store.getRevisions(incident.id)).toHaveLength(incident.revision + 1);
  });

  it('refuses bad edits with the field named: an unknown field, a value of the wrong shape, no reason', async () => {
    const store = await freshStore();
    await ingest(store, ['lyon-1']);
    const incident = await incidentOf(store, 'lyon-1');
    const base = { id: incident.id, revision: incident.revision, by: 'amina', reason: 'fix' };
    const unknown = await rejectionOf(editIncident(store, { ...base, field: 'colour', value: 'red' }));
    expect(unknown).toMatchObject({ code: 'bad_input', location: { field: 'field' } });
    const shape = await rejectionOf(editIncident(store, { ...base, field: 'killed', value: { low: 5, best: 2, high: 1 } }));
    expect(shape).toMatchObject({ code: 'bad_input', location: { field: 'killed' } });
    const noReason = await rejectionOf(editIncident(store, { ...base, field: 'suicide', value: true, reason: ' ' }));
    expect(noReason).toMatchObject({ code: 'bad_input', location: { field: 'reason' } });
    expect(await store.getIncident(incident.id)).toStrictEqual(incident);
  });

  it('undoes a reject exactly, and an undo of that undo does the reject again; a creation cannot be undone', async () => {
    const store = await freshStore();
    await ingest(store, ['lakki-1', 'lakki-2']);
    const original = await incidentOf(store, 'lakki-1');
    const edited = (await editIncident(store, { id: original.id, revision: original.revision, field: 'title', value: 'Police van bombed near Lakki Marwat', by: 'amina', reason: 'clearer title' })).incidents[0] as Incident;
    expect(edited).toMatchObject({ status: 'reviewed', pinnedFields: ['title'], fields: { title: 'Police van bombed near Lakki Marwat' } });
    const rejected = (await rejectIncident(store, { id: original.id, revision: edited.revision, by: 'omar', reason: 'duplicate of a wire we do not track' })).incidents[0] as Incident;
    expect(rejected.status).toBe('rejected');

    const staleUndo = await rejectionOf(undoRevision(store, { id: original.id, revision: edited.revision, by: 'amina' }));
    expect(isVigilError(staleUndo, 'conflict')).toBe(true);

    const strip = (i: Incident) => ({ ...i, revision: 0, updatedAt: '' });
    const undone = (await undoRevision(store, { id: original.id, revision: rejected.revision, by: 'amina', reason: 'it is one we track' })).incidents[0] as Incident;
    expect(strip(undone)).toStrictEqual(strip(edited));
    expect(await store.getIncident(original.id)).toStrictEqual(undone);
    const redone = (await undoRevision(store, { id: original.id, revision: undone.revision, by: 'amina' })).incidents[0] as Incident;
    expect(strip(redone)).toStrictEqual(strip(rejected));
    expect((await store.getRevisions(original.id)).map((r) => r.action)).toEqual(['create', 'link', 'edit', 'reject', 'undo', 'undo']);

    await ingest(store, ['lyon-1']);
    const fresh = await incidentOf(store, 'lyon-1');
    const creation = await rejectionOf(undoRevision(store, { id: fresh.id, revision: fresh.revision, by: 'amina' }));
    expect(creation).toMatchObject({ code: 'bad_input' });
    expect(await store.getIncident(fresh.id)).toStrictEqual(fresh);
  });

  it('undoes a machine link: the report gets its own incident back', async () => {
    const store = await freshStore();
    await ingest(store, ['mogadishu-1', 'mogadishu-2']);
    const incident = await incidentOf(store, 'mogadishu-1');
    expect(incident.mentionIds).toHaveLength(2);
    const result = await undoRevision(store, { id: incident.id, revision: incident.revision, by: 'amina', reason: 'two blasts' });
    const [first, second] = await Promise.all([incidentOf(store, 'mogadishu-1'), incidentOf(store, 'mogadishu-2')]);
    expect(first.id).not.toBe(second.id);
    expect(first.mentionIds).toHaveLength(1);
    expect(second.mentionIds).toHaveLength(1);
    expect(result.revisions.every((r) => r.action === 'undo' && r.by === 'amina')).toBe(true);
  });

  it('merges incidents (the absorbed one kept as merged into the survivor), undoes the merge exactly, and merge then split restores', async () => {
    const store = await freshStore();
    await ingest(store, ['kabul-1', 'kabul-2'], false);
    const a = await incidentOf(store, 'kabul-1');
    const b = await incidentOf(store, 'kabul-2');
    expect(a.id).not.toBe(b.id);
    const before = await everything(store, [a.id, b.id]);

    const merged = await mergeIncidents(store, { survivor: { id: a.id, revision: a.revision }, absorbed: [{ id: b.id, revision: b.revision }], by: 'amina', reason: 'the same bombing' });
    const survivor = merged.incidents[0] as Incident;
    expect(survivor.mentionIds).toEqual([...a.mentionIds, ...b.mentionIds]);
    expect(survivor.fields.killed).toEqual({ low: 12, best: 12, high: 14 });
    expect(survivor.fields.figures?.filter((f) => f.field === 'killed').map((f) => f.best).sort()).toEqual([12, 14]);
    const absorbed = (await store.getIncident(b.id)) as Incident;
    expect(absorbed).toMatchObject({ mergedInto: a.id, mentionIds: [] });
    expect((await store.listIncidents({ limit: 100 })).items.map((i) => i.id)).toEqual([a.id]);
    expect(await store.incidentsOfMentions(b.mentionIds)).toEqual(new Map(b.mentionIds.map((m) => [m, a.id])));
    expect((await store.getLinks(a.id)).map((l) => l.decidedBy).sort()).toEqual(['amina', 'system:ingest']);
    expect((await store.getMergedInto(a.id)).map((i) => i.id)).toEqual([b.id]);

    const staleSplit = await rejectionOf(splitIncident(store, { id: a.id, revision: a.revision, mentionIds: b.mentionIds, by: 'omar' }));
    expect(isVigilError(staleSplit, 'conflict')).toBe(true);

    await undoRevision(store, { id: b.id, revision: absorbed.revision, by: 'omar', reason: 'not sure yet' });
    const undone = (await everything(store, [a.id, b.id])) as { incidents: Incident[] };
    const strip = (i: Incident) => ({ ...i, revision: 0, updatedAt: '' });
    expect(undone.incidents.map(strip)).toStrictEqual((before as { incidents: Incident[] }).incidents.map(strip));
    expect((await store.getLinks(a.id)).map((l) => l.decidedBy)).toEqual(['system:ingest']);

    const again = await mergeIncidents(store, { survivor: { id: a.id, revision: a.revision + 2 }, absorbed: [{ id: b.id, revision: b.revision + 2 }], by: 'amina', reason: 'yes, the same' });
    const split = await splitIncident(store, { id: a.id, revision: (again.incidents[0] as Incident).revision, mentionIds: b.mentionIds, by: 'omar', reason: 'two mosques' });
    expect(split.incidents.map((i) => i.id)).toEqual([a.id, b.id]);
    const [sa, sb] = split.incidents as [Incident, Incident];
    expect({ mentionIds: sa.mentionIds, fields: sa.fields }).toEqual({ mentionIds: a.mentionIds, fields: a.fields });
    expect({ mentionIds: sb.mentionIds, fields: sb.fields, mergedInto: sb.mergedInto }).toEqual({ mentionIds: b.mentionIds, fields: b.fields, mergedInto: undefined });
    expect(sa.apartFrom).toEqual([b.id]);
    expect(sb.apartFrom).toEqual([a.id]);
  });

  it('splits mentions off an incident and undoes the split exactly', async () => {
    const store = await freshStore();
    await ingest(store, ['awasse-1', 'awasse-2', 'awasse-3']);
    const incident = await incidentOf(store, 'awasse-1');
    expect(incident.mentionIds).toHaveLength(3);
    const moved = incident.mentionIds.slice(2);
    const split = await splitIncident(store, { id: incident.id, revision: incident.revision, mentionIds: moved, by: 'amina', reason: 'another village' });
    const [rest, created] = split.incidents as [Incident, Incident];
    expect(rest.mentionIds).toEqual(incident.mentionIds.slice(0, 2));
    // The report's own incident, folded in by linking, comes back.
    expect(created).toMatchObject({ id: incidentIdFor(moved[0] as string), mentionIds: moved, apartFrom: [incident.id] });
    expect(created.mergedInto).toBeUndefined();
    expect(await rejectionOf(splitIncident(store, { id: rest.id, revision: rest.revision, mentionIds: rest.mentionIds, by: 'amina' }))).toMatchObject({ code: 'bad_input', location: { field: 'mentionIds' } });

    const undone = await undoRevision(store, { id: created.id, revision: created.revision, by: 'omar', reason: 'same village after all' });
    const restored = undone.incidents.find((i) => i.id === incident.id) as Incident;
    expect({ ...restored, revision: 0, updatedAt: '' }).toStrictEqual({ ...incident, revision: 0, updatedAt: '' });
    expect(await store.getIncident(created.id)).toMatchObject({ mentionIds: [], mergedInto: incident.id });
    const split2 = await splitIncident(store, { id: incident.id, revision: restored.revision, mentionIds: incident.mentionIds.slice(0, 2), by: 'amina', reason: 'first two apart' });
    const made = split2.incidents[1] as Incident;
    expect(made).toMatchObject({ mentionIds: incident.mentionIds.slice(0, 2), revision: 1, status: 'reviewed', apartFrom: [incident.id] });
    await undoRevision(store, { id: made.id, revision: made.revision, by: 'amina' });
    expect(await store.getIncident(made.id)).toMatchObject({ mentionIds: [], mergedInto: incident.id, revision: 2 });
    expect((await store.counts()).incidents).toBe(1);
  });

  it('never lets linking undo an analyst: a split pair stays apart, an edited field keeps its value, a rejected incident stays rejected', async () => {
    const store = await freshStore();
    await ingest(store, ['dikwa-1', 'dikwa-2']);
    const incident = await incidentOf(store, 'dikwa-1');
    const [keep, move] = incident.mentionIds as [string, string];
    const split = await splitIncident(store, { id: incident.id, revision: incident.revision, mentionIds: [move], by: 'amina', reason: 'two raids' });
    const [left, right] = split.incidents as [Incident, Incident];
    const edited = (await editIncident(store, { id: left.id, revision: left.revision, field: 'killed', value: { low: 9, best: 10, high: 11 }, by: 'amina', reason: 'army figure' })).incidents[0] as Incident;
    const rejected = (await rejectIncident(store, { id: right.id, revision: right.revision, by: 'amina', reason: 'a rumour' })).incidents[0] as Incident;

    // The group's claim of the same attack arrives: it joins one of them, never both.
    await ingest(store, ['dikwa-3']);
    const after = await store.getIncidents([left.id, right.id]);
    const [l, r] = after as [Incident, Incident];
    expect(l.mentionIds.includes(keep) && !l.mentionIds.includes(move)).toBe(true);
    expect(r.mentionIds.includes(move) && !r.mentionIds.includes(keep)).toBe(true);
    expect(l.mentionIds.length + r.mentionIds.length).toBe(3);
    expect(l.fields.killed).toEqual(edited.fields.killed);
    expect(l.pinnedFields).toEqual(['killed']);
    expect(r.status).toBe(rejected.status);
    expect(l.apartFrom).toEqual([right.id]);
  });

  it('tells the history: who, when, why, what changed, and which other incidents the operation changed; past states can be read back', async () => {
    const store = await freshStore();
    await ingest(store, ['djibo-1', 'djibo-2'], false);
    const a = await incidentOf(store, 'djibo-1');
    const b = await incidentOf(store, 'djibo-2');
    await mergeIncidents(store, { survivor: { id: a.id, revision: a.revision }, absorbed: [{ id: b.id, revision: b.revision }], by: 'amina', reason: 'one raid', at: '2026-04-02T10:00:00.000Z' });
    await editIncident(store, { id: a.id, revision: 2, field: 'killed', value: { low: 40, best: 45, high: 50 }, by: 'omar', reason: 'ministry', at: '2026-04-03T10:00:00.000Z' });
    const history = await incidentHistory(store, a.id);
    expect(history.map((h) => [h.revision, h.action, h.by, h.reason])).toEqual([
      [1, 'create', 'system:ingest', expect.any(String)],
      [2, 'merge', 'amina', 'one raid'],
      [3, 'edit', 'omar', 'ministry'],
    ]);
    expect(history[1]?.alsoChanged).toEqual([b.id]);
    expect(history[1]?.changed).toEqual(expect.arrayContaining(['status', 'mentionIds', 'fields.killed']));
    expect(history[2]?.changes).toEqual([
      { key: 'pinnedFields', before: [], after: ['killed'] },
      { key: 'fields.killed', before: { low: 40, best: 40, high: 45 }, after: { low: 40, best: 45, high: 50 } },
    ]);
    const revisions = await store.getRevisions(a.id);
    expect(stateAsOf(revisions, '2026-04-02T12:00:00.000Z')?.fields.killed).toEqual({ low: 40, best: 40, high: 45 });
    expect(stateAsOf(revisions, '2026-04-01T00:00:00.000Z')?.mentionIds).toEqual(a.mentionIds);
    expect(stateAsOf(revisions, '2026-03-01T00:00:00.000Z')).toBeNull();
    expect(await rejectionOf(incidentHistory(store, 'i_missing'))).toMatchObject({ code: 'not_found' });
  });
});
