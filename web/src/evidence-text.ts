import type { Document, Mention } from '../../src/core/model.js';
import { el } from './dom.js';
import { collectEvidence, EVIDENCE_FIELD_LABELS, segmentText, type EvidenceField } from './evidence.js';

/**
 * A document's text with the evidence of its mentions marked. The text is only ever inserted as
 * text nodes: reports are untrusted, and markup in them shows as the characters it is made of.
 * Each `<mark>` carries the fields covering it (`data-field="killed victims"`, space-separated, so
 * `[data-field~="killed"]` selects them), the field that colours it (`data-primary`, the one of
 * the shortest span) and its offsets in the text (`data-start`, `data-end`).
 */
export function renderEvidenceText(document: Document, mentions: readonly Mention[]): { text: HTMLElement; fields: EvidenceField[] } {
  const text = typeof document.text === 'string' ? document.text : '';
  const spans = collectEvidence(mentions, document.id);
  const container = el('p', { class: 'doc-text', 'data-testid': 'document-text', lang: document.language ?? undefined });
  for (const segment of segmentText(text.length, spans)) {
    const content = text.slice(segment.start, segment.end);
    const primary = segment.fields[0];
    if (primary === undefined) {
      container.appendChild(window.document.createTextNode(content));
      continue;
    }
    container.appendChild(
      el(
        'mark',
        {
          'data-field': segment.fields.join(' '),
          'data-primary': primary,
          'data-start': String(segment.start),
          'data-end': String(segment.end),
          'data-testid': 'evidence-mark',
          class: segment.fields.length > 1 ? 'overlap' : undefined,
          title: `Evidence: ${segment.fields.map((field) => EVIDENCE_FIELD_LABELS[field]).join(', ')}`,
          tabindex: '-1',
        },
        content,
      ),
    );
  }
  const present = new Set(spans.map((span) => span.field));
  const fields = (Object.keys(EVIDENCE_FIELD_LABELS) as EvidenceField[]).filter((field) => present.has(field));
  return { text: container, fields };
}
