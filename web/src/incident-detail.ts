import type { Document, IncidentFields, Range } from '../../src/core/model.js';
import type { IncidentDetail } from './api-client.js';
import { el, safeHttpUrl, type Child } from './dom.js';
import { EVIDENCE_FIELD_LABELS, type EvidenceField } from './evidence.js';
import { EvidenceNavigator } from './evidence-navigator.js';
import { renderEvidenceText } from './evidence-text.js';
import { renderAttributions, renderCasualties, renderSources } from './incident-extras.js';
import { datePrecisionText, formatDateRange, formatPlaceName, formatPublished, formatRange, placePrecisionText, rangeDetail } from './format.js';
import { ATTRIBUTION_LABELS, codeLabel, STATUS_LABELS } from './labels.js';

/** What the panel asks of the page. */
export interface DetailHandlers {
  /** Goes back to the list of incidents. */
  onBack(): void;
  /** True when the user may change incidents (shows the link to review it). */
  canChange?: boolean;
}

const DOCUMENT_KIND_LABELS: Readonly<Record<string, string>> = {
  article: 'Report',
  claim: 'Claim by the perpetrators',
  channel_post: 'Channel post',
  dataset_row: 'Dataset record',
};

interface SummaryRow {
  label: string;
  /** The evidence fields behind the row; empty for rows that come from no sentence. */
  fields: EvidenceField[];
  value: Child | Child[];
  testId: string;
}

/**
 * Renders an incident into the panel: its reconciled fields, then each report with the evidence of
 * every field marked. Returns the heading, for the caller to move focus to.
 */
export function renderIncidentDetail(panel: HTMLElement, detail: IncidentDetail, handlers: DetailHandlers): HTMLElement {
  const { incident, mentions, documents, revisions } = detail;
  const fields = incident.fields;

  const evidence = el('section', { class: 'evidence', tabindex: '0', 'aria-labelledby': 'evidence-heading', 'data-testid': 'evidence' });
  const navigator = new EvidenceNavigator(evidence);
  const sorted = [...documents].sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''));
  evidence.append(
    el('h3', { id: 'evidence-heading' }, sorted.length === 1 ? '1 report' : `${sorted.length} reports`),
    ...(sorted.length === 0 ? [el('p', { class: 'muted' }, 'No report is stored for this incident.')] : []),
    ...sorted.map((document) => renderDocument(document, detail, navigator)),
  );
  const present = new Set<string>([...evidence.querySelectorAll('mark')].flatMap((mark) => (mark.dataset['field'] ?? '').split(' ')));

  const heading = el('h2', { class: 'detail-title', tabindex: '-1', 'data-testid': 'incident-title' }, incidentTitle(fields));
  const summary = el('dl', { class: 'summary', 'data-testid': 'incident-summary' });
  for (const row of summaryRows(detail)) summary.append(renderRow(row, present, navigator));

  const latest = revisions.at(-1);
  const head = el(
    'div',
    { class: 'detail-head' },
    el('button', { type: 'button', class: 'back', 'data-testid': 'panel-back' }, '← All incidents'),
    heading,
    el('p', { class: `status-badge status-${incident.status}`, 'data-testid': 'incident-status' }, STATUS_LABELS[incident.status] ?? incident.status),
    summary,
    latest === undefined
      ? null
      : el(
          'p',
          { class: 'muted history' },
          `Revision ${incident.revision}: ${latest.action} by ${latest.by} on ${formatPublished(latest.at)}`,
          revisions.length > 1 ? ` (${revisions.length} changes in all)` : '',
        ),
    mentions.length === 0 ? null : el('p', { class: 'muted hint' }, 'Point at a field to see the sentences it comes from; click to step through them.'),
  );
  head.querySelector('button.back')?.addEventListener('click', () => handlers.onBack());

  const review =
    handlers.canChange === true && incident.status !== 'rejected'
      ? el('a', { class: 'review-link', href: `./review.html?incident=${encodeURIComponent(incident.id)}`, 'data-testid': 'review-this' }, 'Review this incident')
      : null;
  const history = el('section', { class: 'history-section', 'data-testid': 'history', 'aria-labelledby': 'history-heading' }, el('p', { class: 'muted' }, 'Loading the history…'));
  panel.replaceChildren(
    el(
      'div',
      { class: 'detail', 'data-testid': 'incident-detail', 'data-incident-id': incident.id },
      head,
      review,
      renderCasualties(detail),
      renderAttributions(detail),
      renderSources(detail),
      evidence,
      history,
    ),
  );
  panel.setAttribute('aria-label', `Incident: ${incidentTitle(fields)}`);
  return heading;
}

/** The title of an incident, or a description made of what is known when it has none. */
export function incidentTitle(fields: IncidentFields): string {
  if (fields.title !== null && fields.title.trim() !== '') return fields.title;
  const what = fields.attackTypes[0] === undefined ? 'Incident' : codeLabel(fields.attackTypes[0]);
  return fields.location === null ? what : `${what} in ${formatPlaceName(fields.location)}`;
}

