import type { Incident } from '../core/model.js';
import type { Gazetteer } from '../gazetteer/index.js';
import { linkRecordFromIncidentFields, linkRecords } from './linking/index.js';
import type { LinkExplanation, LinkRecord } from './linking/index.js';

/*
 * Linking at ingest: new mentions against the incidents already stored. Existing incidents are
 * never merged with each other and never lose a mention here: new mentions only join them, or
 * found new incidents. So re-running linking cannot undo an analyst's merge, split, edit or reject.
 */

/** An incident just made from a new report (one mention, as ingest and import make them), with what linking needs. */
export interface NewIncident {
  incident: Pick<Incident, 'id' | 'fields' | 'apartFrom'>;
  /** Who tells it: a dataset release for dataset rows, the document for articles (see `tellerKey`). */
  teller: string;
  /** The words of the report around the mention. */
  text: string | null;
  reportedAt: string | null;
  /** Its position in the batch: the first of a group of new incidents absorbs the others. */
  order: number;
}

/** An incident already stored that new mentions may join. */
export interface KnownIncident {
  incident: Incident;
  /** The tellers of its mentions. */
  tellers: readonly string[];
  /** Words of its reports. */
  text: string | null;
}

/** Why a mention joins an incident: the score and explanation of the link that brought it in. */
export interface JoinReason {
  score: number;
  explanation: Record<string, unknown>;
}

/** What linking decided for a batch of new incidents. */
export interface AttachPlan {
  /** New incidents that join an existing incident, by new incident id. */
  joins: Map<string, { incidentId: string } & JoinReason>;
  /** Groups of new incidents that are one attack: the founder absorbs the others. */
  groups: { founder: string; members: ({ incidentId: string } & JoinReason)[] }[];
  /** Pairs of incidents (the founder for a group) that look like parts of one coordinated attack. */
  related: { a: string; b: string; reason: string }[];
}

/**
 * Who tells a report, for the rule that one teller reports an attack once: all rows of one
 * dataset (GTD, ACLED, UCDP — whatever the release: their external ids start with the dataset)
 * are one teller, since a dataset codes each attack once; every other document is its own (a
 * wire's update is another document).
 */
export function tellerKey(document: { id: string; sourceId: string; kind: string; externalId?: string | null }): string {
  if (document.kind !== 'dataset_row') return `doc:${document.id}`;
  const dataset = document.externalId?.includes(':') === true ? document.externalId.slice(0, document.externalId.indexOf(':')) : null;
  return dataset !== null ? `dataset:${dataset}` : `source:${document.sourceId}`;
}

const KNOWN = 'incident:';

/** An incident id without the prefix that marks stored incidents among the records. */
function plain(id: string): string {
  return id.startsWith(KNOWN) ? id.slice(KNOWN.length) : id;
}

function explanationRecord(explanation: LinkExplanation, withId: string): Record<string, unknown> {
  const incident = withId.startsWith(KNOWN) ? withId.slice(KNOWN.length) : withId;
  return { score: explanation.score, agreed: explanation.agreed, disagreed: explanation.disagreed, fields: explanation.fields, comparedWith: incident };
}

/**
 * Decides where each new incident goes: into the existing incident it links with, or together
 * with the other new incidents it links with. Blocking and scoring are those of `linkRecords`
 * (country × date window, then a scored match); existing incidents are compared through their
 * reconciled fields and stand for all their tellers. Two existing incidents never end in one
 * cluster, nor do incidents an analyst split apart.
 */
