import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { VigilError } from '../core/errors.js';
import { FetchError, safeFetch, type SafeFetchOptions } from '../sources/feeds/safe-fetch.js';
import { parseFeedPartly } from '../sources/feeds/parse.js';
import { REPORT_EXTENSIONS, readReportPaths } from '../sources/report-files.js';
import type { ReadResult, ReportInput } from '../sources/report.js';
import { readTelegramExport } from '../sources/telegram.js';
import type { Store } from '../store/store.js';
import { watchedSourcesOf, WATCHED_KINDS, type WatchedKind, type WatchedSource, type WatchState } from '../store/watched-sources.js';
import { asReadResults, ingestReports, type Extractor, type IngestSummary } from './ingest.js';

/** The longest a failing source waits between tries. */
export const MAX_BACKOFF_SECONDS = 6 * 3600;

/**
 * When a source is next due: its interval after a success; after failures, the interval doubled
 * per failure (at least a minute, at most six hours), so a broken feed is not hammered.
 */
export function nextDelaySeconds(intervalSeconds: number, failures: number): number {
  if (failures <= 0) return intervalSeconds;
  return Math.min(MAX_BACKOFF_SECONDS, Math.max(60, intervalSeconds) * 2 ** Math.min(failures, 20));
}

export interface WatchOptions {
  extractor: Extractor;
  now?: () => Date;
  fetch?: SafeFetchOptions;
}

/** What one poll of one source did. */
export interface PollOutcome {
  sourceId: string;
  kind: WatchedKind;
  name: string;
  status: 'ok' | 'not_modified' | 'failed' | 'partial';
  /** Entries not taken before (feed items, changed files, channel messages). */
  newEntries: number;
  ingest: IngestSummary | null;
  error: string | null;
  nextPollAt: string;
}

/** Parses "15m", "2h", "90s", "1d" or a number of seconds. */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(text.trim());
  if (m === null) throw new VigilError('bad_input', `interval "${text}": expected a number with s, m, h or d (e.g. 15m)`, { location: { field: 'interval' } });
  const seconds = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  if (seconds < 10 || seconds > 7 * 86400) throw new VigilError('bad_input', `interval "${text}": must lie between 10 s and 7 days`, { location: { field: 'interval' } });
  return Math.round(seconds);
}

