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
port?.on('message', () => {
  credits += 1;
  const w = wake;
  wake = null;
  w?.();
});

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
  for await (const item of readImportItemsHere(start.kind, start.file, start.source, { encoding: start.encoding, displayName: start.displayName })) {
    const n = item.bytes.length;
    if (item.type === 'header') items.push({ t: 'h', n });
    else if (item.type === 'rejected') items.push({ t: 'x', n, rejection: item.rejection });
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
