import type { Incident, IncidentFields, IncidentStatus, Revision } from '../core/model.js';
import { emptyIncidentFields } from '../core/model.js';

/**
 * Everything about an incident that a revision can change: what an incident is at one revision,
 * without its id, counter and timestamps. Revisions of analyst operations store it whole, before
 * and after, so that undo restores it exactly and any past state can be read back (`as_of`).
 */
export interface IncidentState {
  status: IncidentStatus;
  fields: IncidentFields;
  mentionIds: string[];
  relatedIncidentIds: string[];
  /** The survivor this incident was merged into, or null. */
  mergedInto: string | null;
  /** Fields set by an analyst, sorted. */
  pinnedFields: string[];
  /** Incidents an analyst split this one from, sorted. */
  apartFrom: string[];
}

/** The operation a revision belongs to: every incident it changed and the revision it made on each. */
export interface OperationRef {
  id: string;
  action: Revision['action'];
  incidents: { incidentId: string; revision: number }[];
}

/** The `after` of a revision made by an operation (link, merge, split, edit, reject, undo). */
export interface RevisionAfter {
  state: IncidentState;
  /** What changed: `status`, `mentionIds`, `fields.killed`, … */
  changed: string[];
  operation: OperationRef;
  /** For an undo: the revision it undid. */
  undoes?: { incidentId: string; revision: number };
}

/** The state of an incident. */
export function stateOf(incident: Incident): IncidentState {
  return {
    status: incident.status,
    fields: incident.fields,
    mentionIds: [...incident.mentionIds],
    relatedIncidentIds: [...incident.relatedIncidentIds],
    mergedInto: incident.mergedInto ?? null,
    pinnedFields: [...(incident.pinnedFields ?? [])].sort(),
    apartFrom: [...(incident.apartFrom ?? [])].sort(),
  };
}

/** True for an incident that still stands on its own (not merged into another). */
export function isLive(incident: Pick<Incident, 'mergedInto'>): boolean {
  return incident.mergedInto === undefined;
}

/**
 * The incident `id` in `state` at `revision`. Optional keys are present only when they say
 * something (merged, pinned, split apart), so an incident no analyst touched reads as it was saved.
 */
export function incidentWithState(base: { id: string; createdAt: string }, state: IncidentState, revision: number, updatedAt: string): Incident {
  const incident: Incident = {
    id: base.id,
    status: state.status,
    fields: state.fields,
    mentionIds: [...state.mentionIds],
    relatedIncidentIds: [...state.relatedIncidentIds],
    revision,
    createdAt: base.createdAt,
    updatedAt,
  };
  if (state.mergedInto !== null) incident.mergedInto = state.mergedInto;
  if (state.pinnedFields.length > 0) incident.pinnedFields = [...state.pinnedFields].sort();
  if (state.apartFrom.length > 0) incident.apartFrom = [...state.apartFrom].sort();
  return incident;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The state of an incident right after a revision. Operation revisions store it whole; the first
 * revision of an ingested or imported incident (`create`, `import`) stores its fields and
 * mentions, and the rest is what every new incident starts with.
 */
export function stateAfter(revision: Revision): IncidentState | null {
  const after = revision.after;
  if (isRecord(after.state)) return after.state as unknown as IncidentState;
  if (isRecord(after.fields) && Array.isArray(after.mentionIds)) {
    return {
      status: 'machine',
      fields: after.fields as unknown as IncidentFields,
      mentionIds: after.mentionIds as string[],
      relatedIncidentIds: [],
      mergedInto: null,
      pinnedFields: [],
      apartFrom: [],
    };
  }
  return null;
}

/** The state of an incident right before a revision (null when the revision created it). */
export function stateBefore(revision: Revision): IncidentState | null {
  const before = revision.before;
  if (before === null) return null;
  return isRecord(before.state) ? (before.state as unknown as IncidentState) : null;
}

/** The operation a revision belongs to, or null for revisions that are not operations (creation, import). */
export function operationOf(revision: Revision): OperationRef | null {
  const op = revision.after.operation;
  return isRecord(op) && typeof op.id === 'string' && Array.isArray(op.incidents) ? (op as unknown as OperationRef) : null;
}

/**
 * The state of an incident as it was at a moment (ISO time): the state after the last revision
 * made at or before it, or null when the incident did not exist yet. `revisions` oldest first.
 */
export function stateAsOf(revisions: readonly Revision[], at: string): IncidentState | null {
  const moment = Date.parse(at);
  let found: IncidentState | null = null;
  for (const revision of revisions) {
    if (Date.parse(revision.at) > moment) break;
    found = stateAfter(revision);
  }
  return found;
}

/** JSON with object keys sorted, so that values read back from either store compare alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The names of what differs between two states: `status`, `mentionIds`, `fields.killed`, … */
export function changedKeys(before: IncidentState | null, after: IncidentState): string[] {
  const b = before ?? { ...after, status: null, fields: emptyIncidentFields(), mentionIds: [], relatedIncidentIds: [], mergedInto: null, pinnedFields: [], apartFrom: [] };
  const changed: string[] = [];
  for (const key of ['status', 'mentionIds', 'relatedIncidentIds', 'mergedInto', 'pinnedFields', 'apartFrom'] as const) {
    if (!same(b[key], after[key])) changed.push(key);
  }
  const keys = new Set([...Object.keys(b.fields), ...Object.keys(after.fields)]);
  for (const key of [...keys].sort()) {
    if (!same((b.fields as Record<string, unknown>)[key], (after.fields as Record<string, unknown>)[key])) changed.push(`fields.${key}`);
  }
  return changed;
}
