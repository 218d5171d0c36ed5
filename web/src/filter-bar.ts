import { parseCountry, parseDay, type FilterState } from './filter-state.js';
import { countryName } from './labels.js';

/** The filter form at the top of the page, bound to a state it reads and writes. */
export class FilterBar {
  readonly #form: HTMLFormElement;
  readonly #from: HTMLInputElement;
  readonly #to: HTMLInputElement;
  readonly #country: HTMLInputElement;
  readonly #hint: HTMLElement;
  #timer: number | undefined;

  /** Binds the form; `onChange` is called with the new filters whenever they change. */
  constructor(form: HTMLFormElement, hint: HTMLElement, onChange: (state: FilterState) => void) {
    this.#form = form;
    this.#from = input(form, 'from');
    this.#to = input(form, 'to');
    this.#country = input(form, 'country');
    this.#hint = hint;
    const changed = (): void => {
      window.clearTimeout(this.#timer);
      const state = this.read();
      if (state !== null) onChange(state);
    };
    this.#from.addEventListener('change', changed);
    this.#to.addEventListener('change', changed);
    this.#country.addEventListener('input', () => {
      window.clearTimeout(this.#timer);
      this.#timer = window.setTimeout(changed, 350);
    });
    this.#country.addEventListener('change', changed);
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
    this.#validate();
  }

  /** The filters the inputs hold, or null while one of them is not valid yet. */
  read(): FilterState | null {
    if (!this.#validate()) return null;
    const country = this.#country.value.trim();
    return { from: parseDay(this.#from.value), to: parseDay(this.#to.value), country: country === '' ? undefined : parseCountry(country) };
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

function input(form: HTMLFormElement, name: string): HTMLInputElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement)) throw new Error(`The filter form has no input named "${name}"`);
  return element;
}
