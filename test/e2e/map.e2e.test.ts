import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/core/config.js';
import type { Document, Incident, Mention } from '../../src/core/model.js';
import { createExtractor } from '../../src/extract/index.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { ensureWebBuilt, WEB_ROOT } from './global-setup.js';
import { CHURCH_SHOOTING, HOSTILE_MARKUP, MARKET_BOMBING } from './reports.js';

/** What `GET /api/incidents/:id` returns. */
interface IncidentDetail {
  incident: Incident;
  mentions: Mention[];
  documents: Document[];
}

interface IncidentPoint {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: { id: string; title: string | null };
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let folder: string;
let store: Store;
let server: RunningServer | undefined;
let base: string;
let browser: Browser;
let page: Page;
let foreignRequests: string[];

beforeAll(async () => {
  await ensureWebBuilt();
  folder = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-'));
  const db = path.join(folder, 'vigil.db');
  store = await openStore(db);
  const summary = await ingestReports(store, asReadResults([MARKET_BOMBING, CHURCH_SHOOTING, HOSTILE_MARKUP]), {
    extractor: createExtractor(),
    source: { kind: 'batch', locator: 'test/e2e/reports.ts', name: 'e2e reports' },
  });
  expect(summary.rejected).toEqual([]);
  server = await startServer({ store, config: loadConfig({}, { db, port: 0 }), webRoot: WEB_ROOT });
  base = `${server.url}/`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  foreignRequests = [];
  page.on('request', (request) => {
    if (!isLocal(request.url())) foreignRequests.push(request.url());
  });
});

afterEach(async () => {
  await page.close();
  expect(foreignRequests, 'the page must not contact any host but the Vigil server').toEqual([]);
});

/** True for requests to the Vigil server itself (and data:/blob: URLs made by the page). */
function isLocal(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'data:') return true;
  if (url.protocol === 'blob:') return new URL(url.pathname).hostname === '127.0.0.1';
  return (url.protocol === 'http:' || url.protocol === 'ws:') && url.hostname === '127.0.0.1';
}

async function getJson<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(new URL(pathAndQuery, base));
  expect(response.status, `GET ${pathAndQuery}`).toBe(200);
  return (await response.json()) as T;
}

/** The stored incident extracted from a fixture report, with its map feature. */
async function incidentOf(report: { title: string }): Promise<{ feature: IncidentPoint; detail: IncidentDetail }> {
  const collection = await getJson<{ features: IncidentPoint[] }>('api/incidents?format=geojson&limit=1000');
  for (const feature of collection.features) {
    const detail = await getJson<IncidentDetail>(`api/incidents/${encodeURIComponent(feature.properties.id)}`);
    if (detail.documents.some((document) => document.title === report.title)) return { feature, detail };
  }
  throw new Error(`no incident was extracted from "${report.title}"`);
}

async function openMap(query = ''): Promise<void> {
  await page.goto(new URL(query, base).href);
  await page.waitForFunction(() => window.__vigil !== undefined);
  await page.evaluate(() => window.__vigil?.ready);
}

describe('the incident map', () => {
  it('opens an incident clicked on the map and marks the sentence its death toll comes from', async () => {
    const { feature, detail } = await incidentOf(MARKET_BOMBING);
    expect(feature.geometry, 'the market bombing must be geocoded to a point').not.toBeNull();
    const [lon, lat] = (feature.geometry as { coordinates: [number, number] }).coordinates;
    const killed = detail.mentions.flatMap((mention) => {
      const document = detail.documents.find((item) => item.id === mention.documentId);
      return (mention.fields.killed?.evidence ?? []).map((span) => ({ ...span, text: document?.text.slice(span.start, span.end) ?? '' }));
    });
    expect(killed.length, 'the killed count must have evidence').toBeGreaterThan(0);
    const evidence = killed[0] as { start: number; end: number; text: string };
    expect(evidence.text).toContain('12');

    await openMap();
    const point = await page.evaluate(
      ([lng, lt]) => {
        const map = window.__vigil?.map;
        if (map === null || map === undefined) throw new Error('no map on the page');
        const projected = map.project([lng, lt]);
        const canvas = map.getCanvas().getBoundingClientRect();
        return { x: canvas.left + projected.x, y: canvas.top + projected.y };
      },
      [lon, lat] as const,
    );
    await page.mouse.click(point.x, point.y);

    const panel = page.getByTestId('incident-panel');
    await expect.poll(() => panel.getByTestId('incident-title').textContent()).toBe(detail.incident.fields.title);
    const marked = await panel
      .locator('mark[data-field~="killed"]')
      .evaluateAll(
        (marks, span) =>
          marks
            .filter((mark) => Number(mark.getAttribute('data-start')) >= span.start && Number(mark.getAttribute('data-end')) <= span.end)
            .map((mark) => mark.textContent)
            .join(''),
        { start: evidence.start, end: evidence.end },
      );
    expect(marked).toBe(evidence.text);
    expect(new URL(page.url()).searchParams.get('incident')).toBe(detail.incident.id);
  });

  it('shows markup in a report as text and never runs it', async () => {
    const { detail } = await incidentOf(HOSTILE_MARKUP);

    await openMap(`?incident=${encodeURIComponent(detail.incident.id)}`);
    const panel = page.getByTestId('incident-panel');
    const text = panel.getByTestId('document-text');
    await expect.poll(() => text.textContent()).toContain('<script>window.__xss=1</script>');
    expect(await text.textContent()).toContain('<img src=x onerror="window.__xss=1">');
    expect(await panel.getByTestId('document').locator('h4').textContent()).toBe(HOSTILE_MARKUP.title);
    expect(await panel.locator('img, script, [onerror]').count()).toBe(0);
    expect(await panel.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  });

  it('reads its filters from the URL and writes a changed filter back into it', async () => {
    const lamu = await incidentOf(CHURCH_SHOOTING);
    const maiduguri = await incidentOf(MARKET_BOMBING);
    const listed = (): Promise<string[]> =>
      page.getByTestId('incident-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-incident-id') ?? ''));

    await openMap('?country=KE&from=2024-02-01');
    expect(await page.getByTestId('filter-country').inputValue()).toBe('KE');
    expect(await page.getByTestId('filter-from').inputValue()).toBe('2024-02-01');
    expect(await listed()).toEqual([lamu.detail.incident.id]);

    const refetch = page.waitForRequest((request) => new URL(request.url()).searchParams.get('country') === 'NG');
    await page.getByTestId('filter-country').fill('NG');
    const query = new URL((await refetch).url()).searchParams;
    expect([query.get('from'), query.get('format')]).toEqual(['2024-02-01', 'json']);
    await expect.poll(listed).toEqual([maiduguri.detail.incident.id]);
    const shared = new URL(page.url()).searchParams;
    expect([shared.get('country'), shared.get('from')]).toEqual(['NG', '2024-02-01']);
  });
});
