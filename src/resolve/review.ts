import { VigilError } from '../core/errors.js';
import { incidentIdFor, sha256 } from '../core/ids.js';
import type { Incident, IncidentFields, Link, Revision, RevisionAction } from '../core/model.js';
import { IncidentFieldsSchema } from '../core/model.js';
import { incidentTitle } from './incident-fields.js';
import {
  changedKeys,
  incidentWithState,
  isLive,
  operationOf,
  stateBefore,
  stateOf,
  type IncidentState,
  type OperationRef,
  type RevisionAfter,
} from './incident-state.js';
import { EDITABLE_FIELDS, reconcileFields, withPins, type ReportOf } from './reconcile.js';

/*
 * Analyst operations (merge, split, edit, reject, undo) and machine linking as pure functions: from
 * the incidents as they are, the new state of every incident the operation touches, each with the
 * revision it expects to replace (optimistic concurrency) and the revision that records it.
 */

/** Who decides, when and why. `by` is a user name or `system:<component>`. */
export interface Decision {
  by: string;
  at: string;
  reason: string | null;
}

/** One incident written by an operation: its new state and the revision the store must still hold. */
export interface IncidentWrite {
  incident: Incident;
  /** The revision the stored incident must have, or null for an incident that must not exist yet. */
  expectedRevision: number | null;
  revision: Revision;
}

/** Everything one operation writes, all or nothing. */
export interface ChangeSet {
  writes: IncidentWrite[];
  /** Links to add (or replace, for the same mention and incident). */
  links: Link[];
}

/** The reports of mentions, by mention id: what reconciliation needs. */
export type ReportLookup = (mentionIds: readonly string[]) => ReportOf[];

function badInput(message: string, field?: string): VigilError {
  return new VigilError('bad_input', message, field === undefined ? {} : { location: { field } });
}

function conflict(message: string): VigilError {
  return new VigilError('conflict', message);
}

/** Checks that an incident is at the revision the caller saw; a stale one is a conflict (HTTP 409). */
export function expectRevision(incident: Incident, expected: number): void {
  if (incident.revision !== expected) {
    throw conflict(`incident ${incident.id} is at revision ${incident.revision}, not ${expected}: it changed since it was read; reload it and decide again`);
  }
}

function liveOrFail(incident: Incident): void {
  if (!isLive(incident)) throw badInput(`incident ${incident.id} was merged into ${incident.mergedInto}; work on that one`);
}

