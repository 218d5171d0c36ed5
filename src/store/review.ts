import { VigilError } from '../core/errors.js';
import { incidentIdFor } from '../core/ids.js';
import type { Incident, Revision } from '../core/model.js';
import { changedKeys, isLive, operationOf, stateAfter, stateBefore, stateOf, type IncidentState } from '../resolve/incident-state.js';
import type { ReportOf } from '../resolve/reconcile.js';
import {
  changeSet,
  expectRevision,
  newIncidentId,
  planEdit,
  planMerge,
  planReject,
  planSplit,
  planUndo,
  type ChangeSet,
  type Decision,
  type ReportLookup,
  type SplitTarget,
  type UndoParticipant,
} from '../resolve/review.js';
import type { Store } from './store.js';

/*
 * Analyst operations on a store, the same for SQLite and PostgreSQL: read the incidents, plan the
 * change (src/resolve/review.ts), write it with `Store.applyChanges`, which refuses it as a
 * conflict when any incident moved on since the analyst read it.
 */

/** Who acts and why; `at` defaults to now. */
export interface Actor {
  by: string;
  reason?: string | null;
  at?: string;
}

/** What an operation did: the incidents it wrote, as they are now, and their new revisions. */
export interface ReviewResult {
  incidents: Incident[];
  revisions: Revision[];
}

/** The reports of mentions (mention, document source and kind, publication time), read from the store. */
export async function reportLookup(store: Store, mentionIds: readonly string[]): Promise<ReportLookup> {
  const mentions = await store.getMentions(mentionIds);
  const documents = await store.getDocuments([...new Set(mentions.map((m) => m.documentId))]);
  const byId = new Map(documents.map((d) => [d.id, d]));
  const reports = new Map<string, ReportOf>();
  for (const mention of mentions) {
    const document = byId.get(mention.documentId);
    reports.set(mention.id, { mention, sourceId: document?.sourceId ?? null, documentKind: document?.kind ?? null, reportedAt: document?.publishedAt ?? null });
  }
  return (ids) =>
    ids.flatMap((id) => {
      const report = reports.get(id);
      return report === undefined ? [] : [report];
    });
}

function decision(actor: Actor): Decision {
  const by = actor.by.trim();
  if (by === '') throw new VigilError('bad_input', 'who acts must be named', { location: { field: 'by' } });
  const reason = actor.reason == null || actor.reason.trim() === '' ? null : actor.reason.trim();
  return { by, at: actor.at ?? new Date().toISOString(), reason };
}

async function mustGet(store: Store, id: string): Promise<Incident> {
  const incident = await store.getIncident(id);
  if (incident === null) throw new VigilError('not_found', `no incident with id "${id}"`);
  return incident;
}

async function apply(store: Store, changes: ChangeSet): Promise<ReviewResult> {
  await store.applyChanges(changes);
  return { incidents: changes.writes.map((w) => w.incident), revisions: changes.writes.map((w) => w.revision) };
}

/** An incident id and the revision the analyst saw. */
export interface Expected {
  id: string;
  revision: number;
}

/** Merges `absorbed` into `survivor` (see `planMerge`). */
export async function mergeIncidents(store: Store, input: { survivor: Expected; absorbed: readonly Expected[] } & Actor): Promise<ReviewResult> {
  const survivor = await mustGet(store, input.survivor.id);
  expectRevision(survivor, input.survivor.revision);
  const absorbed: Incident[] = [];
  for (const expected of input.absorbed) {
    const incident = await mustGet(store, expected.id);
    expectRevision(incident, expected.revision);
    absorbed.push(incident);
  }
  const reports = await reportLookup(store, [...survivor.mentionIds, ...absorbed.flatMap((i) => i.mentionIds)]);
  return apply(store, planMerge(survivor, absorbed, reports, decision(input)));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
}

/**
 * Where split-off mentions go: an incident merged into this one whose mentions were exactly these
 * before the merge comes back (so a merge then a split restores both), else a new incident.
 */
async function splitTarget(store: Store, source: Incident, moved: readonly string[]): Promise<SplitTarget> {
  for (const candidate of await store.getMergedInto(source.id)) {
    const revisions = await store.getRevisions(candidate.id);
    const last = revisions[revisions.length - 1];
    const before = last === undefined ? null : stateBefore(last);
    const after = last === undefined ? null : stateAfter(last);
    if (before !== null && after?.mergedInto === source.id && before.mergedInto === null && sameSet(before.mentionIds, moved)) {
      return { revive: candidate, state: before };
    }
  }
  const own = incidentIdFor([...moved].sort()[0] ?? '');
  const taken = (await store.getIncident(own)) !== null;
  return { newId: newIncidentId(moved, (id) => id === own && taken, `${source.id}@${source.revision}`) };
}

/** Splits `mentionIds` off an incident (see `planSplit`). */
export async function splitIncident(store: Store, input: Expected & { mentionIds: readonly string[] } & Actor): Promise<ReviewResult> {
  const source = await mustGet(store, input.id);
  expectRevision(source, input.revision);
  const target = await splitTarget(store, source, input.mentionIds);
  const reports = await reportLookup(store, source.mentionIds);
  return apply(store, planSplit(source, input.mentionIds, target, reports, decision(input)));
}

/** Sets one field by hand and pins it (see `planEdit`). */
export async function editIncident(store: Store, input: Expected & { field: string; value: unknown } & Actor): Promise<ReviewResult> {
  const incident = await mustGet(store, input.id);
  expectRevision(incident, input.revision);
  return apply(store, planEdit(incident, input.field, input.value, decision(input)));
}

