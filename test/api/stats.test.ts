import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodsOf } from '../../src/api/query.js';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import type { Incident, Range } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { createIncidents, getJson, incidentOf, randomFields, seeded } from './stats-helpers.js';

/*
 * GET /api/stats on both stores, checked against an independent computation in plain TypeScript
 * over random incidents: every grouping, with filters, over from/to and rolling windows, and the
 * previous period.
 */

const IS_FAMILY = ['islamic-state', 'is-khorasan', 'is-west-africa', 'is-sahel'];
/** The top-level group of each actor the random data uses (written out here, not read from the registry). */
const ROOT: Record<string, string> = {
  'islamic-state': 'islamic-state',
  'is-khorasan': 'islamic-state',
  'is-west-africa': 'islamic-state',
  'is-sahel': 'islamic-state',
  'al-shabaab': 'al-qaeda',
  jnim: 'al-qaeda',
  ttp: 'ttp',
};

interface Sums {
  low: number;
  best: number;
  high: number;
}
interface Figures {
  incidents: number;
  killed: Sums;
  wounded: Sums;
}
interface Group extends Figures {
  key: string | null;
  country?: string | null;
  previous: Figures;
}
interface Answer {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  total: Figures & { previous: Figures; change: { incidents: number; incidentsPercent: number | null; killed: Sums } };
  groups: Group[];
}

type Spec = { from: string; to: string; group: string; rollup?: boolean; keep: (i: Incident) => boolean; actors?: string[]; kinds?: string[] };

