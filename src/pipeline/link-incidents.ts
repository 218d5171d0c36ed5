import { isVigilError } from '../core/errors.js';
import type { Incident, Span } from '../core/model.js';
import type { Gazetteer } from '../gazetteer/index.js';
import { planAttachments, tellerKey, type KnownIncident, type NewIncident } from '../resolve/attach.js';
import { isLive } from '../resolve/incident-state.js';
import { DEFAULT_LINK_OPTIONS } from '../resolve/linking/index.js';
import { planLink, type Absorption } from '../resolve/review.js';
import { reportLookup } from '../store/review.js';
import type { BatchSaveResult, ExtractionBundle, Store } from '../store/store.js';

/** Options of machine linking. */
export interface LinkingOptions {
  /** Resolves place names to points (better matches); none by default. */
  gazetteer?: Gazetteer | null;
  /** The clock of the revisions. */
  now?: () => Date;
  /** Who links, as revisions name it (default `system:link`). */
  by?: string;
}

/** What linking a batch did. */
export interface LinkingSummary {
  /** New incidents folded into another incident (an existing one, or the first of the batch that reports the same attack). */
  linked: number;
  /** Incidents that gained reports or related incidents. */
  updated: number;
  /** Pairs of incidents newly recorded as parts of one coordinated attack. */
  related: number;
}

const MAX_TEXT = 4000;
const CONFLICT_RETRIES = 4;

