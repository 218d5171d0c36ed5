import type { AttackType } from '../../core/codebook.js';
import type { Gazetteer } from '../../gazetteer/index.js';
import { anyIn, nameKeysOf, textKeysOf, tokens } from './name-keys.js';
import type { LinkRecord } from './types.js';

/** A record with everything comparison needs computed once. */
export interface Prepared {
  readonly record: LinkRecord;
  readonly index: number;
  readonly country: string;
  /** Days since 1970-01-01 of the first and last possible day; NaN when undated. */
  readonly startDay: number;
  readonly endDay: number;
  readonly placeKeys: readonly string[];
  /** The first-level division, given or inferred from the place or the text, as a canonical name. */
  readonly admin1: string | null;
  readonly admin1Inferred: boolean;
  /** Keys of every short run of words of the place, location and text. */
  readonly textKeys: ReadonlySet<string>;
  readonly point: { readonly lat: number; readonly lon: number } | null;
  readonly placeId: string | null;
  readonly actors: readonly string[];
  readonly attackTypes: readonly AttackType[];
  readonly killedTotal: number | null;
  readonly killedVictims: number | null;
  readonly wounded: number | null;
  readonly cues: ReadonlySet<string>;
  readonly words: ReadonlySet<string>;
  /** The record's content without id and source: corpus statistics count each content once, so a copy of a record changes none of them. */
  readonly signature: string;
}

/** The content of a record without its id and source. */
export function contentSignature(record: LinkRecord): string {
  return JSON.stringify({ ...record, id: null, source: null });
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

/** First-level division names seen among the records of each country, by name key. */
interface Admin1Vocabulary {
  readonly byCountry: Map<string, Map<string, string>>;
  /** Gazetteer admin1 codes to the division name most records give with them. */
  readonly byCode: Map<string, string>;
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
  const resolved = records.map((r) => resolvePlace(gazetteer, r.place, r.country ?? ''));
  const vocabulary: Admin1Vocabulary = { byCountry: new Map(), byCode: new Map() };
  const codeVotes = new Map<string, Map<string, number>>();
  const signatures = records.map(contentSignature);
  const counted = new Set<string>();
  records.forEach((r, i) => {
    if (r.admin1 === null || r.country === null) return;
    const signature = signatures[i] as string;
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
  return records.map((record, index) => {
    const country = record.country ?? '';
    const place = resolved[index] as Resolved;
    const placeKeys = nameKeysOf(record.place);
    const textKeys = textKeysOf(record.text);
    textKeysOf(record.place, textKeys);
    let admin1 = record.admin1;
    let inferred = false;
    const names = vocabulary.byCountry.get(country);
    if (admin1 !== null && names !== undefined) {
      for (const key of nameKeysOf(admin1)) {
        const canonical = names.get(key);
        if (canonical !== undefined) {
          admin1 = canonical;
          break;
        }
      }
    }
    if (admin1 === null && names !== undefined) {
      const fromPlace = new Set<string>();
      for (const key of placeKeys) {
        const name = names.get(key);
        if (name !== undefined) fromPlace.add(name);
      }
      if (fromPlace.size === 1) admin1 = [...fromPlace][0] ?? null;
      if (admin1 === null && place.admin1Code !== null) admin1 = vocabulary.byCode.get(place.admin1Code) ?? null;
      if (admin1 === null) {
        const fromText = new Set<string>();
        for (const [key, name] of names) if (textKeys.has(key)) fromText.add(name);
        if (fromText.size === 1) admin1 = [...fromText][0] ?? null;
      }
      inferred = admin1 !== null;
    }
    const killedTotal = bestOf(record.killed);
    const perpetrators = record.killedPerpetrators ?? null;
    const point = record.point ?? place.point;
    return {
      record,
      index,
      country,
      startDay: record.date === null ? Number.NaN : dayNumber(record.date.start),
      endDay: record.date === null ? Number.NaN : dayNumber(record.date.end),
      placeKeys,
      admin1,
      admin1Inferred: inferred,
      textKeys,
      point,
      placeId: place.placeId,
      actors: record.actors,
      attackTypes: record.attackTypes,
      killedTotal,
      killedVictims: killedTotal !== null && perpetrators !== null && perpetrators > 0 ? Math.max(0, killedTotal - perpetrators) : killedTotal,
      wounded: bestOf(record.wounded),
      cues: cuesOf(record.text ?? ''),
      words: new Set(tokens(record.text ?? '').filter((w) => w.length > 2)),
      signature: signatures[index] as string,
    };
  });
}

/** True when a place key of `a` is among the place or text keys of `b`. */
export function namedIn(a: Prepared, b: Prepared): boolean {
  return a.placeKeys.length > 0 && anyIn(a.placeKeys, b.textKeys);
}
