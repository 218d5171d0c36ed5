import { el } from './dom.js';
import { ATTACK_TYPE_COLOURS, codeLabel } from './labels.js';

/**
 * Fills the map legend: the colour of each attack type, the difference between a located incident
 * (a dot) and one known only to its province or country (a hollow circle), and what size means.
 * Only attack types present in `present` are listed, or all when it is empty.
 */
export function renderMapLegend(container: HTMLElement, present: ReadonlySet<string> = new Set()): void {
  const types = ATTACK_TYPE_COLOURS.filter(([type]) => present.size === 0 || present.has(type));
  container.replaceChildren(
    el('h2', { class: 'legend-title' }, 'Attack type'),
    el(
      'ul',
      { class: 'legend-list' },
      ...types.map(([type, colour]) =>
        el('li', {}, swatch('dot', colour), codeLabel(type)),
      ),
    ),
    el('h2', { class: 'legend-title' }, 'Location'),
    el(
      'ul',
      { class: 'legend-list' },
      el('li', {}, swatch('dot', null), 'Town or exact place'),
      el('li', {}, swatch('area', null), 'Province or country only'),
    ),
    el('p', { class: 'legend-note' }, 'Dot size: killed + wounded'),
  );
}

function swatch(shape: 'dot' | 'area', colour: string | null): HTMLSpanElement {
  const span = el('span', { class: `swatch ${shape}`, 'aria-hidden': 'true' });
  if (colour !== null) span.style.setProperty('--swatch', colour);
  return span;
}
