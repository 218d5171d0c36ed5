import './styles.css';
import { ApiError, fetchAlerts, type AlertItem } from './api-client.js';
import { byId, el } from './dom.js';
import { countryName } from './labels.js';
import { initAccount } from './session.js';
import { loadStats, newestMonth, type MonthPoint, type Stats, type Tally } from './stats-source.js';

const SVG = 'http://www.w3.org/2000/svg';
const MONTHS = 12;

const root = byId('dashboard', HTMLElement);
const status = byId('status', HTMLElement);

void initAccount(byId('account', HTMLElement));
void load();

/** The end month of the period: `?to=YYYY-MM` in the URL, else the month of the newest incident. */
async function endMonth(): Promise<string> {
  const asked = new URLSearchParams(window.location.search).get('to');
  if (asked !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked)) return asked;
  return (await newestMonth()) ?? new Date().toISOString().slice(0, 7);
}

async function load(): Promise<void> {
  status.textContent = 'Loading the rollup…';
  document.body.classList.add('is-loading');
  try {
    const end = await endMonth();
    const [stats, alerts] = await Promise.all([loadStats(end, MONTHS, countryName), fetchAlerts(20).catch(() => null)]);
    render(stats, end, alerts);
    status.textContent = `${stats.from} to ${stats.to}, against ${stats.previousFrom} to ${stats.previousTo}`;
    document.body.dataset['ready'] = 'true';
  } catch (error) {
    status.textContent = error instanceof ApiError ? error.message : `Could not compute the dashboard: ${String(error)}`;
  } finally {
    document.body.classList.remove('is-loading');
  }
}

/** "+25 %", "−40 %", "new" or "=": the change from the previous period. */
export function changeText(now: number, before: number): string {
  if (before === 0) return now === 0 ? '=' : 'new';
  const percent = Math.round(((now - before) / before) * 100);
  return percent === 0 ? '=' : `${percent > 0 ? '+' : '−'}${Math.abs(percent)} %`;
}

function changeCell(t: Tally): HTMLTableCellElement {
  const text = changeText(t.incidents, t.previousIncidents);
  const direction = t.incidents > t.previousIncidents ? 'up' : t.incidents < t.previousIncidents ? 'down' : 'same';
  return el('td', { class: `change ${direction}`, title: `${t.previousIncidents} in the previous period` }, text);
}

function table(title: string, testId: string, rows: readonly Tally[], limit: number): HTMLElement {
  return el(
    'section',
    { class: 'card', 'data-testid': testId },
    el('h2', {}, title),
    rows.length === 0
      ? el('p', { class: 'muted' }, 'No incident in this period.')
      : el(
          'table',
          { class: 'rollup' },
          el('tr', {}, ...['', 'Incidents', 'Killed', 'Wounded', 'vs previous'].map((label) => el('th', { scope: 'col' }, label))),
          ...rows.slice(0, limit).map((t) =>
            el(
              'tr',
              { 'data-key': t.key, 'data-testid': 'rollup-row' },
              el('th', { scope: 'row' }, t.label),
              el('td', { 'data-testid': 'incidents' }, t.incidents.toLocaleString('en')),
              el('td', { 'data-testid': 'killed' }, t.killed.toLocaleString('en')),
              el('td', {}, t.wounded.toLocaleString('en')),
              changeCell(t),
            ),
          ),
        ),
  );
}

function kpi(label: string, value: number, previous: number | null, testId: string): HTMLElement {
  return el(
    'div',
    { class: 'kpi', 'data-testid': testId },
    el('span', { class: 'kpi-value', 'data-testid': 'kpi-value' }, value.toLocaleString('en')),
    el('span', { class: 'kpi-label' }, label),
    previous === null ? null : el('span', { class: 'kpi-change', 'data-testid': 'kpi-change' }, `${changeText(value, previous)} vs previous 12 months (${previous.toLocaleString('en')})`),
  );
}

