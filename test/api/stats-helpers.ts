import type { Hono } from 'hono';
import { expect } from 'vitest';
import { ATTACK_TYPES, ATTRIBUTIONS, TARGET_TYPES, WEAPON_TYPES } from '../../src/core/codebook.js';
import { emptyIncidentFields, type Incident, type IncidentFields } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';

/*
 * Random incidents for the query, stats and as_of tests, written with `Store.applyChanges` (a
 * create revision each, as ingestion writes), from a seeded generator so failures reproduce.
 */

/** A small seeded generator (LCG): the same seed gives the same data. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export const pickOf = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

/** The actors the random data uses: the Islamic State, some of its provinces, and others. */
export const TEST_ACTORS = ['islamic-state', 'is-khorasan', 'is-west-africa', 'is-sahel', 'al-shabaab', 'jnim', 'ttp'] as const;
export const TEST_COUNTRIES = [
  { country: 'AF', admin1: ['Kabul', 'Nangarhar'], lat: 34, lon: 69 },
  { country: 'NG', admin1: ['Borno', 'Yobe'], lat: 11, lon: 13 },
  { country: 'SO', admin1: ['Banadir'], lat: 2, lon: 45 },
  { country: 'FJ', admin1: ['Central'], lat: -17, lon: 179.5 },
] as const;

function range(rand: () => number): { low: number | null; best: number | null; high: number | null } | null {
  if (rand() < 0.15) return null;
  const best = Math.floor(rand() * 12);
  return { low: rand() < 0.2 ? null : Math.max(0, best - 2), best: rand() < 0.1 ? null : best, high: best + Math.floor(rand() * 5) };
}

/** Random fields: a day in 2023–2025 (some undated), a place (some without a point), perpetrators, types, figures. */
export function randomFields(rand: () => number, n: number): IncidentFields {
  const fields = emptyIncidentFields();
  fields.title = `Random incident ${n}`;
  if (rand() > 0.05) {
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 1095) * 86_400_000).toISOString().slice(0, 10);
    fields.date = { start: day, end: day, precision: 'day' };
  }
  const place = pickOf(rand, TEST_COUNTRIES);
  if (rand() > 0.05) {
    const withPoint = rand() > 0.1;
    fields.location = {
      name: `Place ${n}`,
      admin1: rand() < 0.1 ? null : pickOf(rand, place.admin1),
      country: place.country,
      lat: withPoint ? place.lat + (rand() - 0.5) * 4 : null,
      lon: withPoint ? ((place.lon + (rand() - 0.5) * 4 + 540) % 360) - 180 : null,
      precision: 'city',
      radiusKm: 10,
    };
  }
  const perpetrators = Math.floor(rand() * 3);
  for (let k = 0; k < perpetrators; k++) {
    fields.perpetrators.push({ name: 'group', actorId: rand() < 0.1 ? null : pickOf(rand, TEST_ACTORS), attribution: pickOf(rand, ATTRIBUTIONS), attributedBy: null });
  }
  const types = Math.floor(rand() * 3);
  for (let k = 0; k < types; k++) fields.attackTypes.push(pickOf(rand, ATTACK_TYPES.slice(0, 4)));
  fields.attackTypes = [...new Set(fields.attackTypes)];
  if (rand() < 0.7) fields.targetTypes = [pickOf(rand, TARGET_TYPES.slice(0, 3))];
  if (rand() < 0.7) fields.weaponTypes = [pickOf(rand, WEAPON_TYPES.slice(0, 3))];
  fields.killed = range(rand);
  fields.wounded = range(rand);
  return fields;
}

/** An incident with these fields, created at `at`. */
export function incidentOf(id: string, fields: IncidentFields, at: string): Incident {
  return { id, status: 'machine', fields, mentionIds: [], relatedIncidentIds: [], revision: 1, createdAt: at, updatedAt: at };
}

/** Writes new incidents, each with its create revision (state: fields and no mentions). */
export async function createIncidents(store: Store, incidents: readonly Incident[]): Promise<void> {
  await store.applyChanges({
    writes: incidents.map((incident) => ({
      incident,
      expectedRevision: null,
      revision: { incidentId: incident.id, revision: 1, at: incident.createdAt, by: 'system:test', action: 'create', before: null, after: { fields: incident.fields, mentionIds: [] }, reason: null },
    })),
    links: [],
  });
}

/** GET a path of the app as JSON, expecting `status`. */
export async function getJson<T>(app: Hono, url: string, status = 200): Promise<T> {
  const response = await app.request(url);
  expect(response.status, `${url}: ${await response.clone().text()}`).toBe(status);
  return (await response.json()) as T;
}

/** Every page of a listing, following nextCursor; `between` runs before each next page. */
export async function allPages(app: Hono, url: string, between: () => Promise<void> = async () => undefined): Promise<Incident[]> {
  const out: Incident[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const page: { items: Incident[]; nextCursor: string | null } = await getJson(app, `${url}${url.includes('?') ? '&' : '?'}${cursor === null ? '' : `cursor=${encodeURIComponent(cursor)}`}`);
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
    await between();
  }
  throw new Error('too many pages');
}