/** Registers a source to watch. Feed URLs must be http(s); folders and exports are made absolute. */
export async function addWatchedSource(store: Store, input: { kind: string; locator: string; name?: string; interval?: string }, now: Date = new Date()): Promise<WatchedSource> {
  const kind = WATCHED_KINDS.find((k) => k === input.kind);
  if (kind === undefined) throw new VigilError('bad_input', `unknown source kind "${input.kind}": expected ${WATCHED_KINDS.join(', ')}`, { location: { field: 'kind' } });
  let locator = input.locator.trim();
  if (kind === 'feed') {
    let url: URL;
    try {
      url = new URL(locator);
    } catch {
      throw new VigilError('bad_input', `"${locator}" is not a URL`, { location: { field: 'url' } });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new VigilError('bad_input', `feeds are fetched over http or https, not ${url.protocol}`, { location: { field: 'url' } });
    locator = url.toString();
  } else {
    locator = path.resolve(locator);
  }
  const intervalSeconds = parseInterval(input.interval ?? (kind === 'feed' ? '15m' : '1m'));
  const name = input.name ?? (kind === 'feed' ? new URL(locator).host : path.basename(locator));
  return watchedSourcesOf(store).add({ id: `src_${randomUUID().slice(0, 8)}`, kind, name, locator, intervalSeconds, enabled: true, createdAt: now.toISOString() });
}

async function ingestNew(store: Store, source: WatchedSource, inputs: AsyncIterable<ReadResult> | Iterable<ReadResult>, options: WatchOptions): Promise<IngestSummary> {
  return ingestReports(store, inputs, {
    extractor: options.extractor,
    source: { kind: source.kind, locator: source.locator, name: source.name },
    ...(options.now === undefined ? {} : { now: options.now }),
  });
}

interface Polled {
  status: PollOutcome['status'];
  newEntries: number;
  ingest: IngestSummary | null;
  error: string | null;
  state: Partial<WatchState>;
}

async function pollFeed(store: Store, source: WatchedSource, options: WatchOptions): Promise<Polled> {
  const answer = await safeFetch(source.locator, { ...options.fetch, etag: source.state.etag, lastModified: source.state.lastModified });
  const validators = { etag: answer.etag ?? source.state.etag, lastModified: answer.lastModified ?? source.state.lastModified };
  if (answer.status === 304) return { status: 'not_modified', newEntries: 0, ingest: null, error: null, state: validators };
  const { feed, error } = parseFeedPartly(answer.body.toString('utf8'));
  const registry = watchedSourcesOf(store);
  const seen = await registry.seen(source.id, feed.items.map((i) => i.id));
  const fresh = feed.items.filter((i) => !seen.has(i.id) && i.text !== '');
  const reports: ReportInput[] = fresh.map((item) => ({
    id: item.id,
    text: item.text,
    title: item.title,
    url: item.link,
    published: item.published,
    kind: 'article',
    origin: `${source.locator}#${item.id}`,
  }));
  const ingest = await ingestNew(store, source, asReadResults(reports), options);
  await registry.markSeen(source.id, fresh.map((i) => i.id), (options.now?.() ?? new Date()).toISOString());
  if (error !== null) {
    // Entries complete before the break are kept; the rest comes with the next whole answer, so
    // the validators are not kept either.
    return { status: 'partial', newEntries: fresh.length, ingest, error: `the feed breaks at line ${error.line}, column ${error.column}: ${error.message}`, state: {} };
  }
  return { status: 'ok', newEntries: fresh.length, ingest, error: null, state: validators };
}

async function pollFolder(store: Store, source: WatchedSource, options: WatchOptions): Promise<Polled> {
  const before = source.state.cursor === null ? {} : (JSON.parse(source.state.cursor) as Record<string, string>);
  const after: Record<string, string> = {};
  const changed: string[] = [];
  const names = await readdir(source.locator);
  for (const name of names.sort()) {
    if (!(REPORT_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) continue;
    const file = path.join(source.locator, name);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile()) continue;
    const print = `${info.size}:${Math.floor(info.mtimeMs)}`;
    after[name] = print;
    if (before[name] !== print) changed.push(file);
  }
  const ingest = changed.length === 0 ? null : await ingestNew(store, source, readReportPaths(changed), options);
  return { status: 'ok', newEntries: changed.length, ingest, error: null, state: { cursor: JSON.stringify(after) } };
}

async function pollTelegram(store: Store, source: WatchedSource, options: WatchOptions): Promise<Polled> {
  const afterId = source.state.cursor === null ? 0 : Number(source.state.cursor);
  const exported = await readTelegramExport(source.locator, afterId);
  const ingest = exported.posts.length === 0 ? null : await ingestNew(store, source, asReadResults(exported.posts.map((p) => p.report)), options);
  const last = exported.posts.at(-1)?.id ?? afterId;
  return { status: 'ok', newEntries: exported.posts.length, ingest, error: null, state: { cursor: String(last) } };
}

/**
 * Polls one source now: new entries are ingested (and linked to known incidents by ingestion),
 * and the source's health is recorded: success, or the failure with a back-off.
 */
export async function pollSource(store: Store, source: WatchedSource, options: WatchOptions): Promise<PollOutcome> {
  const now = options.now ?? (() => new Date());
  const started = now();
  let polled: Polled;
  try {
    polled =
      source.kind === 'feed' ? await pollFeed(store, source, options) : source.kind === 'folder' ? await pollFolder(store, source, options) : await pollTelegram(store, source, options);
  } catch (error) {
    if (!(error instanceof FetchError) && !(error instanceof VigilError && error.code === 'bad_input') && !isIoError(error)) throw error;
    polled = { status: 'failed', newEntries: 0, ingest: null, error: error instanceof Error ? error.message : String(error), state: {} };
  }
  const failed = polled.status === 'failed' || polled.status === 'partial';
  const failures = failed ? source.state.failures + 1 : 0;
  const next = new Date(started.getTime() + nextDelaySeconds(source.intervalSeconds, failures) * 1000).toISOString();
  const state: WatchState = {
    ...source.state,
    ...polled.state,
    lastPolledAt: started.toISOString(),
    lastSuccessAt: failed ? source.state.lastSuccessAt : started.toISOString(),
    lastError: polled.error,
    failures,
    nextPollAt: next,
    itemsSeen: source.state.itemsSeen + polled.newEntries,
  };
  await watchedSourcesOf(store).saveState(source.id, state);
  return { sourceId: source.id, kind: source.kind, name: source.name, status: polled.status, newEntries: polled.newEntries, ingest: polled.ingest, error: polled.error, nextPollAt: next };
}

function isIoError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || (error instanceof Error && /not a JSON file|not a Telegram channel export/.test(error.message));
}

/** Polls every enabled source that is due (never polled, or its next poll time has come). */
export async function pollDueSources(store: Store, options: WatchOptions): Promise<PollOutcome[]> {
  const now = (options.now ?? (() => new Date()))();
  const out: PollOutcome[] = [];
  for (const source of await watchedSourcesOf(store).list()) {
    if (!source.enabled) continue;
    if (source.state.nextPollAt !== null && Date.parse(source.state.nextPollAt) > now.getTime()) continue;
    out.push(await pollSource(store, source, options));
  }
  return out;
}

/** Polls due sources every `tickMs` until the signal aborts; each round's outcomes go to `onRound`. */
export async function watchSources(store: Store, options: WatchOptions & { tickMs?: number; signal: AbortSignal; onRound?: (outcomes: PollOutcome[]) => void | Promise<void> }): Promise<void> {
  while (!options.signal.aborted) {
    const outcomes = await pollDueSources(store, options);
    await options.onRound?.(outcomes);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.tickMs ?? 5000);
      options.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
