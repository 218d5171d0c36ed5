import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** Why a fetch was refused or failed: a code to act on and a message to show. */
export class FetchError extends Error {
  constructor(
    readonly code: 'blocked_address' | 'bad_url' | 'too_large' | 'timeout' | 'network' | 'too_many_redirects' | 'http',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface SafeFetchOptions {
  /** Allow loopback, link-local and private addresses (tests, intranet feeds). Default false. */
  allowPrivate?: boolean;
  /** Largest response body accepted, in bytes. Default 5 MiB. */
  maxBytes?: number;
  /** Time allowed for the whole exchange, redirects included. Default 20 s. */
  timeoutMs?: number;
  /** Conditional GET: the validators of the last answer. */
  etag?: string | null;
  lastModified?: string | null;
  maxRedirects?: number;
  userAgent?: string;
}

export interface FetchResult {
  /** 200 with a body, or 304 Not Modified with an empty one. */
  status: number;
  body: Buffer;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  /** The URL finally answered, after redirects. */
  url: string;
}

function v4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function inV4(address: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (v4ToInt(address) & mask) === (v4ToInt(base) & mask);
}

/**
 * True for addresses a feed fetcher must not reach unless told to: loopback, link-local,
 * private (RFC 1918, unique-local IPv6), carrier-grade NAT, "this network", multicast and
 * reserved ranges, and IPv4 addresses written inside IPv6 ones.
 */
export function isNonPublicAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) {
    return [
      ['0.0.0.0', 8],
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.0.0.0', 24],
      ['192.168.0.0', 16],
      ['198.18.0.0', 15],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ].some(([base, bits]) => inV4(address, base as string, bits as number));
  }
  if (kind === 6) {
    const a = address.toLowerCase();
    const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped?.[1] !== undefined) return isNonPublicAddress(mapped[1]);
    if (a === '::' || a === '::1') return true;
    const first = Number.parseInt(a.split(':')[0] || '0', 16);
    if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
    if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
    if ((first & 0xff00) === 0xff00) return true; // ff00::/8 multicast
    return false;
  }
  return true;
}

/** A DNS lookup that refuses non-public answers, checked at connect time so DNS cannot be swapped after the check. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) {
        callback(error, '', 4);
        return;
      }
      const allowed = addresses.filter((a) => allowPrivate || !isNonPublicAddress(a.address));
      const first = allowed[0];
      if (first === undefined) {
        const refused = new FetchError('blocked_address', `${hostname} resolves only to non-public addresses (${addresses.map((a) => a.address).join(', ')}); set VIGIL_FEEDS_ALLOW_PRIVATE=true to allow them`);
        callback(refused as NodeJS.ErrnoException, '', 4);
        return;
      }
      if ((options as { all?: boolean }).all === true) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * GETs a URL for a feed poller, defensively: http(s) only, non-public addresses refused (by name
 * and at connect time), a size and a time limit, at most `maxRedirects` redirects each checked
 * again, and a conditional GET when validators are given.
 */
