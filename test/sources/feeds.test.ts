import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';
import { addWatchedSource, nextDelaySeconds, parseInterval, pollDueSources, pollSource } from '../../src/pipeline/watch.js';
import { FeedParseError, parseFeed, parseFeedPartly } from '../../src/sources/feeds/parse.js';
import { FetchError, isNonPublicAddress, safeFetch } from '../../src/sources/feeds/safe-fetch.js';
import { parseTelegramExport } from '../../src/sources/telegram.js';
import type { Store } from '../../src/store/store.js';
import { watchedSourcesOf } from '../../src/store/watched-sources.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

/** Fictional wire items written for these tests. */
const ITEMS = [
  { guid: 'wire-1', title: 'Bomb kills three at market', date: 'Mon, 06 May 2024 09:00:00 GMT', body: 'A bomb exploded at a market in Kirkuk, Iraq, on Monday, killing three people and wounding eight, police said.' },
  { guid: 'wire-2', title: 'Gunmen attack checkpoint', date: 'Tue, 07 May 2024 11:30:00 GMT', body: 'Gunmen attacked a police checkpoint near Maiduguri, Nigeria, on Tuesday, killing two officers.' },
  { guid: 'wire-3', title: 'Convoy hit by roadside bomb', date: 'Wed, 08 May 2024 07:15:00 GMT', body: '<p>A roadside bomb struck a military convoy in Ghazni, Afghanistan, on Wednesday, wounding <b>four</b> soldiers &amp; a driver.</p>' },
];

function rss(items: typeof ITEMS): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Wire</title>
${items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>https://wire.example/${i.guid}</link><pubDate>${i.date}</pubDate><description><![CDATA[${i.body}]]></description></item>`).join('\n')}
</channel></rss>`;
}

describe('feed parsing', () => {
  it('reads RSS 2.0 items with their ids, links, dates and text', () => {
    const feed = parseFeed(rss(ITEMS));
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Test Wire');
    expect(feed.items.map((i) => i.id)).toEqual(['wire-1', 'wire-2', 'wire-3']);
    expect(feed.items[0]).toMatchObject({ link: 'https://wire.example/wire-1', published: '2024-05-06T09:00:00.000Z' });
    expect(feed.items[2]?.text).toBe('A roadside bomb struck a military convoy in Ghazni, Afghanistan, on Wednesday, wounding four soldiers & a driver.');
  });

  it('reads Atom entries', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><id>tag:wire.example,2024:9</id><title type="html">Blast &lt;b&gt;in&lt;/b&gt; Kabul</title><link rel="alternate" href="https://wire.example/9"/><published>2024-05-09T10:00:00Z</published><content type="html">&lt;p&gt;A blast in Kabul wounded five people.&lt;/p&gt;</content></entry></feed>`;
    const feed = parseFeed(atom);
    expect(feed.format).toBe('atom');
    expect(feed.items[0]).toMatchObject({ id: 'tag:wire.example,2024:9', title: 'Blast in Kabul', link: 'https://wire.example/9', published: '2024-05-09T10:00:00.000Z', text: 'A blast in Kabul wounded five people.' });
  });

  it('refuses a feed that declares entities (no entity expansion)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>`;
    expect(() => parseFeed(laughs)).toThrow(FeedParseError);
    expect(() => parseFeed(laughs)).toThrow(/entit/);
    const external = `<?xml version="1.0"?><rss><channel><item><title>&xxe;</title></item></channel></rss>`;
    expect(() => parseFeed(external)).toThrow(FeedParseError);
  });

  it('keeps the entries complete before a break, and says where it broke', () => {
    const whole = rss(ITEMS);
    const cut = whole.slice(0, whole.indexOf('<item><guid>wire-3') + 30);
    const { feed, error } = parseFeedPartly(cut);
    expect(feed.items.map((i) => i.id)).toEqual(['wire-1', 'wire-2']);
    expect(error).toBeInstanceOf(FeedParseError);
    expect(error?.line).toBeGreaterThan(1);
    expect(() => parseFeed('<html><body>not a feed</body></html>')).toThrow(/root element/);
  });
});

