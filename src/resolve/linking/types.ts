import type { AttackType, DatePrecision } from '../../core/codebook.js';

/** A casualty figure as a range; any end may be unknown. */
export interface LinkCount {
  readonly low: number | null;
  readonly best: number | null;
  readonly high: number | null;
}

/**
 * The normalised view of one report of an attack (a mention of a document, or a dataset row) that
 * linking compares. Everything the linker knows about a record is here.
 */
export interface LinkRecord {
  /** Unique among the records linked together. */
  readonly id: string;
  /** Where the record comes from (a source id or dataset name); two records of one source are distinct attacks unless near-identical. */
  readonly source: string;
  /** Other sources the record stands for (an incident already made of several reports). */
  readonly sources?: readonly string[];
  /** Inclusive ISO dates (`YYYY-MM-DD`), with the precision the report gives; null when unknown. */
  readonly date: { readonly start: string; readonly end: string; readonly precision: DatePrecision } | null;
  /** ISO 3166-1 alpha-2 code in capitals, or null. */
  readonly country: string | null;
  /** First-level division by name as written ("Nangarhar"), or null. */
  readonly admin1: string | null;
  /** The place name as written (a city, village or district), or null. */
  readonly place: string | null;
  /** A point for the place, when it was resolved. */
  readonly point?: { readonly lat: number; readonly lon: number } | null;
  /** Actor registry ids where the names resolved, else normalised names. */
  readonly actors: readonly string[];
  /** Codebook attack types. */
  readonly attackTypes: readonly AttackType[];
  /** Everyone killed, attackers included, as reported. */
  readonly killed: LinkCount | null;
  /** Attackers among the killed, when reported apart. */
  readonly killedPerpetrators?: number | null;
  readonly wounded: LinkCount | null;
  /** When the report was published (ISO date or date-time), if known: a later report may give a higher toll. */
  readonly reportedAt?: string | null;
  /** Free text of the report (summary, description, location as written), for place and cue matching. */
  readonly text?: string | null;
}

/** How one field of a pair compared: the weight it added to the score and a short reason. */
export interface FieldComparison {
  readonly weight: number;
  readonly reason: string;
}

/**
 * Why two records were (or were not) judged the same attack: the total score, the names of the
 * fields that agreed and disagreed, and each field's weight and reason.
 */
export interface LinkExplanation {
  readonly score: number;
  readonly agreed: string[];
  readonly disagreed: string[];
  readonly fields: Record<string, FieldComparison>;
}

/** One scored pair of records. */
export interface ScoredPair {
  readonly a: string;
  readonly b: string;
  readonly explanation: LinkExplanation;
}

/** Settings of a linking run. */
export interface LinkOptions {
  /** Largest day gap compared for day-precision records (default 3). */
  readonly windowDays?: number;
  /** Lowest score that links a pair (default 2.5). */
  readonly threshold?: number;
  /** Whether each link carries its full explanation (default true); without, only its score, which saves memory on large runs. `explain` still gives any pair's explanation. */
  readonly explanations?: boolean;
  /** Pairs that must never end in one cluster (an analyst's split, two incidents that already stand apart). */
  readonly cannotLink?: (a: LinkRecord, b: LinkRecord) => boolean;
}

/** The outcome of linking a set of records. */
export interface LinkResult {
  /** The cluster id of each record, by record id. A cluster id is the smallest member id. */
  readonly clusterOf: ReadonlyMap<string, string>;
  /** Clusters as sorted member-id lists, sorted by their first member. */
  readonly clusters: readonly (readonly string[])[];
  /** The pairs whose link joined two clusters, best first, with their explanations. */
  readonly links: readonly ScoredPair[];
  /** Pairs of distinct clusters that look like parts of one coordinated attack. */
  readonly related: readonly { readonly a: string; readonly b: string; readonly reason: string }[];
  /** Counts of the run. */
  readonly stats: { readonly records: number; readonly comparisons: number; readonly candidates: number; readonly clusters: number };
}
