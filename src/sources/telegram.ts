import { readFile } from 'node:fs/promises';
import type { ReportInput } from './report.js';

/** One message of a Telegram Desktop channel export (`result.json`), as far as Vigil reads it. */
interface ExportMessage {
  id?: unknown;
  type?: unknown;
  date?: unknown;
  date_unixtime?: unknown;
  text?: unknown;
  from?: unknown;
}

export interface TelegramExport {
  /** The channel's name. */
  name: string;
  /** The channel id Telegram gives in the export. */
  channelId: string | null;
  /** Messages with text, oldest first. */
  posts: { id: number; report: ReportInput }[];
  /** Messages without text (photos, service messages), counted but not read. */
  skipped: number;
}

/** A message's text: plain strings and the `text` of formatted parts (links, bold, mentions) joined. */
export function messageText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (!Array.isArray(text)) return '';
  return text.map((part) => (typeof part === 'string' ? part : typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
}

function publishedOf(message: ExportMessage): string | null {
  const unix = Number(message.date_unixtime);
  if (Number.isFinite(unix) && unix > 0) return new Date(unix * 1000).toISOString();
  // Older exports give local time without a zone; the day is still right.
  return typeof message.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(message.date) ? message.date.slice(0, 19) : null;
}

/**
 * Reads a Telegram Desktop export of one channel (JSON format). Only messages after `afterId`
 * are returned, so a later export of the same channel is taken in incrementally.
 */
export function parseTelegramExport(json: string, file: string, afterId = 0): TelegramExport {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Error(`${file}: not a JSON file (${error instanceof Error ? error.message : String(error)}); export the channel with "Machine-readable JSON"`);
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { messages?: unknown }).messages)) {
    throw new Error(`${file}: not a Telegram channel export: no "messages" list`);
  }
  const channel = data as { name?: unknown; id?: unknown; messages: ExportMessage[] };
  const name = typeof channel.name === 'string' ? channel.name : 'Telegram channel';
  const posts: TelegramExport['posts'] = [];
  let skipped = 0;
  for (const message of channel.messages) {
    const id = Number(message.id);
    if (!Number.isInteger(id) || id <= afterId) continue;
    const text = messageText(message.text).trim();
    if (message.type !== 'message' || text === '') {
      skipped++;
      continue;
    }
    posts.push({ id, report: { id: `${file}#${id}`, text, published: publishedOf(message), kind: 'channel_post', origin: `${file}#${id}` } });
  }
  posts.sort((a, b) => a.id - b.id);
  return { name, channelId: channel.id === undefined || channel.id === null ? null : String(channel.id), posts, skipped };
}

export async function readTelegramExport(file: string, afterId = 0): Promise<TelegramExport> {
  return parseTelegramExport(await readFile(file, 'utf8'), file, afterId);
}