function monday(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The expected rollup: a map from group key to figures. */
function rollup(incidents: readonly Incident[], spec: Spec): Map<string, Figures> {
  const out = new Map<string, Figures>();
  const add = (s: Sums, r: Range | null): void => {
    s.low += r?.low ?? 0;
    s.best += r?.best ?? 0;
    s.high += r?.high ?? 0;
  };
  for (const i of incidents) {
    const day = i.fields.date?.start;
    if (day === undefined || day < spec.from || day > spec.to || !spec.keep(i)) continue;
    const loc = i.fields.location;
    let keys: string[];
    if (spec.group === 'none') keys = ['-'];
    else if (spec.group === 'country') keys = [String(loc?.country ?? null)];
    else if (spec.group === 'admin1') keys = [`${loc?.country ?? null}/${loc?.admin1 ?? null}`];
    else if (spec.group === 'month') keys = [day.slice(0, 7)];
    else if (spec.group === 'week') keys = [monday(day)];
    else if (spec.group === 'attack_type') keys = i.fields.attackTypes.length === 0 ? ['null'] : [...i.fields.attackTypes];
    else {
      const ids = i.fields.perpetrators
        .filter((p) => p.actorId != null && (spec.actors === undefined || spec.actors.includes(p.actorId)) && (spec.kinds === undefined || spec.kinds.includes(p.attribution)))
        .map((p) => (spec.rollup === true ? (ROOT[p.actorId as string] as string) : (p.actorId as string)));
      keys = ids.length === 0 ? ['null'] : ids;
    }
    for (const key of new Set(keys)) {
      const f = out.get(key) ?? { incidents: 0, killed: { low: 0, best: 0, high: 0 }, wounded: { low: 0, best: 0, high: 0 } };
      f.incidents += 1;
      add(f.killed, i.fields.killed);
      add(f.wounded, i.fields.wounded);
      out.set(key, f);
    }
  }
  return out;
}

const keyOf = (g: Group, group: string): string => (group === 'admin1' ? `${g.country ?? null}/${g.key}` : String(g.key));
const empty: Figures = { incidents: 0, killed: { low: 0, best: 0, high: 0 }, wounded: { low: 0, best: 0, high: 0 } };
const figures = (f: Figures): Figures => ({ incidents: f.incidents, killed: f.killed, wounded: f.wounded });

const hasActor = (ids: string[], kinds?: string[]) => (i: Incident) => i.fields.perpetrators.some((p) => p.actorId != null && ids.includes(p.actorId) && (kinds === undefined || kinds.includes(p.attribution)));

const CASES: { query: string; spec: Omit<Spec, 'from' | 'to'> }[] = [
  { query: 'group_by=none', spec: { group: 'none', keep: () => true } },
  { query: 'group_by=country', spec: { group: 'country', keep: () => true } },
  { query: 'group_by=admin1&country=ng', spec: { group: 'admin1', keep: (i) => i.fields.location?.country === 'NG' } },
  { query: 'group_by=month&min_killed=3', spec: { group: 'month', keep: (i) => (i.fields.killed?.best ?? -1) >= 3 } },
  { query: 'group_by=week&country=AF', spec: { group: 'week', keep: (i) => i.fields.location?.country === 'AF' } },
  { query: 'group_by=attack_type', spec: { group: 'attack_type', keep: () => true } },
  { query: 'group_by=actor', spec: { group: 'actor', keep: () => true } },
  { query: 'group_by=actor&rollup=true', spec: { group: 'actor', rollup: true, keep: () => true } },
  {
    query: 'group_by=actor&actor=islamic-state&attribution=claimed,attributed',
    spec: { group: 'actor', actors: IS_FAMILY, kinds: ['claimed', 'attributed'], keep: hasActor(IS_FAMILY, ['claimed', 'attributed']) },
  },
  { query: 'group_by=country&attack_type=bombing&min_casualties=4', spec: { group: 'country', keep: (i) => i.fields.attackTypes.includes('bombing') && (i.fields.killed?.best ?? 0) + (i.fields.wounded?.best ?? 0) >= 4 } },
];

const WINDOWS = ['from=2024-01-01&to=2024-12-31', 'rolling=12m&end=2025-03-15', 'rolling=90d&end=2024-08-31', 'from=2023-02-10&to=2023-02-10'];

describe('stats periods', () => {
  it('puts a rolling window of months after the same day months before, and the previous period just before it', () => {
    expect(periodsOf({ rolling: '12m', end: '2024-06-30' }, '2026-01-01')).toEqual({ current: { from: '2023-07-01', to: '2024-06-30' }, previous: { from: '2022-07-01', to: '2023-06-30' } });
    expect(periodsOf({ rolling: '1m', end: '2024-03-31' }, '2026-01-01')).toEqual({ current: { from: '2024-03-01', to: '2024-03-31' }, previous: { from: '2024-02-01', to: '2024-02-29' } });
    expect(periodsOf({ rolling: '7d' }, '2026-01-10')).toEqual({ current: { from: '2026-01-04', to: '2026-01-10' }, previous: { from: '2025-12-28', to: '2026-01-03' } });
    expect(periodsOf({ from: '2024-01-01', to: '2024-12-31' }, '2026-01-01')).toEqual({ current: { from: '2024-01-01', to: '2024-12-31' }, previous: { from: '2022-12-31', to: '2023-12-31' } });
  });
});

describe.each([sqliteFactory(), postgresFactory('stats')])('GET /api/stats on $name', (factory) => {
  let store: Store;
  let app: Hono;
  let incidents: Incident[];

  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    const rand = seeded(2026);
    incidents = Array.from({ length: 600 }, (_, n) => incidentOf(`inc_s${String(n).padStart(4, '0')}`, randomFields(rand, n), '2025-06-01T00:00:00.000Z'));
    // Merged incidents are not counted: the survivor stands for them.
    for (const absorbed of incidents.slice(0, 10)) absorbed.mergedInto = incidents[10]!.id;
    await createIncidents(store, incidents);
    app = createApp({ store, config: loadConfig({ VIGIL_RATE_LIMIT: '0' }), clock: () => new Date('2025-03-15T10:00:00Z'), log: () => undefined });
  });

  afterAll(async () => {
    await factory.cleanup();
  });

  const live = (): Incident[] => incidents.filter((i) => i.mergedInto === undefined);

  for (const window of WINDOWS) {
    it.each(CASES)(`${window} & $query agrees with a plain computation, previous period included`, async ({ query, spec }) => {
      const answer = await getJson<Answer>(app, `/api/stats?${window}&${query}`);
      const now = rollup(live(), { ...spec, ...answer.period });
      const before = rollup(live(), { ...spec, ...answer.previousPeriod });
      const totalNow = rollup(live(), { ...spec, ...answer.period, group: 'none' }).get('-') ?? empty;
      const totalBefore = rollup(live(), { ...spec, ...answer.previousPeriod, group: 'none' }).get('-') ?? empty;
      expect(figures(answer.total)).toEqual(totalNow);
      expect(answer.total.previous).toEqual(totalBefore);
      expect(answer.total.change.incidents).toBe(totalNow.incidents - totalBefore.incidents);
      expect(answer.total.change.killed.best).toBe(totalNow.killed.best - totalBefore.killed.best);
      if (spec.group === 'none') {
        expect(answer.groups).toEqual([]);
        return;
      }
      const got = new Map(answer.groups.map((g) => [keyOf(g, spec.group), figures(g)]));
      const want = new Map([...now.entries()]);
      for (const key of before.keys()) if (!want.has(key)) want.set(key, empty);
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      for (const g of answer.groups) expect(g.previous).toEqual(before.get(keyOf(g, spec.group)) ?? empty);
      const counts = answer.groups.map((g) => g.incidents);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    });
  }

  it('answers "claimed by the Islamic State and its provinces in the 12 months to D, killed and wounded" in one call', async () => {
    const answer = await getJson<Answer>(app, '/api/stats?actor=islamic-state&attribution=claimed&rolling=12m&end=2024-09-30');
    expect(answer.period).toEqual({ from: '2023-10-01', to: '2024-09-30' });
    const claimed = live().filter((i) => {
      const day = i.fields.date?.start;
      return day !== undefined && day >= '2023-10-01' && day <= '2024-09-30' && hasActor(IS_FAMILY, ['claimed'])(i);
    });
    expect(claimed.length).toBeGreaterThan(3);
    expect(answer.total.incidents).toBe(claimed.length);
    expect(answer.total.killed.best).toBe(claimed.reduce((n, i) => n + (i.fields.killed?.best ?? 0), 0));
    expect(answer.total.wounded.high).toBe(claimed.reduce((n, i) => n + (i.fields.wounded?.high ?? 0), 0));
  });

  it('uses today for a rolling window without end, and refuses windows that are missing or mixed', async () => {
    expect((await getJson<Answer>(app, '/api/stats?rolling=12m')).period).toEqual({ from: '2024-03-16', to: '2025-03-15' });
    expect((await getJson<{ error: { code: string } }>(app, '/api/stats?group_by=country', 422)).error.code).toBe('bad_input');
    expect((await getJson<{ error: { field: string } }>(app, '/api/stats?rolling=12m&from=2024-01-01', 422)).error.field).toBe('rolling');
    expect((await getJson<{ error: { field: string } }>(app, '/api/stats?rolling=12x', 422)).error.field).toBe('rolling');
    expect((await getJson<{ error: { field: string } }>(app, '/api/stats?from=2024-01-01&to=2024-12-31&group_by=year', 422)).error.field).toBe('group_by');
  });
});
