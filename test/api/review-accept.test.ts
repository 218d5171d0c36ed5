import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import type { Incident, Revision } from '../../src/core/model.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import { openStore } from '../../src/store/open.js';
import { planMerge } from '../../src/resolve/review.js';
import { acceptIncident, editIncident, incidentHistory, mergeIncidents, reportLookup } from '../../src/store/review.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { asInput, fixtureExtractor, LINKING_FIXTURE } from '../pipeline/linking-fixtures.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { listed, post, reviewApp } from './review-setup.js';

/*
 * Accepting a machine-made incident: status machine → reviewed, one revision with action
 * `accept`, nothing pinned, refused on a stale revision, undoable; through the store, the API
 * (with its roles) and the command line.
 */

type Answer = { incidents: Incident[]; revisions: Revision[] };

describe.each([sqliteFactory(), postgresFactory('apiaccept')])('accepting an incident on $name', (factory) => {
  let store: Store;
  let app: Hono;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    store = await factory.create();
    ({ app, tokens } = await reviewApp(store, ['kabul-1', 'kabul-2', 'lyon-1', 'lyon-2', 'mogadishu-1'], false));
  });
  afterAll(() => factory.cleanup());

  async function byTitle(part: string): Promise<Incident[]> {
    return (await listed(store)).filter((i) => (i.fields.title ?? '').includes(part) && i.status === 'machine');
  }

  it('marks the incident reviewed with an accept revision by the analyst, its fields and pins untouched', async () => {
    const [kabul] = (await byTitle('Kabul')) as [Incident];
    expect(kabul.status).toBe('machine');
    const response = await post(app, `/api/incidents/${kabul.id}/accept`, tokens.analyst, { revision: kabul.revision });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.revisions.map((r) => [r.incidentId, r.revision, r.action, r.by])).toEqual([[kabul.id, kabul.revision + 1, 'accept', 'analyst-ana']]);

    const stored = (await store.getIncident(kabul.id)) as Incident;
    expect(stored.status).toBe('reviewed');
    expect(stored.revision).toBe(kabul.revision + 1);
    expect(stored.fields).toStrictEqual(kabul.fields);
    expect(stored.pinnedFields ?? []).toStrictEqual(kabul.pinnedFields ?? []);
    expect(stored.mentionIds).toStrictEqual(kabul.mentionIds);
    expect(answer.incidents[0]).toStrictEqual(stored);

    const history = await incidentHistory(store, kabul.id);
    expect(history.at(-1)).toMatchObject({ action: 'accept', by: 'analyst-ana', changed: ['status'], changes: [{ key: 'status', before: 'machine', after: 'reviewed' }] });

    // The same request again names a revision that is no longer the latest.
    const again = await post(app, `/api/incidents/${kabul.id}/accept`, tokens.analyst, { revision: kabul.revision });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await store.getIncident(kabul.id)).toStrictEqual(stored);
  });

  it('refuses a stale revision with 409 and writes nothing', async () => {
    const [lyon] = (await byTitle('Lyon')) as [Incident];
    await editIncident(store, { id: lyon.id, revision: lyon.revision, field: 'wounded', value: { low: 1, best: 1, high: 2 }, by: 'someone-else', reason: 'prefecture' });
    const edited = (await store.getIncident(lyon.id)) as Incident;
    const response = await post(app, `/api/incidents/${lyon.id}/accept`, tokens.analyst, { revision: lyon.revision, reason: 'looks right' });
    expect(response.status).toBe(409);
    expect(await store.getIncident(lyon.id)).toStrictEqual(edited);
    expect((await store.getRevisions(lyon.id)).map((r) => r.action)).not.toContain('accept');
  });

  it('refuses an incident already reviewed or rejected with 422 naming the status, and an unknown one with 404', async () => {
    const reviewed = (await listed(store)).find((i) => i.status === 'reviewed') as Incident;
    const twice = await post(app, `/api/incidents/${reviewed.id}/accept`, tokens.analyst, { revision: reviewed.revision });
    expect(twice.status).toBe(422);
    expect(await twice.json()).toMatchObject({ error: { code: 'bad_input', field: 'status' } });

    const [mogadishu] = (await byTitle('Mogadishu')) as [Incident];
    const rejected = await post(app, `/api/incidents/${mogadishu.id}/reject`, tokens.analyst, { revision: mogadishu.revision, reason: 'out of scope' });
    expect(rejected.status).toBe(200);
    const refused = await post(app, `/api/incidents/${mogadishu.id}/accept`, tokens.analyst, { revision: mogadishu.revision + 1 });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/rejected; undo the rejection/);
    expect((await store.getIncident(mogadishu.id))?.status).toBe('rejected');

    expect((await post(app, '/api/incidents/i_nothing/accept', tokens.analyst, { revision: 1 })).status).toBe(404);
    const badBody = await post(app, `/api/incidents/${mogadishu.id}/accept`, tokens.analyst, { revision: 0 });
    expect(badBody.status).toBe(422);
  });

  it('is undone like any other operation: back to machine, the accept kept in the history', async () => {
    const [kabul] = (await listed(store)).filter((i) => (i.fields.title ?? '').includes('Kabul') && i.status === 'reviewed') as [Incident];
    const undo = await post(app, `/api/incidents/${kabul.id}/undo`, tokens.analyst, { revision: kabul.revision, reason: 'accepted too fast' });
    expect(undo.status).toBe(200);
    const after = (await store.getIncident(kabul.id)) as Incident;
    expect(after).toMatchObject({ status: 'machine', revision: kabul.revision + 1 });
    expect(after.fields).toStrictEqual(kabul.fields);
    expect((await incidentHistory(store, kabul.id)).slice(-2).map((h) => [h.action, h.changed])).toEqual([['accept', ['status']], ['undo', ['status']]]);
  });

  it('pins nothing: a merge after an accept reconciles every field from all the reports, as without the accept', async () => {
    const [first, second] = (await byTitle('Kabul')) as [Incident, Incident];
    const withoutAccept = planMerge(first, [second], await reportLookup(store, [...first.mentionIds, ...second.mentionIds]), { by: 'amina', at: new Date().toISOString(), reason: 'one bombing' });
    const accepted = (await acceptIncident(store, { id: first.id, revision: first.revision, by: 'amina' })).incidents[0] as Incident;
    expect(accepted.pinnedFields ?? []).toEqual([]);
    const merged = (await mergeIncidents(store, { survivor: { id: first.id, revision: accepted.revision }, absorbed: [{ id: second.id, revision: second.revision }], by: 'amina', reason: 'one bombing' })).incidents[0] as Incident;
    expect(merged.pinnedFields ?? []).toEqual([]);
    expect(merged.mentionIds).toHaveLength(first.mentionIds.length + second.mentionIds.length);
    expect(merged.fields).toStrictEqual(withoutAccept.writes[0]?.incident.fields);
  });

  it('lets only analysts and admins accept', async () => {
    const [lyon] = (await byTitle('Lyon')).filter((i) => i.revision === 1) as [Incident];
    const body = { revision: lyon.revision };
    expect((await post(app, `/api/incidents/${lyon.id}/accept`, null, body)).status).toBe(401);
    expect((await post(app, `/api/incidents/${lyon.id}/accept`, tokens.viewer, body)).status).toBe(403);
    expect(await store.getIncident(lyon.id)).toStrictEqual(lyon);
    const admin = await post(app, `/api/incidents/${lyon.id}/accept`, tokens.admin, body);
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as Answer).revisions[0]).toMatchObject({ action: 'accept', by: 'admin-ana' });
  });
});

