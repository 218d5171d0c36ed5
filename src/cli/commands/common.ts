import type { Command } from 'commander';
import { loadConfig, type Config } from '../../core/config.js';
import type { Rejection } from '../../sources/report.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../main.js';

/** Adds `--db` to a command. */
export function withDbOption(command: Command): Command {
  return command.option('--db <path-or-url>', 'SQLite file or postgres:// URL (default: $VIGIL_DB or ./vigil.db)');
}

/** The configuration for a command, from the environment and its flags. */
export function configFrom(ctx: CliContext, flags: { db?: string; host?: string; port?: string }): Config {
  return loadConfig(ctx.env, { db: flags.db, host: flags.host, port: flags.port });
}

/** Opens (and migrates) the configured store. */
export async function openConfiguredStore(config: Config): Promise<Store> {
  return openStore(config.db);
}

/** `file:line: field: reason`, one rejection per line. */
export function formatRejection(rejection: Rejection): string {
  const { file, line, column, field } = rejection.location;
  const where = [file, line, column].filter((part) => part !== undefined).join(':');
  return `${where === '' ? '' : `${where}: `}${field === undefined ? '' : `${field}: `}${rejection.reason}`;
}

/** A progress line that rewrites itself on a terminal and stays quiet elsewhere. */
export function progressReporter(ctx: CliContext, label: string): { update(text: string): void; done(): void } {
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      ctx.stderr.write(`\r\x1b[2K${label} ${text}`);
    },
    done() {
      if (shown) ctx.stderr.write('\r\x1b[2K');
    },
  };
}

/** Opens the configured store, runs `work` with it and closes it, whatever happens. */
export async function withStore<T>(ctx: CliContext, flags: { db?: string }, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(configFrom(ctx, flags));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
