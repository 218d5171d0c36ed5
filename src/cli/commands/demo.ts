import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { isPostgresUrl } from '../../core/config.js';
import { VigilError } from '../../core/errors.js';
import type { CliContext } from '../main.js';
import { configFrom, openConfiguredStore } from './common.js';
import { ingestPaths } from './ingest.js';
import { serveUntilStopped } from './serve.js';

/** The demo reports shipped with Vigil. */
export function demoReportsPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/demo/reports.jsonl');
}

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('Start afresh with the bundled demo reports: a new local database, the reports ingested, then serve')
    .option('--db <path>', 'SQLite file to (re)create', './vigil-demo.db')
    .option('--port <port>', 'port to listen on (default: $VIGIL_PORT or 8080; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (default: $VIGIL_HOST or 127.0.0.1)')
    .option('--no-serve', 'ingest only, do not serve')
    .addHelpText(
      'after',
      `
The demo database is deleted and rebuilt each time; your own ./vigil.db is never touched.

Example:
  $ vigil demo --port 8080      (what "npm start" runs)`,
    )
    .action(async (flags: { db: string; port?: string; host?: string; serve: boolean }) => {
      if (isPostgresUrl(flags.db)) {
        throw new VigilError('bad_input', 'the demo always starts from a fresh SQLite file; give a file path to --db');
      }
      const config = configFrom(ctx, flags);
      const file = path.resolve(ctx.cwd, config.db);
      await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
      const store = await openConfiguredStore({ ...config, db: file });
      ctx.stdout.write(`Demo database: ${file}\n`);
      await ingestPaths(store, [demoReportsPath()], ctx);
      if (!flags.serve) {
        await store.close();
        return;
      }
      await serveUntilStopped(store, config, ctx);
    });
}
