import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { accessSettings, type Config } from '../core/config.js';
import { VigilError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { errorResponse } from './errors.js';
import { IncidentQuerySchema } from './query.js';
import { answerIncidents, incidentAsOf, incidentPageResponse, registerStatsRoutes } from './routes/stats.js';
import { serveStatic } from './static-files.js';
import { accountsOf } from '../store/accounts.js';
import { accessDeps, installAccess } from './middleware/auth.js';
import { registerDocsRoutes } from './openapi.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerHistoryRoutes } from './routes/history.js';
import { registerPlacesRoutes } from './routes/places.js';
import { registerSourceRoutes } from './routes/sources.js';
import { registerAlertRoutes } from './routes/alerts.js';
import { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
import { registerReviewRoutes } from './routes/review.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerUserRoutes } from './routes/users.js';

export interface AppOptions {
  store: Store;
  config: Config;
  /** The folder of the built web app; defaults to dist/web of this package. */
  webRoot?: string;
  /** Where server errors are logged; defaults to stderr. */
  log?: (message: string) => void;
  /** The clock of sessions, token expiry and rate limits; defaults to the system clock. */
  clock?: () => Date;
  /** The gazetteer behind /api/places; defaults to the process-wide one, loaded on first use. */
  gazetteer?: Gazetteer;
}

/** The built web app of this package, next to the compiled server. */
export function defaultWebRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
}

/**
 * Content-Security-Policy of the web app: everything from this origin only (Vigil works offline and
 * must not call out); MapLibre needs blob: workers and data: images.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Builds the HTTP application: the API under /api and the web app at /. It never listens itself. */
export function createApp(options: AppOptions): Hono {
  const { store } = options;
  const webRoot = options.webRoot ?? defaultWebRoot();
  const log = options.log ?? ((message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`));
  const app = new Hono();

  app.onError((error, c) => errorResponse(error, c, log));
  const access = accessDeps(accountsOf(store), accessSettings(options.config), { now: options.clock ?? (() => new Date()), log });
  installAccess(app, access);

  app.get('/api/health', async (c) => {
    try {
      await store.ping();
      const [schemaVersion, counts] = await Promise.all([store.schemaVersion(), store.counts()]);
      return c.json({ status: 'ok', store: store.dialect, schemaVersion, counts });
    } catch (error) {
      log(`health check failed: ${error instanceof Error ? error.message : String(error)}`);
      return c.json({ status: 'unavailable', store: store.dialect, error: { code: 'store', message: 'the database cannot be reached' } }, 503);
    }
  });

  app.get('/api/incidents', async (c) => {
    const query = IncidentQuerySchema.parse(c.req.query());
    return incidentPageResponse(c, await answerIncidents(store, query), query.format);
  });

  app.get('/api/incidents/:id', async (c) => {
    const id = c.req.param('id');
    const asOf = c.req.query('as_of');
    const incident = asOf === undefined ? await store.getIncident(id) : await incidentAsOf(store, id, asOf);
    if (incident === null) throw new VigilError('not_found', `no incident with id "${id}"${asOf === undefined ? '' : ` as of ${asOf}`}`);
    const [mentions, revisions, links] = await Promise.all([
      store.getMentions(incident.mentionIds),
      store.getRevisions(id),
      store.getLinks(id),
    ]);
    const documents = await store.getDocuments([...new Set(mentions.map((m) => m.documentId))]);
    const past = asOf === undefined ? revisions : revisions.filter((r) => Date.parse(r.at) <= Date.parse(asOf));
    return c.json({ incident, mentions, documents, revisions: past, links });
  });

  registerAuthRoutes(app, access);
  registerUserRoutes(app, access);
  registerAuditRoutes(app, access);
  registerDocsRoutes(app, access.settings);
  registerHistoryRoutes(app, store);
  registerPlacesRoutes(app, () => options.gazetteer ?? loadGazetteer());
  registerSourceRoutes(app, store);
  registerAlertRoutes(app, store);
  registerReviewRoutes(app, store);
  registerStatsRoutes(app, store, options.clock);

  app.all('/api/*', (c) => {
    throw new VigilError('not_found', `no API route ${c.req.method} ${c.req.path}; see /api/health and /api/incidents`);
  });

  app.get('*', async (c) => {
    const response = await serveStatic(webRoot, c.req.path);
    if (response === null) {
      if (c.req.path === '/' || c.req.path === '/index.html') {
        return c.text(`The web app is not built (no ${path.join(webRoot, 'index.html')}). Run: npm run build`, 503);
      }
      return c.text('not found', 404);
    }
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
      response.headers.set('content-security-policy', CSP);
      response.headers.set('referrer-policy', 'no-referrer');
    }
    return response;
  });

  return app;
}