function reviewedStatus(status: Incident['status']): Incident['status'] {
  return status === 'rejected' ? 'rejected' : 'reviewed';
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** The fields of an incident reconciled from its mentions, with its pinned fields kept. */
export function fieldsFor(mentionIds: readonly string[], reports: ReportLookup, current: IncidentFields, pinned: readonly string[]): IncidentFields {
  const found = reports(mentionIds);
  if (found.length !== mentionIds.length) {
    const have = new Set(found.map((r) => r.mention.id));
    throw new VigilError('store', `mention ${mentionIds.find((id) => !have.has(id))} is not stored`);
  }
  return withPins(reconcileFields(found), current, pinned);
}

interface Step {
  id: string;
  prev: Incident | null;
  next: IncidentState;
}

/** Builds the change set of an operation: one revision per incident, all sharing one operation id. */
export function changeSet(action: RevisionAction, decision: Decision, steps: readonly Step[], links: Link[], undoes?: { incidentId: string; revision: number }): ChangeSet {
  const numbered = steps.map((s) => ({ ...s, revision: s.prev === null ? 1 : s.prev.revision + 1 }));
  const operation: OperationRef = {
    id: `op_${sha256(JSON.stringify([action, decision.at, decision.by, numbered.map((s) => [s.id, s.revision])])).slice(0, 20)}`,
    action,
    incidents: numbered.map((s) => ({ incidentId: s.id, revision: s.revision })),
  };
  const writes = numbered.map((s): IncidentWrite => {
    const after: RevisionAfter = { state: s.next, changed: changedKeys(s.prev === null ? null : stateOf(s.prev), s.next), operation };
    if (undoes !== undefined) after.undoes = undoes;
    return {
      incident: incidentWithState({ id: s.id, createdAt: s.prev?.createdAt ?? decision.at }, s.next, s.revision, decision.at),
      expectedRevision: s.prev === null ? null : s.prev.revision,
      revision: {
        incidentId: s.id,
        revision: s.revision,
        at: decision.at,
        by: decision.by,
        action,
        before: s.prev === null ? null : { state: stateOf(s.prev) },
        after: after as unknown as Record<string, unknown>,
        reason: decision.reason,
      },
    };
  });
  return { writes, links };
}

function requireReason(decision: Decision): void {
  if (decision.reason === null || decision.reason.trim() === '') throw badInput('a reason is required: say why, for the history', 'reason');
}

/**
 * Merges incidents into a survivor: their mentions move into it and it is reconciled again (its
 * pinned fields kept, and the pins of the absorbed ones where it has none); each absorbed incident
 * is kept, empty, as merged into the survivor. The moved mentions' links are the analyst's, which
 * pins them (must-link).
 */
export function planMerge(survivor: Incident, absorbed: readonly Incident[], reports: ReportLookup, decision: Decision): ChangeSet {
  liveOrFail(survivor);
  if (absorbed.length === 0) throw badInput('name at least one incident to merge into the survivor', 'absorbed');
  const ids = new Set<string>();
  for (const other of absorbed) {
    liveOrFail(other);
    if (other.id === survivor.id) throw badInput(`incident ${other.id} cannot be merged into itself`, 'absorbed');
    if (ids.has(other.id)) throw badInput(`incident ${other.id} is named twice`, 'absorbed');
    ids.add(other.id);
  }
  const all = [survivor, ...absorbed];
  const mentionIds = unique(all.flatMap((i) => i.mentionIds));
  const pinned = unique([...(survivor.pinnedFields ?? []), ...absorbed.flatMap((i) => i.pinnedFields ?? [])]).sort();
  const current: Record<string, unknown> = {};
  for (const incident of [...absorbed].reverse().concat(survivor)) {
    for (const field of incident.pinnedFields ?? []) current[field] = (incident.fields as Record<string, unknown>)[field];
  }
  const gone = new Set([survivor.id, ...ids]);
  const next: IncidentState = {
    ...stateOf(survivor),
    status: reviewedStatus(survivor.status),
    mentionIds,
    relatedIncidentIds: unique(all.flatMap((i) => i.relatedIncidentIds)).filter((id) => !gone.has(id)),
    apartFrom: unique(all.flatMap((i) => i.apartFrom ?? [])).filter((id) => !gone.has(id)).sort(),
    pinnedFields: pinned,
    fields: fieldsFor(mentionIds, reports, current as IncidentFields, pinned),
  };
  const steps: Step[] = [{ id: survivor.id, prev: survivor, next }];
  const links: Link[] = [];
  for (const other of absorbed) {
    steps.push({ id: other.id, prev: other, next: { ...stateOf(other), mentionIds: [], mergedInto: survivor.id } });
    for (const mentionId of other.mentionIds) {
      links.push({ mentionId, incidentId: survivor.id, score: 1, explanation: { decision: 'merge', from: other.id, reason: decision.reason }, decidedBy: decision.by });
    }
  }
  return changeSet('merge', decision, steps, links);
}

/** Where the mentions split off an incident go: an incident merged into it earlier with exactly these mentions, or a new one. */
export type SplitTarget = { revive: Incident; state: IncidentState } | { newId: string };

/** The id of a new incident made of `mentionIds`: that of the first mention's own incident unless taken. */
export function newIncidentId(mentionIds: readonly string[], taken: (id: string) => boolean, salt: string): string {
  const first = [...mentionIds].sort()[0] ?? '';
  const own = incidentIdFor(first);
  return taken(own) ? `i_${sha256(`incident\u0000${salt}\u0000${[...mentionIds].sort().join(',')}`).slice(0, 20)}` : own;
}

/**
 * Splits mentions off an incident into another: a new incident, or the one that was merged into it
 * with exactly those mentions (so that a merge then a split gives the original incidents back).
 * Both are reconciled again and remember each other as apart (cannot-link).
 */
export function planSplit(source: Incident, moved: readonly string[], target: SplitTarget, reports: ReportLookup, decision: Decision): ChangeSet {
  liveOrFail(source);
  const movedIds = unique(moved);
  if (movedIds.length === 0) throw badInput('name the mentions to split off', 'mentionIds');
  const have = new Set(source.mentionIds);
  const stray = movedIds.find((id) => !have.has(id));
  if (stray !== undefined) throw badInput(`mention ${stray} is not in incident ${source.id}`, 'mentionIds');
  if (movedIds.length === source.mentionIds.length) throw badInput('a split must leave at least one mention in the incident', 'mentionIds');
  const movedSet = new Set(movedIds);
  const remaining = source.mentionIds.filter((id) => !movedSet.has(id));
  const targetId = 'revive' in target ? target.revive.id : target.newId;
  const sourceState = stateOf(source);
  const nextSource: IncidentState = {
    ...sourceState,
    status: reviewedStatus(source.status),
    mentionIds: remaining,
    apartFrom: unique([...sourceState.apartFrom, targetId]).sort(),
    fields: fieldsFor(remaining, reports, source.fields, sourceState.pinnedFields),
  };
  const base: IncidentState =
    'revive' in target
      ? { ...target.state }
      : { status: reviewedStatus(source.status), fields: source.fields, mentionIds: [], relatedIncidentIds: [], mergedInto: null, pinnedFields: [], apartFrom: [] };
  const ordered = source.mentionIds.filter((id) => movedSet.has(id));
  const nextTarget: IncidentState = {
    ...base,
    mentionIds: ordered,
    mergedInto: null,
    apartFrom: unique([...base.apartFrom, source.id]).sort(),
    fields: fieldsFor(ordered, reports, base.fields, base.pinnedFields),
  };
  const links: Link[] = ordered.map((mentionId) => ({
    mentionId,
    incidentId: targetId,
    score: 1,
    explanation: { decision: 'split', from: source.id, reason: decision.reason },
    decidedBy: decision.by,
  }));
  return changeSet('split', decision, [
    { id: source.id, prev: source, next: nextSource },
    { id: targetId, prev: 'revive' in target ? target.revive : null, next: nextTarget },
  ], links);
}

/** Validates an edited value against the field's schema; a bad one is a VigilError naming the field. */
export function parseFieldValue(field: string, value: unknown): unknown {
  if (!(EDITABLE_FIELDS as string[]).includes(field)) {
    throw badInput(`"${field}" is not an editable field; use one of ${EDITABLE_FIELDS.join(', ')}`, 'field');
  }
  const schema = IncidentFieldsSchema.shape[field as keyof IncidentFields];
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [field, ...(issue?.path ?? [])].join('.');
    throw badInput(`${path}: ${issue?.message ?? 'invalid value'}`, path);
  }
  const data = parsed.data as unknown;
  if (data !== null && typeof data === 'object' && 'best' in data && 'low' in data && 'high' in data) {
    const range = data as { low: number | null; best: number | null; high: number | null };
    const ordered = [range.low, range.best, range.high].filter((n): n is number => n !== null);
    if (ordered.some((n, i) => i > 0 && n < (ordered[i - 1] as number))) throw badInput(`${field}: low ≤ best ≤ high must hold`, field);
  }
  return data;
}

