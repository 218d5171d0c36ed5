import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import { getJson, newPage, signIn, startHarness, type Harness, type TestUser } from './harness.js';

/**
 * Markup an attacker could put in a report (its title, its text, a link) or get into an analyst's
 * edit or reason. Each would set window.__xss, or add an element, if it were ever parsed as HTML.
 */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"></svg>',
  '"><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  "'><a href=\"javascript:window.__xss=1\" id=\"xss-link\">click</a>",
  '</textarea><script>window.__xss=1</script>',
  '<details open ontoggle="window.__xss=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
  '{{constructor.constructor("window.__xss=1")()}}',
  '<style>body{display:none}</style>',
];

const CORPUS_REPORT = {
  id: 'e2e-xss-corpus',
  title: `Blast in Quetta ${PAYLOADS[1]} ${PAYLOADS[3]}`,
  published: '2024-05-02T07:00:00Z',
  url: 'javascript:window.__xss=1',
  language: 'en',
  text:
    'QUETTA, Pakistan, May 2 (Example Wire) — A bomb exploded near a bus depot in Quetta on Thursday, killing two people, police said.\n\n' +
    `A page shared online carried the following: ${PAYLOADS.join(' ')}`,
};

const SECOND_REPORT = {
  id: 'e2e-xss-second',
  title: `Gunmen attack checkpoint ${PAYLOADS[2]}`,
  published: '2024-05-20T07:00:00Z',
  url: 'https://news.example.org/"><script>window.__xss=1</script>',
  language: 'en',
  text: `KHUZDAR, Pakistan, May 20 (Example Wire) — Gunmen attacked a police checkpoint in Khuzdar on Monday, killing one officer, police said. ${PAYLOADS[4]} ${PAYLOADS[6]}`,
};

const ANALYST: TestUser = { name: 'xss-analyst', role: 'analyst', password: 'xss analyst password' };

let harness: Harness;
let page: Page;
let foreign: string[];
let quetta: Incident;

beforeAll(async () => {
  harness = await startHarness([CORPUS_REPORT, SECOND_REPORT], [ANALYST]);
  const { items } = await getJson<{ items: Incident[] }>(harness.base, 'api/incidents?limit=10');
  expect(items).toHaveLength(2);
  const found = items.find((i) => i.fields.location?.name === 'Quetta');
  if (found === undefined) throw new Error('no incident in Quetta');
  quetta = found;
  // An analyst's edit and reason carry markup too: they show in the history.
  const login = await fetch(new URL('api/auth/login', harness.base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: ANALYST.name, password: ANALYST.password }) });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const edit = await fetch(new URL(`api/incidents/${quetta.id}/edit`, harness.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ revision: quetta.revision, field: 'title', value: `Quetta ${PAYLOADS[0]}`, reason: `Checked ${PAYLOADS[5]} ${PAYLOADS[7]}` }),
  });
  expect(edit.status).toBe(200);
  // Back to the queue for the review view, with the marked-up title kept.
  const undo = await fetch(new URL(`api/incidents/${quetta.id}/undo`, harness.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ revision: quetta.revision + 1, reason: `Undo ${PAYLOADS[8]} ${PAYLOADS[9]}` }),
  });
  expect(undo.status).toBe(200);
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

/** Nothing from the corpus became an element, a handler or a script link, and nothing ran. */
async function expectInert(container: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const root = page.locator(container);
  expect(await root.locator('img, script, iframe, svg[onload], math, style, details[ontoggle], #xss-link').count()).toBe(0);
  expect(await root.locator('[onerror], [onload], [ontoggle]').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(await page.evaluate(() => getComputedStyle(document.body).display)).not.toBe('none');
}

describe('untrusted text stays text', () => {
  it('in the incident page: sources, evidence, attributions and history', async () => {
    await page.goto(new URL(`./?incident=${encodeURIComponent(quetta.id)}`, harness.base).href);
    const panel = page.getByTestId('incident-panel');
    await panel.getByTestId('history-entry').first().waitFor();
    expect(await panel.getByTestId('source').first().textContent()).toContain(PAYLOADS[3]);
    for (const payload of PAYLOADS) expect(await panel.getByTestId('document-text').first().textContent()).toContain(payload);
    const history = await panel.getByTestId('history').textContent();
    expect(history).toContain(`Quetta ${PAYLOADS[0]}`);
    expect(history).toContain(PAYLOADS[7]);
    expect(history).toContain(PAYLOADS[8]);
    await expectInert('[data-testid="incident-panel"]');
    await page.getByTestId('panel-back').first().click();
    await page.getByTestId('incident-list').waitFor();
    await expectInert('body');
  });

  it('in the review queue: titles, reports side by side, dialogs', async () => {
    await page.goto(new URL('review.html', harness.base).href);
    await signIn(page, ANALYST);
    await page.getByTestId('comparison').waitFor();
    await expect.poll(() => page.getByTestId('comparison-report').allTextContents()).toEqual([SECOND_REPORT.title]);
    await page.keyboard.press('e');
    await page.getByTestId('edit-text').waitFor();
    await page.getByTestId('dialog-cancel').click();
    await page.keyboard.press('j');
    await expect.poll(() => page.getByTestId('comparison-report').allTextContents()).toEqual([CORPUS_REPORT.title]);
    await page.keyboard.press('r');
    await page.getByTestId('dialog-reason').waitFor();
    await page.getByTestId('dialog-reason').fill(PAYLOADS.join(' '));
    await page.getByTestId('dialog-cancel').click();
    await expectInert('body');
  });

  it('on the dashboard', async () => {
    await page.goto(new URL('dashboard.html', harness.base).href);
    await page.waitForSelector('body[data-ready="true"]');
    await expectInert('body');
  });
});