function summaryRows(detail: IncidentDetail): SummaryRow[] {
  const fields = detail.incident.fields;
  const rows: SummaryRow[] = [];
  rows.push({
    label: 'Date',
    fields: ['date'],
    testId: 'field-date',
    value: fields.date === null ? 'unknown' : [formatDateRange(fields.date), el('span', { class: 'sub' }, datePrecisionText(fields.date))],
  });
  rows.push({
    label: 'Place',
    fields: ['location'],
    testId: 'field-location',
    value:
      fields.location === null
        ? 'unknown'
        : [formatPlaceName(fields.location), el('span', { class: 'sub' }, placePrecisionText(fields.location))],
  });
  rows.push({
    label: 'Perpetrators',
    fields: ['perpetrators', 'perpetratorMentions'],
    testId: 'field-perpetrators',
    value:
      fields.perpetrators.length === 0
        ? 'not named'
        : el(
            'ul',
            { class: 'plain' },
            ...fields.perpetrators.map((perpetrator) =>
              el(
                'li',
                {},
                perpetrator.name,
                ' ',
                el('span', { class: `attribution attribution-${perpetrator.attribution}` }, ATTRIBUTION_LABELS[perpetrator.attribution] ?? perpetrator.attribution),
                perpetrator.attributedBy === null || perpetrator.attributedBy === undefined ? '' : el('span', { class: 'sub inline' }, ` by ${perpetrator.attributedBy}`),
              ),
            ),
          ),
  });
  const codes = (values: readonly string[]): string => (values.length === 0 ? 'unknown' : values.map(codeLabel).join(', '));
  rows.push({ label: 'Attack type', fields: ['attackTypes'], testId: 'field-attackTypes', value: codes(fields.attackTypes) });
  rows.push({ label: 'Target type', fields: ['targetTypes', 'targets', 'victims'], testId: 'field-targetTypes', value: codes(fields.targetTypes) });
  rows.push({ label: 'Weapon type', fields: ['weaponTypes', 'weapons'], testId: 'field-weaponTypes', value: codes(fields.weaponTypes) });
  if (fields.suicide !== null) rows.push({ label: 'Suicide attack', fields: ['suicide'], testId: 'field-suicide', value: fields.suicide ? 'yes' : 'no' });
  rows.push(rangeRow('Killed', 'killed', fields.killed));
  rows.push(rangeRow('Wounded', 'wounded', fields.wounded));
  if (fields.perpetratorsKilled !== null) rows.push(rangeRow('Perpetrators killed', 'perpetratorsKilled', fields.perpetratorsKilled));
  if (fields.claimedKilled !== null) rows.push({ ...rangeRow('Killed, as claimed', 'killed', fields.claimedKilled), testId: 'field-claimedKilled' });
  if (fields.claimedWounded !== null) rows.push({ ...rangeRow('Wounded, as claimed', 'wounded', fields.claimedWounded), testId: 'field-claimedWounded' });
  return rows;
}

function rangeRow(label: string, field: EvidenceField, range: Range | null): SummaryRow {
  const detail = rangeDetail(range);
  return {
    label,
    fields: [field],
    testId: `field-${field}`,
    value: [formatRange(range), detail === '' ? null : el('span', { class: 'sub' }, detail)],
  };
}

function renderRow(row: SummaryRow, present: ReadonlySet<string>, navigator: EvidenceNavigator): HTMLElement {
  const fields = row.fields.filter((field) => present.has(field));
  const primary = fields[0];
  const value = el('dd', {}, ...(Array.isArray(row.value) ? row.value : [row.value]));
  if (primary === undefined) {
    return el('div', { class: 'row', 'data-testid': row.testId }, el('dt', {}, row.label), value);
  }
  const button = el(
    'button',
    { type: 'button', class: 'field-button', 'data-field': primary, 'aria-describedby': 'evidence-heading', title: `Show the evidence for “${row.label}”` },
    el('span', { class: 'field-swatch', 'data-field': primary, 'aria-hidden': 'true' }),
    row.label,
  );
  const item = el('div', { class: 'row has-evidence', 'data-testid': row.testId, 'data-field': fields.join(' ') }, el('dt', {}, button), value);
  item.addEventListener('mouseenter', () => navigator.preview(fields));
  item.addEventListener('mouseleave', () => navigator.clear());
  button.addEventListener('focus', () => navigator.preview(fields));
  button.addEventListener('blur', () => navigator.clear());
  button.addEventListener('click', () => {
    navigator.next(fields);
  });
  return item;
}

function renderDocument(document: Document, detail: IncidentDetail, navigator: EvidenceNavigator): HTMLElement {
  const { text, fields } = renderEvidenceText(document, detail.mentions);
  const url = safeHttpUrl(document.url);
  const title = document.title !== null && document.title.trim() !== '' ? document.title : 'Untitled report';
  const legend =
    fields.length === 0
      ? el('p', { class: 'muted' }, 'No evidence was marked in this report.')
      : el(
          'ul',
          { class: 'field-legend', 'aria-label': 'Evidence marked in this report', 'data-testid': 'field-legend' },
          ...fields.map((field) => {
            const button = el(
              'button',
              { type: 'button', 'data-field': field, title: `Go to the evidence for “${EVIDENCE_FIELD_LABELS[field]}”` },
              el('span', { class: 'field-swatch', 'data-field': field, 'aria-hidden': 'true' }),
              EVIDENCE_FIELD_LABELS[field],
            );
            button.addEventListener('click', () => navigator.next([field]));
            return el('li', {}, button);
          }),
        );
  return el(
    'article',
    { class: 'document', 'data-testid': 'document', 'data-document-id': document.id },
    el('h4', {}, title),
    el(
      'p',
      { class: 'doc-meta' },
      el('span', { class: 'doc-kind' }, DOCUMENT_KIND_LABELS[document.kind] ?? document.kind),
      ' · ',
      formatPublished(document.publishedAt),
      url === null ? (document.url === null ? '' : [' · ', document.url].join('')) : ' · ',
      url === null ? null : el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank', class: 'doc-url' }, url),
    ),
    legend,
    text,
  );
}
