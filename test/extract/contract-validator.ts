/**
 * A validator that mirrors the GTD scorer's contract checks (../shared/eval/CONTRACT.md), written
 * here so that tests can assert that every output line would count as schema-clean.
 */
import { ATTACK_TYPES, ATTRIBUTIONS, DATE_PRECISIONS, PLACE_PRECISIONS, TARGET_TYPES, WEAPON_TYPES } from '../../src/core/codebook.js';

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function validDate(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Contract problems of one output line (empty when it is clean); `textLength` checks evidence spans. */
export function contractErrors(line: unknown, textLength: number): string[] {
  const errs: string[] = [];
  if (!isObj(line)) return ['line is not an object'];
  if (typeof line.id !== 'string' && line.id !== null) errs.push('id is not a string');
  if (!Array.isArray(line.incidents)) return [...errs, 'incidents is not an array'];
  line.incidents.forEach((inc: unknown, i) => {
    const w = `incidents[${i}]`;
    if (!isObj(inc)) return errs.push(`${w} not an object`);
    const d = inc.date;
    if (d != null) {
      if (!isObj(d)) errs.push(`${w}.date not an object`);
      else {
        if (!validDate(d.start) || !validDate(d.end)) errs.push(`${w}.date invalid`);
        else if ((d.end as string) < (d.start as string)) errs.push(`${w}.date end before start`);
        if (!(DATE_PRECISIONS as readonly unknown[]).includes(d.precision)) errs.push(`${w}.date.precision`);
      }
    }
    const l = inc.location;
    if (l != null) {
      if (!isObj(l)) errs.push(`${w}.location not an object`);
      else {
        for (const k of ['name', 'admin1']) if (l[k] != null && typeof l[k] !== 'string') errs.push(`${w}.location.${k}`);
        if (l.country != null && (typeof l.country !== 'string' || !/^[A-Z]{2}$/.test(l.country))) errs.push(`${w}.location.country`);
        if (l.lat != null && (!isNum(l.lat) || Math.abs(l.lat) > 90)) errs.push(`${w}.location.lat`);
        if (l.lon != null && (!isNum(l.lon) || Math.abs(l.lon) > 180)) errs.push(`${w}.location.lon`);
        if ((l.lat == null) !== (l.lon == null)) errs.push(`${w}.location lat/lon together`);
        if (l.precision != null && !(PLACE_PRECISIONS as readonly unknown[]).includes(l.precision)) errs.push(`${w}.location.precision`);
      }
    }
    const codes = (key: string, vocab: readonly string[]): void => {
      const v = inc[key];
      if (v == null) return;
      if (!Array.isArray(v)) errs.push(`${w}.${key} not an array`);
      else v.forEach((x) => (vocab.includes(x as string) ? undefined : errs.push(`${w}.${key}: ${String(x)}`)));
    };
    codes('attack_types', ATTACK_TYPES);
    codes('target_types', TARGET_TYPES);
    codes('weapon_types', WEAPON_TYPES);
    if (Array.isArray(inc.perpetrators)) {
      for (const p of inc.perpetrators as unknown[]) {
        if (!isObj(p) || typeof p.name !== 'string' || p.name.trim() === '') errs.push(`${w}.perpetrators name`);
        else if (p.attribution != null && !(ATTRIBUTIONS as readonly unknown[]).includes(p.attribution)) errs.push(`${w}.perpetrators attribution`);
      }
    } else if (inc.perpetrators != null) errs.push(`${w}.perpetrators not an array`);
    if (inc.suicide != null && typeof inc.suicide !== 'boolean') errs.push(`${w}.suicide`);
    for (const key of ['killed', 'wounded', 'perpetrators_killed']) {
      const c = inc[key];
      if (c == null) continue;
      if (!isObj(c)) {
        errs.push(`${w}.${key} not an object`);
        continue;
      }
      for (const k of ['low', 'best', 'high']) if (c[k] != null && (!isNum(c[k]) || (c[k] as number) < 0)) errs.push(`${w}.${key}.${k}`);
      if (isNum(c.low) && isNum(c.best) && c.low > c.best) errs.push(`${w}.${key} low > best`);
      if (isNum(c.best) && isNum(c.high) && c.best > c.high) errs.push(`${w}.${key} best > high`);
    }
    for (const key of ['targets', 'weapons']) {
      const list = inc[key];
      if (!Array.isArray(list)) continue;
      const vocab = key === 'targets' ? TARGET_TYPES : WEAPON_TYPES;
      for (const t of list as unknown[]) if (!isObj(t) || (t.type != null && !(vocab as readonly unknown[]).includes(t.type))) errs.push(`${w}.${key} type`);
    }
    if (!Array.isArray(inc.evidence) || inc.evidence.length === 0) errs.push(`${w}.evidence missing`);
    else
      for (const e of inc.evidence as unknown[]) {
        if (!isObj(e) || typeof e.field !== 'string' || !Number.isInteger(e.start) || !Number.isInteger(e.end)) errs.push(`${w}.evidence entry`);
        else if (!((e.start as number) >= 0 && (e.start as number) < (e.end as number) && (e.end as number) <= textLength)) errs.push(`${w}.evidence span ${String(e.start)}-${String(e.end)}`);
      }
    if (inc.confidence != null && (!isNum(inc.confidence) || inc.confidence < 0 || inc.confidence > 1)) errs.push(`${w}.confidence`);
    return undefined;
  });
  return errs;
}
