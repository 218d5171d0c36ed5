import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyMentionFields, type Count, type MentionFields, type PlaceRef } from '../../src/core/model.js';
import { fieldsFromMention } from '../../src/resolve/incident-fields.js';
import { rangeOf, reconcileFields, withPins, type ReportOf } from '../../src/resolve/reconcile.js';

const ev = [{ start: 0, end: 4 }];

function report(id: string, build: (f: MentionFields) => void, source: { sourceId?: string; kind?: ReportOf['documentKind']; at?: string } = {}): ReportOf {
  const fields = emptyMentionFields();
  build(fields);
  return {
    mention: { id, documentId: `doc-${id}`, fields, confidence: 0.8 },
    sourceId: source.sourceId ?? 's_wires',
    documentKind: source.kind ?? 'article',
    reportedAt: source.at ?? null,
  };
}

const count = (low: number | null, best: number | null, high: number | null, kind: Count['kind'] = 'reported') => ({ value: { low, best, high, kind }, evidence: ev, confidence: 0.8 });
const place = (p: PlaceRef, confidence = 0.8) => ({ value: p, evidence: ev, confidence });

describe('reconcileFields', () => {
  it('gives casualties as low/best/high across reports, claimed figures apart, each figure with its source', () => {
    const fields = reconcileFields([
      report('m1', (f) => (f.killed = count(9, 9, null)), { at: '2025-05-14' }),
      report('m2', (f) => (f.killed = count(12, 12, 12)), { at: '2025-05-15' }),
      report('m3', (f) => (f.killed = count(20, 20, 20, 'claimed')), { sourceId: 's_claims', kind: 'claim' }),
    ]);
    expect(fields.killed).toEqual({ low: 9, best: 9, high: 12 });
    expect(fields.claimedKilled).toEqual({ low: 20, best: 20, high: 20 });
    expect(fields.figures).toEqual([
      { field: 'killed', kind: 'reported', low: 9, best: 9, high: null, mentionId: 'm1', documentId: 'doc-m1', sourceId: 's_wires', reportedAt: '2025-05-14' },
      { field: 'killed', kind: 'reported', low: 12, best: 12, high: 12, mentionId: 'm2', documentId: 'doc-m2', sourceId: 's_wires', reportedAt: '2025-05-15' },
      { field: 'killed', kind: 'claimed', low: 20, best: 20, high: 20, mentionId: 'm3', documentId: 'doc-m3', sourceId: 's_claims', reportedAt: null },
    ]);
  });

  it('counts one dataset once: its latest row gives its figure', () => {
    const gtd = { sourceId: 's_gtd', kind: 'dataset_row' as const };
    const fields = reconcileFields([
      report('m1', (f) => (f.killed = count(4, 4, 4)), { ...gtd, at: '2025-01-01' }),
      report('m2', (f) => (f.killed = count(6, 6, 6)), { ...gtd, at: '2025-02-01' }),
      report('m3', (f) => (f.killed = count(10, 10, 10))),
    ]);
    expect(fields.killed).toEqual({ low: 6, best: 6, high: 10 });
  });

  it('takes the most precise date and place, and the one most reports give among equals', () => {
    const fields = reconcileFields([
      report('m1', (f) => {
        f.date = { value: { start: '2025-05-01', end: '2025-05-31', precision: 'month' }, evidence: ev, confidence: 0.9 };
        f.location = place({ name: null, admin1: 'Borno', country: 'NG', precision: 'admin1' }, 0.99);
      }),
      report('m2', (f) => {
        f.date = { value: { start: '2025-05-13', end: '2025-05-13', precision: 'day' }, evidence: ev, confidence: 0.7 };
        f.location = place({ name: 'Dikwa', admin1: 'Borno', country: 'NG', lat: 12.03, lon: 13.91, precision: 'city' });
      }),
      report('m3', (f) => {
        f.date = { value: { start: '2025-05-14', end: '2025-05-14', precision: 'day' }, evidence: ev, confidence: 0.7 };
        f.location = place({ name: 'Dikwa', admin1: 'Borno', country: 'NG', lat: 12.03, lon: 13.91, precision: 'city' });
      }),
      report('m4', (f) => (f.date = { value: { start: '2025-05-13', end: '2025-05-13', precision: 'day' }, evidence: ev, confidence: 0.7 })),
    ]);
    expect(fields.date).toEqual({ start: '2025-05-13', end: '2025-05-13', precision: 'day' });
    expect(fields.location).toMatchObject({ name: 'Dikwa', precision: 'city' });
    expect(fields.title).toBe('Attack in Dikwa, Borno, Nigeria');
  });

  it('keeps every attribution with its source, and each perpetrator once per kind of attribution', () => {
    const iswap = { name: 'ISWAP', actorId: 'is-west-africa' };
    const fields = reconcileFields([
      report('m1', (f) => (f.perpetrators = [{ value: { ...iswap, attribution: 'suspected', attributedBy: 'army' }, evidence: ev, confidence: 0.6 }])),
      report('m2', (f) => (f.perpetrators = [{ value: { ...iswap, attribution: 'claimed', attributedBy: 'the group' }, evidence: ev, confidence: 0.9 }]), { sourceId: 's_claims', kind: 'claim' }),
      report('m3', (f) => (f.perpetrators = [{ value: { ...iswap, attribution: 'suspected', attributedBy: 'police' }, evidence: ev, confidence: 0.6 }])),
    ]);
    expect(fields.perpetrators.map((p) => p.attribution)).toEqual(['suspected', 'claimed']);
    expect(fields.attributions?.map((a) => [a.mentionId, a.attribution, a.attributedBy, a.sourceId])).toEqual([
      ['m1', 'suspected', 'army', 's_wires'],
      ['m2', 'claimed', 'the group', 's_claims'],
      ['m3', 'suspected', 'police', 's_wires'],
    ]);
  });

  it('gives one report exactly what fieldsFromMention gives', () => {
    const one = report('m1', (f) => {
      f.killed = count(3, 4, null);
      f.wounded = count(2, 2, 2, 'claimed');
      f.attackTypes = [{ value: 'bombing', evidence: ev, confidence: 0.8 }, { value: 'armed_assault', evidence: ev, confidence: 0.5 }];
      f.suicide = { value: true, evidence: ev, confidence: 0.9 };
    });
    expect(reconcileFields([one])).toStrictEqual(fieldsFromMention(one.mention.fields));
  });

  it('does not depend on the order of the reports (property)', () => {
    const figure = fc.record({ low: fc.integer({ min: 0, max: 50 }), extra: fc.integer({ min: 0, max: 20 }), open: fc.boolean(), claimed: fc.boolean() });
    const reportArb = fc.record({
      figure: fc.option(figure, { nil: null }),
      day: fc.integer({ min: 10, max: 14 }),
      precise: fc.boolean(),
      source: fc.constantFrom('s_a', 's_b', 's_c'),
      type: fc.constantFrom('bombing', 'armed_assault', 'unknown'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(reportArb, { minLength: 1, maxLength: 6, selector: (r) => JSON.stringify(r) }), fc.integer(), (specs, seed) => {
        const reports = specs.map((s, n) =>
          report(`m${n}`, (f) => {
            if (s.figure !== null) f.killed = count(s.figure.low, s.figure.low + s.figure.extra, s.figure.open ? null : s.figure.low + 2 * s.figure.extra, s.figure.claimed ? 'claimed' : 'reported');
            f.date = { value: s.precise ? { start: `2025-05-${s.day}`, end: `2025-05-${s.day}`, precision: 'day' } : { start: '2025-05-01', end: '2025-05-31', precision: 'month' }, evidence: ev, confidence: 0.5 };
            f.attackTypes = [{ value: s.type, evidence: ev, confidence: 0.5 }];
          }, { sourceId: s.source, at: `2025-05-${10 + n}` }),
        );
        const shuffled = [...reports].sort((a, b) => ((a.mention.id.charCodeAt(1) * 7919 + seed) % 13) - ((b.mention.id.charCodeAt(1) * 7919 + seed) % 13));
        const fields = reconcileFields(reports);
        expect(reconcileFields(shuffled)).toEqual(fields);
        for (const range of [fields.killed, fields.claimedKilled]) {
          if (range === null) continue;
          if (range.low !== null && range.best !== null) expect(range.low).toBeLessThanOrEqual(range.best);
          if (range.best !== null && range.high !== null) expect(range.best).toBeLessThanOrEqual(range.high);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('rangeOf', () => {
  it('is null without figures and keeps an open upper end open', () => {
    expect(rangeOf([], () => 'x')).toBeNull();
    const f = { field: 'killed' as const, kind: 'reported' as const, low: 5, best: 5, high: null, mentionId: 'm', documentId: 'd', sourceId: null, reportedAt: null };
    expect(rangeOf([f], () => 'x')).toEqual({ low: 5, best: 5, high: null });
  });
});

describe('withPins', () => {
  it('keeps pinned fields as the analyst set them and lets the rest follow the reports', () => {
    const reconciled = reconcileFields([report('m1', (f) => (f.killed = count(3, 3, 3)))]);
    const current = { ...reconciled, killed: { low: 9, best: 10, high: 11 }, title: 'Set by hand' };
    expect(withPins(reconciled, current, ['killed'])).toMatchObject({ killed: { low: 9, best: 10, high: 11 }, title: reconciled.title });
    expect(withPins(reconciled, current, ['killed', 'title']).title).toBe('Set by hand');
    expect(withPins(reconciled, current, [])).toBe(reconciled);
  });
});
