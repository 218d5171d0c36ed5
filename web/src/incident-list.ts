import { isLocated, type IncidentFeature } from './api-client.js';
import { el } from './dom.js';
import { formatDateRange } from './format.js';
import { ATTACK_TYPE_COLOURS, codeLabel, countryName, PLACE_PRECISION_LABELS, UNKNOWN_ATTACK_COLOUR } from './labels.js';

const colours = new Map<string, string>(ATTACK_TYPE_COLOURS);

/** The most incidents listed in the panel: a longer list costs more to draw than it helps to read. */
export const LIST_LIMIT = 300;

/**
 * Renders the incidents on the map as a list of buttons: the keyboard and screen-reader way to the
 * same incidents the map shows. `onSelect` is called with the id of the chosen incident.
 */
export function renderIncidentList(
  panel: HTMLElement,
  features: readonly IncidentFeature[],
  options: { truncated: boolean; onSelect: (id: string) => void },
): void {
  const list = el('ol', { class: 'incident-list', 'data-testid': 'incident-list' });
  for (const feature of features.slice(0, LIST_LIMIT)) {
    const p = feature.properties;
    const attack = p.attackTypes[0] ?? 'unknown';
    const swatch = el('span', { class: `swatch ${p.precision === 'admin1' || p.precision === 'country' ? 'area' : 'dot'}`, 'aria-hidden': 'true' });
    swatch.style.setProperty('--swatch', colours.get(attack) ?? UNKNOWN_ATTACK_COLOUR);
    const where = [p.place, p.country === null ? null : countryName(p.country)].filter((part): part is string => part !== null && part !== '');
    const toll = [p.killed === null ? null : `${p.killed} killed`, p.wounded === null ? null : `${p.wounded} wounded`].filter((part) => part !== null);
    const button = el(
      'button',
      { type: 'button', class: 'incident-item', 'data-testid': 'incident-item', 'data-incident-id': p.id },
      swatch,
      el(
        'span',
        { class: 'item-body' },
        el('span', { class: 'item-title' }, p.title ?? `${codeLabel(attack)}${where.length > 0 ? ` in ${where.join(', ')}` : ''}`),
        el(
          'span',
          { class: 'item-meta' },
          [listDate(p), where.join(', ') || 'place unknown', ...toll].join(' · '),
          p.precision === 'admin1' || p.precision === 'country' ? ` · ${PLACE_PRECISION_LABELS[p.precision]}` : '',
          isLocated(feature) ? '' : ' · not on the map (no coordinates)',
        ),
      ),
    );
    button.addEventListener('click', () => options.onSelect(p.id));
    list.append(el('li', {}, button));
  }
  panel.replaceChildren(
    el(
      'div',
      { class: 'list-view' },
      el('h2', { class: 'list-title' }, features.length === 1 ? '1 incident' : `${features.length} incidents`),
      el('p', { class: 'muted hint' }, features.length === 0 ? 'No incident matches these filters. Widen the dates or clear the country.' : 'Select an incident on the map or below to read its reports and the evidence behind each figure.'),
      options.truncated ? el('p', { class: 'notice' }, 'Only the newest incidents are shown. Narrow the dates or pick a country to see the rest.') : null,
      list,
      features.length > LIST_LIMIT
        ? el('p', { class: 'muted hint', 'data-testid': 'list-more' }, `The newest ${LIST_LIMIT} are listed; all ${features.length.toLocaleString('en')} are on the map. Narrow the filters to list the others.`)
        : null,
    ),
  );
  panel.setAttribute('aria-label', 'Incidents');
}

/** Shows a message in the panel (loading, or an error that says what to do next). */
export function renderPanelMessage(panel: HTMLElement, message: string, options: { error?: boolean; onBack?: () => void } = {}): void {
  const back = options.onBack === undefined ? null : el('button', { type: 'button', class: 'back', 'data-testid': 'panel-back' }, '← All incidents');
  if (back !== null && options.onBack !== undefined) back.addEventListener('click', options.onBack);
  panel.replaceChildren(
    el('div', { class: 'message-view' }, back, el('p', { class: options.error === true ? 'error' : 'muted', role: options.error === true ? 'alert' : undefined }, message)),
  );
}

function listDate(p: IncidentFeature['properties']): string {
  if (p.date === null) return 'date unknown';
  const precision = p.datePrecision === 'week' || p.datePrecision === 'month' || p.datePrecision === 'year' ? p.datePrecision : 'day';
  return formatDateRange({ start: p.date, end: p.dateEnd ?? p.date, precision });
}
