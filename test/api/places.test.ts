import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/core/config.js';
import { loadGazetteer } from '../../src/gazetteer/index.js';
import type { Store } from '../../src/store/store.js';
import { sqliteFactory } from '../store/stores.js';

interface Hit {
  kind: string;
  name: string;
  country: string;
  precision: string;
  radiusKm: number;
  lat: number | null;
}

describe('GET /api/places (the search box)', () => {
  let store: Store;
  let app: Hono;

  beforeAll(async () => {
    store = await sqliteFactory().create();
    await store.migrate();
    app = createApp({ store, config: loadConfig({}), log: () => undefined, gazetteer: loadGazetteer() });
  });
  afterAll(async () => {
    await store.close();
  });

  async function places(query: string): Promise<{ status: number; body: { items?: Hit[]; error?: { code: string; message: string } } }> {
    const response = await app.request(`/api/places?${query}`);
    return { status: response.status, body: (await response.json()) as { items?: Hit[]; error?: { code: string; message: string } } };
  }

  it('answers towns, regions and countries by prefix, best first, each with its precision and radius', async () => {
    const { status, body } = await places('q=mogad');
    expect(status).toBe(200);
    expect(body.items?.[0]).toMatchObject({ kind: 'city', name: 'Mogadishu', country: 'SO', precision: 'city' });
    const diyala = await places('q=Diyala');
    const region = diyala.body.items?.find((h) => h.kind === 'admin1');
    expect(region).toMatchObject({ country: 'IQ', precision: 'admin1' });
    expect(region?.radiusKm).toBeGreaterThan(10);
    const country = (await places('q=Somalia')).body.items?.find((h) => h.kind === 'country');
    expect(country).toMatchObject({ country: 'SO', precision: 'country', lat: null });
  });

  it('filters by country and caps the number of answers', async () => {
    const { body } = await places('q=san&country=co&limit=3');
    expect(body.items?.length).toBe(3);
    expect(body.items?.every((h) => h.country === 'CO')).toBe(true);
  });

  it('folds accents and scripts', async () => {
    expect((await places(`q=${encodeURIComponent('Kābul')}`)).body.items?.[0]?.country).toBe('AF');
    expect((await places(`q=${encodeURIComponent('Кабул')}`)).body.items?.[0]?.country).toBe('AF');
  });

  it.each([
    ['', 'q'],
    ['q=Kabul&limit=500', 'limit'],
    ['q=Kabul&country=Afghanistan', 'country'],
  ])('rejects ?%s with 422 naming the field %s', async (query, field) => {
    const { status, body } = await places(query);
    expect(status).toBe(422);
    expect(body.error?.message).toContain(field);
  });
});
