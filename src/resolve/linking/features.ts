import type { AttackType } from '../../core/codebook.js';
import type { Gazetteer } from '../../gazetteer/index.js';
import { anyIn, nameKeysOf, textKeysOf, tokens } from './name-keys.js';
import type { LinkRecord } from './types.js';

/** First-level division names seen among the records of each country, by name key. */
interface Admin1Vocabulary {
  readonly byCountry: Map<string, Map<string, string>>;
  /** Gazetteer admin1 codes to the division name most records give with them. */
  readonly byCode: Map<string, string>;
}

/**
 * A record with what comparison needs. Cheap features are computed up front; those that cost
 * time or memory (the keys of the text, its words and cues, a division inferred from the text)
 * are computed on first use and can be released once the record has left the blocking window.
 */
export class Prepared {
  readonly country: string;
  /** Days since 1970-01-01 of the first and last possible day; NaN when undated. */
  readonly startDay: number;
  readonly endDay: number;
  readonly placeKeys: readonly string[];
  readonly point: { readonly lat: number; readonly lon: number } | null;
  readonly placeId: string | null;
  readonly killedTotal: number | null;
  readonly killedVictims: number | null;
  readonly wounded: number | null;
  /** A hash of the record's content without id and source: corpus statistics count each content once, so a copy of a record changes none of them. */
  readonly signature: number;
  private admin1Value: string | null | undefined;
  private textKeysValue: Set<string> | undefined;
  private wordsValue: Set<string> | undefined;
  private cuesValue: Set<string> | undefined;

  constructor(
    readonly record: LinkRecord,
    readonly index: number,
    private readonly resolved: Resolved,
    private readonly vocabulary: Admin1Vocabulary,
    signature: number,
  ) {
    this.country = record.country ?? '';
    this.startDay = record.date === null ? Number.NaN : dayNumber(record.date.start);
    this.endDay = record.date === null ? Number.NaN : dayNumber(record.date.end);
    this.placeKeys = nameKeysOf(record.place);
    this.point = record.point ?? resolved.point;
    this.placeId = resolved.placeId;
    const killed = bestOf(record.killed);
    const perpetrators = record.killedPerpetrators ?? null;
    this.killedTotal = killed;
    this.killedVictims = killed !== null && perpetrators !== null && perpetrators > 0 ? Math.max(0, killed - perpetrators) : killed;
    this.wounded = bestOf(record.wounded);
    this.signature = signature;
  }

  get actors(): readonly string[] {
    return this.record.actors;
  }

  get attackTypes(): readonly AttackType[] {
    return this.record.attackTypes;
  }

  /** Keys of every short run of words of the place and the text. */
  get textKeys(): ReadonlySet<string> {
    if (this.textKeysValue === undefined) {
      this.textKeysValue = textKeysOf(this.record.text);
      textKeysOf(this.record.place, this.textKeysValue);
    }
    return this.textKeysValue;
  }

  /** The words of the text longer than two letters. */
  get words(): ReadonlySet<string> {
    this.wordsValue ??= new Set(tokens(this.record.text ?? '').filter((w) => w.length > 2));
    return this.wordsValue;
  }

  /** The cue words (targets, suicide, kidnapping...) of the text. */
  get cues(): ReadonlySet<string> {
    this.cuesValue ??= cuesOf(this.record.text ?? '');
    return this.cuesValue;
  }

  /** The first-level division, given or inferred from the place or the text, as a canonical name. */
  get admin1(): string | null {
    if (this.admin1Value === undefined) this.admin1Value = this.inferAdmin1();
    return this.admin1Value;
  }

  /** Drops the features computed on first use; they are computed again if needed. */
  release(): void {
    this.textKeysValue = undefined;
    this.wordsValue = undefined;
    this.cuesValue = undefined;
  }

  private inferAdmin1(): string | null {
    const given = this.record.admin1;
    const names = this.vocabulary.byCountry.get(this.country);
    if (names === undefined) return given;
    if (given !== null) {
      for (const key of nameKeysOf(given)) {
        const canonical = names.get(key);
        if (canonical !== undefined) return canonical;
      }
      return given;
    }
    const fromPlace = new Set<string>();
    for (const key of this.placeKeys) {
      const name = names.get(key);
      if (name !== undefined) fromPlace.add(name);
    }
    if (fromPlace.size === 1) return [...fromPlace][0] ?? null;
    if (this.resolved.admin1Code !== null) {
      const byCode = this.vocabulary.byCode.get(this.resolved.admin1Code);
      if (byCode !== undefined) return byCode;
    }
    const keys = this.textKeys;
    const fromText = new Set<string>();
    for (const [key, name] of names) if (keys.has(key)) fromText.add(name);
    return fromText.size === 1 ? ([...fromText][0] ?? null) : null;
  }
}

/** A 53-bit hash of the content of a record without its id and source. */
export function contentSignature(record: LinkRecord): number {
  const text = JSON.stringify({ ...record, id: null, source: null });
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2_654_435_761);
    h2 = Math.imul(h2 ^ ch, 1_597_334_677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909);
  return 4_294_967_296 * (2_097_151 & h2) + (h1 >>> 0);
}

