import type { EvidenceField } from './evidence.js';

const reducedMotion = (): boolean => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Connects the summary of an incident to the marked evidence in its reports: pointing at a field
 * highlights its marks and brings the first into view; clicking steps through them one by one.
 */
export class EvidenceNavigator {
  readonly #root: HTMLElement;
  readonly #position = new Map<string, number>();

  constructor(root: HTMLElement) {
    this.#root = root;
  }

  /** The marks supporting any of the fields, in document order. */
  marks(fields: readonly EvidenceField[]): HTMLElement[] {
    const selector = fields.map((field) => `mark[data-field~="${field}"]`).join(', ');
    return selector === '' ? [] : [...this.#root.querySelectorAll<HTMLElement>(selector)];
  }

  /** Highlights the evidence of the fields and scrolls the first piece into view. */
  preview(fields: readonly EvidenceField[]): void {
    this.clear();
    const marks = this.marks(fields);
    for (const mark of marks) mark.classList.add('is-active');
    marks[0]?.scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
  }

  /** Removes every highlight. */
  clear(): void {
    for (const mark of this.#root.querySelectorAll('mark.is-active')) mark.classList.remove('is-active');
  }

  /**
   * Moves to the next piece of evidence of the fields, wrapping around, and focuses it so that
   * keyboard and screen-reader users land on the sentence. Returns the mark, or null if none.
   */
  next(fields: readonly EvidenceField[]): HTMLElement | null {
    const marks = this.marks(fields);
    if (marks.length === 0) return null;
    const key = fields.join(' ');
    const index = ((this.#position.get(key) ?? -1) + 1) % marks.length;
    this.#position.set(key, index);
    this.clear();
    for (const mark of marks) mark.classList.add('is-active');
    const mark = marks[index] as HTMLElement;
    mark.classList.add('is-current');
    window.setTimeout(() => mark.classList.remove('is-current'), 1200);
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: 'center', behavior: reducedMotion() ? 'auto' : 'smooth' });
    return mark;
  }
}
