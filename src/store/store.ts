import type { VigilError } from '../core/errors.js';
import type { Document, Incident, IncidentStatus, Link, Mention, Revision, Source } from '../core/model.js';
import type { ChangeSet } from '../resolve/review.js';
import type { DatedRevision, StatsRequest, StatsRow } from './stats.js';

export type { ChangeSet, IncidentWrite } from '../resolve/review.js';

/** Which incidents a query asks for. Every filter is optional; they combine with AND. */
export interface IncidentFilter {
  /** Incidents whose date range ends on or after this day (YYYY-MM-DD). */
  from?: string | undefined;
  /** Incidents whose date range starts on or before this day (YYYY-MM-DD). */
  to?: string | undefined;
  /** ISO 3166-1 alpha-2. */
  country?: string | undefined;
  /** An actor id (`is-khorasan`); matches perpetrators resolved to that actor. */
  actor?: string | undefined;
  /** Actor ids, any of which matches (an actor with its sub-groups: see `actorFamily`). */
  actors?: readonly string[] | undefined;
  /** Attribution kinds (claimed, attributed, suspected, denied), any of which matches; with an actor, of that actor. */
  attribution?: readonly string[] | undefined;
  /** First-level administrative division, as stored (`Nangarhar`). */
  admin1?: string | undefined;
  /** Codebook types, any of which matches. */
  attackType?: readonly string[] | undefined;
  targetType?: readonly string[] | undefined;
  weaponType?: readonly string[] | undefined;
  /** Minimums on the best figures; min_casualties is killed + wounded (unknown counted as 0). */
  minKilled?: number | undefined;
  minWounded?: number | undefined;
  minCasualties?: number | undefined;
  /** Words that must all occur in one of the documents (title or text) the incident's reports come from. */
  q?: string | undefined;
  /** [west, south, east, north] in degrees; only incidents with a point inside it. */
  bbox?: readonly [number, number, number, number] | undefined;
  status?: IncidentStatus | undefined;
  /** Incidents changed at or after this instant (ISO 8601): for incremental sync and alert evaluation. */
  updatedSince?: string | undefined;
  /** Page size, 1..1000. */
  limit: number;
  /** The opaque cursor of the previous page's `nextCursor`. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Everything one ingested document produced, written in one transaction: either all of it is
 * stored or none of it is.
 */
export interface ExtractionBundle {
  source: Source;
  document: Document;
  mentions: Mention[];
  incidents: Incident[];
  links: Link[];
  revisions: Revision[];
}

/** What `saveExtractions` did with each bundle of a batch, in the order given. */
export interface BatchSaveResult {
  /** True for a bundle that was written; false when it was already stored, a repeat within the batch, or refused. */
  stored: boolean[];
  /**
   * Why a bundle was refused (a constraint it breaks, bad input such as a day that does not
   * exist), as the VigilError `saveExtraction` would have thrown; null for the others. Nothing of
   * a refused bundle is written, and the rest of the batch is not affected.
   */
  errors: (VigilError | null)[];
}

export interface StoreCounts {
  sources: number;
  documents: number;
  mentions: number;
  incidents: number;
}

/**
 * The one storage interface. `SqliteStore` and `PostgresStore` implement it; one conformance suite
 * (test/store/conformance.test.ts) runs against both.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  /** Applies every migration not yet applied, in order; returns the names of those it applied. */
  migrate(): Promise<string[]>;
  /** The number of the newest applied migration (0 before any). */
  schemaVersion(): Promise<number>;
  /** Throws a VigilError('store') when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Stores a document with what was extracted from it, atomically. When a document with the same id
   * is already stored, nothing is written and `stored` is false (ingesting twice stores once).
   */
  saveExtraction(bundle: ExtractionBundle): Promise<{ stored: boolean }>;

  /**
   * Stores many bundles in one transaction (for bulk imports). Each bundle is all-or-nothing with
   * the semantics of `saveExtraction`: one whose document is already stored, or repeats an earlier
   * bundle of the batch, writes nothing and reports false. A bundle that cannot be stored is
   * reported in `errors` and the others are still stored: the result is the same as saving the
   * bundles one by one in order with `saveExtraction` (minus the throws). Throws a
   * VigilError('store') only when the database fails as a whole (unreachable, locked, full); then
   * nothing of the batch is stored.
   */
  saveExtractions(bundles: readonly ExtractionBundle[]): Promise<BatchSaveResult>;

  getSource(id: string): Promise<Source | null>;
  getDocument(id: string): Promise<Document | null>;
  getDocuments(ids: readonly string[]): Promise<Document[]>;
  getMentions(ids: readonly string[]): Promise<Mention[]>;
  getIncident(id: string): Promise<Incident | null>;
  /** Incidents newest first (by date start, then id), keyset-paginated. */
  listIncidents(filter: IncidentFilter): Promise<Page<Incident>>;
  /** The revisions of an incident, oldest first. */
  getRevisions(incidentId: string): Promise<Revision[]>;
  /** The links of the mentions an incident holds now (a mention moved elsewhere takes its link along). */
  getLinks(incidentId: string): Promise<Link[]>;
  counts(): Promise<StoreCounts>;

  /** Incidents by id, in the order asked for; ids with no incident are left out. */
  getIncidents(ids: readonly string[]): Promise<Incident[]>;
  /** The incidents merged into `id` (kept, empty, with `mergedInto` set), by id. */
  getMergedInto(id: string): Promise<Incident[]>;
  /** The incident that holds each mention, for the mentions that are in one (merged ones hold none). */
  incidentsOfMentions(mentionIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Writes the change set of one operation atomically. Each write states the revision the stored
   * incident must still have (null: the incident must not exist yet); when any is stale, nothing is
   * written and a VigilError('conflict') says which incident changed. A missing incident is
   * VigilError('not_found'). Each write replaces the incident (its fields, status, mentions, related
   * incidents, merge and pins) and adds its revision; links are added or replaced.
   */
  applyChanges(changes: ChangeSet): Promise<void>;

  /** One rollup of incidents (see src/store/stats.ts). */
  incidentStats(request: StatsRequest): Promise<StatsRow[]>;
  /** Every revision made at or before `upTo` (ISO text compared as text), by incident then revision: for `as_of`. */
  revisionsUpTo(upTo: string): Promise<DatedRevision[]>;
  /** The ids of mentions whose document (title or text) holds all the words of `q`. */
  mentionsMatching(q: string): Promise<Set<string>>;
}
