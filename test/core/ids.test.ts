import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentId, incidentIdFor, mentionId, normaliseText } from '../../src/core/ids.js';

describe('document ids', () => {
  it('are the same for copies that differ only in whitespace, line endings or Unicode composition', () => {
    const a = 'Gunmen attacked a checkpoint in Bamako.\nTwo soldiers were killed.';
    const b = '  Gunmen attacked a  checkpoint in Bamako.\r\nTwo soldiers\twere killed.  ';
    expect(documentId(a)).toBe(documentId(b));
    expect(documentId('Mocímboa da Praia')).toBe(documentId('Moci\u0301mboa da Praia'));
  });

  it('differ when the words differ', () => {
    expect(documentId('Two soldiers were killed.')).not.toBe(documentId('Three soldiers were killed.'));
  });

  it('are 64 hex digits', () => {
    expect(documentId('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('normalising is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
      }),
    );
  });
});

describe('mention and incident ids', () => {
  it('derive from document, extractor and span, deterministically', () => {
    const doc = documentId('report');
    const one = mentionId(doc, 'vigil-rules@0.1.0', { start: 0, end: 6 });
    expect(mentionId(doc, 'vigil-rules@0.1.0', { start: 0, end: 6 })).toBe(one);
    expect(mentionId(doc, 'vigil-rules@0.2.0', { start: 0, end: 6 })).not.toBe(one);
    expect(mentionId(doc, 'vigil-rules@0.1.0', { start: 1, end: 6 })).not.toBe(one);
    expect(incidentIdFor(one)).toBe(incidentIdFor(one));
    expect(incidentIdFor(one)).toMatch(/^i_[0-9a-f]{20}$/);
  });
});
