import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { createExtractor } from '../../extract/index.js';
import { addWatchedSource, pollDueSources, watchSources, type PollOutcome } from '../../pipeline/watch.js';
import { watchedSourcesOf, type WatchedSource } from '../../store/watched-sources.js';
import { deliverWebhooks, evaluateAlerts } from '../../pipeline/alerts.js';
import type { Store } from '../../store/store.js';
import { webhooksAllowPrivate } from './alerts.js';
import type { CliContext } from '../main.js';
import { configFrom, formatRejection, openConfiguredStore, withDbOption, withStore } from './common.js';

/** VIGIL_FEEDS_ALLOW_PRIVATE=true lets feeds on loopback, link-local and private addresses be fetched. */
function allowPrivate(ctx: CliContext): boolean {
  return /^(1|true|yes)$/i.test(ctx.env['VIGIL_FEEDS_ALLOW_PRIVATE'] ?? '');
}

function describeSource(s: WatchedSource): string {
  const health = s.state.lastError !== null ? `failing (${s.state.failures}×): ${s.state.lastError}` : s.state.lastSuccessAt === null ? 'not polled yet' : `ok, last ${s.state.lastSuccessAt}`;
  return `${s.id}  ${s.kind.padEnd(8)} ${s.name}  every ${s.intervalSeconds} s  ${s.state.itemsSeen} taken  ${health}\n    ${s.locator}`;
}

/** After each round: alerts on incidents changed by anything (ingestion, imports, review), then due webhooks. */
async function alertRound(ctx: CliContext, store: Store): Promise<void> {
  const evaluated = await evaluateAlerts(store);
  for (const a of evaluated.fired) ctx.stderr.write(`${new Date().toISOString()} alert ${a.kind} ${a.ruleName}: ${a.title}\n`);
  const delivered = await deliverWebhooks(store, { allowPrivate: webhooksAllowPrivate(ctx.env) });
  if (delivered.retrying + delivered.failed > 0) ctx.stderr.write(`${new Date().toISOString()} webhooks: ${delivered.delivered} delivered, ${delivered.retrying} to retry, ${delivered.failed} given up\n`);
}

function reportRound(ctx: CliContext, outcomes: readonly PollOutcome[]): void {
  for (const o of outcomes) {
    const ingest = o.ingest === null ? '' : `: ${o.ingest.stored} stored, ${o.ingest.incidents} new incidents, ${o.ingest.linked} linked, ${o.ingest.rejected.length} rejected`;
    ctx.stderr.write(`${new Date().toISOString()} ${o.sourceId} ${o.name}: ${o.status}, ${o.newEntries} new${ingest}${o.error === null ? '' : ` — ${o.error}`}; next ${o.nextPollAt}\n`);
    for (const r of o.ingest?.rejected ?? []) ctx.stderr.write(`  rejected: ${formatRejection(r)}\n`);
  }
}

/** `vigil sources add|list|remove` and `vigil watch`. */
export function registerSources(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const sources = program
    .command('sources')
    .description('feeds, folders and Telegram channel exports that Vigil polls on a schedule')
    .addHelpText(
      'after',
      `
Examples:
  $ vigil sources add feed https://news.example/world/rss.xml --interval 15m
  $ vigil sources add folder ~/reports/inbox --interval 1m
  $ vigil sources add telegram ~/exports/channel/result.json --name "Channel X"
  $ vigil sources list
  $ vigil watch            # poll due sources until stopped (Ctrl-C)

Feeds are fetched with conditional GET (ETag / Last-Modified); a failing feed is retried with a
doubling back-off (at most 6 h). Feeds on loopback, link-local or private addresses are refused
unless VIGIL_FEEDS_ALLOW_PRIVATE=true.`,
    );

  withDbOption(
    sources
      .command('add')
      .description('watch a feed URL, a folder of report files, or a Telegram Desktop channel export (result.json)')
      .argument('<kind>', 'feed, folder or telegram')
      .argument('<locator>', 'the feed URL, the folder, or the export file')
      .option('--name <name>', 'a name to show')
      .option('--interval <interval>', 'how often: 90s, 15m, 2h (default 15m for feeds, 1m otherwise)'),
  ).action(async (kind: string, locator: string, flags: { db?: string; name?: string; interval?: string }) => {
    const store = await openConfiguredStore(configFrom(ctx, flags));
    try {
      const resolved = kind === 'feed' ? locator : path.resolve(ctx.cwd, locator);
      const source = await addWatchedSource(store, { kind, locator: resolved, ...(flags.name === undefined ? {} : { name: flags.name }), ...(flags.interval === undefined ? {} : { interval: flags.interval }) });
      ctx.stdout.write(`${source.id}\n`);
      ctx.stderr.write(`watching ${source.kind} ${source.locator} every ${source.intervalSeconds} s; run "vigil watch" to poll\n`);
    } catch (error) {
      if (!(error instanceof VigilError) || (error.code !== 'bad_input' && error.code !== 'conflict')) throw error;
      ctx.stderr.write(`${error.describe()}\n`);
      setExit(2);
    } finally {
      await store.close();
    }
  });

  withDbOption(sources.command('list').description('the watched sources and their health').option('--json', 'one JSON object per line')).action(async (flags: { db?: string; json?: boolean }) => {
    await withStore(ctx, flags, async (store) => {
      const list = await watchedSourcesOf(store).list();
      for (const s of list) ctx.stdout.write(flags.json === true ? `${JSON.stringify(s)}\n` : `${describeSource(s)}\n`);
      if (list.length === 0 && flags.json !== true) ctx.stderr.write('no sources yet; add one with "vigil sources add"\n');
    });
  });

  withDbOption(sources.command('remove').description('stop watching a source (its documents stay)').argument('<id>', 'the source id from "vigil sources list"')).action(async (id: string, flags: { db?: string }) => {
    await withStore(ctx, flags, async (store) => {
      if (!(await watchedSourcesOf(store).remove(id))) {
        ctx.stderr.write(`${new VigilError('not_found', `no watched source with id "${id}"`, { location: { field: 'id' } }).describe()}\n`);
        setExit(1);
      }
    });
  });

  withDbOption(
    program
      .command('watch')
      .description('poll the watched sources when they are due, ingesting new reports, until stopped')
      .option('--once', 'poll the due sources once and exit')
      .option('--tick <seconds>', 'how often to look for due sources', '5'),
  ).action(async (flags: { db?: string; once?: boolean; tick: string }) => {
    const store = await openConfiguredStore(configFrom(ctx, flags));
    const options = { extractor: createExtractor(), fetch: { allowPrivate: allowPrivate(ctx) } };
    try {
      if (flags.once === true) {
        const outcomes = await pollDueSources(store, options);
        reportRound(ctx, outcomes);
        await alertRound(ctx, store);
        if (outcomes.some((o) => o.status === 'failed' || o.status === 'partial')) setExit(1);
        return;
      }
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      ctx.stderr.write('watching sources; Ctrl-C to stop\n');
      await watchSources(store, {
        ...options,
        tickMs: Math.max(1, Number(flags.tick) || 5) * 1000,
        signal: controller.signal,
        onRound: async (o) => {
          reportRound(ctx, o);
          await alertRound(ctx, store);
        },
      });
    } finally {
      await store.close();
    }
  });
}
