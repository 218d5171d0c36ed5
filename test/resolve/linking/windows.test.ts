import { describe, expect, it } from 'vitest';
import { forEachCandidatePair, linkRecords, prepareRecords, type LinkRecord } from '../../../src/resolve/linking/index.js';

function record(id: string, partial: Partial<LinkRecord>): LinkRecord {
  return { id, source: 'wire', date: null, country: 'NG', admin1: null, place: 'Maiduguri', actors: [], attackTypes: ['bombing'], killed: null, wounded: null, ...partial };
}

const day = (d: string) => ({ start: d, end: d, precision: 'day' as const });

describe('blocking windows', () => {
  it('compares a month-precision record with the whole month and the window around it, and nothing further', () => {
    const records = [
      record('month', { date: { start: '2018-03-01', end: '2018-03-31', precision: 'month' } }),
      record('before', { date: day('2018-02-26') }),
      record('early', { date: day('2018-03-02') }),
      record('late', { date: day('2018-03-30') }),
      record('after', { date: day('2018-04-03') }),
      record('far', { date: day('2018-04-10') }),
      record('other-country', { date: day('2018-03-15'), country: 'CM' }),
      record('undated', {}),
    ];
    const prepared = prepareRecords(records, null);
    const pairs = new Set<string>();
    forEachCandidatePair(prepared, 3, (i, j) => pairs.add([records[i]?.id, records[j]?.id].sort().join('+')));
    for (const other of ['before', 'early', 'late', 'after']) expect(pairs.has(['month', other].sort().join('+'))).toBe(true);
    for (const other of ['far', 'other-country', 'undated']) expect(pairs.has(['month', other].sort().join('+'))).toBe(false);
    expect([...pairs].some((p) => p.includes('undated') || p.includes('other-country'))).toBe(false);
  });
});

describe('tolls', () => {
  const first = record('first', { source: 'wire', date: day('2018-03-05'), killed: { low: 4, best: 4, high: 4 }, reportedAt: '2018-03-05T08:00:00Z', text: 'A bomb killed four in Maiduguri.' });
  const later = record('later', { source: 'local', date: day('2018-03-05'), killed: { low: 19, best: 19, high: 19 }, reportedAt: '2018-03-06T12:00:00Z', text: 'The toll of the Maiduguri bombing rose to 19.' });

  it('holds a higher toll in a later report compatible', () => {
    const result = linkRecords([first, later]);
    expect(result.explain('first', 'later')?.fields.killed?.reason).toMatch(/later report/);
    expect(result.clusterOf.get('later')).toBe('first');
  });

  it('holds a lower toll in a later report against the pair', () => {
    const result = linkRecords([{ ...first, reportedAt: '2018-03-07T00:00:00Z' }, later]);
    expect(result.explain('first', 'later')?.disagreed).toContain('killed');
  });
});