function clip(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The stored incidents that any of `incidents` could link with: same country, dates within the
 * linking window. Overlapping windows of one country are read with one query.
 */
async function candidatesFor(store: Store, incidents: readonly Pick<Incident, 'fields'>[], windowDays: number): Promise<Incident[]> {
  const windows = new Map<string, [string, string][]>();
  for (const { fields } of incidents) {
    const country = fields.location?.country;
    if (fields.date === null || country == null) continue;
    const list = windows.get(country) ?? [];
    list.push([addDays(fields.date.start, -windowDays - 1), addDays(fields.date.end, windowDays + 1)]);
    windows.set(country, list);
  }
  const found = new Map<string, Incident>();
  for (const [country, list] of windows) {
    list.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const merged: [string, string][] = [];
    for (const w of list) {
      const last = merged[merged.length - 1];
      if (last !== undefined && w[0] <= last[1]) last[1] = w[1] > last[1] ? w[1] : last[1];
      else merged.push([w[0], w[1]]);
    }
    for (const [from, to] of merged) {
      let cursor: string | undefined;
      do {
        const page = await store.listIncidents({ country, from, to, limit: 1000, cursor });
        for (const incident of page.items) found.set(incident.id, incident);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    }
  }
  return [...found.values()];
}

/** The tellers and words of stored incidents' reports. */
async function knownIncidents(store: Store, incidents: readonly Incident[]): Promise<KnownIncident[]> {
  const mentions = await store.getMentions(incidents.flatMap((i) => i.mentionIds));
  const documents = await store.getDocuments([...new Set(mentions.map((m) => m.documentId))]);
  const docs = new Map(documents.map((d) => [d.id, d]));
  const mentionById = new Map(mentions.map((m) => [m.id, m]));
  return incidents.map((incident) => {
    const tellers: string[] = [];
    const texts: string[] = [];
    for (const id of incident.mentionIds) {
      const mention = mentionById.get(id);
      const document = mention === undefined ? undefined : docs.get(mention.documentId);
      if (mention === undefined || document === undefined) continue;
      tellers.push(tellerKey(document));
      texts.push(clip(document.text.slice(mention.span.start, mention.span.end)));
    }
    return { incident, tellers, text: texts.length === 0 ? null : clip(texts.join('\n')) };
  });
}

/**
 * The words of a report about one of its mentions: its span, without the spans of the report's
 * other mentions inside it (a report that recalls an earlier attack must not link through it).
 */
function mentionText(text: string, span: Span, others: readonly Span[]): string {
  let out = text.slice(span.start, span.end);
  for (const other of others) {
    if (other.start < span.start || other.end > span.end || (other.start === span.start && other.end === span.end)) continue;
    out = out.slice(0, other.start - span.start) + ' '.repeat(other.end - other.start) + out.slice(other.end - span.start);
  }
  return out;
}

/** Follows merges: the incident that stands for `id` now. */
async function liveIncident(store: Store, id: string): Promise<Incident | null> {
  let incident = await store.getIncident(id);
  for (let hops = 0; incident !== null && !isLive(incident) && hops < 20; hops++) incident = await store.getIncident(incident.mergedInto as string);
  return incident !== null && isLive(incident) ? incident : null;
}

/**
 * Links the incidents of bundles that were just saved (ingest and import make one incident per
 * mention) with the incidents already stored and with each other: a new incident that reports an
 * attack already known is folded into that incident (its mention moves there, with a link that
 * explains the match: score, fields that agreed and disagreed); new incidents of one attack are
 * folded into the first of them; parts of one coordinated attack stay apart and are recorded as
 * related. Only bundles that `result` says were stored are linked, so a batch saved twice links
 * once. Existing incidents are never merged with each other nor lose a mention, so an analyst's
 * merge, split, edit or reject stands.
 *
 * Call it after `store.saveExtractions(bundles)` (or `saveExtraction`) with its result.
 */
export async function linkSavedBundles(store: Store, bundles: readonly ExtractionBundle[], result: Pick<BatchSaveResult, 'stored'>, options: LinkingOptions = {}): Promise<LinkingSummary> {
  const fresh: NewIncident[] = [];
  bundles.forEach((bundle, n) => {
    if (result.stored[n] !== true) return;
    const mentions = new Map(bundle.mentions.map((m) => [m.id, m]));
    for (const incident of bundle.incidents) {
      const first = mentions.get(incident.mentionIds[0] ?? '');
      const text = first === undefined ? bundle.document.text : mentionText(bundle.document.text, first.span, bundle.mentions.filter((m) => m.id !== first.id).map((m) => m.span));
      fresh.push({ incident, teller: tellerKey(bundle.document), text: clip(text), reportedAt: bundle.document.publishedAt, order: fresh.length });
    }
  });
  return linkNewIncidents(store, fresh, options);
}

/** Links incidents made from newly stored reports; see `linkSavedBundles`. */
export async function linkNewIncidents(store: Store, fresh: readonly NewIncident[], options: LinkingOptions = {}): Promise<LinkingSummary> {
  const summary: LinkingSummary = { linked: 0, updated: 0, related: 0 };
  if (fresh.length === 0) return summary;
  const freshIds = new Set(fresh.map((n) => n.incident.id));
  const candidates = (await candidatesFor(store, fresh.map((n) => n.incident), DEFAULT_LINK_OPTIONS.windowDays)).filter((i) => !freshIds.has(i.id));
  let known = await knownIncidents(store, candidates);
  // A batch of one teller (a dataset import): its incidents can join or relate only with incidents
  // another teller tells; with none among the candidates there is nothing to do.
  const tellers = new Set(fresh.map((n) => n.teller));
  if (tellers.size === 1) {
    const [only] = tellers;
    known = known.filter((k) => k.tellers.some((t) => t !== only));
    if (known.length === 0) return summary;
  }
  const plan = planAttachments(fresh, known, { gazetteer: options.gazetteer ?? null });

  // Target incident id → the new incidents it absorbs (with why) and the incidents it is related to.
  const absorbs = new Map<string, { id: string; score: number; explanation: Record<string, unknown> }[]>();
  const related = new Map<string, Set<string>>();
  for (const [id, join] of plan.joins) {
    const list = absorbs.get(join.incidentId) ?? [];
    list.push({ id, score: join.score, explanation: join.explanation });
    absorbs.set(join.incidentId, list);
  }
  for (const group of plan.groups) {
    const list = absorbs.get(group.founder) ?? [];
    for (const member of group.members) list.push({ id: member.incidentId, score: member.score, explanation: member.explanation });
    absorbs.set(group.founder, list);
  }
  for (const pair of plan.related) {
    related.set(pair.a, (related.get(pair.a) ?? new Set()).add(pair.b));
    related.set(pair.b, (related.get(pair.b) ?? new Set()).add(pair.a));
  }
  const targets = [...new Set([...absorbs.keys(), ...related.keys()])].sort();
  if (targets.length === 0) return summary;
  const now = options.now ?? (() => new Date());
  const by = options.by ?? 'system:link';

  for (let attempt = 1; ; attempt++) {
    const updates: { incident: Incident; absorb: Absorption[]; related: string[] }[] = [];
    const absorbed = new Set<string>();
    const ids = [...new Set([...targets, ...targets.flatMap((t) => (absorbs.get(t) ?? []).map((a) => a.id))])];
    const read = new Map((await store.getIncidents(ids)).map((i) => [i.id, i]));
    for (const targetId of targets) {
      const found = read.get(targetId);
      const target = found !== undefined && isLive(found) ? found : await liveIncident(store, targetId);
      if (target === null) continue;
      const absorb: Absorption[] = [];
      for (const a of absorbs.get(targetId) ?? []) {
        const incident = read.get(a.id);
        if (incident === undefined || !isLive(incident) || incident.id === target.id) continue;
        absorb.push({ incident, score: a.score, explanation: a.explanation });
        absorbed.add(incident.id);
      }
      updates.push({ incident: target, absorb, related: [...(related.get(targetId) ?? [])] });
    }
    // A related incident that is itself folded into another is related through its survivor.
    for (const update of updates) update.related = update.related.filter((id) => !absorbed.has(id));
    const mentionIds = updates.flatMap((u) => [...u.incident.mentionIds, ...u.absorb.flatMap((a) => a.incident.mentionIds)]);
    const reports = await reportLookup(store, mentionIds);
    const reason = `linked ${absorbed.size} new report(s) by country, date, place, casualties, perpetrators and attack type`;
    const changes = planLink(updates, reports, { by, at: now().toISOString(), reason });
    try {
      await store.applyChanges(changes);
      summary.linked = absorbed.size;
      summary.updated = changes.writes.filter((w) => !absorbed.has(w.incident.id)).length;
      summary.related = plan.related.length;
      return summary;
    } catch (error) {
      // Another writer changed one of the incidents meanwhile: read them again and redo the plan.
      if (!isVigilError(error, 'conflict') || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

/** What re-running linking over a store did. */
export interface RelinkSummary extends LinkingSummary {
  /** Incidents that could still be linked: one report, never changed since it was made. */
  considered: number;
}

/**
 * Runs linking again over a whole store, as if every incident nobody has touched since it was
 * made (one report, revision 1, status machine) had just arrived: each may fold into another
 * incident. Incidents that linking or an analyst changed are compared but never merged with each
 * other nor split, so re-running linking never undoes an analyst's merge, split, edit or reject.
 * Running it twice changes nothing the second time. Works through the incidents in date order,
 * `batchSize` at a time.
 */
export async function relinkStore(store: Store, options: LinkingOptions & { batchSize?: number; onProgress?: (summary: Readonly<RelinkSummary>) => void } = {}): Promise<RelinkSummary> {
  const summary: RelinkSummary = { considered: 0, linked: 0, updated: 0, related: 0 };
  // Only ids and days are kept while listing, so that a large store fits in memory.
  const untouched: { id: string; day: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listIncidents({ limit: 1000, cursor });
    for (const incident of page.items) {
      const day = incident.fields.date?.start;
      if (incident.revision === 1 && incident.status === 'machine' && incident.mentionIds.length === 1 && day !== undefined) untouched.push({ id: incident.id, day });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  untouched.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : 1));
  summary.considered = untouched.length;
  const size = Math.max(1, Math.floor(options.batchSize ?? 1000));
  for (let at = 0; at < untouched.length; at += size) {
    // An incident folded by an earlier batch is no longer fresh.
    const batch = (await store.getIncidents(untouched.slice(at, at + size).map((i) => i.id))).filter((i) => isLive(i) && i.revision === 1);
    const mentions = await store.getMentions(batch.flatMap((i) => i.mentionIds));
    const documents = new Map((await store.getDocuments([...new Set(mentions.map((m) => m.documentId))])).map((d) => [d.id, d]));
    const byMention = new Map(mentions.map((m) => [m.id, m]));
    const fresh: NewIncident[] = [];
    for (const incident of batch) {
      const mention = byMention.get(incident.mentionIds[0] ?? '');
      const document = mention === undefined ? undefined : documents.get(mention.documentId);
      if (mention === undefined || document === undefined) continue;
      fresh.push({ incident, teller: tellerKey(document), text: clip(document.text.slice(mention.span.start, mention.span.end)), reportedAt: document.publishedAt, order: at + fresh.length });
    }
    const done = await linkNewIncidents(store, fresh, options);
    summary.linked += done.linked;
    summary.updated += done.updated;
    summary.related += done.related;
    options.onProgress?.(summary);
  }
  return summary;
}
