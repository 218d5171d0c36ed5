import { sourceId } from '../../src/core/ids.js';
import { emptyMentionFields, type MentionFields, type Source } from '../../src/core/model.js';
import { buildExtraction, type Extractor } from '../../src/pipeline/ingest.js';
import type { ExtractionBundle } from '../../src/store/store.js';

/** Mention fields with nothing found, to be filled in by a test. */
export const noFields = emptyMentionFields;

/** The test source every fixture bundle belongs to. */
export const TEST_SOURCE: Source = {
  id: sourceId('batch', 'test'),
  kind: 'batch',
  locator: 'test',
  name: 'test fixtures',
  createdAt: '2025-01-01T00:00:00.000Z',
};

/**
 * An extractor that reads nothing and returns the fields it was given, with the whole text as the
 * span: it lets API tests state exactly what is stored.
 */
export function fixedExtractor(fields: MentionFields): Extractor {
  return {
    name: 'fixture@1',
    extract: ({ text }) => [{ span: { start: 0, end: text.length }, fields, confidence: 0.9 }],
  };
}

/** A complete extraction bundle for a report whose extracted fields are given. */
export function bundleOf(
  report: { text: string; published?: string; title?: string },
  fields: MentionFields,
  at = '2025-06-01T00:00:00.000Z',
): ExtractionBundle {
  return { source: TEST_SOURCE, ...buildExtraction(report, TEST_SOURCE, fixedExtractor(fields), at) };
}

/** The evidence span of `phrase` in `text` (its first occurrence). */
export function spanOf(text: string, phrase: string): { start: number; end: number } {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`"${phrase}" is not in the text`);
  return { start, end: start + phrase.length };
}
