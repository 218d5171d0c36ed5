import type { Command } from 'commander';
import { startServer } from '../../api/server.js';
import { accessSettings, type Config } from '../../core/config.js';
import { accountsOf } from '../../store/accounts.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { readWorkersAvailable, withReadWorkers } from '../../store/sqlite/read-workers.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../main.js';
import { configFrom, openConfiguredStore, withDbOption } from './common.js';

/** The server's default number of read worker threads on a SQLite store (VIGIL_READ_WORKERS). */
export const DEFAULT_READ_WORKERS = 2;

/**
 * The store the server uses: on a SQLite file, listings and rollups answered by worker threads
 * with their own connections (src/store/sqlite/read-workers.ts), so that the server's thread keeps
 * accepting and reading requests while a query runs; otherwise the store itself. Returns how many
 * workers answer (0: none).
 */
export function servingStore(store: Store, config: Config): { store: Store; readWorkers: number } {
  const workers = config.readWorkers ?? DEFAULT_READ_WORKERS;
  if (workers === 0 || !(store instanceof SqliteStore) || store.path === ':memory:' || !readWorkersAvailable()) return { store, readWorkers: 0 };
  return { store: withReadWorkers(store, { workers }), readWorkers: workers };
}

/** Serves until SIGINT/SIGTERM, then closes the server and the store. */
export async function serveUntilStopped(opened: Store, config: Config, ctx: CliContext): Promise<void> {
  const { store, readWorkers } = servingStore(opened, config);
  const server = await startServer({ store, config });
  ctx.stdout.write(`Vigil is serving ${server.url}/ (API: ${server.url}/api/incidents, described at ${server.url}/api/docs). Press Ctrl+C to stop.\n`);
  if (readWorkers > 0) ctx.stdout.write(`Listings and rollups are answered by ${readWorkers} read worker threads (VIGIL_READ_WORKERS).\n`);
  const access = accessSettings(config);
  if (access.openReads && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
    ctx.stdout.write(`Reads are open to anyone who can reach ${config.host}; set VIGIL_OPEN_READS=false to require sign-in (docs/api.md).\n`);
  }
  if ((await accountsOf(store).countActiveAdmins()) === 0) {
    ctx.stdout.write(`No admin yet: changes need one. Create it with: vigil users add NAME --role admin${access.openReads ? '' : ' (reads are closed: VIGIL_OPEN_READS=false)'}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await store.close();
}

export function registerServe(program: Command, ctx: CliContext): void {
  withDbOption(
    program
      .command('serve')
      .description('Serve the HTTP API and the web map')
      .option('--port <port>', 'port to listen on (default: $VIGIL_PORT or 8080; 0 picks a free one)')
      .option('--host <host>', 'address to listen on (default: $VIGIL_HOST or 127.0.0.1)'),
  )
    .addHelpText(
      'after',
      `
Example:
  $ vigil serve --db ./vigil.db --port 8080
  then open http://127.0.0.1:8080/ or GET http://127.0.0.1:8080/api/incidents?country=NG&format=geojson`,
    )
    .action(async (flags: { db?: string; port?: string; host?: string }) => {
      const config = configFrom(ctx, flags);
      const store = await openConfiguredStore(config);
      await serveUntilStopped(store, config, ctx);
    });
}
