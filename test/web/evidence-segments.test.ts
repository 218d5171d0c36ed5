import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_FIELDS, segmentText, type EvidenceSpan } from '../../web/src/evidence.js';

/*
 * The web app cuts a report into runs at every evidence boundary, so that overlapping spans render
 * as flat <mark> elements. These tests pin that cutting down without a browser.
 */

describe('segmentText', () => {
  it('splits overlapping spans at every boundary and marks each run with the fields covering it', () => {
    // "killing 12 people": killed covers all of it, victims only "12 people".
    const text = 'killing 12 people';
    const segments = segmentText(text.length, [
      { start: 0, end: 17, field: 'killed' },
      { start: 8, end: 17, field: 'victims' },
    ]);
    expect(segments.map((segment) => [text.slice(segment.start, segment.end), segment.fields])).toEqual([
      ['killing ', ['killed']],
      ['12 people', ['victims', 'killed']],
    ]);
  });

  it('clamps spans to the text and drops empty or inverted ones', () => {
    const segments = segmentText(5, [
      { start: 3, end: 99, field: 'date' },
      { start: 2, end: 2, field: 'killed' },
      { start: 4, end: 1, field: 'wounded' },
    ]);
    expect(segments).toEqual([
      { start: 0, end: 3, fields: [] },
      { start: 3, end: 5, fields: ['date'] },
    ]);
  });

  it('covers the whole text in order, and each run carries exactly the fields whose spans contain it', () => {
    const span = (length: number): fc.Arbitrary<EvidenceSpan> =>
      fc.record({ start: fc.nat({ max: length + 3 }), end: fc.nat({ max: length + 3 }), field: fc.constantFrom(...EVIDENCE_FIELDS) });
    const input = fc.nat({ max: 40 }).chain((length) => fc.tuple(fc.constant(length), fc.array(span(length), { maxLength: 8 })));
    fc.assert(
      fc.property(input, ([length, spans]) => {
        const segments = segmentText(length, spans);
        expect(segments.map((segment) => segment.end - segment.start).reduce((a, b) => a + b, 0)).toBe(length);
        let at = 0;
        for (const segment of segments) {
          expect(segment.start).toBe(at);
          expect(segment.end).toBeGreaterThan(segment.start);
          at = segment.end;
          const covering = new Set(spans.filter((s) => s.start <= segment.start && Math.min(s.end, length) >= segment.end).map((s) => s.field));
          expect(new Set(segment.fields)).toEqual(covering);
          expect(segment.fields.length).toBe(covering.size);
        }
      }),
    );
  });
});
