import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttackType } from '../../../src/core/codebook.js';
import { forEachCandidatePair, linkRecords, prepareRecords, type LinkRecord } from '../../../src/resolve/linking/index.js';

const PLACES = ['Kabul', 'Jalalabad', 'Kunduz', 'Ghazni', 'Maroua', 'Kolofata'] as const;
const TYPES: AttackType[] = ['bombing', 'armed_assault', 'kidnapping'];

function isoDay(offset: number): string {
  return new Date(Date.UTC(2017, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A synthetic record: few places, sources and days, so that many records collide. */
const recordArb = fc
  .record({
    source: fc.constantFrom('wire', 'dataset', 'local'),
    day: fc.integer({ min: 0, max: 12 }),
    country: fc.constantFrom('AF', 'CM'),
    place: fc.constantFrom(...PLACES),
    killed: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    wounded: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    actor: fc.constantFrom('taliban', 'is-khorasan', 'islamic-state', 'boko-haram', null),
    type: fc.constantFrom(...TYPES),
  })
  .map(
    (r): Omit<LinkRecord, 'id'> => ({
      source: r.source,
      date: { start: isoDay(r.day), end: isoDay(r.day), precision: 'day' },
      country: r.country,
      admin1: null,
      place: r.place,
      actors: r.actor === null ? [] : [r.actor],
      attackTypes: [r.type],
      killed: r.killed === null ? null : { low: r.killed, best: r.killed, high: r.killed },
      wounded: r.wounded === null ? null : { low: r.wounded, best: r.wounded, high: r.wounded },
      text: `${r.type} in ${r.place}`,
    }),
  );

const recordsArb = fc.array(recordArb, { minLength: 1, maxLength: 40 }).map((rs) => rs.map((r, i): LinkRecord => ({ ...r, id: `r${String(i).padStart(3, '0')}` })));

/** A clustering as a set of sorted member lists, comparable with toEqual. */
function partition(clusters: readonly (readonly string[])[], keep: (id: string) => boolean = () => true): string[] {
  return clusters
    .map((c) => c.filter(keep).join(','))
    .filter((c) => c !== '')
    .sort();
}

describe('linking properties', () => {
  it('gives the same clustering whatever the order of the records', () => {
    fc.assert(
      fc.property(recordsArb, fc.infiniteStream(fc.nat()), (records, randoms) => {
        const shuffled = [...records];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = (randoms.next().value as number) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as LinkRecord, shuffled[i] as LinkRecord];
        }
        const a = linkRecords(records);
        const b = linkRecords(shuffled);
        expect(partition(b.clusters)).toEqual(partition(a.clusters));
        expect([...b.clusterOf].sort()).toEqual([...a.clusterOf].sort());
        expect(b.related).toEqual(a.related);
      }),
      { numRuns: 150 },
    );
  });

  it('adding a duplicate of a record puts it with that record (or an identical one) and changes nothing else', () => {
    fc.assert(
      fc.property(recordsArb, fc.nat(), (records, pick) => {
        const original = records[pick % records.length] as LinkRecord;
        const copy: LinkRecord = { ...original, id: 'zz-copy', source: 'copy' };
        const before = linkRecords(records);
        const after = linkRecords([...records, copy]);
        const cluster = after.clusters.find((c) => c.includes('zz-copy')) ?? [];
        const content = (r: LinkRecord): string => JSON.stringify({ ...r, id: null });
        const twins = records.filter((r) => content(r) === content(original)).map((r) => r.id);
        expect(cluster.some((id) => twins.includes(id)), JSON.stringify(cluster)).toBe(true);
        expect(partition(after.clusters, (id) => id !== 'zz-copy')).toEqual(partition(before.clusters));
      }),
      { numRuns: 300 },
    );
  });

  it('blocking compares only same-country records inside the window, far fewer than all pairs', () => {
    const n = 3000;
    const records: LinkRecord[] = [];
    let seed = 7;
    const next = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    for (let i = 0; i < n; i++) {
      const day = isoDay(Math.floor(next() * 365));
      records.push({
        id: `s${i}`,
        source: next() < 0.5 ? 'a' : 'b',
        date: { start: day, end: day, precision: 'day' },
        country: next() < 0.7 ? 'AF' : 'CM',
        admin1: null,
        place: PLACES[Math.floor(next() * PLACES.length)] as string,
        actors: [],
        attackTypes: ['bombing'],
        killed: null,
        wounded: null,
      });
    }
    const prepared = prepareRecords(records, null);
    let outside = 0;
    const comparisons = forEachCandidatePair(prepared, 3, (i, j) => {
      const a = prepared[i];
      const b = prepared[j];
      if (a === undefined || b === undefined || a.country !== b.country || Math.abs(a.startDay - b.startDay) > 3) outside++;
    });
    expect(outside).toBe(0);
    expect(comparisons).toBeGreaterThan(0);
    expect(comparisons).toBeLessThan((n * n) / 2 / 20);
    expect(linkRecords(records).stats.comparisons).toBe(comparisons);
  });
});
