import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import type { Incident } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { listed, post, reviewApp } from './review-setup.js';

describe.each([sqliteFactory(), postgresFactory('apireview')])('the review routes on $name', (factory) => {
  let store: Store;
  let app: Hono;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    store = await factory.create();
    ({ app, tokens } = await reviewApp(store, ['kabul-1', 'kabul-2', 'lyon-1', 'mogadishu-1'], false));
  });
  afterAll(() => factory.cleanup());

  async function byTitle(part: string): Promise<Incident[]> {
    return (await listed(store)).filter((i) => (i.fields.title ?? '').includes(part));
  }

  it('merges two incidents for an analyst, names them as the one who decided, and refuses the same stale request with 409', async () => {
    const [a, b] = (await byTitle('Kabul')) as [Incident, Incident];
    const body = { survivor: { id: a.id, revision: a.revision }, absorbed: [{ id: b.id, revision: b.revision }], reason: 'the same mosque bombing' };
    const response = await post(app, '/api/incidents/merge', tokens.analyst, body);
    expect(response.status).toBe(200);
    const result = (await response.json()) as { incidents: Incident[]; revisions: { by: string; action: string }[] };
    expect(result.incidents.map((i) => i.id)).toEqual([a.id, b.id]);
    expect(result.revisions.map((r) => [r.action, r.by])).toEqual([['merge', 'analyst-ana'], ['merge', 'analyst-ana']]);

    const again = await post(app, '/api/incidents/merge', tokens.analyst, body);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'conflict' } });
  });

  it('edits, rejects and undoes through the API, each answering with the new revision', async () => {
    const [lyon] = (await byTitle('Lyon')) as [Incident];
    const edit = await post(app, `/api/incidents/${lyon.id}/edit`, tokens.analyst, { revision: lyon.revision, field: 'wounded', value: { low: 2, best: 3, high: 3 }, reason: 'prefecture update' });
    expect(edit.status).toBe(200);
    const edited = ((await edit.json()) as { incidents: Incident[] }).incidents[0] as Incident;
    expect(edited).toMatchObject({ revision: lyon.revision + 1, pinnedFields: ['wounded'], fields: { wounded: { low: 2, best: 3, high: 3 } } });

    const stale = await post(app, `/api/incidents/${lyon.id}/reject`, tokens.analyst, { revision: lyon.revision, reason: 'not terrorism' });
    expect(stale.status).toBe(409);
    const reject = await post(app, `/api/incidents/${lyon.id}/reject`, tokens.admin, { revision: edited.revision, reason: 'not terrorism' });
    expect(reject.status).toBe(200);
    const undo = await post(app, `/api/incidents/${lyon.id}/undo`, tokens.analyst, { revision: edited.revision + 1, reason: 'prosecutors took the case' });
    expect(undo.status).toBe(200);
    expect(((await undo.json()) as { incidents: Incident[] }).incidents[0]).toMatchObject({ status: 'reviewed', revision: edited.revision + 2 });
  });

  it('splits mentions off an incident', async () => {
    const [kabul] = (await byTitle('Kabul')) as [Incident];
    const response = await post(app, `/api/incidents/${kabul.id}/split`, tokens.analyst, { revision: kabul.revision, mentionIds: [kabul.mentionIds[1]], reason: 'two mosques after all' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { incidents: Incident[] }).incidents.map((i) => i.mentionIds.length)).toEqual([1, 1]);
  });

  it('answers bad requests with 422 naming the field, unknown incidents with 404', async () => {
    const [mogadishu] = (await byTitle('Mogadishu')) as [Incident];
    const noReason = await post(app, `/api/incidents/${mogadishu.id}/reject`, tokens.analyst, { revision: mogadishu.revision });
    expect(noReason.status).toBe(422);
    expect(await noReason.json()).toMatchObject({ error: { code: 'bad_input', field: 'reason' } });
    const badField = await post(app, `/api/incidents/${mogadishu.id}/edit`, tokens.analyst, { revision: mogadishu.revision, field: 'colour', value: 1, reason: 'x' });
    expect(badField.status).toBe(422);
    expect(await badField.json()).toMatchObject({ error: { code: 'bad_input', field: 'field' } });
    const missing = await post(app, '/api/incidents/i_nothing/undo', tokens.analyst, { revision: 1 });
    expect(missing.status).toBe(404);
    expect(await store.getIncident(mogadishu.id)).toStrictEqual(mogadishu);
  });

  it('lets only analysts and admins change incidents', async () => {
    const [mogadishu] = (await byTitle('Mogadishu')) as [Incident];
    const body = { revision: mogadishu.revision, reason: 'test' };
    expect((await post(app, `/api/incidents/${mogadishu.id}/reject`, null, body)).status).toBe(401);
    expect((await post(app, `/api/incidents/${mogadishu.id}/reject`, tokens.viewer, body)).status).toBe(403);
    expect(await store.getIncident(mogadishu.id)).toStrictEqual(mogadishu);
  });
});
