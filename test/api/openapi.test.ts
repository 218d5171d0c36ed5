import { Validator } from '@seriousme/openapi-schema-validator';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { apiRoutes, docsPage, OPERATIONS, openApiDocument, openApiPath } from '../../src/api/openapi.js';
import { ACCESS_DEFAULTS, loadConfig } from '../../src/core/config.js';
import { sqliteFactory } from '../store/stores.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; security: unknown[]; 'x-vigil-access': string; tags: string[] }>>;
  components: { schemas: Record<string, unknown> };
};

const factory = sqliteFactory();
let app: Hono;

beforeAll(async () => {
  const store = await factory.create();
  await store.migrate();
  app = createApp({ store, config: loadConfig({ VIGIL_OPEN_READS: 'false' }), log: () => undefined });
});

afterAll(async () => {
  await factory.cleanup();
});

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

describe('the OpenAPI description', () => {
  it('is served without signing in, even with reads closed, and describes every route the app registers', async () => {
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    const routes = apiRoutes(app);
    expect(routes.length).toBeGreaterThanOrEqual(16);
    for (const route of routes) {
      const operation = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path} is not in the description`).toBeDefined();
      expect(operation?.tags, `${route.method} ${route.path} is not described in src/api/openapi.ts OPERATIONS`).not.toContain('undescribed');
      expect(Object.keys(operation?.responses ?? {}).some((s) => s.startsWith('2'))).toBe(true);
    }
    const described = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    expect(described).toBe(routes.length);
  });

  it('is a valid OpenAPI 3.1 document by the official schema', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const broken = structuredClone(doc) as { paths: Record<string, Record<string, { responses?: unknown }>> };
    delete broken.paths['/api/audit']!['get']!.responses;
    broken.paths['/api/audit']!['get']!.responses = 'none';
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('says who may call each route, and which errors it answers', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Doc;
    expect(doc.paths['/api/health']?.['get']).toMatchObject({ 'x-vigil-access': 'public', security: [] });
    expect(doc.paths['/api/incidents']?.['get']?.['x-vigil-access']).toBe('read');
    expect(doc.paths['/api/incidents']?.['get']?.security).not.toContainEqual({});
    expect(doc.paths['/api/users']?.['post']?.['x-vigil-access']).toBe('admin');
    expect(Object.keys(doc.paths['/api/users']?.['post']?.responses ?? {})).toEqual(expect.arrayContaining(['201', '401', '403', '409', '422', '429']));
    expect(Object.keys(doc.paths['/api/users/{id}']?.['delete']?.responses ?? {})).toEqual(expect.arrayContaining(['404', '409']));
    const open = openApiDocument([{ method: 'GET', path: '/api/incidents' }], ACCESS_DEFAULTS) as unknown as Doc;
    expect(open.paths['/api/incidents']?.['get']?.security).toContainEqual({});
  });

  it('resolves every $ref, and gives each operation a unique id', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Doc;
    for (const target of new Set(refsIn(doc))) {
      const name = target.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name], target).toBeDefined();
    }
    const ids = OPERATIONS.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.components.schemas['Incident']).toMatchObject({ type: 'object' });
  });

  it('lists a registered route that nobody described, so that the check above catches it', () => {
    const doc = openApiDocument([{ method: 'GET', path: '/api/new/:thing' }], ACCESS_DEFAULTS) as unknown as Doc;
    expect(doc.paths['/api/new/{thing}']?.['get']?.tags).toEqual(['undescribed']);
  });
});

describe('GET /api/docs', () => {
  it('renders every route as plain HTML that loads and runs nothing from anywhere', async () => {
    const response = await app.request('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await response.text();
    for (const route of apiRoutes(app)) expect(html).toContain(`<code>${openApiPath(route.path)}</code>`);
    expect(html).not.toMatch(/<script|<link|<img|https?:\/\//i);
    expect(html).toContain('Who may call it: admins.');
  });

  it('escapes what it shows', () => {
    const doc = openApiDocument([], ACCESS_DEFAULTS) as Record<string, unknown>;
    (doc['info'] as Record<string, unknown>)['description'] = '<script>alert(1)</script> and `code`';
    const html = docsPage(doc);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('<code>code</code>');
  });
});