/** Sets one field of an incident by hand; the field is pinned, so reconciliation keeps the value. */
export function planEdit(incident: Incident, field: string, value: unknown, decision: Decision): ChangeSet {
  liveOrFail(incident);
  requireReason(decision);
  const parsed = parseFieldValue(field, value);
  const state = stateOf(incident);
  const pinned = unique([...state.pinnedFields, field]).sort();
  const fields = { ...incident.fields, [field]: parsed } as IncidentFields;
  if (!pinned.includes('title')) fields.title = incidentTitle(fields);
  const next: IncidentState = { ...state, status: reviewedStatus(incident.status), fields, pinnedFields: pinned };
  return changeSet('edit', decision, [{ id: incident.id, prev: incident, next }], []);
}

/** Marks an incident as rejected (not an attack, or out of scope). Mentions linked later stay with it. */
export function planReject(incident: Incident, decision: Decision): ChangeSet {
  liveOrFail(incident);
  requireReason(decision);
  if (incident.status === 'rejected') throw badInput(`incident ${incident.id} is already rejected`, 'status');
  return changeSet('reject', decision, [{ id: incident.id, prev: incident, next: { ...stateOf(incident), status: 'rejected' } }], []);
}

/** What undo needs about every incident the undone operation touched. */
export interface UndoParticipant {
  incident: Incident;
  /** The revision of the undone operation on this incident. */
  revision: Revision;
}

/**
 * Undoes an operation: every incident it touched gets back the state it had before, exactly. An
 * incident the operation created is kept, empty, as merged into the incident that gets its
 * mentions back. Mentions that the operation brought in from nowhere (a machine link of a new
 * report) found incidents of their own. Only the latest revision of each incident can be undone:
 * a later change on any of them is a conflict until it is undone first.
 */