/** The monthly trend: bars for this period's incidents, a line for the same months a period earlier. */
function trendChart(monthly: readonly MonthPoint[], previous: readonly MonthPoint[]): SVGSVGElement {
  const width = 640;
  const height = 200;
  const pad = { left: 36, right: 8, top: 10, bottom: 24 };
  const peak = Math.max(1, ...monthly.map((m) => m.incidents), ...previous.map((m) => m.incidents));
  const step = (width - pad.left - pad.right) / Math.max(1, monthly.length);
  const y = (n: number): number => pad.top + (height - pad.top - pad.bottom) * (1 - n / peak);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'trend');
  svg.setAttribute('data-testid', 'trend');
  const title = document.createElementNS(SVG, 'title');
  title.textContent = 'Incidents per month; the line shows the same month of the previous period';
  svg.append(title);
  const text = (x: number, yy: number, content: string, cls: string): void => {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(yy));
    t.setAttribute('class', cls);
    t.textContent = content;
    svg.append(t);
  };
  for (const tick of [0, Math.round(peak / 2), peak]) {
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', String(pad.left));
    line.setAttribute('x2', String(width - pad.right));
    line.setAttribute('y1', String(y(tick)));
    line.setAttribute('y2', String(y(tick)));
    line.setAttribute('class', 'grid');
    svg.append(line);
    text(pad.left - 4, y(tick) + 4, String(tick), 'axis y');
  }
  monthly.forEach((m, i) => {
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(pad.left + i * step + 2));
    rect.setAttribute('y', String(y(m.incidents)));
    rect.setAttribute('width', String(Math.max(1, step - 4)));
    rect.setAttribute('height', String(height - pad.bottom - y(m.incidents)));
    rect.setAttribute('class', 'bar');
    rect.setAttribute('data-month', m.month);
    rect.setAttribute('data-count', String(m.incidents));
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = `${m.month}: ${m.incidents} incidents, ${m.killed} killed`;
    rect.append(tip);
    svg.append(rect);
    text(pad.left + i * step + step / 2, height - 8, m.month.slice(2), 'axis x');
  });
  const path = document.createElementNS(SVG, 'polyline');
  path.setAttribute('points', previous.map((m, i) => `${pad.left + i * step + step / 2},${y(m.incidents)}`).join(' '));
  path.setAttribute('class', 'previous');
  svg.append(path);
  return svg;
}

const ALERT_KINDS: Record<string, string> = { new_area: 'new area', surge: 'surge', casualties: 'casualties', claim: 'claim' };

/** The newest alerts, each with its rule and a link to its incident; every text is set as text. */
function alertsCard(alerts: readonly AlertItem[] | null): HTMLElement {
  const body =
    alerts === null
      ? el('p', { class: 'muted' }, 'Alerts could not be read.')
      : alerts.length === 0
        ? el('p', { class: 'muted' }, 'No alert has fired. Rules are added with "vigil alerts rules add" or POST /api/alert-rules.')
        : el(
            'ul',
            { class: 'alerts' },
            ...alerts.map((a) =>
              el(
                'li',
                { 'data-testid': 'alert' },
                el('span', { class: `alert-kind ${a.kind}` }, ALERT_KINDS[a.kind] ?? a.kind),
                ' ',
                a.incidentId === null ? el('span', {}, a.title) : el('a', { href: `./?incident=${encodeURIComponent(a.incidentId)}` }, a.title),
                el('span', { class: 'muted' }, ` — ${a.ruleName}, ${a.firedAt.slice(0, 16).replace('T', ' ')}`),
              ),
            ),
          );
  return el('section', { class: 'card wide', 'data-testid': 'alerts' }, el('h2', {}, 'Latest alerts'), body);
}

function render(stats: Stats, end: string, alerts: readonly AlertItem[] | null): void {
  root.replaceChildren(
    alertsCard(alerts),
    el(
      'section',
      { class: 'kpis' },
      kpi('incidents', stats.total.incidents, stats.total.previousIncidents, 'kpi-incidents'),
      kpi('killed (best estimates)', stats.total.killed, stats.total.previousKilled, 'kpi-killed'),
      kpi('wounded (best estimates)', stats.total.wounded, stats.total.previousWounded, 'kpi-wounded'),
    ),
    el('section', { class: 'card wide' }, el('h2', {}, `Incidents per month, 12 months to ${end}`), trendChart(stats.monthly, stats.previousMonthly), el('p', { class: 'muted legend-note' }, 'Bars: this period. Line: the same month a year earlier.')),
    table('By group (provinces counted with their group)', 'by-group', stats.byGroup, 15),
    table('By actor, province or branch', 'by-actor', stats.byActor, 15),
    table('By province / region', 'by-province', stats.byProvince, 15),
    table('Top countries', 'by-country', stats.byCountry, 10),
    el('p', { class: 'muted source-note' }, 'From the server’s GET /api/stats (rejected incidents left out; an incident counts in the month its date starts).'),
  );
}
