import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { htmlToReport } from '../html-text.js';

/** One entry of a feed, as Vigil keeps it. */
export interface FeedItem {
  /** The entry's stable id: guid / atom:id, else its link, else a hash-free title+date key. */
  id: string;
  title: string | null;
  link: string | null;
  /** ISO 8601, when the entry has a readable date. */
  published: string | null;
  /** The entry's text, markup removed. */
  text: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf';
  title: string | null;
  items: FeedItem[];
}

/** A feed that cannot be read, with where. */
export class FeedParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'FeedParseError';
  }
}

interface Draft {
  fields: Map<string, string>;
  link: string | null;
}

const ITEM_TAGS = new Set(['item', 'entry']);
const KEPT = new Set(['title', 'link', 'guid', 'id', 'pubdate', 'published', 'updated', 'dc:date', 'description', 'summary', 'content', 'content:encoded']);

function toIso(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * Parses RSS 2.0, RSS 1.0 (RDF) and Atom. The XML parser never expands entities declared in a
 * document type (a feed that declares any is refused: that is how entity-expansion attacks
 * start), resolves only XML's five predefined entities and character references, and fetches
 * nothing. Entry text is taken from content, else summary/description, with markup removed.
 */
export function parseFeed(xml: string): ParsedFeed {
  const { feed, error } = parseFeedPartly(xml);
  if (error !== null) throw error;
  return feed;
}

/**
 * Like `parseFeed`, but a feed that breaks part-way (cut off, or malformed after some entries)
 * gives the entries that were complete before the break, with the error.
 */
export function parseFeedPartly(xml: string): { feed: ParsedFeed; error: FeedParseError | null } {
  const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  let failure: FeedParseError | null = null;
  const fail = (message: string): never => {
    failure ??= new FeedParseError(message, parser.line, parser.column);
    throw failure;
  };
  let format: ParsedFeed['format'] | null = null;
  let feedTitle: string | null = null;
  const items: FeedItem[] = [];
  const stack: string[] = [];
  let draft: Draft | null = null;
  let text = '';
  parser.on('error', (error) => fail(error.message.replace(/^[^:]*:\d+:\d+: /, '')));
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) fail('the feed declares entities in its document type; such feeds are refused (entity expansion)');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name.toLowerCase();
    if (stack.length === 0) {
      if (name === 'rss') format = 'rss';
      else if (name === 'feed') format = 'atom';
      else if (name === 'rdf:rdf') format = 'rdf';
      else fail(`not a feed: the root element is <${tag.name}>, not <rss>, <feed> or <rdf:RDF>`);
    }
    stack.push(name);
    text = '';
    if (ITEM_TAGS.has(name)) draft = { fields: new Map(), link: null };
    else if (draft !== null && name === 'link') {
      const rel = tag.attributes['rel'];
      const href = tag.attributes['href'];
      if (typeof href === 'string' && (rel === undefined || rel === 'alternate') && draft.link === null) draft.link = href;
    }
  });
  const onText = (t: string): void => {
    text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag: SaxesTagPlain) => {
    const name = tag.name.toLowerCase();
    stack.pop();
    const parent = stack[stack.length - 1];
    if (draft !== null && ITEM_TAGS.has(name)) {
      items.push(finish(draft, items.length));
      draft = null;
    } else if (draft !== null && KEPT.has(name) && parent !== undefined && ITEM_TAGS.has(parent)) {
      if (!draft.fields.has(name) && text.trim() !== '') draft.fields.set(name, text.trim());
    } else if (draft === null && name === 'title' && feedTitle === null && (parent === 'channel' || parent === 'feed')) {
      feedTitle = text.trim();
    }
    text = '';
  });
  let error: FeedParseError | null = null;
  try {
    parser.write(xml).close();
  } catch (thrown) {
    error = failure ?? new FeedParseError(thrown instanceof Error ? thrown.message : String(thrown), parser.line, parser.column);
  }
  if (format === null) return { feed: { format: 'rss', title: null, items: [] }, error: error ?? new FeedParseError('the document is empty', 1, 0) };
  return { feed: { format, title: feedTitle, items }, error };
}

function finish(draft: Draft, ordinal: number): FeedItem {
  const f = draft.fields;
  const title = f.get('title') ?? null;
  const link = draft.link ?? f.get('link') ?? null;
  const published = toIso(f.get('pubdate') ?? f.get('published') ?? f.get('dc:date') ?? f.get('updated'));
  const body = f.get('content:encoded') ?? f.get('content') ?? f.get('description') ?? f.get('summary') ?? '';
  const plain = /<[a-z!/]/i.test(body) ? htmlToReport(body).text : body;
  const id = f.get('guid') ?? f.get('id') ?? link ?? `${title ?? ''}|${published ?? ''}|${ordinal}`;
  return { id, title: title === null ? null : plainTitle(title), link, published, text: plain.trim() };
}

function plainTitle(title: string): string {
  return /<[a-z!/]/i.test(title) ? htmlToReport(title).text.trim() : title;
}