describe('vigil review accept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-accept-cli-'));
  const db = join(dir, 'accept.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts an incident, refuses a stale --expect and a second accept', async () => {
    const store = await openStore(db);
    await ingestReports(store, asReadResults(LINKING_FIXTURE.filter((r) => r.id === 'lyon-1').map(asInput)), {
      extractor: fixtureExtractor(LINKING_FIXTURE),
      source: { kind: 'batch', locator: 'cli', name: 'cli' },
      linking: false,
    });
    const [incident] = (await store.listIncidents({ limit: 10 })).items;
    await store.close();
    if (incident === undefined) throw new Error('expected an incident');
    const env = { VIGIL_USER: 'amina' };

    const stale = await runCli(['review', 'accept', incident.id, '--db', db, '--expect', `${incident.id}@${incident.revision + 1}`], { env });
    expect(stale.code).toBe(2);
    const accept = await runCli(['review', 'accept', incident.id, '--db', db, '--reason', 'checked the sources'], { env });
    expect(accept).toMatchObject({ code: 0, stderr: '' });
    expect(accept.stdout).toContain(`${incident.id} r${incident.revision + 1} reviewed`);
    const twice = await runCli(['review', 'accept', incident.id, '--db', db], { env });
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toMatch(/already reviewed/);

    const history = await runCli(['review', 'history', incident.id, '--db', db, '--json'], { env });
    const last = JSON.parse(history.stdout.trim().split('\n').at(-1) ?? '{}') as { action: string; by: string; reason: string; changed: string[] };
    expect(last).toMatchObject({ action: 'accept', by: 'amina', reason: 'checked the sources', changed: ['status'] });
  });
});
