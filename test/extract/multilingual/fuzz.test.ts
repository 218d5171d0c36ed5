import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MentionFieldsSchema } from '../../../src/core/model.js';
import { createExtractor } from '../../../src/extract/index.js';
import { evidenceFaults, allFixtureFiles, readFixtures } from './fixtures.js';

const extractor = createExtractor();
const words = [...new Set(allFixtureFiles().flatMap((f) => readFixtures(f)).flatMap((fx) => fx.text.split(/\s+/u)))];

describe('multilingual reader on shuffled fixture words', () => {
  it('never throws, and every field is valid with evidence inside the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(null, 'ru', 'ar', 'fa', 'tg', 'uz'),
        fc.option(fc.constantFrom('2025-03-14', '2024-12-31T23:00:00Z'), { nil: null }),
        (parts, language, published) => {
          const text = parts.join(' ');
          for (const incident of extractor.extract({ text, language, published })) {
            expect(() => MentionFieldsSchema.parse(incident.fields)).not.toThrow();
            expect(evidenceFaults(text, incident.fields)).toEqual([]);
            expect(incident.span.end).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
