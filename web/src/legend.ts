import { ACTOR_COLOURS, actorName, OTHER_ACTOR_COLOUR, topActor } from './actors.js';
import { el } from './dom.js';
import type { ColourBy } from './filter-state.js';
import { ATTACK_TYPE_COLOURS, codeLabel } from './labels.js';

/**
 * Fills the map legend: the colour of each attack type or actor family, the difference between a
 * located incident (a dot), one known only to an area (a shaded disc of the area's radius, as the
 * map draws it zoomed out; zoomed in, its edge is dashed: see AREA_SHAPE_ZOOM) and a cluster, and
 * what size means. With `present` non-empty, only the keys in it are listed.
 */
export function renderMapLegend(container: HTMLElement, present: ReadonlySet<string> = new Set(), by: ColourBy = 'attack'): void {
  const families = new Set([...present].map((id) => topActor(id)));
  const entries: [string, string][] =
    by === 'actor'
      ? [...ACTOR_COLOURS.filter(([id]) => present.size === 0 || families.has(id)).map(([id, colour]): [string, string] => [actorName(id), colour]), ['Other or unknown', OTHER_ACTOR_COLOUR]]
      : ATTACK_TYPE_COLOURS.filter(([type]) => present.size === 0 || present.has(type)).map(([type, colour]): [string, string] => [codeLabel(type), colour]);
  container.replaceChildren(
    el('h2', { class: 'legend-title' }, by === 'actor' ? 'Actor' : 'Attack type'),
    el('ul', { class: 'legend-list', 'data-testid': 'legend-entries' }, ...entries.map(([label, colour]) => el('li', {}, swatch('dot', colour), label))),
    el('h2', { class: 'legend-title' }, 'Location'),
    el(
      'ul',
      { class: 'legend-list' },
      el('li', {}, swatch('dot', null), 'Town or exact place'),
      el('li', {}, swatch('area', null), 'Province or country only: the shaded area it may lie in (edge dashed when zoomed in)'),
      el('li', {}, swatch('cluster', null), 'Several incidents (click to zoom in)'),
    ),
    el('p', { class: 'legend-note' }, 'Dot size: killed + wounded'),
  );
}

function swatch(shape: 'dot' | 'area' | 'cluster', colour: string | null): HTMLSpanElement {
  const span = el('span', { class: `swatch ${shape}`, 'aria-hidden': 'true' });
  if (colour !== null) span.style.setProperty('--swatch', colour);
  return span;
}
