import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MentionFields } from '../../src/core/model.js';
import { importDataset } from '../../src/pipeline/import.js';
import { asReadResults, ingestReports } from '../../src/pipeline/ingest.js';
import type { Store } from '../../src/store/store.js';
import { fixedExtractor, noFields } from '../helpers/records.js';
import { postgresFactory, sqliteFactory } from '../store/stores.js';
import { tempFile } from './helpers.js';

const HEADER =
  'eventid,iyear,imonth,iday,approxdate,extended,country_txt,region_txt,provstate,city,latitude,longitude,specificity,location,summary,multiple,success,suicide,attacktype1_txt,targtype1_txt,targsubtype1_txt,corp1,target1,gname,gname2,guncertain1,individual,claimed,claimmode_txt,weaptype1_txt,weapsubtype1_txt,weapdetail,nkill,nkillus,nkillter,nwound,nwoundte,property,propextent_txt,ishostkid,nhostkid,addnotes,scite1,scite2,scite3,dbsource,related';
/** Invented GTD-shaped rows: two attacks in Beni on the same day (different attacks GTD codes apart). */
const ROWS = [
  '203104020001,2031,4,2,,0,Democratic Republic of the Congo,Sub-Saharan Africa,North Kivu,Beni,0.49,29.47,1,,"04/02/2031: Invented militants attacked a market in Beni, killing seven civilians.",0,1,0,Armed Assault,Private Citizens & Property,,,Traders,Allied Democratic Forces (ADF),,0,0,0,,Firearms,,,7,0,0,3,0,,,,,,,,,Synthetic,',
  '203104020002,2031,4,2,,0,Democratic Republic of the Congo,Sub-Saharan Africa,North Kivu,Beni,0.49,29.47,1,,"04/02/2031: Invented militants burned a health centre in Beni; nobody was hurt.",0,1,0,Facility/Infrastructure Attack,Business,,,Clinic,Allied Democratic Forces (ADF),,0,0,0,,Incendiary,,,0,0,0,0,0,,,,,,,,,Synthetic,',
];

function newsFields(text: string): MentionFields {
  const ev = [{ start: 0, end: 10 }];
  const f = noFields();
  f.date = { value: { start: '2031-04-02', end: '2031-04-02', precision: 'day' }, evidence: ev, confidence: 0.9 };
  f.location = { value: { name: 'Beni', admin1: 'North Kivu', country: 'CD', lat: 0.49, lon: 29.47, precision: 'city', radiusKm: 10 }, evidence: ev, confidence: 0.9 };
  f.attackTypes = [{ value: 'armed_assault', evidence: ev, confidence: 0.9 }];
  f.killed = { value: { low: 7, best: 7, high: 7, kind: 'reported' }, evidence: ev, confidence: 0.9 };
  f.wounded = { value: { low: 3, best: 3, high: 3, kind: 'reported' }, evidence: [{ start: 0, end: Math.min(12, text.length) }], confidence: 0.9 };
  f.perpetrators = [{ value: { name: 'Allied Democratic Forces', actorId: 'adf', attribution: 'attributed' }, evidence: ev, confidence: 0.9 }];
  return f;
}

describe.each([sqliteFactory(), postgresFactory('implink')])('dataset rows linked at import on $name', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.create();
    await store.migrate();
  });
  afterEach(() => store.close());

  it('links a row to the incident a news report already describes, never two rows of one release together', async () => {
    const text = 'Gunmen attacked the central market in Beni, North Kivu, on Wednesday, killing seven people and wounding three, officials said.';
    await ingestReports(store, asReadResults([{ text, published: '2031-04-02' }]), { extractor: fixedExtractor(newsFields(text)), source: { kind: 'batch', locator: 'news', name: 'news' } });
    expect((await store.counts()).incidents).toBe(1);
    const file = tempFile(`gtd-link-${factory.name}.csv`, `${HEADER}\n${ROWS.join('\n')}\n`);
    const summary = await importDataset(store, 'gtd', file);
    expect(summary).toMatchObject({ imported: 2, linked: 1, rejected: [] });
    const page = await store.listIncidents({ limit: 10 });
    expect(page.items).toHaveLength(2);
    const market = page.items.find((i) => i.mentionIds.length === 2);
    expect(market?.fields.killed).toMatchObject({ best: 7 });
    // Re-importing changes nothing, and linking can be switched off.
    expect(await importDataset(store, 'gtd', file)).toMatchObject({ imported: 0, alreadyPresent: 2, linked: 0 });
  });

  it('stores every row as its own incident with --no-link', async () => {
    const text = 'Gunmen attacked the central market in Beni, North Kivu, on Wednesday, killing seven people and wounding three, officials said.';
    await ingestReports(store, asReadResults([{ text, published: '2031-04-02' }]), { extractor: fixedExtractor(newsFields(text)), source: { kind: 'batch', locator: 'news', name: 'news' } });
    const file = tempFile(`gtd-nolink-${factory.name}.csv`, `${HEADER}\n${ROWS.join('\n')}\n`);
    expect(await importDataset(store, 'gtd', file, { link: false })).toMatchObject({ imported: 2, linked: 0 });
    expect((await store.listIncidents({ limit: 10 })).items).toHaveLength(3);
  });
});
