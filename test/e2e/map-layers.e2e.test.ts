import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import { getJson, newPage, startHarness, type Harness } from './harness.js';
import { BAMA_AMBUSH, CHURCH_SHOOTING, HOSTILE_MARKUP, MARKET_BOMBING, STATE_KIDNAPPING } from './reports.js';

const REPORTS = [MARKET_BOMBING, CHURCH_SHOOTING, HOSTILE_MARKUP, BAMA_AMBUSH, STATE_KIDNAPPING];

let harness: Harness;
let page: Page;
let foreign: string[];
/** The incident made from each report, by report id. */
const made = new Map<string, Incident>();

beforeAll(async () => {
  harness = await startHarness(REPORTS);
  const { items } = await getJson<{ items: Incident[] }>(harness.base, 'api/incidents?limit=100');
  for (const report of REPORTS) {
    for (const incident of items) {
      const detail = await getJson<{ documents: { title: string }[] }>(harness.base, `api/incidents/${incident.id}`);
      if (detail.documents.some((document) => document.title === report.title)) made.set(report.id, incident);
    }
  }
  expect(made.size, 'every report must make its own incident').toBe(REPORTS.length);
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(async () => {
  ({ page, foreign } = await newPage(harness.browser));
});

afterEach(async () => {
  await page.close();
  expect(foreign, 'the page must not contact any host but the Vigil server').toEqual([]);
});

function id(report: { id: string }): string {
  const incident = made.get(report.id);
  if (incident === undefined) throw new Error(`no incident for ${report.id}`);
  return incident.id;
}

async function openMap(query = ''): Promise<void> {
  await page.goto(new URL(query, harness.base).href);
  await page.waitForFunction(() => window.__vigil !== undefined);
  await page.evaluate(() => window.__vigil?.ready);
}

const listed = (): Promise<string[]> => page.getByTestId('incident-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-incident-id') ?? '').sort());

/** Moves the map without animation and waits until it has drawn the new view. */
async function jump(center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(
    ([lng, lat, z]) =>
      new Promise<void>((resolve) => {
        const map = window.__vigil?.map;
        if (map === null || map === undefined) throw new Error('no map');
        map.once('idle', () => resolve());
        map.jumpTo({ center: [lng, lat], zoom: z });
      }),
    [center[0], center[1], zoom] as const,
  );
}

function haversineKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

