import type { Gazetteer } from '../../gazetteer/index.js';
import { compareActors } from './actors.js';
import { compareAttackTypes } from './attack-types.js';
import { distanceKm, prepareRecords, type Prepared } from './features.js';
import { tokens } from './name-keys.js';
import { dayGap, scorePair, type ScoreContext } from './score.js';
import type { LinkExplanation, LinkOptions, LinkRecord, LinkResult, ScoredPair } from './types.js';

/** Default settings of a linking run. */
export const DEFAULT_LINK_OPTIONS = { windowDays: 3, threshold: 2.5 } as const;

/**
 * The candidate pairs of a set of prepared records: same country, and dates at most `windowDays`
 * apart (ranges such as a month count from their last day). Records are sorted by country and
 * first day, and each is compared only with those that follow it inside the window, so the cost
 * is the sort plus the pairs inside windows. Undated records and records without a country are
 * never candidates. `visit` gets the indices of both records; the return value is the number of
 * pairs visited. Once a record has been compared with everything in its window, its lazily
 * computed features are released, so that memory holds only a window's worth of them.
 */
export function forEachCandidatePair(prepared: readonly Prepared[], windowDays: number, visit: (i: number, j: number) => void): number {
  const order = prepared
    .filter((p) => p.country !== '' && !Number.isNaN(p.startDay))
    .sort((x, y) => (x.country < y.country ? -1 : x.country > y.country ? 1 : x.startDay - y.startDay || x.index - y.index));
  let visited = 0;
  for (let i = 0; i < order.length; i++) {
    const a = order[i] as Prepared;
    for (let j = i + 1; j < order.length; j++) {
      const b = order[j] as Prepared;
      if (b.country !== a.country || b.startDay > a.endDay + windowDays) break;
      if (b.endDay < a.startDay - windowDays) continue;
      visited++;
      visit(a.index, b.index);
    }
    a.release();
  }
  return visited;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Two records of one source describe one attack only when they are near-identical: at most a day
 * apart, the same place, equal tolls, and mostly the same words, several of them rare ones. A
 * dataset that codes the parts of a coordinated attack as separate rows is never merged this way,
 * because its rows carry no free text.
 */
export function nearIdentical(a: Prepared, b: Prepared, explanation: LinkExplanation, rare: (word: string) => boolean): boolean {
  if (dayGap(a, b) > 1) return false;
  if ((explanation.fields.place?.weight ?? 0) < 3) return false;
  if (a.killedTotal !== b.killedTotal || (a.wounded !== null && b.wounded !== null && a.wounded !== b.wounded)) return false;
  let sharedRare = 0;
  for (const w of a.words) if (b.words.has(w) && rare(w)) sharedRare++;
  return sharedRare >= 3 && jaccard(a.words, b.words) >= 0.35;
}

/**
 * A test of whether a word is rare among the records (in at most 0.2% of them, or two): shared
 * rare words mark copied text, shared common ones a template. The word counts are made on first
 * use.
 */
function rareWords(prepared: readonly Prepared[]): (word: string) => boolean {
  let df: Map<string, number> | undefined;
  let limit = 2;
  return (word) => {
    if (df === undefined) {
      const counts = new Map<string, number>();
      const seen = new Set<number>();
      for (const p of prepared) {
        if (seen.has(p.signature)) continue;
        seen.add(p.signature);
        for (const w of new Set(tokens(p.record.text ?? ''))) if (w.length > 2) counts.set(w, (counts.get(w) ?? 0) + 1);
      }
      limit = Math.max(2, Math.floor(seen.size * 0.002));
      df = counts;
    }
    return (df.get(word) ?? 0) <= limit;
  };
}

class Clusters {
  private readonly parent: number[];
  readonly members: number[][];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
    this.members = Array.from({ length: n }, (_, i) => [i]);
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let current = i;
    while (this.parent[current] !== root) {
      const next = this.parent[current] as number;
      this.parent[current] = root;
      current = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const [big, small] = (this.members[ra] as number[]).length >= (this.members[rb] as number[]).length ? [ra, rb] : [rb, ra];
    this.parent[small] = big;
    (this.members[big] as number[]).push(...(this.members[small] as number[]));
    this.members[small] = [];
  }
}

/** Whether two records come from one source (a record may stand for several). */
function sharesSource(a: LinkRecord, b: LinkRecord): boolean {
  if (a.source === b.source) return true;
  if (a.sources === undefined && b.sources === undefined) return false;
  const inA = (s: string): boolean => s === a.source || (a.sources?.includes(s) ?? false);
  return inA(b.source) || (b.sources?.some(inA) ?? false);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Links records that describe the same attack. Candidate pairs come from blocking (same country,
 * dates within the window); each is scored; pairs at or above the threshold are merged best
 * first, and two clusters merge only when no two of their records from one source are distinct
 * (a source reports an attack once; two of its records are one attack only when near-identical).
 * The order of the input does not matter: pairs are processed by score, then by record ids.
 * Same-source records of one day and area that could not merge are reported as related: distinct
 * parts of one coordinated attack.
 */
export function linkRecords(records: readonly LinkRecord[], options: LinkOptions & { gazetteer?: Gazetteer | null } = {}): LinkResult & { explain(a: string, b: string): LinkExplanation | null } {
  const windowDays = options.windowDays ?? DEFAULT_LINK_OPTIONS.windowDays;
  const threshold = options.threshold ?? DEFAULT_LINK_OPTIONS.threshold;
  const explanations = options.explanations ?? true;
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) throw new Error(`duplicate record id ${JSON.stringify(r.id)}`);
    seen.add(r.id);
  }
  const prepared = prepareRecords(records, options.gazetteer ?? null);
  const context = scoreContext(prepared);
  const rare = rareWords(prepared);
  /** A scored pair, kept small: the explanation is made again for the pairs that are kept. */
  interface Pair {
    readonly i: number;
    readonly j: number;
    readonly score: number;
    readonly place: number;
  }
  const candidates: Pair[] = [];
  const sameSource: Pair[] = [];
  const pairKey = (i: number, j: number): number => (i < j ? i * prepared.length + j : j * prepared.length + i);
  const allowedSameSource = new Set<number>();
  const comparisons = forEachCandidatePair(prepared, windowDays, (i, j) => {
    const a = prepared[i] as Prepared;
    const b = prepared[j] as Prepared;
    const explanation = scorePair(a, b, context, false);
    const pair: Pair = { i, j, score: explanation.score, place: explanation.fields.place?.weight ?? 0 };
    if (sharesSource(a.record, b.record)) {
      sameSource.push(pair);
      if (explanation.score >= threshold && nearIdentical(a, b, explanation, rare)) {
        allowedSameSource.add(pairKey(i, j));
        candidates.push(pair);
      }
      return;
    }
    if (explanation.score >= threshold) candidates.push(pair);
  });
  const idOf = (i: number): string => (prepared[i] as Prepared).record.id;
  const pairIds = (c: { i: number; j: number }): [string, string] => {
    const x = idOf(c.i);
    const y = idOf(c.j);
    return x < y ? [x, y] : [y, x];
  };
  const rank = new Array<number>(prepared.length);
  prepared
    .map((p) => p.index)
    .sort((x, y) => compareIds(idOf(x), idOf(y)))
    .forEach((index, position) => (rank[index] = position));
  const low = (c: Pair): number => Math.min(rank[c.i] as number, rank[c.j] as number);
  const high = (c: Pair): number => Math.max(rank[c.i] as number, rank[c.j] as number);
  candidates.sort((x, y) => y.score - x.score || low(x) - low(y) || high(x) - high(y));
  const clusters = new Clusters(prepared.length);
  const kept: Pair[] = [];
  const cannotLink = options.cannotLink;
  for (const candidate of candidates) {
    const ra = clusters.find(candidate.i);
    const rb = clusters.find(candidate.j);
    if (ra === rb) continue;
    let ok = true;
    for (const x of clusters.members[ra] as number[]) {
      const rx = (prepared[x] as Prepared).record;
      for (const y of clusters.members[rb] as number[]) {
        const ry = (prepared[y] as Prepared).record;
        if ((sharesSource(rx, ry) && !allowedSameSource.has(pairKey(x, y))) || (cannotLink !== undefined && cannotLink(rx, ry))) {
          ok = false;
          break;
        }
      }
      if (!ok) break;
    }
    if (!ok) continue;
    clusters.union(candidate.i, candidate.j);
    kept.push(candidate);
  }
  const links: ScoredPair[] = [];
  for (const pair of kept) {
    const [a, b] = pairIds(pair);
    const explanation = explanations ? scorePair(prepared[pair.i] as Prepared, prepared[pair.j] as Prepared, context) : { score: pair.score, agreed: [], disagreed: [], fields: {} };
    links.push({ a, b, explanation });
  }
  const clusterOf = new Map<string, string>();
  const lists: string[][] = [];
  for (let i = 0; i < prepared.length; i++) {
    const members = clusters.members[i] as number[];
    if (members.length === 0) continue;
    const ids = members.map(idOf).sort(compareIds);
    lists.push(ids);
    for (const id of ids) clusterOf.set(id, ids[0] as string);
  }
  lists.sort((x, y) => compareIds(x[0] as string, y[0] as string));
  const related = relatedClusters(prepared, sameSource, clusterOf);
  return {
    clusterOf,
    clusters: lists,
    links,
    related,
    stats: { records: records.length, comparisons, candidates: candidates.length, clusters: lists.length },
    explain(a: string, b: string): LinkExplanation | null {
      const i = records.findIndex((r) => r.id === a);
      const j = records.findIndex((r) => r.id === b);
      if (i < 0 || j < 0) return null;
      return scorePair(prepared[i] as Prepared, prepared[j] as Prepared, context);
    },
  };
}

