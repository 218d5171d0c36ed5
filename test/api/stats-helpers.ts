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