describe('the map layers', () => {
  it('clusters nearby incidents, and draws a place known only to its province as an area of its radius', async () => {
    const state = made.get(STATE_KIDNAPPING.id);
    expect(state?.fields.location?.precision).toBe('admin1');
    await openMap();
    await jump([13.4, 11.7], 4);
    const clusters = await page.evaluate(() => window.__vigil?.map?.queryRenderedFeatures({ layers: ['incidents-cluster'] }).map((f) => f.properties['point_count']));
    expect(clusters).toEqual([2]);
    await expect.poll(() => page.getByTestId('cluster-label').allTextContents()).toEqual(['2']);

    const centre: [number, number] = [state?.fields.location?.lon ?? 0, state?.fields.location?.lat ?? 0];
    const radius = state?.fields.location?.radiusKm ?? 0;
    expect(radius).toBeGreaterThan(25);
    expect(await page.evaluate(() => window.__vigil?.map?.queryRenderedFeatures({ layers: ['incidents-point'] }).map((f) => f.properties['id']))).not.toContain(id(STATE_KIDNAPPING));

    // Zoomed out, the area is a disc of the place's radius at the map's scale: a click 0.9 radius
    // east of the centre hits it, one at 1.1 radius misses it.
    const discHits = await page.evaluate(
      ([lon, lat, km]) => {
        const map = window.__vigil?.map;
        if (map === null || map === undefined) throw new Error('no map');
        const eastAt = (fraction: number): [number, number] => [lon + (fraction * km) / (111.32 * Math.cos((lat * Math.PI) / 180)), lat];
        const hits = (fraction: number): string[] =>
          map.queryRenderedFeatures(map.project(eastAt(fraction)), { layers: ['incidents-area-circle'] }).map((f) => f.properties['id'] as string);
        return { inside: hits(0.9), outside: hits(1.1), polygons: map.queryRenderedFeatures({ layers: ['incidents-area-fill'] }).length };
      },
      [centre[0], centre[1], radius] as const,
    );
    expect(discHits).toEqual({ inside: [id(STATE_KIDNAPPING)], outside: [], polygons: 0 });

    // Closer in, it is a polygon on the sphere: the rendered ring is clipped to tiles; its
    // farthest vertices still lie at the place's radius.
    await jump([13.4, 11.7], 6);
    const area = await page.evaluate(() => {
      const features = window.__vigil?.map?.queryRenderedFeatures({ layers: ['incidents-area-fill'] }) ?? [];
      return features.map((f) => ({ id: f.properties['id'] as string, ring: (f.geometry as unknown as { coordinates: [number, number][][] }).coordinates[0] ?? [] }));
    });
    expect([...new Set(area.map((a) => a.id))]).toEqual([id(STATE_KIDNAPPING)]);
    const farthest = Math.max(...area.flatMap((a) => a.ring).map((vertex) => haversineKm(centre, vertex)));
    expect(Math.abs(farthest - radius) / radius).toBeLessThan(0.03);
    expect(await page.evaluate(() => window.__vigil?.map?.queryRenderedFeatures({ layers: ['incidents-area-circle'] }).length)).toBe(0);

    await jump([13.4, 11.7], 9);
    expect(await page.evaluate(() => window.__vigil?.map?.queryRenderedFeatures({ layers: ['incidents-cluster'] }).length)).toBe(0);
    await expect.poll(() => page.getByTestId('cluster-label').count()).toBe(0);
  });

  it('filters by an actor with its provinces, attack type, attribution and review status, all in the URL', async () => {
    await openMap('?actor=islamic-state');
    expect(await page.getByTestId('filter-actor').inputValue()).toBe('islamic-state');
    await expect.poll(listed).toEqual([id(BAMA_AMBUSH)]);

    await page.getByTestId('filter-actor').selectOption('al-qaeda');
    await expect.poll(listed).toEqual([id(CHURCH_SHOOTING)]);
    await page.getByTestId('filter-actor').selectOption('');
    await page.getByTestId('filter-attack').selectOption('bombing');
    await expect.poll(listed).toEqual([id(MARKET_BOMBING), id(HOSTILE_MARKUP)].sort());
    await page.getByTestId('filter-attribution').selectOption('attributed');
    await expect.poll(listed).toEqual([id(MARKET_BOMBING)]);
    const shared = new URL(page.url());
    expect([shared.searchParams.get('attack'), shared.searchParams.get('attribution'), shared.searchParams.get('actor')]).toEqual(['bombing', 'attributed', null]);

    const refetch = page.waitForRequest((request) => new URL(request.url()).searchParams.get('status') === 'reviewed');
    await page.getByTestId('filter-status').selectOption('reviewed');
    await refetch;
    await expect.poll(listed).toEqual([]);
    expect(new URL(page.url()).searchParams.get('status')).toBe('reviewed');

    await page.reload();
    await page.evaluate(() => window.__vigil?.ready);
    expect(await page.getByTestId('filter-status').inputValue()).toBe('reviewed');
    expect(await page.getByTestId('filter-attack').inputValue()).toBe('bombing');
  });

  it('colours by actor or attack type, as the toggle and the URL say', async () => {
    await openMap();
    const colourProperty = (): Promise<unknown> => page.evaluate(() => JSON.stringify(window.__vigil?.map?.getPaintProperty('incidents-point', 'circle-color')));
    expect(await colourProperty()).toContain('"attack"');
    await page.getByTestId('filter-colour').selectOption('actor');
    await expect.poll(colourProperty).toContain('"family"');
    expect(new URL(page.url()).searchParams.get('colour')).toBe('actor');
    expect(await page.getByTestId('legend-entries').textContent()).toContain('Islamic State');
  });

  it('shows areas in the legend as the map draws them: a solid-edged disc zoomed out, dashed edges zoomed in', async () => {
    await openMap();
    const drawn = await page.evaluate(() => {
      const map = window.__vigil?.map;
      const swatch = document.querySelector('.swatch.area');
      return {
        zoom: map?.getZoom(),
        discsUntil: map?.getLayer('incidents-area-circle')?.maxzoom,
        outlineDash: map?.getPaintProperty('incidents-area-line', 'line-dasharray'),
        swatchBorder: swatch === null ? null : getComputedStyle(swatch).borderTopStyle,
        label: swatch?.parentElement?.textContent ?? '',
      };
    });
    // The map opens below the zoom where discs give way to dashed polygons, so the legend shows a disc.
    expect(drawn.zoom).toBeLessThan(drawn.discsUntil ?? 0);
    expect(drawn.swatchBorder).toBe('solid');
    expect(drawn.outlineDash).toEqual([3, 2]);
    expect(drawn.label).toContain('dashed when zoomed in');
  });

  it('finds a place and flies the map to it', async () => {
    await openMap();
    await page.getByTestId('place-search').fill('Lamu');
    const hit = page.getByTestId('place-hit').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain('Lamu');
    const moved = page.evaluate(() => new Promise<void>((resolve) => window.__vigil?.map?.once('moveend', () => resolve())));
    await hit.click();
    await moved;
    const center = await page.evaluate(() => window.__vigil?.map?.getCenter().toArray());
    expect(haversineKm(center as [number, number], [40.902, -2.2717])).toBeLessThan(20);
  });

  it('selects dates by dragging across the timeline', async () => {
    await openMap();
    const bars = page.getByTestId('timeline-svg').locator('rect.bar');
    await expect.poll(() => bars.count()).toBeGreaterThan(10);
    expect(await page.getByTestId('timeline-svg').getAttribute('data-unit')).toBe('week');
    const counts = await bars.evaluateAll((rects) => rects.reduce((sum, rect) => sum + Number(rect.getAttribute('data-count')), 0));
    expect(counts).toBe(REPORTS.length);
    const first = await bars.first().boundingBox();
    const last = await page.locator('rect.bar[data-start="2024-01-29"]').boundingBox();
    if (first === null || last === null) throw new Error('timeline bars are not drawn');
    await page.mouse.move(first.x + first.width / 2, first.y + first.height / 2);
    await page.mouse.down();
    await page.mouse.move(last.x + last.width / 2, last.y + 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe('2024-02-04');
    expect(new URL(page.url()).searchParams.get('from')).toBe('2024-01-15');
    expect(await page.getByTestId('filter-from').inputValue()).toBe('2024-01-15');
    await expect.poll(listed).toEqual([id(HOSTILE_MARKUP), id(CHURCH_SHOOTING)].sort());
  });

  it('shows an incident with its attributions by kind, casualty ranges, sources and history', async () => {
    await openMap(`?incident=${encodeURIComponent(id(BAMA_AMBUSH))}`);
    const panel = page.getByTestId('incident-panel');
    await panel.getByTestId('history-entry').first().waitFor();
    expect(await panel.getByTestId('attribution').getAttribute('data-kind')).toBe('claimed');
    expect(await panel.getByTestId('attribution').textContent()).toContain('Islamic State West Africa Province');
    expect(await panel.getByTestId('casualties-killed').locator('td').allTextContents()).toEqual(['5', '5', '5', '–', '–', '–']);
    expect(await panel.getByTestId('source').count()).toBe(1);
    expect(await panel.getByTestId('source').textContent()).toContain(BAMA_AMBUSH.title);
    const history = await getJson<{ history: { action: string }[] }>(harness.base, `api/incidents/${id(BAMA_AMBUSH)}/history`);
    expect(await panel.getByTestId('history-entry').evaluateAll((items) => items.map((item) => item.getAttribute('data-action')))).toEqual(history.history.map((h) => h.action).reverse());
  });
});
