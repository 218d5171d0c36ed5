import { parentPort, workerData } from 'node:worker_threads';
import { VigilError } from '../core/errors.js';
import { readImportItemsHere, type WireItem, type WireMessage, type WorkerStart } from './import-reader.js';

/*
 * The worker thread of an import (see import-reader.ts): reads, maps and builds the rows of a
 * dataset file and sends them to the thread that writes, in chunks, at most `readAhead` chunks
 * ahead of it (each "more" message from it allows one more).
 */

const start = workerData as WorkerStart;
const port = parentPort;
let credits = start.readAhead;
let wake: (() => void) | null = null;
/** The answer the worker waits for to its latest `probe` message. */
let answer: ((ids: ReadonlySet<string>) => void) | null = null;
port?.on('message', (message: 'more' | { type: 'stored'; ids: string[] }) => {
  if (message !== 'more') {
    const a = answer;
    answer = null;
    a?.(new Set(message.ids));
    return;
  }
  credits += 1;
  const w = wake;
  wake = null;
  w?.();
});

/** Asks the calling thread which of these document ids are stored. */
function probe(ids: readonly string[]): Promise<ReadonlySet<string>> {
  return new Promise((resolve) => {
    answer = resolve;
    const message: WireMessage = { type: 'probe', ids: [...ids] };
    port?.postMessage(message);
  });
}

async function send(items: WireItem[], parts: Buffer[], size: number, done: boolean): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits -= 1;
  // One buffer for the bytes of the whole chunk, handed over without a copy.
  const bytes = new ArrayBuffer(size);
  const view = new Uint8Array(bytes);
  let at = 0;
  for (const part of parts) {
    view.set(part, at);
    at += part.length;
  }
  const message: WireMessage = { type: 'items', items, bytes, done };
  port?.postMessage(message, [bytes]);
}

async function run(): Promise<void> {
  let items: WireItem[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  const options = { encoding: start.encoding, displayName: start.displayName, probe: start.probe ? probe : undefined };
  for await (const item of readImportItemsHere(start.kind, start.file, start.source, options)) {
    const n = item.bytes.length;
    if (item.type === 'header') items.push({ t: 'h', n });
    else if (item.type === 'rejected') items.push({ t: 'x', n, rejection: item.rejection });
    else if (item.type === 'present') items.push({ t: 'p', n, line: item.line, id: item.id });
    else items.push({ t: 'r', n, line: item.line, id: item.id, write: item.write });
    parts.push(item.bytes);
    size += n;
    if (items.length >= start.chunk) {
      await send(items, parts, size, false);
      items = [];
      parts = [];
      size = 0;
    }
  }
  await send(items, parts, size, true);
}

run().catch((error: unknown) => {
  const message: WireMessage =
    error instanceof VigilError
      ? { type: 'error', message: error.message, code: error.code, location: error.location }
      : { type: 'error', message: error instanceof Error ? error.message : String(error), code: null, location: undefined };
  port?.postMessage(message);
});
