import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { newId } from '../../src/auth/secrets.js';
import type { Role } from '../../src/auth/roles.js';
import { loadConfig } from '../../src/core/config.js';
import { createExtractor } from '../../src/extract/index.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { accountsOf } from '../../src/store/accounts.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { ensureWebBuilt, WEB_ROOT } from './global-setup.js';

/** Debian's Chromium, headless, with nothing that would call out to the network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A report in the shape `ingestReports` reads. */
export interface TestReport {
  id: string;
  title: string;
  published: string;
  url: string;
  language: string;
  text: string;
}

/** A user made for a test, with the password to sign in with. */
export interface TestUser {
  name: string;
  role: Role;
  password: string;
}

/** A real Vigil server over a fresh SQLite store, with a browser to drive it. */
export interface Harness {
  store: Store;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Ingests the reports into a fresh store, creates the users through the account store, and serves
 * the built web app with the rate limit off; then launches Chromium.
 */
export async function startHarness(reports: readonly TestReport[], users: readonly TestUser[] = [], env: Record<string, string> = {}): Promise<Harness> {
  await ensureWebBuilt();
  const folder = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-'));
  const db = path.join(folder, 'vigil.db');
  const store = await openStore(db);
  const summary = await ingestReports(store, asReadResults([...reports]), {
    extractor: createExtractor(),
    source: { kind: 'batch', locator: 'test/e2e', name: 'e2e reports' },
  });
  expect(summary.rejected).toEqual([]);
  const accounts = accountsOf(store);
  const at = new Date().toISOString();
  for (const user of users) {
    await accounts.createUser({ id: newId('u'), name: user.name, role: user.role, disabled: false, passwordHash: await hashPassword(user.password), createdAt: at, updatedAt: at });
  }
  const server: RunningServer = await startServer({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0', VIGIL_LOGIN_RATE_LIMIT: '1000', ...env }, { db, port: 0 }), webRoot: WEB_ROOT });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    store,
    base: `${server.url}/`,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** True for requests to the Vigil server itself (and data:/blob: URLs made by the page). */
export function isLocal(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'data:') return true;
  if (url.protocol === 'blob:') return new URL(url.pathname).hostname === '127.0.0.1';
  return (url.protocol === 'http:' || url.protocol === 'ws:') && url.hostname === '127.0.0.1';
}

/** Opens a page that records every request to another host (checked by `expectNoForeignRequests`). */
export async function newPage(browser: Browser): Promise<{ page: Page; foreign: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!isLocal(request.url())) foreign.push(request.url());
  });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return { page, foreign };
}

/** Signs in through the page's own form. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.getByTestId('sign-in-open').click();
  await page.getByTestId('sign-in-name').fill(user.name);
  await page.getByTestId('sign-in-password').fill(user.password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('signed-in-as').waitFor();
}

/** GETs JSON from the server (anonymously: reads are open in the tests). */
export async function getJson<T>(base: string, pathAndQuery: string): Promise<T> {
  const response = await fetch(new URL(pathAndQuery, base));
  expect(response.status, `GET ${pathAndQuery}`).toBe(200);
  return (await response.json()) as T;
}
