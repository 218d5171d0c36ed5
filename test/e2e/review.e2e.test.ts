import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/core/model.js';
import { createExtractor } from '../../src/extract/index.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { getJson, newPage, signIn, startHarness, type Harness, type TestUser } from './harness.js';
import { BAMA_AMBUSH, CHURCH_SHOOTING, MARKET_BOMBING, SIEGE_FIRST, SIEGE_SECOND, STATE_KIDNAPPING } from './reports.js';

const ANALYST: TestUser = { name: 'ana', role: 'analyst', password: 'analyst password 1' };
const SECOND_ANALYST: TestUser = { name: 'bo', role: 'analyst', password: 'analyst password 2' };
const VIEWER: TestUser = { name: 'vic', role: 'viewer', password: 'viewer password 1' };
const REPORTS = [MARKET_BOMBING, CHURCH_SHOOTING, BAMA_AMBUSH, STATE_KIDNAPPING];

let harness: Harness;
let page: Page;
let foreign: string[];
const made = new Map<string, string>();

beforeAll(async () => {
  harness = await startHarness(REPORTS, [ANALYST, SECOND_ANALYST, VIEWER]);
  const { items } = await getJson<{ items: Incident[] }>(harness.base, 'api/incidents?limit=100');
  for (const incident of items) {
    const detail = await getJson<{ documents: { title: string }[] }>(harness.base, `api/incidents/${incident.id}`);
    const report = REPORTS.find((r) => detail.documents.some((d) => d.title === r.title));
    if (report !== undefined) made.set(report.id, incident.id);
  }
  expect(made.size).toBe(REPORTS.length);
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

function id(report: { id: string }): string {
  const found = made.get(report.id);
  if (found === undefined) throw new Error(`no incident for ${report.id}`);
  return found;
}

const incident = (incidentId: string): Promise<Incident> => getJson<{ incident: Incident }>(harness.base, `api/incidents/${incidentId}`).then((d) => d.incident);

const queued = (): Promise<string[]> => page.getByTestId('queue-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-incident-id') ?? ''));

const current = (): Promise<string | null> => page.getByTestId('review-current').getAttribute('data-incident-id');

/** Signs in by the API, as a second analyst working at the same time would. */
async function apiSession(user: TestUser): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(new URL('api/auth/login', harness.base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: user.name, password: user.password }) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: body.csrfToken };
}

async function openQueue(user: TestUser | null): Promise<void> {
  await page.goto(new URL('review.html', harness.base).href);
  await page.getByTestId('account').locator('*').first().waitFor();
  if (user !== null) await signIn(page, user);
}

async function answerDialog(reason: string): Promise<void> {
  await page.getByTestId('dialog-reason').fill(reason);
  await page.getByTestId('dialog-submit').click();
}

describe('sign-in and roles', () => {
  it('shows viewers and anonymous visitors no review actions, and analysts all of them', async () => {
    await openQueue(null);
    await page.getByTestId('review-denied').waitFor();
    expect(await page.getByTestId('nav-review').isHidden()).toBe(true);

    await signIn(page, VIEWER);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('vic (viewer)');
    await page.getByTestId('review-denied').waitFor();
    expect(await page.locator('[data-testid^="action-"]').count()).toBe(0);
    await page.keyboard.press('a');
    expect((await incident(id(BAMA_AMBUSH))).status).toBe('machine');

    await page.goto(new URL(`./?incident=${encodeURIComponent(id(BAMA_AMBUSH))}`, harness.base).href);
    await page.getByTestId('incident-detail').waitFor();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('review-this').count()).toBe(0);
    expect(await page.getByTestId('nav-review').isHidden()).toBe(true);

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-open').waitFor();
    await page.getByTestId('sign-in-open').click();
    await page.getByTestId('sign-in-name').fill(ANALYST.name);
    await page.getByTestId('sign-in-password').fill('not the password');
    await page.getByTestId('sign-in-submit').click();
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toBe('wrong user name or password');
    await page.getByTestId('sign-in-password').fill(ANALYST.password);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('nav-review').isVisible()).toBe(true);
    await page.getByTestId('review-this').waitFor();
  });
});

