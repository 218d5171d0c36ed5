import { ApiError, searchPlaces, type PlaceHit } from './api-client.js';
import { el } from './dom.js';
import { countryName, PLACE_PRECISION_LABELS } from './labels.js';

/**
 * The place search box: as the user types, places from `/api/places` are offered; choosing one
 * (click, or Enter for the first) hands it to `onPick`, which flies the map there.
 */
export class PlaceSearch {
  readonly #input: HTMLInputElement;
  readonly #list: HTMLUListElement;
  #hits: PlaceHit[] = [];
  #timer: number | undefined;
  #request: AbortController | null = null;

  constructor(form: HTMLFormElement, list: HTMLUListElement, onPick: (hit: PlaceHit) => void) {
    const input = form.elements.namedItem('q');
    if (!(input instanceof HTMLInputElement)) throw new Error('The place search has no input named "q"');
    this.#input = input;
    this.#list = list;
    const pick = (hit: PlaceHit | undefined): void => {
      if (hit === undefined) return;
      this.#input.value = hit.name;
      this.#list.hidden = true;
      onPick(hit);
    };
    input.addEventListener('input', () => {
      window.clearTimeout(this.#timer);
      this.#timer = window.setTimeout(() => void this.#search(pick), 200);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#list.hidden = true;
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      window.clearTimeout(this.#timer);
      if (this.#hits.length > 0 && !this.#list.hidden) pick(this.#hits[0]);
      else void this.#search(pick).then(() => pick(this.#hits[0]));
    });
  }

  async #search(pick: (hit: PlaceHit) => void): Promise<void> {
    const q = this.#input.value.trim();
    this.#request?.abort();
    if (q === '') {
      this.#hits = [];
      this.#list.hidden = true;
      return;
    }
    const request = new AbortController();
    this.#request = request;
    try {
      this.#hits = await searchPlaces(q, request.signal);
    } catch (error) {
      if (request.signal.aborted) return;
      this.#hits = [];
      this.#list.replaceChildren(el('li', { class: 'error' }, error instanceof ApiError ? error.message : 'The place search failed.'));
      this.#list.hidden = false;
      return;
    }
    if (request.signal.aborted) return;
    this.#list.replaceChildren(
      ...(this.#hits.length === 0
        ? [el('li', { class: 'muted' }, 'No place of that name')]
        : this.#hits.map((hit) => {
            const button = el(
              'button',
              { type: 'button', role: 'option', 'data-testid': 'place-hit' },
              hit.name,
              el('span', { class: 'sub' }, [hit.admin1, hit.country === null ? null : countryName(hit.country)].filter(Boolean).join(', '), ' · ', PLACE_PRECISION_LABELS[hit.precision] ?? hit.precision),
            );
            button.addEventListener('click', () => pick(hit));
            return el('li', {}, button);
          })),
    );
    this.#list.hidden = false;
  }
}