/**
 * Accepting: the analyst agrees with the machine's incident as it is. Only its status changes
 * (machine → reviewed); no field is pinned, so later reports still reconcile its fields. One
 * revision with action `accept`, undone like any other. An incident already reviewed, rejected
 * (undo the rejection instead) or merged into another is refused.
 */
export function planAccept(incident: Incident, decided: Decision): ChangeSet {
  if (!isLive(incident)) throw new VigilError('bad_input', `incident ${incident.id} was merged into ${incident.mergedInto}; work on that one`, { location: { field: 'id' } });
  if (incident.status !== 'machine') {
    const why = incident.status === 'rejected' ? 'is rejected; undo the rejection instead' : 'is already reviewed';
    throw new VigilError('bad_input', `incident ${incident.id} ${why}`, { location: { field: 'status' } });
  }
  return changeSet('accept', decided, [{ id: incident.id, prev: incident, next: { ...stateOf(incident), status: 'reviewed' } }], []);
}

/** Accepts an incident as the machine made it (see `planAccept`). */
export async function acceptIncident(store: Store, input: Expected & Actor): Promise<ReviewResult> {
  const incident = await mustGet(store, input.id);
  expectRevision(incident, input.revision);
  return apply(store, planAccept(incident, decision(input)));
}

/** Rejects an incident (see `planReject`). */
export async function rejectIncident(store: Store, input: Expected & Actor): Promise<ReviewResult> {
  const incident = await mustGet(store, input.id);
  expectRevision(incident, input.revision);
  return apply(store, planReject(incident, decision(input)));
}

/**
 * Undoes the latest revision of an incident, and with it the whole operation it was part of (a
 * merge undoes on the survivor and the absorbed incidents together); see `planUndo`.
 * `revision` is the revision the analyst saw, which must be the latest.
 */
export async function undoRevision(store: Store, input: Expected & Actor): Promise<ReviewResult> {
  const target = await mustGet(store, input.id);
  expectRevision(target, input.revision);
  const revisions = await store.getRevisions(target.id);
  const latest = revisions[revisions.length - 1];
  if (latest === undefined || latest.revision !== target.revision) throw new VigilError('store', `incident ${target.id} has no revision ${target.revision}`);
  const operation = operationOf(latest);
  const participants: UndoParticipant[] = [];
  for (const ref of operation?.incidents ?? [{ incidentId: target.id, revision: latest.revision }]) {
    const incident = ref.incidentId === target.id ? target : await mustGet(store, ref.incidentId);
    const revision = ref.incidentId === target.id ? latest : (await store.getRevisions(ref.incidentId)).find((r) => r.revision === ref.revision);
    if (revision === undefined) throw new VigilError('store', `incident ${ref.incidentId} has no revision ${ref.revision}`);
    participants.push({ incident, revision });
  }
  const mentionIds = [...new Set(participants.flatMap((p) => p.incident.mentionIds))];
  const own = mentionIds.map((m) => incidentIdFor(m));
  const existing = new Set((await store.getIncidents(own)).map((i) => i.id));
  const reports = await reportLookup(store, mentionIds);
  const freshId = (mentionId: string): string => newIncidentId([mentionId], (id) => existing.has(id), `undo:${target.id}@${target.revision}`);
  return apply(store, planUndo(target, latest, participants, freshId, reports, decision(input)));
}

/** One entry of an incident's history: who, when, why, and what changed. */
export interface HistoryEntry {
  revision: number;
  at: string;
  by: string;
  action: Revision['action'];
  reason: string | null;
  /** What changed: `status`, `mentionIds`, `fields.killed`, … */
  changed: string[];
  /** The values before and after of what changed (`fields.killed` → the two ranges). */
  changes: { key: string; before: unknown; after: unknown }[];
  /** The other incidents the same operation changed (a merge's survivor and absorbed ones, a split's pair). */
  alsoChanged: string[];
  /** For an undo: the revision it undid. */
  undoes: { incidentId: string; revision: number } | null;
}

function valueAt(state: IncidentState | null, key: string): unknown {
  if (state === null) return null;
  if (key.startsWith('fields.')) return (state.fields as Record<string, unknown>)[key.slice('fields.'.length)] ?? null;
  return (state as unknown as Record<string, unknown>)[key] ?? null;
}

/** The history of an incident, oldest first (404 when there is no such incident). */
export async function incidentHistory(store: Store, id: string): Promise<HistoryEntry[]> {
  await mustGet(store, id);
  const revisions = await store.getRevisions(id);
  let previous: IncidentState | null = null;
  return revisions.map((revision) => {
    const before = stateBefore(revision) ?? previous;
    const after = stateAfter(revision);
    const stored = revision.after.changed;
    const changed = Array.isArray(stored) ? (stored as string[]) : after === null ? [] : changedKeys(before, after);
    previous = after ?? previous;
    const operation = operationOf(revision);
    const undoes = revision.after.undoes as HistoryEntry['undoes'] | undefined;
    return {
      revision: revision.revision,
      at: revision.at,
      by: revision.by,
      action: revision.action,
      reason: revision.reason,
      changed,
      changes: changed.map((key) => ({ key, before: valueAt(before, key), after: valueAt(after, key) })),
      alsoChanged: (operation?.incidents ?? []).map((i) => i.incidentId).filter((other) => other !== id),
      undoes: undoes ?? null,
    };
  });
}
