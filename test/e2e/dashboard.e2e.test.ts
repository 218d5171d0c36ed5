import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import { getJson, newPage, startHarness, type Harness } from './harness.js';
import { BAMA_AMBUSH, CHURCH_SHOOTING, HOSTILE_MARKUP, KANO_BOMBING, MARKET_BOMBING, STATE_KIDNAPPING } from './reports.js';

let harness: Harness;
let page: Page;
let foreign: string[];
let all: Incident[];

beforeAll(async () => {
  harness = await startHarness([MARKET_BOMBING, CHURCH_SHOOTING, HOSTILE_MARKUP, BAMA_AMBUSH, STATE_KIDNAPPING, KANO_BOMBING]);
  all = (await getJson<{ items: Incident[] }>(harness.base, 'api/incidents?limit=1000')).items;
  expect(all).toHaveLength(6);
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(async () => {
  ({ page, foreign } = await newPage(harness.browser));
});

afterEach(async () => {
  await page.close();
  expect(foreign).toEqual([]);
});

interface StatsBody {
  period: { from: string; to: string };
  total: { incidents: number; killed: { best: number }; wounded: { best: number }; previous: { incidents: number; wounded: { best: number } } };
  groups: { key: string | null; country?: string | null; incidents: number; previous: { incidents: number } }[];
}

/** `GET /api/stats` for the 12 months ending on `end`, as the server answers it. */
const stats = (end: string, extra = ''): Promise<StatsBody> => getJson<StatsBody>(harness.base, `api/stats?rolling=12m&end=${end}${extra}`);

/** What the listing says about a period, counted here independently of the web app and of /api/stats. */
function expected(from: string, to: string): { incidents: Incident[]; byCountry: Map<string, number>; killed: number; byMonth: Map<string, number> } {
  const incidents = all.filter((i) => i.status !== 'rejected' && i.fields.date !== null && i.fields.date.start >= from && i.fields.date.start <= to);
  const byCountry = new Map<string, number>();
  const byMonth = new Map<string, number>();
  for (const i of incidents) {
    const country = i.fields.location?.country;
    if (country !== undefined && country !== null) byCountry.set(country, (byCountry.get(country) ?? 0) + 1);
    const month = i.fields.date?.start.slice(0, 7) ?? '';
    byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
  }
  return { incidents, byCountry, killed: incidents.reduce((sum, i) => sum + (i.fields.killed?.best ?? 0), 0), byMonth };
}

async function rows(testId: string): Promise<Record<string, number>> {
  const entries = await page
    .getByTestId(testId)
    .getByTestId('rollup-row')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key') ?? '', Number(tr.querySelector('[data-testid="incidents"]')?.textContent?.replace(/,/g, ''))] as const));
  return Object.fromEntries(entries);
}

describe('the dashboard', () => {
  it('shows the 12 months to the newest incident, with numbers that agree with the API', async () => {
    await page.goto(new URL('dashboard.html', harness.base).href);
    await page.waitForSelector('body[data-ready="true"]');
    const now = expected('2023-07-01', '2024-06-30');
    const before = expected('2022-07-01', '2023-06-30');
    expect(now.incidents).toHaveLength(5);
    expect(before.incidents).toHaveLength(1);

    // The server's rollup agrees with the listing (no incident is rejected yet)…
    const byCountry = await stats('2024-06-30', '&group_by=country');
    expect(byCountry.period).toEqual({ from: '2023-07-01', to: '2024-06-30' });
    expect([byCountry.total.incidents, byCountry.total.previous.incidents, byCountry.total.killed.best]).toEqual([now.incidents.length, before.incidents.length, now.killed]);
    expect(Object.fromEntries(byCountry.groups.filter((g) => g.incidents > 0).map((g) => [g.key, g.incidents]))).toEqual(Object.fromEntries(now.byCountry));
    // …and the page shows both.
    expect(await page.getByTestId('kpi-incidents').getByTestId('kpi-value').textContent()).toBe(String(byCountry.total.incidents));
    expect(await page.getByTestId('kpi-incidents').getByTestId('kpi-value').textContent()).toBe(String(now.incidents.length));
    expect(await page.getByTestId('kpi-incidents').getByTestId('kpi-change').textContent()).toBe('+400 % vs previous 12 months (1)');
    expect(await page.getByTestId('kpi-killed').getByTestId('kpi-value').textContent()).toBe(String(now.killed));
    // Each of the three figures is compared with the previous 12 months, wounded too.
    expect(await page.getByTestId('kpi-wounded').getByTestId('kpi-value').textContent()).toBe(byCountry.total.wounded.best.toLocaleString('en'));
    expect(await page.getByTestId('kpi-wounded').getByTestId('kpi-change').textContent()).toMatch(
      new RegExp(` vs previous 12 months \\(${byCountry.total.previous.wounded.best.toLocaleString('en')}\\)$`),
    );
    expect(await rows('by-country')).toEqual(Object.fromEntries(now.byCountry));

    const group = await rows('by-group');
    const family = (actorIds: string[]): number => now.incidents.filter((i) => i.fields.perpetrators.some((p) => actorIds.includes(p.actorId ?? ''))).length;
    expect(group['islamic-state']).toBe(family(['islamic-state', 'is-west-africa']));
    expect(group['boko-haram']).toBe(family(['boko-haram']));
    expect(group['al-qaeda']).toBe(family(['al-qaeda', 'al-shabaab']));
    expect((await rows('by-actor'))['is-west-africa']).toBe(1);
    expect((await rows('by-province'))['NG/Borno']).toBe(now.incidents.filter((i) => i.fields.location?.admin1 === 'Borno').length);
    const byGroup = await stats('2024-06-30', '&group_by=actor&rollup=true');
    expect(group).toEqual(Object.fromEntries(byGroup.groups.filter((g) => g.incidents > 0 || g.previous.incidents > 0).map((g) => [g.key ?? 'unknown', g.incidents])));
    const byProvince = await stats('2024-06-30', '&group_by=admin1');
    expect(await rows('by-province')).toEqual(Object.fromEntries(byProvince.groups.filter((g) => (g.incidents > 0 || g.previous.incidents > 0) && g.key !== null).map((g) => [`${g.country}/${g.key}`, g.incidents])));

    const bars = await page
      .getByTestId('trend')
      .locator('rect.bar')
      .evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-month') ?? '', Number(r.getAttribute('data-count'))] as const));
    expect(bars).toHaveLength(12);
    expect(bars[0]?.[0]).toBe('2023-07');
    expect(Object.fromEntries(bars.filter(([, n]) => n > 0))).toEqual(Object.fromEntries(now.byMonth));
    const byMonth = await stats('2024-06-30', '&group_by=month');
    expect(Object.fromEntries(bars.filter(([, n]) => n > 0))).toEqual(Object.fromEntries(byMonth.groups.filter((g) => g.incidents > 0).map((g) => [g.key, g.incidents])));
    const line = await page.getByTestId('trend').locator('polyline.previous').getAttribute('points');
    expect(line?.split(' ')).toHaveLength(12);
  });

  it('lists the latest alerts, each linked to its incident, with untrusted text kept as text', async () => {
    const { addAlertRule, evaluateAlerts } = await import('../../src/pipeline/alerts.js');
    await addAlertRule(harness.store, { name: 'Any casualties <img src=x onerror=alert(1)>', kind: 'casualties', minCasualties: 1 });
    const fired = await evaluateAlerts(harness.store);
    expect(fired.fired.length).toBeGreaterThan(0);
    await page.goto(new URL('dashboard.html', harness.base).href);
    await page.waitForSelector('body[data-ready="true"]');
    const items = page.getByTestId('alerts').getByTestId('alert');
    expect(await items.count()).toBe(fired.fired.length);
    const first = fired.fired.find((a) => a.incidentId !== null);
    const link = page.getByTestId('alerts').locator(`a[href="./?incident=${encodeURIComponent(first?.incidentId ?? '')}"]`);
    expect(await link.count()).toBe(1);
    expect(await page.getByTestId('alerts').locator('img').count()).toBe(0);
    expect(await page.getByTestId('alerts').textContent()).toContain('<img src=x onerror=alert(1)>');
  });

  it('takes the end month from the URL', async () => {
    await page.goto(new URL('dashboard.html?to=2023-06', harness.base).href);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getByTestId('kpi-incidents').getByTestId('kpi-value').textContent()).toBe('1');
    expect(await page.getByTestId('kpi-incidents').getByTestId('kpi-change').textContent()).toBe('new vs previous 12 months (0)');
    expect(await rows('by-group')).toEqual({ 'boko-haram': 1 });
  });

  it('leaves rejected incidents out, as the listing does, while /api/stats without a status counts them', async () => {
    const { rejectIncident } = await import('../../src/store/review.js');
    const victim = all.find((i) => i.fields.location?.country === 'NG' && i.fields.date !== null && i.fields.date.start >= '2023-07-01' && i.fields.date.start <= '2024-06-30');
    if (victim === undefined) throw new Error('expected a Nigerian incident in the period');
    await rejectIncident(harness.store, { id: victim.id, revision: victim.revision, by: 'e2e', reason: 'not an attack' });
    all = (await getJson<{ items: Incident[] }>(harness.base, 'api/incidents?limit=1000')).items;
    const now = expected('2023-07-01', '2024-06-30');
    expect(now.incidents).toHaveLength(4);

    await page.goto(new URL('dashboard.html', harness.base).href);
    await page.waitForSelector('body[data-ready="true"]');
    const [everything, rejected] = await Promise.all([stats('2024-06-30', '&group_by=country'), stats('2024-06-30', '&group_by=country&status=rejected')]);
    expect([everything.total.incidents, rejected.total.incidents]).toEqual([5, 1]);
    expect(await page.getByTestId('kpi-incidents').getByTestId('kpi-value').textContent()).toBe('4');
    expect(await page.getByTestId('kpi-killed').getByTestId('kpi-value').textContent()).toBe(String(now.killed));
    // The rejected incident's wounded are left out of both periods' figures.
    const wounded = everything.total.wounded.best - rejected.total.wounded.best;
    const woundedBefore = everything.total.previous.wounded.best - rejected.total.previous.wounded.best;
    expect(await page.getByTestId('kpi-wounded').getByTestId('kpi-value').textContent()).toBe(wounded.toLocaleString('en'));
    expect(await page.getByTestId('kpi-wounded').getByTestId('kpi-change').textContent()).toMatch(new RegExp(` vs previous 12 months \\(${woundedBefore.toLocaleString('en')}\\)$`));
    expect(await rows('by-country')).toEqual(Object.fromEntries(now.byCountry));
  });
});
