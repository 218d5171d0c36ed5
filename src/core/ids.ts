import * as crypto from 'node:crypto';

/**
 * The normal form of a report's text that its identity is computed from: Unicode NFC, line
 * endings unified, runs of whitespace collapsed, trimmed. Two copies of one report that differ only
 * in such things are the same document.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** SHA-256 of a string, hex encoded. */
export const sha256: (text: string) => string =
  // The one-shot form (Node.js 20.12 and later) costs about half as much as a Hash object.
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** A document's id: the SHA-256 of its normalised text. The same report ingested twice is stored once. */
export function documentId(text: string): string {
  return sha256(normaliseText(text));
}

/** A mention's id: derived from its document, the extractor (name@version) and the span it covers. */
export function mentionId(docId: string, extractor: string, span: { start: number; end: number }): string {
  return `m_${sha256(`${docId}\u0000${extractor}\u0000${span.start}:${span.end}`).slice(0, 24)}`;
}

/** A new incident's id, derived from the mention that founded it (stable across re-ingestion). */
export function incidentIdFor(foundingMentionId: string): string {
  return `i_${sha256(`incident\u0000${foundingMentionId}`).slice(0, 20)}`;
}

/** A source's id, derived from its kind and location. */
export function sourceId(kind: string, locator: string): string {
  return `s_${sha256(`${kind}\u0000${locator}`).slice(0, 16)}`;
}