/** The top-level group of every actor with a parent in the registry (written out here, not read from it). */
export const ROOT_OF: Record<string, string> = {
  'is-khorasan': 'islamic-state',
  'is-west-africa': 'islamic-state',
  'is-sahel': 'islamic-state',
  'is-somalia': 'islamic-state',
  'is-mozambique': 'islamic-state',
  'is-central-africa': 'islamic-state',
  'is-sinai': 'islamic-state',
  'is-pakistan': 'islamic-state',
  'is-hind': 'islamic-state',
  jnim: 'al-qaeda',
  aqap: 'al-qaeda',
  aqim: 'al-qaeda',
  'al-shabaab': 'al-qaeda',
  'al-mourabitoun': 'al-qaeda',
  'katiba-macina': 'al-qaeda',
};

/** Sums of one group, as the API gives them. */
export interface ExpectedFigures {
  incidents: number;
  killed: { low: number; best: number; high: number };
  wounded: { low: number; best: number; high: number };
}

/** What `expectedStats` filters on: the incident filters of a rollup, each read plainly. */
export interface ExpectedFilter {
  /** Perpetrator actors that match (already expanded to sub-groups where meant). */
  actors?: readonly string[];
  attribution?: readonly string[];
  country?: string;
  admin1?: string;
  status?: string;
  attackType?: readonly string[];
  targetType?: readonly string[];
  minKilled?: number;
  minWounded?: number;
  minCasualties?: number;
  bbox?: readonly [number, number, number, number];
}

function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A rollup computed plainly over incidents: those not merged away whose first day is in
 * from..to and that pass the filter, grouped as documented (an incident once per group; actor groups
 * from the matching perpetrators; the null key for no value). Keys are JSON [key, country].
 */
export function expectedStats(incidents: readonly Incident[], from: string, to: string, group: string, rollup: boolean, filter: ExpectedFilter): Map<string, ExpectedFigures> {
  const out = new Map<string, ExpectedFigures>();
  const matches = (p: Incident['fields']['perpetrators'][number]): boolean =>
    p.actorId != null && (filter.actors === undefined || filter.actors.includes(p.actorId)) && (filter.attribution === undefined || filter.attribution.includes(p.attribution));
  for (const i of incidents) {
    const f = i.fields;
    const day = f.date?.start;
    if (i.mergedInto !== undefined || day === undefined || day < from || day > to) continue;
    if ((filter.actors !== undefined || filter.attribution !== undefined) && !f.perpetrators.some(matches)) continue;
    if (filter.country !== undefined && f.location?.country !== filter.country) continue;
    if (filter.admin1 !== undefined && f.location?.admin1 !== filter.admin1) continue;
    if (filter.status !== undefined && i.status !== filter.status) continue;
    if (filter.attackType !== undefined && !filter.attackType.some((t) => f.attackTypes.includes(t as never))) continue;
    if (filter.targetType !== undefined && !filter.targetType.some((t) => f.targetTypes.includes(t as never))) continue;
    if (filter.minKilled !== undefined && !(f.killed?.best != null && f.killed.best >= filter.minKilled)) continue;
    if (filter.minWounded !== undefined && !(f.wounded?.best != null && f.wounded.best >= filter.minWounded)) continue;
    if (filter.minCasualties !== undefined && (f.killed?.best ?? 0) + (f.wounded?.best ?? 0) < filter.minCasualties) continue;
    if (filter.bbox !== undefined) {
      const [west, south, east, north] = filter.bbox;
      const { lat, lon } = f.location ?? {};
      if (lat == null || lon == null || lat < south || lat > north || lon < west || lon > east) continue;
    }
    let keys: [string | null, string | null][];
    if (group === 'none') keys = [[null, null]];
    else if (group === 'country') keys = [[f.location?.country ?? null, null]];
    else if (group === 'admin1') keys = [[f.location?.admin1 ?? null, f.location?.country ?? null]];
    else if (group === 'month') keys = [[day.slice(0, 7), null]];
    else if (group === 'week') keys = [[mondayOf(day), null]];
    else if (group === 'attack_type') keys = f.attackTypes.length === 0 ? [[null, null]] : f.attackTypes.map((t) => [t, null]);
    else {
      const ids = f.perpetrators.filter(matches).map((p) => (rollup ? (ROOT_OF[p.actorId as string] ?? (p.actorId as string)) : (p.actorId as string)));
      keys = ids.length === 0 ? [[null, null]] : ids.map((id) => [id, null]);
    }
    for (const key of new Set(keys.map((k) => JSON.stringify(k)))) {
      const s = out.get(key) ?? { incidents: 0, killed: { low: 0, best: 0, high: 0 }, wounded: { low: 0, best: 0, high: 0 } };
      s.incidents += 1;
      for (const part of ['low', 'best', 'high'] as const) {
        s.killed[part] += f.killed?.[part] ?? 0;
        s.wounded[part] += f.wounded?.[part] ?? 0;
      }
      out.set(key, s);
    }
  }
  return out;
}