export async function safeFetch(url: string, options: SafeFetchOptions = {}): Promise<FetchResult> {
  const allowPrivate = options.allowPrivate ?? false;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let current = url;
  for (let hop = 0; hop <= (options.maxRedirects ?? 5); hop++) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw new FetchError('bad_url', `not a URL: ${current}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchError('bad_url', `only http and https feeds are fetched, not ${parsed.protocol}`);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !allowPrivate && isNonPublicAddress(host)) {
      throw new FetchError('blocked_address', `${host} is not a public address; set VIGIL_FEEDS_ALLOW_PRIVATE=true to allow it`);
    }
    if (!allowPrivate && /^localhost$/i.test(host)) throw new FetchError('blocked_address', 'localhost is not a public address; set VIGIL_FEEDS_ALLOW_PRIVATE=true to allow it');
    const answer = await request(parsed, options, allowPrivate, maxBytes, deadline);
    if (answer.status >= 300 && answer.status < 400 && answer.status !== 304) {
      const location = answer.location;
      if (location === null) throw new FetchError('http', `HTTP ${answer.status} without a Location header`, answer.status);
      current = new URL(location, parsed).toString();
      continue;
    }
    if (answer.status !== 200 && answer.status !== 304) throw new FetchError('http', `HTTP ${answer.status} from ${parsed.host}`, answer.status);
    return { status: answer.status, body: answer.body, etag: answer.etag, lastModified: answer.lastModified, contentType: answer.contentType, url: parsed.toString() };
  }
  throw new FetchError('too_many_redirects', `more than ${options.maxRedirects ?? 5} redirects from ${url}`);
}

interface RawAnswer {
  status: number;
  body: Buffer;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  location: string | null;
}

function request(url: URL, options: SafeFetchOptions, allowPrivate: boolean, maxBytes: number, deadline: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent ?? 'Vigil feed reader (+https://example.org/vigil)',
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
      'accept-encoding': 'identity',
    };
    if (options.etag) headers['if-none-match'] = options.etag;
    if (options.lastModified) headers['if-modified-since'] = options.lastModified;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(new FetchError('timeout', `no answer from ${url.host} in time`));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'GET', headers, lookup: guardedLookup(allowPrivate), agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const header = (name: string): string | null => {
        const v = res.headers[name];
        return typeof v === 'string' ? v : null;
      };
      const declared = Number(header('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        req.destroy();
        reject(new FetchError('too_large', `${url.host} announced ${declared} bytes, more than the ${maxBytes} allowed`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new FetchError('too_large', `the answer from ${url.host} is larger than the ${maxBytes} bytes allowed`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status, body: Buffer.concat(chunks), etag: header('etag'), lastModified: header('last-modified'), contentType: header('content-type'), location: header('location') });
      });
      res.on('aborted', () => reject(new FetchError('network', `the connection to ${url.host} was cut mid-answer`)));
      res.on('error', (error) => reject(error instanceof FetchError ? error : new FetchError('network', `reading from ${url.host} failed: ${error.message}`)));
    });
    const timer = setTimeout(() => req.destroy(new FetchError('timeout', `no complete answer from ${url.host} within the time allowed`)), remaining);
    req.on('error', (error) => {
      clearTimeout(timer);
      if (error instanceof FetchError) reject(error);
      else if ((error as { name?: string }).name === 'FetchError') reject(error);
      else reject(new FetchError('network', `${url.host}: ${error.message}`));
    });
    req.end();
  });
}

/**
 * POSTs a JSON body (for webhooks) with the same defences as `safeFetch`: http(s) only,
 * non-public addresses refused unless allowed, a time limit, no redirects followed. Resolves with
 * the status; the answer's body is read up to 64 KiB and dropped.
 */
export async function safePost(url: string, body: string, headers: Record<string, string>, options: Pick<SafeFetchOptions, 'allowPrivate' | 'timeoutMs'> = {}): Promise<number> {
  const allowPrivate = options.allowPrivate ?? false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchError('bad_url', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchError('bad_url', `webhooks are posted over http or https, not ${parsed.protocol}`);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && ((isIP(host) !== 0 && isNonPublicAddress(host)) || /^localhost$/i.test(host))) {
    throw new FetchError('blocked_address', `${host} is not a public address; set VIGIL_WEBHOOKS_ALLOW_PRIVATE=true to allow it`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const client = parsed.protocol === 'https:' ? https : http;
    const req = client.request(parsed, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }, lookup: guardedLookup(allowPrivate), agent: false }, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 65_536) res.destroy();
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
      });
      res.on('error', () => {
        clearTimeout(timer);
        resolve(res.statusCode ?? 0);
      });
    });
    const timer = setTimeout(() => req.destroy(new FetchError('timeout', `no answer from ${parsed.host} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof FetchError || (error as { name?: string }).name === 'FetchError' ? error : new FetchError('network', `${parsed.host}: ${error.message}`));
    });
    req.end(body);
  });
}
