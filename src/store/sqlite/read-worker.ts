import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, WORKER_READS, type ReadAnswer, type ReadMessage } from './read-workers.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

/* One read worker of `SqliteReadWorkers`: its own connection to the file, answering one request at a time. */

const { path, options } = workerData as { path: string; options: SqliteStoreOptions };
const store = new SqliteStore(path, options);
const allowed = new Set<string>(WORKER_READS);
const port = parentPort;
if (port === null) throw new Error('read-worker.js runs as a worker thread');

port.on('message', (message: ReadMessage) => {
  const answer = async (): Promise<ReadAnswer> => {
    try {
      if (!allowed.has(message.method)) throw new Error(`${String(message.method)} is not a read the workers answer`);
      const method = store[message.method] as (...args: unknown[]) => Promise<unknown>;
      // As JSON text: structured cloning of hundreds of nested incident objects costs several
      // times more than JSON.stringify here and JSON.parse on the other side (the values are JSON).
      return { id: message.id, json: JSON.stringify(await method.apply(store, message.args)) };
    } catch (error) {
      return { id: message.id, error: serializeError(error) };
    }
  };
  void answer().then((a) => port.postMessage(a));
});