export function planUndo(target: Incident, targetRevision: Revision, participants: readonly UndoParticipant[], freshId: (mentionId: string) => string, reports: ReportLookup, decision: Decision): ChangeSet {
  const operation = operationOf(targetRevision);
  if (operation === null) {
    throw badInput(`revision ${targetRevision.revision} of incident ${target.id} (${targetRevision.action}) created the incident; reject it instead`, 'revision');
  }
  for (const { incident, revision } of participants) {
    if (incident.revision !== revision.revision) {
      throw conflict(`incident ${incident.id} changed after this ${operation.action} (it is at revision ${incident.revision}); undo its later revisions first`);
    }
  }
  const restored = new Map<string, IncidentState | null>(participants.map((p) => [p.incident.id, stateBefore(p.revision)]));
  const placed = new Set<string>();
  for (const state of restored.values()) for (const id of state?.mentionIds ?? []) placed.add(id);
  const steps: Step[] = [];
  for (const { incident } of participants) {
    let next = restored.get(incident.id) ?? null;
    if (next === null) {
      const home = participants.find((p) => p.incident.id !== incident.id && (restored.get(p.incident.id)?.mentionIds ?? []).some((m) => incident.mentionIds.includes(m)));
      next = { ...stateOf(incident), mentionIds: [], mergedInto: home?.incident.id ?? target.id };
    }
    steps.push({ id: incident.id, prev: incident, next });
  }
  const links: Link[] = [];
  const orphans = unique(participants.flatMap((p) => p.incident.mentionIds)).filter((id) => !placed.has(id));
  for (const mentionId of orphans) {
    const id = freshId(mentionId);
    const fields = fieldsFor([mentionId], reports, target.fields, []);
    steps.push({ id, prev: null, next: { status: 'machine', fields, mentionIds: [mentionId], relatedIncidentIds: [], mergedInto: null, pinnedFields: [], apartFrom: [] } });
    links.push({ mentionId, incidentId: id, score: 1, explanation: { decision: 'undo', of: operation.action, from: target.id, reason: decision.reason }, decidedBy: decision.by });
  }
  return changeSet('undo', decision, steps, links, { incidentId: target.id, revision: targetRevision.revision });
}

/** A new incident (made of a just-arrived report) that machine linking folds into an existing one, and why. */
export interface Absorption {
  incident: Incident;
  score: number;
  explanation: Record<string, unknown>;
}

/**
 * Machine linking: incidents just made from new reports are folded into the incident they link
 * with (their mentions move there and it is reconciled again, pinned fields kept, status
 * unchanged: a rejected incident stays rejected; the new ones are kept, empty, as merged into it),
 * and incidents found to be parts of one coordinated attack are recorded as related. One change
 * set for a whole batch, written at once; each incident with those it absorbs is one operation,
 * and undoing it gives each of its new reports its own incident back.
 */
export function planLink(
  updates: readonly { incident: Incident; absorb: readonly Absorption[]; related: readonly string[] }[],
  reports: ReportLookup,
  decision: Decision,
): ChangeSet {
  // Each incident with the new ones it absorbs is one operation, undone on its own.
  const all: ChangeSet = { writes: [], links: [] };
  for (const { incident, absorb, related } of updates) {
    liveOrFail(incident);
    const state = stateOf(incident);
    const gone = new Set([incident.id, ...absorb.map((a) => a.incident.id)]);
    const mentionIds = unique([...state.mentionIds, ...absorb.flatMap((a) => a.incident.mentionIds)]);
    const relatedIds = unique([...state.relatedIncidentIds, ...related, ...absorb.flatMap((a) => a.incident.relatedIncidentIds)]).filter((id) => !gone.has(id));
    if (mentionIds.length === state.mentionIds.length && relatedIds.length === state.relatedIncidentIds.length) continue;
    const fields = mentionIds.length === state.mentionIds.length ? state.fields : fieldsFor(mentionIds, reports, state.fields, state.pinnedFields);
    const steps: Step[] = [{ id: incident.id, prev: incident, next: { ...state, mentionIds, relatedIncidentIds: relatedIds, fields } }];
    const links: Link[] = [];
    for (const a of absorb) {
      liveOrFail(a.incident);
      steps.push({ id: a.incident.id, prev: a.incident, next: { ...stateOf(a.incident), mentionIds: [], mergedInto: incident.id } });
      for (const mentionId of a.incident.mentionIds) links.push({ mentionId, incidentId: incident.id, score: a.score, explanation: a.explanation, decidedBy: decision.by });
    }
    const one = changeSet('link', decision, steps, links);
    all.writes.push(...one.writes);
    all.links.push(...one.links);
  }
  return all;
}
