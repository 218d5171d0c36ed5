import type { DocumentKind, MentionFields, Span } from '../core/model.js';

/** One report handed to an extractor. */
export interface ExtractInput {
  readonly text: string;
  /** Publication date or date-time (ISO 8601); relative dates in the text resolve against it. */
  readonly published?: string | null;
  readonly title?: string | null;
  /** ISO 639-1 code of the text's language, when known. */
  readonly language?: string | null;
  /** The kind of document, when known: a 'claim' is read as the group's own statement. */
  readonly kind?: DocumentKind | null;
}

/** One incident found in a report: where in the text, what was found, and how sure. */
export interface ExtractedIncident {
  /** The part of the text that the incident was read from. */
  readonly span: Span;
  readonly fields: MentionFields;
  readonly confidence: number;
}

/** An extractor: a named, versioned function from a report to the incidents it reports. */
export interface Extractor {
  /** name@version, recorded on every mention. */
  readonly name: string;
  extract(input: ExtractInput): ExtractedIncident[];
}