/** Words by which a report says its attack was one of several. */
const COORDINATED = /\b(?:coordinated|simultaneous|twin|series of|multiple|several|one of \w+ related) (?:attacks?|bombings?|blasts?|explosions?|suicide)/i;

/**
 * Pairs of clusters that look like parts of one coordinated attack: two records of one source on
 * the same day that could not merge, either described as coordinated, or in the same area with
 * the same attack type and the same (or a parent and branch) perpetrator.
 */
function relatedClusters(prepared: readonly Prepared[], sameSource: readonly { i: number; j: number; place: number }[], clusterOf: ReadonlyMap<string, string>): { a: string; b: string; reason: string }[] {
  const out = new Map<string, { a: string; b: string; reason: string }>();
  for (const { i, j, place } of sameSource) {
    const a = prepared[i] as Prepared;
    const b = prepared[j] as Prepared;
    if (dayGap(a, b) !== 0 || a.startDay !== a.endDay || b.startDay !== b.endDay) continue;
    const ca = clusterOf.get(a.record.id) as string;
    const cb = clusterOf.get(b.record.id) as string;
    if (ca === cb) continue;
    const actors = compareActors(a.actors, b.actors).relation;
    const types = compareAttackTypes(a.attackTypes, b.attackTypes);
    if (actors === 'conflict' || types === 'conflict') continue;
    const cue = COORDINATED.test(a.record.text ?? '') || COORDINATED.test(b.record.text ?? '');
    const near = a.point !== null && b.point !== null && distanceKm(a.point, b.point) <= 100;
    const sameArea = (a.admin1 !== null && a.admin1 === b.admin1) || near || place > 0;
    const alike = types === 'same' && (actors === 'same' || actors === 'compatible');
    if (!cue && !(sameArea && alike)) continue;
    const [x, y] = ca < cb ? [ca, cb] : [cb, ca];
    const key = `${x}\u0000${y}`;
    if (!out.has(key)) out.set(key, { a: x, b: y, reason: cue ? 'same day, described as coordinated' : `same day, same area (${a.admin1 ?? a.record.place ?? a.country}), same source` });
  }
  return [...out.values()].sort((p, q) => compareIds(p.a, q.a) || compareIds(p.b, q.b));
}

function scoreContext(prepared: readonly Prepared[]): ScoreContext {
  const perCountry = new Map<string, number>();
  const perActor = new Map<string, number>();
  const seen = new Set<number>();
  for (const p of prepared) {
    if (seen.has(p.signature)) continue;
    seen.add(p.signature);
    perCountry.set(p.country, (perCountry.get(p.country) ?? 0) + 1);
    for (const actor of p.actors) perActor.set(`${p.country}\u0000${actor}`, (perActor.get(`${p.country}\u0000${actor}`) ?? 0) + 1);
  }
  return {
    actorShare(country: string, actor: string): number {
      const total = perCountry.get(country) ?? 0;
      return total === 0 ? 1 : (perActor.get(`${country}\u0000${actor}`) ?? 0) / total;
    },
  };
}