describe('addresses a feed fetcher must not reach', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '224.0.0.1'])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });
  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '172.32.0.1'])('allows %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

/** A local feed server whose behaviour each test scripts. */
class FeedServer {
  readonly server: http.Server;
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end();
  requests: http.IncomingHttpHeaders[] = [];

  constructor() {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.headers);
      this.handler(req, res);
    });
  }
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

describe('safeFetch against a local server', () => {
  const feeds = new FeedServer();
  let base = '';
  beforeAll(async () => {
    base = await feeds.start();
  });
  afterAll(() => feeds.stop());

  it('refuses loopback unless allowed', async () => {
    feeds.handler = (_req, res) => res.end(rss(ITEMS));
    await expect(safeFetch(`${base}/feed`)).rejects.toMatchObject({ code: 'blocked_address' });
    await expect(safeFetch('http://localhost:1/feed')).rejects.toMatchObject({ code: 'blocked_address' });
    const ok = await safeFetch(`${base}/feed`, { allowPrivate: true });
    expect(ok.status).toBe(200);
  });

  it('refuses other schemes, oversize answers and slow servers', async () => {
    await expect(safeFetch('file:///etc/passwd', { allowPrivate: true })).rejects.toMatchObject({ code: 'bad_url' });
    feeds.handler = (_req, res) => res.end('x'.repeat(5000));
    await expect(safeFetch(`${base}/big`, { allowPrivate: true, maxBytes: 1000 })).rejects.toMatchObject({ code: 'too_large' });
    feeds.handler = (_req, res) => {
      res.write('<rss>');
    };
    await expect(safeFetch(`${base}/slow`, { allowPrivate: true, timeoutMs: 300 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('follows redirects but checks each hop', async () => {
    feeds.handler = (req, res) => {
      if (req.url === '/moved') {
        res.writeHead(301, { location: '/feed' });
        res.end();
      } else res.end(rss(ITEMS));
    };
    expect((await safeFetch(`${base}/moved`, { allowPrivate: true })).url).toBe(`${base}/feed`);
    // Every hop is checked again: a redirect to another scheme is refused, and so is an endless chain.
    feeds.handler = (_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    };
    await expect(safeFetch(`${base}/away`, { allowPrivate: true })).rejects.toMatchObject({ code: 'bad_url' });
    feeds.handler = (req, res) => {
      res.writeHead(302, { location: `${req.url ?? '/'}x` });
      res.end();
    };
    const loop = await safeFetch(`${base}/loop`, { allowPrivate: true, maxRedirects: 3 }).catch((e: unknown) => e);
    expect(loop).toBeInstanceOf(FetchError);
    expect(loop).toMatchObject({ code: 'too_many_redirects' });
  });
});

describe.each([sqliteFactory(), postgresFactory('watch')])('watched sources on $name', (factory) => {
  const feeds = new FeedServer();
  let base = '';
  let store: Store;
  let clock = new Date('2024-05-10T12:00:00Z');
  const options = () => ({ extractor: createExtractor(), now: () => clock, fetch: { allowPrivate: true, timeoutMs: 2000 } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-watch-'));

  beforeAll(async () => {
    base = await feeds.start();
  });
  afterAll(async () => {
    await feeds.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    store = await factory.create();
    await store.migrate();
    clock = new Date('2024-05-10T12:00:00Z');
    feeds.requests = [];
  });
  afterEach(() => store.close());

  it('polls a feed, then asks with its validators and takes in only new items', async () => {
    let items = ITEMS.slice(0, 2);
    feeds.handler = (req, res) => {
      const etag = `"v${items.length}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { etag, 'content-type': 'application/rss+xml' });
      res.end(rss(items));
    };
    const source = await addWatchedSource(store, { kind: 'feed', locator: `${base}/feed.xml`, interval: '15m' }, clock);
    const first = await pollSource(store, source, options());
    expect(first).toMatchObject({ status: 'ok', newEntries: 2 });
    expect(first.ingest?.stored).toBe(2);
    expect((await store.counts()).documents).toBe(2);

    clock = new Date(clock.getTime() + 16 * 60_000);
    const [second] = await pollDueSources(store, options());
    expect(second).toMatchObject({ status: 'not_modified', newEntries: 0 });
    expect(feeds.requests.at(-1)?.['if-none-match']).toBe('"v2"');

    items = ITEMS;
    clock = new Date(clock.getTime() + 16 * 60_000);
    const [third] = await pollDueSources(store, options());
    expect(third).toMatchObject({ status: 'ok', newEntries: 1 });
    expect((await store.counts()).documents).toBe(3);
    const state = (await watchedSourcesOf(store).get(source.id))?.state;
    expect(state).toMatchObject({ etag: '"v3"', failures: 0, lastError: null, itemsSeen: 3 });

    // Not due yet: nothing is fetched.
    const before = feeds.requests.length;
    expect(await pollDueSources(store, options())).toEqual([]);
    expect(feeds.requests.length).toBe(before);
  });

  it('backs off a failing feed and recovers', async () => {
    feeds.handler = (_req, res) => {
      res.writeHead(503);
      res.end('down');
    };
    const source = await addWatchedSource(store, { kind: 'feed', locator: `${base}/down.xml`, interval: '10m' }, clock);
    const failed = await pollSource(store, source, options());
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('503');
    let state = (await watchedSourcesOf(store).get(source.id))?.state;
    expect(state?.failures).toBe(1);
    expect(Date.parse(state?.nextPollAt ?? '')).toBe(clock.getTime() + 20 * 60_000);
    clock = new Date(clock.getTime() + 21 * 60_000);
    await pollDueSources(store, options());
    state = (await watchedSourcesOf(store).get(source.id))?.state;
    expect(state?.failures).toBe(2);
    expect(Date.parse(state?.nextPollAt ?? '') - clock.getTime()).toBe(40 * 60_000);
    feeds.handler = (_req, res) => res.end(rss(ITEMS.slice(0, 1)));
    clock = new Date(clock.getTime() + 41 * 60_000);
    const [recovered] = await pollDueSources(store, options());
    expect(recovered).toMatchObject({ status: 'ok', newEntries: 1 });
    state = (await watchedSourcesOf(store).get(source.id))?.state;
    expect(state).toMatchObject({ failures: 0, lastError: null });
  });

  it('keeps what a feed gave before it broke mid-way, and the next whole answer fills the rest', async () => {
    const whole = rss(ITEMS);
    let broken = true;
    feeds.handler = (_req, res) => {
      if (!broken) {
        res.end(whole);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write(whole.slice(0, whole.indexOf('<item><guid>wire-3') + 40));
      setTimeout(() => res.destroy(), 20);
    };
    const source = await addWatchedSource(store, { kind: 'feed', locator: `${base}/breaks.xml` }, clock);
    const cut = await pollSource(store, source, options());
    expect(['failed', 'partial']).toContain(cut.status);
    const afterCut = (await store.counts()).documents;
    expect(afterCut).toBeLessThanOrEqual(2);
    broken = false;
    clock = new Date(clock.getTime() + 3 * 3600_000);
    const [whole2] = await pollDueSources(store, options());
    expect(whole2?.status).toBe('ok');
    expect((await store.counts()).documents).toBe(3);
    expect(whole2?.newEntries).toBe(3 - afterCut);
  });

  it('watches a folder: new and changed files are read, unchanged ones are not', async () => {
    const folder = mkdtempSync(path.join(dir, 'inbox-'));
    writeFileSync(path.join(folder, 'a.txt'), 'Title: Attack on convoy\nPublished: 2024-05-03\n\nA roadside bomb hit a convoy near Kandahar, Afghanistan, killing two soldiers.');
    const source = await addWatchedSource(store, { kind: 'folder', locator: folder }, clock);
    expect((await pollSource(store, source, options())).newEntries).toBe(1);
    clock = new Date(clock.getTime() + 120_000);
    expect((await pollDueSources(store, options()))[0]?.newEntries).toBe(0);
    writeFileSync(path.join(folder, 'b.txt'), 'Title: Market bombing\nPublished: 2024-05-04\n\nA bomb at a market in Mogadishu, Somalia, killed five people.');
    clock = new Date(clock.getTime() + 120_000);
    expect((await pollDueSources(store, options()))[0]?.newEntries).toBe(1);
    expect((await store.counts()).documents).toBe(2);
  });

  it('takes in a Telegram channel export, then only the messages of a later export', async () => {
    const exportFile = path.join(dir, `result-${factory.name}.json`);
    const message = (id: number, text: unknown) => ({ id, type: 'message', date: '2024-05-05T10:00:00', date_unixtime: String(1714903200 + id * 60), from: 'Test Channel', text });
    writeFileSync(exportFile, JSON.stringify({ name: 'Test Channel', type: 'public_channel', id: 42, messages: [message(1, 'Gunmen attacked a police post in Kirkuk, Iraq, killing one officer.'), { id: 2, type: 'service', action: 'pin_message' }, message(3, ['A bomb ', { type: 'bold', text: 'exploded' }, ' in Mosul, Iraq, wounding six people.'])] }));
    const source = await addWatchedSource(store, { kind: 'telegram', locator: exportFile }, clock);
    const first = await pollSource(store, source, options());
    expect(first).toMatchObject({ status: 'ok', newEntries: 2 });
    writeFileSync(exportFile, JSON.stringify({ name: 'Test Channel', id: 42, messages: [message(1, 'Gunmen attacked a police post in Kirkuk, Iraq, killing one officer.'), message(3, 'x'), message(4, 'Militants fired rockets at a base in Anbar, Iraq. No casualties were reported.')] }));
    clock = new Date(clock.getTime() + 120_000);
    const [second] = await pollDueSources(store, options());
    expect(second).toMatchObject({ status: 'ok', newEntries: 1 });
    expect((await store.counts()).documents).toBe(3);
  });

  it('refuses a second registration of the same feed, and a bad interval', async () => {
    await addWatchedSource(store, { kind: 'feed', locator: `${base}/same.xml` }, clock);
    await expect(addWatchedSource(store, { kind: 'feed', locator: `${base}/same.xml` }, clock)).rejects.toMatchObject({ code: 'conflict' });
    await expect(addWatchedSource(store, { kind: 'feed', locator: 'ftp://x/feed' }, clock)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(addWatchedSource(store, { kind: 'feed', locator: `${base}/x.xml`, interval: '3s' }, clock)).rejects.toMatchObject({ code: 'bad_input' });
    expect(await watchedSourcesOf(store).remove((await watchedSourcesOf(store).list())[0]?.id ?? '')).toBe(true);
    expect(await watchedSourcesOf(store).list()).toEqual([]);
  });
});

describe('schedules and exports', () => {
  it('doubles the wait per failure, from at least a minute, up to six hours', () => {
    expect(nextDelaySeconds(900, 0)).toBe(900);
    expect(nextDelaySeconds(900, 1)).toBe(1800);
    expect(nextDelaySeconds(30, 1)).toBe(120);
    expect(nextDelaySeconds(900, 30)).toBe(6 * 3600);
    expect(parseInterval('15m')).toBe(900);
    expect(parseInterval('2h')).toBe(7200);
    expect(() => parseInterval('soon')).toThrow(/interval/);
  });

  it('reads formatted Telegram text and refuses a file that is not an export', () => {
    const parsed = parseTelegramExport(JSON.stringify({ name: 'C', messages: [{ id: 5, type: 'message', date_unixtime: '1714903200', text: ['Blast in ', { type: 'link', text: 'Kabul' }] }] }), 'r.json');
    expect(parsed.posts[0]?.report).toMatchObject({ text: 'Blast in Kabul', published: '2024-05-05T10:00:00.000Z', kind: 'channel_post' });
    expect(() => parseTelegramExport('{"chats": []}', 'r.json')).toThrow(/no "messages"/);
    expect(() => parseTelegramExport('{oops', 'r.json')).toThrow(/not a JSON file/);
  });
});
