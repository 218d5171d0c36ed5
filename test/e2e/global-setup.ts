import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The folder the browser app is built into, and that the e2e tests serve. */
export const WEB_ROOT = path.join(repo, 'dist', 'web');

async function newestChange(folder: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestChange(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web app into dist/web unless the build there is newer than every file of web/ and
 * the lock file. Usable as a vitest globalSetup file and from a test file's beforeAll alike.
 */
export async function ensureWebBuilt(): Promise<void> {
  const built = await stat(path.join(WEB_ROOT, 'index.html')).catch(() => null);
  const sources = Math.max(await newestChange(path.join(repo, 'web')), (await stat(path.join(repo, 'package-lock.json'))).mtimeMs);
  if (built !== null && built.mtimeMs > sources) return;
  const vite = path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: repo, timeout: 60_000 });
}

/** vitest globalSetup entry point. */
export default async function setup(): Promise<void> {
  await ensureWebBuilt();
}
