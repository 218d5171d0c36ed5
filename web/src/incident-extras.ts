import type { Incident, Range, SourcedFigure } from '../../src/core/model.js';
import type { HistoryEntry, IncidentDetail } from './api-client.js';
import { append, el, safeHttpUrl } from './dom.js';
import { formatPublished } from './format.js';
import { ATTRIBUTION_LABELS } from './labels.js';

const FIGURE_LABELS: Readonly<Record<SourcedFigure['field'], string>> = {
  killed: 'Killed',
  wounded: 'Wounded',
  perpetratorsKilled: 'Perpetrators killed',
  hostages: 'Hostages',
};

function value(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : String(n);
}

function rangeCells(range: Range | null | undefined): HTMLTableCellElement[] {
  return [el('td', {}, value(range?.low)), el('td', { class: 'best' }, value(range?.best)), el('td', {}, value(range?.high))];
}

function documentTitle(detail: IncidentDetail, documentId: string): string {
  const document = detail.documents.find((item) => item.id === documentId);
  return document?.title ?? document?.externalId ?? documentId.slice(0, 10);
}

/**
 * Casualty ranges: for killed and wounded the reconciled low/best/high as reported next to the
 * figures the perpetrators claimed, then every report's own figure, so disagreements show.
 */
export function renderCasualties(detail: IncidentDetail): HTMLElement {
  const fields = detail.incident.fields;
  const head = el('tr', {}, el('th', { scope: 'col' }, ''), el('th', { scope: 'col', colspan: '3' }, 'Reported (low / best / high)'), el('th', { scope: 'col', colspan: '3' }, 'Claimed (low / best / high)'));
  const rows = [
    el('tr', { 'data-testid': 'casualties-killed' }, el('th', { scope: 'row' }, 'Killed'), ...rangeCells(fields.killed), ...rangeCells(fields.claimedKilled)),
    el('tr', { 'data-testid': 'casualties-wounded' }, el('th', { scope: 'row' }, 'Wounded'), ...rangeCells(fields.wounded), ...rangeCells(fields.claimedWounded)),
  ];
  const figures = fields.figures ?? [];
  const perReport =
    figures.length === 0
      ? null
      : el(
          'table',
          { class: 'figures', 'data-testid': 'figures-by-report' },
          el('caption', {}, 'Each report’s figures'),
          el('tr', {}, ...['Report', 'Figure', 'Kind', 'Low', 'Best', 'High'].map((label) => el('th', { scope: 'col' }, label))),
          ...figures.map((figure) =>
            el(
              'tr',
              { class: `figure-${figure.kind}` },
              el('td', {}, documentTitle(detail, figure.documentId)),
              el('td', {}, FIGURE_LABELS[figure.field]),
              el('td', {}, el('span', { class: `kind kind-${figure.kind}` }, figure.kind)),
              el('td', {}, value(figure.low)),
              el('td', {}, value(figure.best)),
              el('td', {}, value(figure.high)),
            ),
          ),
        );
  return el(
    'section',
    { class: 'casualties', 'data-testid': 'casualties', 'aria-labelledby': 'casualties-heading' },
    el('h3', { id: 'casualties-heading' }, 'Casualties: reported and claimed'),
    el('table', { class: 'ranges' }, head, ...rows),
    perReport,
  );
}

/** Every report's attribution with its kind (claimed by the group, attributed by others, …) and who makes it. */
export function renderAttributions(detail: IncidentDetail): HTMLElement {
  const list = detail.incident.fields.attributions ?? detail.incident.fields.perpetrators.map((p) => ({ ...p, documentId: '', mentionId: '', sourceId: null }));
  return el(
    'section',
    { class: 'attributions', 'data-testid': 'attributions', 'aria-labelledby': 'attributions-heading' },
    el('h3', { id: 'attributions-heading' }, 'Attributions'),
    list.length === 0
      ? el('p', { class: 'muted' }, 'No report names a perpetrator.')
      : el(
          'ul',
          { class: 'plain' },
          ...list.map((item) =>
            el(
              'li',
              { 'data-testid': 'attribution', 'data-kind': item.attribution },
              item.name,
              ' ',
              el('span', { class: `attribution attribution-${item.attribution}` }, ATTRIBUTION_LABELS[item.attribution] ?? item.attribution),
              item.attributedBy === null || item.attributedBy === undefined ? '' : el('span', { class: 'sub inline' }, ` by ${item.attributedBy}`),
              item.documentId === '' ? '' : el('span', { class: 'sub' }, `in “${documentTitle(detail, item.documentId)}”`),
            ),
          ),
        ),
  );
}

/** All sources of the incident: each report with its kind, date and link. */
export function renderSources(detail: IncidentDetail): HTMLElement {
  return el(
    'section',
    { class: 'sources', 'data-testid': 'sources', 'aria-labelledby': 'sources-heading' },
    el('h3', { id: 'sources-heading' }, detail.documents.length === 1 ? '1 source' : `${detail.documents.length} sources`),
    el(
      'ol',
      { class: 'plain' },
      ...detail.documents.map((document) => {
        const url = safeHttpUrl(document.url);
        return el(
          'li',
          { 'data-testid': 'source' },
          el('span', { class: 'source-title' }, document.title ?? 'Untitled report'),
          el('span', { class: 'sub' }, `${document.kind.replace(/_/g, ' ')} · ${formatPublished(document.publishedAt)} · source ${document.sourceId}`),
          url === null ? null : el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank', class: 'doc-url' }, url),
        );
      }),
    ),
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** The revision history, newest first: who did what, when, why, and the values before and after. */
export function renderHistory(container: HTMLElement, history: readonly HistoryEntry[], incident?: Pick<Incident, 'mergedInto'>): void {
  container.replaceChildren(el('h3', { id: 'history-heading' }, 'History'));
  append(
    container,
    incident?.mergedInto === null || incident?.mergedInto === undefined ? null : el('p', { class: 'notice' }, `Merged into incident ${incident.mergedInto}.`),
    el(
      'ol',
      { class: 'history-list', reversed: '' },
      ...[...history].reverse().map((entry) =>
        el(
          'li',
          { 'data-testid': 'history-entry', 'data-action': entry.action, 'data-revision': String(entry.revision) },
          el('span', { class: 'history-what' }, `${entry.revision}. ${entry.action}`),
          ` by ${entry.by}, ${formatPublished(entry.at)}`,
          entry.reason === null || entry.reason === '' ? null : el('q', { class: 'history-reason' }, entry.reason),
          entry.changes.length === 0
            ? null
            : el(
                'ul',
                { class: 'history-changes' },
                ...entry.changes.map((change) => el('li', {}, el('code', {}, change.key), ': ', show(change.before), ' → ', show(change.after))),
              ),
          entry.alsoChanged.length === 0 ? null : el('span', { class: 'sub' }, `also changed: ${entry.alsoChanged.join(', ')}`),
        ),
      ),
    ),
  );
}
