import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import type { Incident } from '../../src/core/model.js';
import type { HistoryEntry } from '../../src/store/review.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { listed, post, reviewApp } from './review-setup.js';

describe.each([sqliteFactory(), postgresFactory('apihistory')])('GET /api/incidents/:id/history on $name', (factory) => {
  let store: Store;
  let app: Hono;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    store = await factory.create();
    ({ app, tokens } = await reviewApp(store, ['dikwa-1', 'dikwa-2', 'gwoza-1']));
  });
  afterAll(() => factory.cleanup());

  it('lists the revisions oldest first with who, when, why and what changed, machine links and analyst decisions alike', async () => {
    const dikwa = (await listed(store)).find((i) => i.mentionIds.length === 2) as Incident;
    const gwoza = (await listed(store)).find((i) => i.mentionIds.length === 1) as Incident;
    const merged = await post(app, '/api/incidents/merge', tokens.analyst, { survivor: { id: dikwa.id, revision: dikwa.revision }, absorbed: [{ id: gwoza.id, revision: gwoza.revision }], reason: 'same raid?' });
    expect(merged.status).toBe(200);

    const response = await app.request(`/api/incidents/${dikwa.id}/history`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { incidentId: string; revision: number; history: HistoryEntry[] };
    expect(body.incidentId).toBe(dikwa.id);
    expect(body.revision).toBe(3);
    expect(body.history.map((h) => [h.revision, h.action, h.by])).toEqual([
      [1, 'create', 'system:ingest'],
      [2, 'link', 'system:link'],
      [3, 'merge', 'analyst-ana'],
    ]);
    const [created, linked, merge] = body.history as [HistoryEntry, HistoryEntry, HistoryEntry];
    expect(created.reason).toMatch(/extracted by linking-fixture@1/);
    expect(linked.changed).toEqual(expect.arrayContaining(['mentionIds', 'fields.killed']));
    expect(linked.changes.find((c) => c.key === 'mentionIds')).toMatchObject({ before: [dikwa.mentionIds[0]], after: dikwa.mentionIds });
    expect(merge).toMatchObject({ reason: 'same raid?', alsoChanged: [gwoza.id], undoes: null });
    expect(Date.parse(merge.at)).not.toBeNaN();

    const absorbed = (await (await app.request(`/api/incidents/${gwoza.id}/history`)).json()) as { mergedInto: string; history: HistoryEntry[] };
    expect(absorbed.mergedInto).toBe(dikwa.id);
    expect(absorbed.history.at(-1)).toMatchObject({ action: 'merge', changed: expect.arrayContaining(['mergedInto', 'mentionIds']), alsoChanged: [dikwa.id] });
  });

  it('shows an undo with the revision it undid', async () => {
    const dikwa = (await listed(store)).find((i) => i.mentionIds.length === 3) as Incident;
    const undo = await post(app, `/api/incidents/${dikwa.id}/undo`, tokens.analyst, { revision: dikwa.revision, reason: 'two raids' });
    expect(undo.status).toBe(200);
    const body = (await (await app.request(`/api/incidents/${dikwa.id}/history`)).json()) as { history: HistoryEntry[] };
    expect(body.history.at(-1)).toMatchObject({ action: 'undo', by: 'analyst-ana', reason: 'two raids', undoes: { incidentId: dikwa.id, revision: dikwa.revision } });
  });

  it('answers 404 for an incident that does not exist', async () => {
    const response = await app.request('/api/incidents/i_does_not_exist/history');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
