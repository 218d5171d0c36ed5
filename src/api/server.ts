import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Config } from '../core/config.js';
import type { Store } from '../store/store.js';
import { createApp } from './app.js';

/** A running HTTP server. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on the configured host and port (0 picks a free port). The only place that opens a socket. */
export async function startServer(options: { store: Store; config: Config; webRoot?: string }): Promise<RunningServer> {
  const app = createApp(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.config.port, hostname: options.config.host }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
    server.once('error', reject);
  });
}
