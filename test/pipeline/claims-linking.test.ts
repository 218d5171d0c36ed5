import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import type { Store } from '../../src/store/store.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';

/*
 * A group's claim and an independent report of the same attack, through the real extractor and
 * ingestion: one incident, the reported figures and the claimed ones side by side. Texts written
 * for this test.
 */
const NEWS = {
  text: 'Militants attacked an army barracks in Borno State, Nigeria, on Thursday, killing four soldiers and wounding three, military sources said.',
  published: '2025-03-14',
};
const CLAIM = {
  text: 'بفضل الله تعالى، تمكن جنود الخلافة من استهداف ثكنة للجيش النيجيري في ولاية بورنو يوم الخميس، مما أدى إلى هلاك 7 عناصر وإصابة 4 آخرين، ولله الحمد.',
  published: '2025-03-14',
  kind: 'claim' as const,
};

describe.each([sqliteFactory(), postgresFactory('claims')])('a claim and a report of one attack on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.create();
    await store.migrate();
  });
  afterEach(() => store.close());

  it('end as one incident with the group claimed and its figures kept apart from the reported ones', async () => {
    const extractor = createExtractor();
    await ingestReports(store, asReadResults([NEWS]), { extractor, source: { kind: 'batch', locator: 'news', name: 'news' } });
    await ingestReports(store, asReadResults([CLAIM]), { extractor, source: { kind: 'telegram', locator: 'channel', name: 'channel' } });
    const { items } = await store.listIncidents({ limit: 10 });
    expect(items).toHaveLength(1);
    const [incident] = items;
    expect(incident?.mentionIds).toHaveLength(2);
    expect(incident?.fields.killed).toMatchObject({ best: 4 });
    expect(incident?.fields.wounded).toMatchObject({ best: 3 });
    expect(incident?.fields.claimedKilled).toMatchObject({ best: 7 });
    expect(incident?.fields.claimedWounded).toMatchObject({ best: 4 });
    expect(incident?.fields.perpetrators.some((p) => p.actorId === 'islamic-state' || p.actorId === 'is-west-africa')).toBe(true);
    expect(incident?.fields.perpetrators.find((p) => p.actorId === 'islamic-state' || p.actorId === 'is-west-africa')?.attribution).toBe('claimed');
  });
});