/** Words that mark who or what was hit or how; a cue shared by two texts is evidence. */
const CUES: readonly [string, RegExp][] = [
  ['police', /\bpolic|\bcheckpoint|\bpolicem/],
  ['military', /\bsoldier|\barmy\b|\bmilitary|\btroops|\bbase\b|\bgendarm/],
  ['government', /\bgovern|\bofficial|\bdistrict chief|\bmayor|\bcouncil|\bminist|\bjudge|\bcourt/],
  ['religious', /\bmosque|\bchurch|\bworshipp|\bcleric|\bimam|\breligious|\bshrine|\btemple/],
  ['educational', /\bschool|\bstudent|\bteacher|\buniversit|\beducation/],
  ['media', /\bjournalist|\breporter|\bmedia|\btelevision|\bradio\b/],
  ['ngo', /\bngo\b|\baid worker|\bhumanitarian|\bred cross|\bdeminer|\bcharity/],
  ['transport', /\bbus\b|\bminibus|\bvehicle|\bhighway|\bconvoy|\bairport|\btransportation/],
  ['election', /\belection|\bpolling|\bvoter|\bcandidate|\bcampaign/],
  ['suicide', /\bsuicide/],
  ['kidnap', /\bkidnap|\babduct|\bhostage/],
  ['utilities', /\butilit|\bpower line|\bpylon|\belectric|\bpipeline|\btower/],
  ['business', /\bbusiness|\bshop|\bmarket|\bbank|\bhotel|\brestaurant|\bcompany|\bfactory/],
  ['tribal', /\btribal|\belder/],
];

function cuesOf(text: string): Set<string> {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  for (const [name, pattern] of CUES) if (pattern.test(lower)) out.add(name);
  return out;
}

function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

function bestOf(count: LinkRecord['killed']): number | null {
  if (count === null) return null;
  return count.best ?? count.low ?? count.high;
}

interface Resolved {
  point: { lat: number; lon: number } | null;
  placeId: string | null;
  admin1Code: string | null;
}

/** A place name resolved in its country when the gazetteer gives one place, or several close together. */
function resolvePlace(gazetteer: Gazetteer | null, name: string | null, country: string): Resolved {
  const none: Resolved = { point: null, placeId: null, admin1Code: null };
  if (gazetteer === null || name === null || country === '') return none;
  const stripped = tokens(name).filter((w) => w !== 'district' && w !== 'city' && w !== 'village' && w !== 'town').join(' ');
  if (stripped === '' || stripped === 'unknown') return none;
  const found = gazetteer.findPlaces(stripped).filter((m) => m.place.country === country);
  const main = found.filter((m) => !m.alternate);
  const pool = main.length > 0 ? main : found;
  const first = pool[0];
  if (first === undefined) return none;
  for (const other of pool) if (distanceKm(first.place, other.place) > 30) return none;
  return { point: { lat: first.place.lat, lon: first.place.lon }, placeId: first.place.id, admin1Code: first.place.admin1Code === null ? null : `${country}.${first.place.admin1Code}` };
}

/** Great-circle distance in kilometres. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12_742 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Prepares records for comparison. The first-level divisions named by some records of a country
 * become a vocabulary that places the others: a record whose place or text names exactly one of
 * them is placed in it, and a gazetteer place's division code is read as the name most records
 * give with that code.
 */
export function prepareRecords(records: readonly LinkRecord[], gazetteer: Gazetteer | null): Prepared[] {
  const cache = new Map<string, Resolved>();
  const resolved = records.map((r) => {
    const key = `${r.country ?? ''}\u0000${r.place ?? ''}`;
    let found = cache.get(key);
    if (found === undefined) cache.set(key, (found = resolvePlace(gazetteer, r.place, r.country ?? '')));
    return found;
  });
  const vocabulary: Admin1Vocabulary = { byCountry: new Map(), byCode: new Map() };
  const codeVotes = new Map<string, Map<string, number>>();
  const signatures = records.map(contentSignature);
  const counted = new Set<number>();
  records.forEach((r, i) => {
    if (r.admin1 === null || r.country === null) return;
    const signature = signatures[i] as number;
    if (counted.has(signature)) return;
    counted.add(signature);
    let names = vocabulary.byCountry.get(r.country);
    if (names === undefined) vocabulary.byCountry.set(r.country, (names = new Map()));
    for (const key of nameKeysOf(r.admin1)) if (!names.has(key)) names.set(key, r.admin1);
    const code = resolved[i]?.admin1Code;
    if (code === null || code === undefined) return;
    let votes = codeVotes.get(code);
    if (votes === undefined) codeVotes.set(code, (votes = new Map()));
    votes.set(r.admin1, (votes.get(r.admin1) ?? 0) + 1);
  });
  for (const [code, votes] of codeVotes) {
    const best = [...votes].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    if (best !== undefined) vocabulary.byCode.set(code, best[0]);
  }
  return records.map((record, index) => new Prepared(record, index, resolved[index] as Resolved, vocabulary, signatures[index] as number));
}

/** True when a place key of `a` is among the place or text keys of `b`. */
export function namedIn(a: Prepared, b: Prepared): boolean {
  return a.placeKeys.length > 0 && anyIn(a.placeKeys, b.textKeys);
}