describe('the review queue', () => {
  it('edits, undoes, merges, undoes again and rejects, with the keyboard', async () => {
    await openQueue(ANALYST);
    await expect.poll(queued).toEqual([id(BAMA_AMBUSH), id(STATE_KIDNAPPING), id(MARKET_BOMBING), id(CHURCH_SHOOTING)]);
    expect(await current()).toBe(id(BAMA_AMBUSH));
    await page.getByTestId('comparison').waitFor();

    await page.keyboard.press('?');
    expect(await page.getByTestId('help').textContent()).toContain('next / previous incident');
    await page.keyboard.press('Escape');

    // Edit: the killed range, with a reason; the incident is reviewed and leaves the queue.
    await page.keyboard.press('e');
    await page.getByTestId('edit-field').selectOption('killed');
    await page.getByTestId('edit-low').fill('5');
    await page.getByTestId('edit-best').fill('6');
    await page.getByTestId('edit-high').fill('7');
    await answerDialog('The army raised the toll the next day');
    await expect.poll(queued).toEqual([id(STATE_KIDNAPPING), id(MARKET_BOMBING), id(CHURCH_SHOOTING)]);
    const edited = await incident(id(BAMA_AMBUSH));
    expect([edited.status, edited.fields.killed]).toEqual(['reviewed', { low: 5, best: 6, high: 7 }]);

    // Undo: back as it was, and back in the queue.
    await page.keyboard.press('u');
    await expect.poll(queued).toEqual([id(BAMA_AMBUSH), id(STATE_KIDNAPPING), id(MARKET_BOMBING), id(CHURCH_SHOOTING)]);
    const undone = await incident(id(BAMA_AMBUSH));
    expect([undone.status, undone.fields.killed?.best]).toEqual(['machine', 5]);

    // Merge: select Maiduguri, then merge it into Bama.
    await page.getByTestId('queue-item').nth(2).getByTestId('queue-select').check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('1 selected for a merge');
    await page.locator('body').focus();
    expect(await current()).toBe(id(BAMA_AMBUSH));
    await page.keyboard.press('m');
    await answerDialog('Same attack campaign reported twice');
    await expect.poll(queued).toEqual([id(STATE_KIDNAPPING), id(CHURCH_SHOOTING)]);
    const survivor = await incident(id(BAMA_AMBUSH));
    expect(survivor.mentionIds).toHaveLength(2);
    expect((await incident(id(MARKET_BOMBING))).mergedInto).toBe(id(BAMA_AMBUSH));

    await page.keyboard.press('u');
    await expect.poll(queued).toEqual([id(BAMA_AMBUSH), id(STATE_KIDNAPPING), id(MARKET_BOMBING), id(CHURCH_SHOOTING)]);
    expect((await incident(id(BAMA_AMBUSH))).mentionIds).toHaveLength(1);
    expect((await incident(id(MARKET_BOMBING))).mergedInto ?? null).toBeNull();

    // Reject the last one, moving there with j.
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(current).toBe(id(CHURCH_SHOOTING));
    await page.keyboard.press('k');
    await expect.poll(current).toBe(id(MARKET_BOMBING));
    await page.keyboard.press('j');
    await expect.poll(current).toBe(id(CHURCH_SHOOTING));
    await page.keyboard.press('r');
    await answerDialog('A duplicate of a wire story about another attack');
    await expect.poll(queued).toEqual([id(BAMA_AMBUSH), id(STATE_KIDNAPPING), id(MARKET_BOMBING)]);
    expect((await incident(id(CHURCH_SHOOTING))).status).toBe('rejected');
    const history = await getJson<{ history: { action: string }[] }>(harness.base, `api/incidents/${id(BAMA_AMBUSH)}/history`);
    expect(history.history.map((h) => h.action).slice(1)).toEqual(['edit', 'undo', 'merge', 'undo']);
  });

  it('says someone changed the incident when another analyst wrote first, and reloads', async () => {
    await openQueue(ANALYST);
    await expect.poll(current).toBe(id(BAMA_AMBUSH));
    const seen = await incident(id(BAMA_AMBUSH));
    const other = await apiSession(SECOND_ANALYST);
    const response = await fetch(new URL(`api/incidents/${id(BAMA_AMBUSH)}/edit`, harness.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: other.cookie, 'x-csrf-token': other.csrf },
      body: JSON.stringify({ revision: seen.revision, field: 'title', value: 'Convoy ambushed outside Bama', reason: 'A clearer title' }),
    });
    expect(response.status).toBe(200);

    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('review-error').textContent()).toBe('Someone changed this incident; reload.');
    await page.getByTestId('reload').click();
    // Reviewed by the other analyst, it has left the queue.
    await expect.poll(queued).toEqual([id(STATE_KIDNAPPING), id(MARKET_BOMBING)]);
    await page.keyboard.press('a');
    await expect.poll(queued).toEqual([id(MARKET_BOMBING)]);
    expect((await incident(id(STATE_KIDNAPPING))).status).toBe('reviewed');
  });

  it('accepts with the a key: reviewed by an accept revision, nothing pinned, and undone with u', async () => {
    await openQueue(ANALYST);
    await expect.poll(queued).toEqual([id(MARKET_BOMBING)]);
    const before = await incident(id(MARKET_BOMBING));
    expect(before.status).toBe('machine');
    await page.keyboard.press('a');
    await expect.poll(queued).toEqual([]);
    const accepted = await incident(id(MARKET_BOMBING));
    expect(accepted).toMatchObject({ status: 'reviewed', revision: before.revision + 1 });
    expect(accepted.fields).toEqual(before.fields);
    expect(accepted.pinnedFields ?? []).toEqual(before.pinnedFields ?? []);
    type Entry = { action: string; by: string; changed: string[] };
    const history = async (): Promise<Entry[]> => (await getJson<{ history: Entry[] }>(harness.base, `api/incidents/${id(MARKET_BOMBING)}/history`)).history;
    expect((await history()).at(-1)).toMatchObject({ action: 'accept', by: ANALYST.name, changed: ['status'] });

    await page.keyboard.press('u');
    await expect.poll(queued).toEqual([id(MARKET_BOMBING)]);
    expect(await incident(id(MARKET_BOMBING))).toMatchObject({ status: 'machine', revision: before.revision + 2 });
    expect((await history()).slice(-2).map((h) => h.action)).toEqual(['accept', 'undo']);

    // The button does the same.
    await page.getByTestId('action-accept').click();
    await expect.poll(queued).toEqual([]);
    expect((await history()).at(-1)?.action).toBe('accept');
  });

  it('splits chosen reports off an incident into a new one', async () => {
    // Two reports of one attack, linked by the pipeline into one machine-made incident.
    const summary = await ingestReports(harness.store, asReadResults([SIEGE_FIRST, SIEGE_SECOND]), {
      extractor: createExtractor(),
      source: { kind: 'batch', locator: 'test/e2e/review', name: 'siege reports' },
    });
    expect(summary.rejected).toEqual([]);
    const { items } = await getJson<{ items: Incident[] }>(harness.base, 'api/incidents?status=machine&limit=100');
    const siege = items.find((i) => i.mentionIds.length === 2);
    if (siege === undefined) throw new Error('the two siege reports were not linked into one incident');

    await openQueue(ANALYST);
    await page.getByTestId('queue-item').first().waitFor();
    await page.locator(`[data-testid="queue-item"][data-incident-id="${siege.id}"] .queue-open`).click();
    await expect.poll(current).toBe(siege.id);
    await expect.poll(() => page.getByTestId('comparison-report').count()).toBe(2);

    await page.keyboard.press('s');
    expect(await page.getByTestId('split-mention').count()).toBe(2);
    await page.locator('label.check', { hasText: SIEGE_SECOND.title }).getByTestId('split-mention').check();
    await answerDialog('The second report describes an attack on another hotel');
    await expect.poll(() => page.getByTestId('review-message').textContent()).toContain('split 1 report');
    const kept = await incident(siege.id);
    expect(kept.mentionIds).toHaveLength(1);
    const detail = await getJson<{ documents: { title: string }[] }>(harness.base, `api/incidents/${siege.id}`);
    expect(detail.documents.map((d) => d.title)).toEqual([SIEGE_FIRST.title]);
    const history = await getJson<{ history: { action: string; alsoChanged: string[] }[] }>(harness.base, `api/incidents/${siege.id}/history`);
    expect(history.history.at(-1)?.action).toBe('split');
    expect(history.history.at(-1)?.alsoChanged).toHaveLength(1);
  });
});
