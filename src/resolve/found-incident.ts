import { incidentIdFor, mentionId } from '../core/ids.js';
import type { Incident, Link, Mention, MentionFields, Revision, RevisionAction, Span } from '../core/model.js';
import { incidentFieldsFor } from './incident-fields.js';

/** What one mention that founds a new incident brings with it. */
export interface FoundedIncident {
  mention: Mention;
  incident: Incident;
  link: Link;
  revision: Revision;
}

/**
 * A mention and the new incident it founds: the incident's fields come from the mention alone, the
 * link says why, and the first revision records who made it (`by`) and from what (`reason`).
 */
export function foundIncident(input: {
  documentId: string;
  extractor: string;
  span: Span;
  fields: MentionFields;
  confidence: number;
  at: string;
  by: string;
  action: Extract<RevisionAction, 'create' | 'import'>;
  linkReason: string;
  revisionReason: string;
}): FoundedIncident {
  const { at } = input;
  const mention: Mention = {
    id: mentionId(input.documentId, input.extractor, input.span),
    documentId: input.documentId,
    extractor: input.extractor,
    span: input.span,
    fields: input.fields,
    confidence: input.confidence,
    createdAt: at,
  };
  const fields = incidentFieldsFor(mention);
  const incident: Incident = {
    id: incidentIdFor(mention.id),
    status: 'machine',
    fields,
    mentionIds: [mention.id],
    relatedIncidentIds: [],
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
  return {
    mention,
    incident,
    link: { mentionId: mention.id, incidentId: incident.id, score: 1, explanation: { reason: input.linkReason }, decidedBy: input.by },
    revision: {
      incidentId: incident.id,
      revision: 1,
      at,
      by: input.by,
      action: input.action,
      before: null,
      after: { fields, mentionIds: incident.mentionIds },
      reason: input.revisionReason,
    },
  };
}
