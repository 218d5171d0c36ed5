import type { IncidentFeature } from './api-client.js';

const SVG = 'http://www.w3.org/2000/svg';
const DAY_MS = 86_400_000;

/** One bar of the histogram: incidents whose date falls in [start, end). */
export interface Bin {
  /** YYYY-MM-DD, first day of the bin. */
  start: string;
  /** YYYY-MM-DD, first day after the bin. */
  end: string;
  count: number;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function ms(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The Monday on or before a day (ISO weeks). */
function weekStart(t: number): number {
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return t - weekday * DAY_MS;
}

function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * Counts incidents per week (spans up to 40 weeks) or per month (longer), by the first day of
 * their date range; incidents without a date are left out. Empty bins between are kept.
 */
export function binIncidents(features: readonly IncidentFeature[]): { unit: 'week' | 'month'; bins: Bin[] } {
  const days = features.map((f) => f.properties.date).filter((d): d is string => typeof d === 'string' && !Number.isNaN(ms(d)));
  if (days.length === 0) return { unit: 'month', bins: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const day of days) {
    const t = ms(day);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const unit = max - min <= 40 * 7 * DAY_MS ? 'week' : 'month';
  const first = unit === 'week' ? weekStart(min) : monthStart(min);
  const step = (t: number): number => (unit === 'week' ? t + 7 * DAY_MS : nextMonth(t));
  const bins: Bin[] = [];
  const index = new Map<string, Bin>();
  for (let t = first; t <= max; t = step(t)) {
    const bin = { start: dayOf(t), end: dayOf(step(t)), count: 0 };
    bins.push(bin);
    index.set(bin.start, bin);
  }
  for (const day of days) {
    const t = ms(day);
    const key = dayOf(unit === 'week' ? weekStart(t) : monthStart(t));
    const bin = index.get(key);
    if (bin !== undefined) bin.count += 1;
  }
  return { unit, bins };
}

/**
 * The histogram under the map: incidents per week or month. Dragging across it selects a date
 * range (whole bins; a click picks one bin), handed to `onBrush`; a double click clears the dates.
 */
export class Timeline {
  readonly #container: HTMLElement;
  readonly #onBrush: (from: string | undefined, to: string | undefined) => void;
  #bins: Bin[] = [];

  constructor(container: HTMLElement, onBrush: (from: string | undefined, to: string | undefined) => void) {
    this.#container = container;
    this.#onBrush = onBrush;
  }

  /** Draws the histogram of the incidents, the selected range highlighted. */
  render(features: readonly IncidentFeature[], selected: { from?: string | undefined; to?: string | undefined }): void {
    const { unit, bins } = binIncidents(features);
    this.#bins = bins;
    const width = Math.max(200, this.#container.clientWidth || 800);
    const height = 72;
    const axis = 16;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('role', 'img');
    svg.setAttribute('data-testid', 'timeline-svg');
    svg.setAttribute('data-unit', unit);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = bins.length === 0 ? 'No dated incidents' : `Incidents per ${unit}, ${bins[0]?.start} to ${bins.at(-1)?.end}; drag to choose dates`;
    svg.append(title);
    const peak = Math.max(1, ...bins.map((b) => b.count));
    const barWidth = bins.length === 0 ? 0 : width / bins.length;
    bins.forEach((bin, i) => {
      const h = ((height - axis - 4) * bin.count) / peak;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', String(i * barWidth + 0.5));
      rect.setAttribute('y', String(height - axis - h));
      rect.setAttribute('width', String(Math.max(1, barWidth - 1)));
      rect.setAttribute('height', String(h));
      const inside = (selected.from === undefined || bin.end > selected.from) && (selected.to === undefined || bin.start <= selected.to);
      rect.setAttribute('class', inside ? 'bar' : 'bar outside');
      rect.setAttribute('data-start', bin.start);
      rect.setAttribute('data-count', String(bin.count));
      const tip = document.createElementNS(SVG, 'title');
      tip.textContent = `${unit === 'week' ? 'Week of' : 'Month of'} ${bin.start}: ${bin.count} incident${bin.count === 1 ? '' : 's'}`;
      rect.append(tip);
      svg.append(rect);
    });
    const labelEvery = Math.max(1, Math.ceil(bins.length / Math.max(1, Math.floor(width / 70))));
    bins.forEach((bin, i) => {
      if (i % labelEvery !== 0) return;
      const text = document.createElementNS(SVG, 'text');
      text.setAttribute('x', String(i * barWidth + 2));
      text.setAttribute('y', String(height - 3));
      text.setAttribute('class', 'tick');
      text.textContent = unit === 'month' ? bin.start.slice(0, 7) : bin.start.slice(5);
      svg.append(text);
    });
    const brush = document.createElementNS(SVG, 'rect');
    brush.setAttribute('class', 'brush');
    brush.setAttribute('y', '0');
    brush.setAttribute('height', String(height - axis));
    brush.setAttribute('width', '0');
    svg.append(brush);
    this.#bindBrush(svg, brush, barWidth);
    this.#container.replaceChildren(svg);
  }

  #bindBrush(svg: SVGSVGElement, brush: SVGRectElement, barWidth: number): void {
    let anchor: number | null = null;
    const binAt = (event: PointerEvent): number => {
      const box = svg.getBoundingClientRect();
      const x = ((event.clientX - box.left) / Math.max(1, box.width)) * Number(svg.getAttribute('width'));
      return Math.min(this.#bins.length - 1, Math.max(0, Math.floor(x / Math.max(1, barWidth))));
    };
    svg.addEventListener('pointerdown', (event) => {
      if (this.#bins.length === 0) return;
      anchor = binAt(event);
      svg.setPointerCapture(event.pointerId);
      brush.setAttribute('x', String(anchor * barWidth));
      brush.setAttribute('width', String(barWidth));
    });
    svg.addEventListener('pointermove', (event) => {
      if (anchor === null) return;
      const at = binAt(event);
      const [a, b] = at < anchor ? [at, anchor] : [anchor, at];
      brush.setAttribute('x', String(a * barWidth));
      brush.setAttribute('width', String((b - a + 1) * barWidth));
    });
    svg.addEventListener('pointerup', (event) => {
      if (anchor === null) return;
      const at = binAt(event);
      const [a, b] = at < anchor ? [at, anchor] : [anchor, at];
      anchor = null;
      const first = this.#bins[a];
      const last = this.#bins[b];
      if (a === b && event.detail > 1) {
        this.#onBrush(undefined, undefined);
        return;
      }
      if (first === undefined || last === undefined) return;
      this.#onBrush(first.start, dayOf(ms(last.end) - DAY_MS));
    });
  }
}
