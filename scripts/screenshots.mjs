// Screenshots of every page of the web app, for the README and docs/web.md:
//
//   npm run screenshots        (builds the server and the web app, then runs this)
//
// A fresh demo database (the bundled fictional reports, `vigil demo --no-serve`) in a temporary
// folder, an analyst made with `vigil users add`, `vigil serve` on a free port, then headless
// Chromium (Debian's /usr/bin/chromium, or $CHROMIUM) visits each page and writes
// docs/screenshots/<page>.png. Nothing is fetched from the network.
/* global fetch */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(repo, 'docs', 'screenshots');
const vigil = path.join(repo, 'bin', 'vigil.js');
const folder = mkdtempSync(path.join(tmpdir(), 'vigil-screenshots-'));
const db = path.join(folder, 'demo.db');
const password = `screenshots-${process.pid}-${Date.now()}`;
const env = { ...process.env, VIGIL_RATE_LIMIT: '0', VIGIL_SCREENSHOT_PASSWORD: password };

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

execFileSync(process.execPath, [vigil, 'demo', '--db', db, '--no-serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync(process.execPath, [vigil, 'users', 'add', 'analyst', '--role', 'analyst', '--password-env', 'VIGIL_SCREENSHOT_PASSWORD', '--db', db], { env, stdio: ['ignore', 'ignore', 'inherit'] });

const port = await freePort();
const server = spawn(process.execPath, [vigil, 'serve', '--db', db, '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const base = `http://127.0.0.1:${port}/`;
for (let tries = 0; ; tries += 1) {
  const ok = await fetch(`${base}api/health`).then((r) => r.ok).catch(() => false);
  if (ok) break;
  if (tries > 100) throw new Error('the server did not start');
  await sleep(100);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
mkdirSync(out, { recursive: true });
const written = [];
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) throw new Error(`the page called out: ${request.url()}`);
  });
  const shot = async (name) => {
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file });
    written.push(file);
  };

  await page.goto(base);
  await page.evaluate(() => globalThis.__vigil?.ready);
  await shot('map');

  const { items } = await (await fetch(`${base}api/incidents?limit=50`)).json();
  const rich = items.find((i) => i.mentionIds.length > 1 && i.fields.perpetrators.length > 0) ?? items[0];
  await page.goto(`${base}?incident=${encodeURIComponent(rich.id)}`);
  await page.evaluate(() => globalThis.__vigil?.ready);
  await page.getByTestId('history-entry').first().waitFor();
  await page.getByTestId('incident-detail').locator('.row.has-evidence button').first().hover();
  await shot('incident');

  await page.goto(`${base}?colour=actor`);
  await page.evaluate(() => globalThis.__vigil?.ready);
  await shot('map-by-actor');

  await page.goto(`${base}dashboard.html`);
  await page.waitForSelector('body[data-ready="true"]');
  await shot('dashboard');

  await page.goto(`${base}review.html`);
  await page.getByTestId('sign-in-open').click();
  await page.getByTestId('sign-in-name').fill('analyst');
  await shot('sign-in');
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('comparison').waitFor();
  await shot('review');
  await page.keyboard.press('?');
  await page.getByTestId('help').waitFor();
  await shot('review-help');
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
}
for (const file of written) process.stdout.write(`${path.relative(repo, file)}\n`);
