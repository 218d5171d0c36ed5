import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../../src/gazetteer/index.js';
import { linkRecords } from '../../../src/resolve/linking/index.js';
import { FIXTURES, pairwiseScore } from './fixtures.js';

const records = FIXTURES.map((f) => f.record);

describe('linkRecords on the fixtures', () => {
  const result = linkRecords(records, { gazetteer: loadGazetteer() });

  it('finds the attacks with pairwise F1 of at least 0.95', () => {
    const score = pairwiseScore(FIXTURES, result.clusterOf);
    expect(score.f1, JSON.stringify({ score, clusters: result.clusters })).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps two bombs in two cities on the same day apart, and reports them as related', () => {
    expect(result.clusterOf.get('db-4')).not.toBe(result.clusterOf.get('db-5'));
    expect(result.clusterOf.get('wire-4')).toBe(result.clusterOf.get('db-4'));
    const a = result.clusterOf.get('db-4') as string;
    const b = result.clusterOf.get('db-5') as string;
    const [x, y] = a < b ? [a, b] : [b, a];
    expect(result.related.some((r) => r.a === x && r.b === y)).toBe(true);
  });

  it('explains each link: score, agreed and disagreed fields, reasons', () => {
    const link = result.links.find((l) => (l.a === 'db-3' && l.b === 'wire-3') || (l.a === 'wire-3' && l.b === 'db-3'));
    expect(link).toBeDefined();
    const explanation = link?.explanation;
    expect(explanation?.agreed).toEqual(expect.arrayContaining(['place', 'killed', 'actors']));
    expect(explanation?.fields.actors?.reason).toMatch(/compatible/);
    expect(explanation?.fields.place?.reason).toMatch(/Dih Yak|Deh Yak/);
    const apart = result.explain('wire-1', 'db-2');
    expect(apart?.disagreed).toEqual(expect.arrayContaining(['killed']));
    // Where the gazetteer places both, the places disagree by distance; otherwise their provinces do.
    expect(apart?.disagreed.some((field) => field === 'place' || field === 'admin1')).toBe(true);
    expect(apart?.score).toBeLessThan(2.5);
  });

  it('links a province-level report to the city-level one when nothing else fits', () => {
    expect(result.clusterOf.get('local-1')).toBe(result.clusterOf.get('db-1'));
  });

  it('gives every record a cluster named after its smallest member', () => {
    for (const cluster of result.clusters) for (const id of cluster) expect(result.clusterOf.get(id)).toBe(cluster[0]);
    expect(result.clusters.flat().sort()).toEqual(records.map((r) => r.id).sort());
  });

  it('links without a gazetteer too', () => {
    const plain = linkRecords(records);
    expect(pairwiseScore(FIXTURES, plain.clusterOf).f1).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects duplicate ids', () => {
    expect(() => linkRecords([records[0]!, records[0]!])).toThrow(/duplicate record id/);
  });
});