export function planAttachments(fresh: readonly NewIncident[], known: readonly KnownIncident[], options: { gazetteer?: Gazetteer | null; threshold?: number; windowDays?: number } = {}): AttachPlan {
  const records: LinkRecord[] = [];
  const apart = new Map<string, ReadonlySet<string>>();
  const seen = new Set<string>();
  const tellerOf = new Map<string, string>();
  for (const n of fresh) {
    if (seen.has(n.incident.id)) continue;
    seen.add(n.incident.id);
    tellerOf.set(n.incident.id, n.teller);
    records.push(linkRecordFromIncidentFields(n.incident.id, n.teller, n.incident.fields, n.text, n.reportedAt));
    apart.set(n.incident.id, new Set(n.incident.apartFrom ?? []));
  }
  const knownTellers = new Map<string, ReadonlySet<string>>();
  for (const k of known) {
    if (seen.has(k.incident.id)) continue;
    knownTellers.set(`${KNOWN}${k.incident.id}`, new Set(k.tellers));
    const base = linkRecordFromIncidentFields(`${KNOWN}${k.incident.id}`, `${KNOWN}${k.incident.id}`, k.incident.fields, k.text, null);
    records.push({ ...base, sources: [...new Set(k.tellers)] });
    apart.set(k.incident.id, new Set(k.incident.apartFrom ?? []));
  }
  const result = linkRecords(records, {
    gazetteer: options.gazetteer ?? null,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.windowDays === undefined ? {} : { windowDays: options.windowDays }),
    cannotLink: (a, b) => {
      if (a.id.startsWith(KNOWN) && b.id.startsWith(KNOWN)) return true;
      // One teller reports an attack once: two rows of one dataset release are two attacks, and a
      // row never joins an incident that a row of its own release (an earlier batch) already tells.
      const ta = tellerOf.get(a.id);
      const tb = tellerOf.get(b.id);
      if (ta !== undefined && ta === tb) return true;
      if (ta !== undefined && (knownTellers.get(b.id)?.has(ta) ?? false)) return true;
      if (tb !== undefined && (knownTellers.get(a.id)?.has(tb) ?? false)) return true;
      const x = plain(a.id);
      const y = plain(b.id);
      return (apart.get(x)?.has(y) ?? false) || (apart.get(y)?.has(x) ?? false);
    },
  });
  const reasonOf = new Map<string, JoinReason>();
  for (const link of result.links) {
    // The best link that brought a record into its cluster explains it; the other end is the one it joined.
    for (const [self, other] of [[link.a, link.b], [link.b, link.a]] as const) {
      if (!self.startsWith(KNOWN) && !reasonOf.has(self)) reasonOf.set(self, { score: link.explanation.score, explanation: explanationRecord(link.explanation, other) });
    }
  }
  const order = new Map(fresh.map((n) => [n.incident.id, n.order]));
  const plan: AttachPlan = { joins: new Map(), groups: [], related: [] };
  const incidentOfCluster = new Map<string, string>();
  const none: JoinReason = { score: 0, explanation: {} };
  for (const cluster of result.clusters) {
    const existing = cluster.find((id) => id.startsWith(KNOWN));
    const members = cluster.filter((id) => !id.startsWith(KNOWN));
    if (existing !== undefined) {
      const incidentId = existing.slice(KNOWN.length);
      incidentOfCluster.set(cluster[0] as string, incidentId);
      for (const id of members) plan.joins.set(id, { incidentId, ...(reasonOf.get(id) ?? none) });
      continue;
    }
    const sorted = [...members].sort((x, y) => (order.get(x) ?? 0) - (order.get(y) ?? 0) || (x < y ? -1 : 1));
    const founder = sorted[0] as string;
    incidentOfCluster.set(cluster[0] as string, founder);
    if (sorted.length > 1) plan.groups.push({ founder, members: sorted.slice(1).map((incidentId) => ({ incidentId, ...(reasonOf.get(incidentId) ?? none) })) });
  }
  const tellersOf = (id: string): ReadonlySet<string> => {
    const teller = tellerOf.get(id);
    return teller !== undefined ? new Set([teller]) : (knownTellers.get(id) ?? new Set());
  };
  const sameTeller = (x: string, y: string): boolean => {
    const ty = tellersOf(y);
    for (const t of tellersOf(x)) if (ty.has(t)) return true;
    return false;
  };
  for (const pair of result.related) {
    // A dataset records the parts of its coordinated attacks itself (GTD's "related"); its rows are not related here.
    if (sameTeller(pair.a, pair.b)) continue;
    const a = incidentOfCluster.get(pair.a);
    const b = incidentOfCluster.get(pair.b);
    if (a !== undefined && b !== undefined && a !== b) plan.related.push({ a, b, reason: pair.reason });
  }
  return plan;
}
