import type { Count, Field, Span } from '../core/model.js';
import type { ExtractedIncident } from './types.js';

/** A casualty range as the extraction contract writes it. */
export interface ContractCount {
  low: number | null;
  best: number | null;
  high: number | null;
}

/** One incident in the output shape of ../shared/eval/CONTRACT.md (snake_case keys). */
export interface ContractIncident {
  date?: { start: string; end: string; precision: string };
  location?: { name: string | null; admin1: string | null; country: string | null; lat: number | null; lon: number | null; precision: string };
  perpetrators: { name: string; actor_id: string | null; attribution: string }[];
  attack_types: string[];
  target_types: string[];
  weapon_types: string[];
  suicide?: boolean;
  killed?: ContractCount;
  wounded?: ContractCount;
  perpetrators_killed?: ContractCount;
  targets: { text: string; type: string | null }[];
  victims: { text: string }[];
  weapons: { text: string; type: string | null }[];
  perpetrator_mentions: { text: string }[];
  evidence: { field: string; start: number; end: number }[];
  confidence: number;
}

const ISO2 = /^[A-Z]{2}$/;

function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** A count with only non-negative integers and low <= best <= high; null when nothing is left. */
function count(c: Count): ContractCount | null {
  const clean = (x: number | null): number | null => (x === null || !Number.isInteger(x) || x < 0 ? null : x);
  let low = clean(c.low);
  const best = clean(c.best);
  let high = clean(c.high);
  if (low !== null && best !== null && low > best) low = null;
  if (best !== null && high !== null && best > high) high = null;
  if (low !== null && high !== null && low > high) high = null;
  return low === null && best === null && high === null ? null : { low, best, high };
}

/**
 * Maps an extracted incident to the contract's output shape. Only values that pass the contract's
 * checks are written: ISO alpha-2 codes in capitals, numbers as numbers, lat and lon together,
 * low <= best <= high. The contract has one figure per count, so a figure the perpetrators
 * claimed is written like a reported one (the model keeps them apart in `Count.kind`). Evidence
 * spans are the extractor's offsets into the input text, UTF-16 code units.
 */
export function toContractIncident(e: ExtractedIncident): ContractIncident {
  const f = e.fields;
  const evidence: ContractIncident['evidence'] = [];
  const cite = (field: string, spans: readonly Span[]): void => {
    for (const s of spans) if (Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start) evidence.push({ field, start: s.start, end: s.end });
  };
  const citeAll = (field: string, list: readonly Field<unknown>[]): void => {
    for (const x of list) cite(field, x.evidence);
  };
  const out: ContractIncident = {
    perpetrators: f.perpetrators.map((p) => ({ name: p.value.name, actor_id: p.value.actorId ?? null, attribution: p.value.attribution })),
    attack_types: [...new Set(f.attackTypes.map((a) => a.value))],
    target_types: [...new Set(f.targetTypes.map((t) => t.value))],
    weapon_types: [...new Set(f.weaponTypes.map((w) => w.value))],
    targets: f.targets.map((t) => ({ text: t.value.text, type: t.value.type ?? null })),
    victims: f.victims.map((v) => ({ text: v.value.text })),
    weapons: f.weapons.map((w) => ({ text: w.value.text, type: w.value.type ?? null })),
    perpetrator_mentions: f.perpetratorMentions.map((p) => ({ text: p.value.text })),
    evidence,
    confidence: Math.min(1, Math.max(0, finite(e.confidence) ?? 0)),
  };
  if (f.date !== undefined) {
    out.date = { start: f.date.value.start, end: f.date.value.end, precision: f.date.value.precision };
    cite('date', f.date.evidence);
  }
  if (f.location !== undefined) {
    const l = f.location.value;
    const lat = finite(l.lat);
    const lon = finite(l.lon);
    const both = lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    const country = l.country !== null && l.country !== undefined && ISO2.test(l.country) ? l.country : null;
    out.location = { name: l.name ?? null, admin1: l.admin1 ?? null, country, lat: both ? lat : null, lon: both ? lon : null, precision: l.precision };
    cite('location', f.location.evidence);
  }
  citeAll('perpetrators', f.perpetrators);
  citeAll('attack_types', f.attackTypes);
  citeAll('target_types', f.targetTypes);
  citeAll('weapon_types', f.weaponTypes);
  if (f.suicide !== undefined) {
    out.suicide = f.suicide.value;
    cite('suicide', f.suicide.evidence);
  }
  const counts: [keyof Pick<ContractIncident, 'killed' | 'wounded' | 'perpetrators_killed'>, Field<Count> | undefined][] = [
    ['killed', f.killed],
    ['wounded', f.wounded],
    ['perpetrators_killed', f.perpetratorsKilled],
  ];
  for (const [key, field] of counts) {
    if (field === undefined) continue;
    const c = count(field.value);
    if (c === null) continue;
    out[key] = c;
    cite(key, field.evidence);
  }
  citeAll('targets', f.targets);
  citeAll('victims', f.victims);
  citeAll('weapons', f.weapons);
  citeAll('perpetrator_mentions', f.perpetratorMentions);
  return out;
}
