import { flatActorTree } from './actors.js';
import { el } from './dom.js';
import { parseCode, parseCountry, parseDay, type ColourBy, type FilterState } from './filter-state.js';
import { ATTACK_TYPE_COLOURS, ATTRIBUTION_LABELS, codeLabel, countryName, STATUS_LABELS } from './labels.js';

/** The filter form at the top of the page, bound to a state it reads and writes. */
export class FilterBar {
  readonly #form: HTMLFormElement;
  readonly #from: HTMLInputElement;
  readonly #to: HTMLInputElement;
  readonly #country: HTMLInputElement;
  readonly #actor: HTMLSelectElement;
  readonly #attack: HTMLSelectElement;
  readonly #attribution: HTMLSelectElement;
  readonly #status: HTMLSelectElement;
  readonly #colour: HTMLSelectElement;
  readonly #hint: HTMLElement;
  #timer: number | undefined;

  /** Binds the form; `onChange` is called with the new filters whenever they change. */
  constructor(form: HTMLFormElement, hint: HTMLElement, onChange: (state: FilterState) => void) {
    this.#form = form;
    this.#from = input(form, 'from');
    this.#to = input(form, 'to');
    this.#country = input(form, 'country');
    this.#actor = select(form, 'actor');
    this.#attack = select(form, 'attack');
    this.#attribution = select(form, 'attribution');
    this.#status = select(form, 'status');
    this.#colour = select(form, 'colour');
    this.#hint = hint;
    fill(this.#actor, 'Any actor', flatActorTree().map((node) => [node.actor.id, `${'\u2003'.repeat(node.depth)}${node.depth > 0 ? '└ ' : ''}${node.actor.name}`]));
    fill(this.#attack, 'Any attack type', ATTACK_TYPE_COLOURS.map(([type]) => [type, codeLabel(type)]));
    fill(this.#attribution, 'Any attribution', Object.entries(ATTRIBUTION_LABELS).map(([kind, label]) => [kind, label.charAt(0).toUpperCase() + label.slice(1)]));
    fill(this.#status, 'Any review status', Object.entries(STATUS_LABELS).map(([status, label]) => [status, label]));
    const changed = (): void => {
      window.clearTimeout(this.#timer);
      const state = this.read();
      if (state !== null) onChange(state);
    };
    for (const control of [this.#from, this.#to, this.#country, this.#actor, this.#attack, this.#attribution, this.#status, this.#colour]) {
      control.addEventListener('change', changed);
    }
    this.#country.addEventListener('input', () => {
      window.clearTimeout(this.#timer);
      this.#timer = window.setTimeout(changed, 350);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      changed();
    });
    form.addEventListener('reset', () => window.setTimeout(changed, 0));
  }

  /** Puts a state into the inputs. */
  write(state: FilterState): void {
    this.#from.value = state.from ?? '';
    this.#to.value = state.to ?? '';
    this.#country.value = state.country ?? '';
    this.#actor.value = state.actor ?? '';
    if (this.#actor.value !== (state.actor ?? '')) this.#actor.value = '';
    this.#attack.value = state.attack ?? '';
    this.#attribution.value = state.attribution ?? '';
    this.#status.value = state.status ?? '';
    this.#colour.value = state.colour ?? 'attack';
    this.#validate();
  }

  /** The filters the inputs hold, or null while one of them is not valid yet. */
  read(): FilterState | null {
    if (!this.#validate()) return null;
    const country = this.#country.value.trim();
    const optional = (value: string): string | undefined => (value === '' ? undefined : value);
    return {
      from: parseDay(this.#from.value),
      to: parseDay(this.#to.value),
      country: country === '' ? undefined : parseCountry(country),
      actor: parseCode(this.#actor.value),
      attack: parseCode(this.#attack.value),
      attribution: optional(this.#attribution.value),
      status: optional(this.#status.value),
      colour: this.#colour.value === 'actor' ? ('actor' as ColourBy) : undefined,
    };
  }

  #validate(): boolean {
    const raw = this.#country.value.trim();
    const code = parseCountry(raw);
    const countryOk = raw === '' || code !== undefined;
    this.#country.setAttribute('aria-invalid', String(!countryOk));
    const from = parseDay(this.#from.value);
    const to = parseDay(this.#to.value);
    const orderOk = from === undefined || to === undefined || from <= to;
    this.#to.setCustomValidity(orderOk ? '' : 'The end date is before the start date.');
    this.#to.setAttribute('aria-invalid', String(!orderOk));
    this.#hint.textContent = !orderOk
      ? 'The end date is before the start date'
      : raw === ''
        ? 'ISO code, e.g. NG'
        : code === undefined
          ? 'Two letters, e.g. NG for Nigeria'
          : countryName(code);
    this.#form.classList.toggle('has-error', !countryOk || !orderOk);
    return countryOk && orderOk;
  }
}

function fill(control: HTMLSelectElement, none: string, options: ReadonlyArray<readonly [string, string]>): void {
  control.replaceChildren(el('option', { value: '' }, none), ...options.map(([value, label]) => el('option', { value }, label)));
}

function input(form: HTMLFormElement, name: string): HTMLInputElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement)) throw new Error(`The filter form has no input named "${name}"`);
  return element;
}

function select(form: HTMLFormElement, name: string): HTMLSelectElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLSelectElement)) throw new Error(`The filter form has no select named "${name}"`);
  return element;
}
