import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseText } from '../../src/core/ids.js';
import { isNormalAscii } from '../../src/datasets/bundle.js';
import { datasetBundle, datasetDocumentText, rowFromRaw, type DatasetRecord } from '../../src/datasets/index.js';
import type { Source } from '../../src/core/model.js';
import { IncidentSchema, MentionSchema, DocumentSchema, RevisionSchema } from '../../src/core/model.js';
import { fixture, readAll, records } from './helpers.js';

const source: Source = { id: 's_test', kind: 'gtd', locator: 'test', name: 'test', createdAt: '2030-06-01T00:00:00.000Z' };
const values = <T>(fields: ReadonlyArray<{ value: T }>): T[] => fields.map((f) => f.value);

describe('GTD', () => {
  it('maps the full layout one for one to the codebook, with dates, place, attribution and casualties', async () => {
    const rows = await records('gtd', fixture('gtd-full.csv'));
    const a = rows.get('203001050001');
    expect(a?.externalId).toBe('gtd:203001050001');
    expect(a?.line).toBe(2);
    const f = a!.fields;
    expect(f.date?.value).toEqual({ start: '2030-01-05', end: '2030-01-05', precision: 'day' });
    expect(f.location?.value).toMatchObject({ name: 'Jalalabad', admin1: 'Nangarhar', country: 'AF', lat: 34.43, lon: 70.45, precision: 'city' });
    expect(values(f.perpetrators)).toEqual([
      { name: 'Khorasan Chapter of the Islamic State', actorId: 'is-khorasan', attribution: 'claimed', attributedBy: 'Khorasan Chapter of the Islamic State' },
    ]);
    expect(values(f.attackTypes)).toEqual(['bombing', 'armed_assault']);
    expect(values(f.targetTypes)).toEqual(['military', 'private_citizens']);
    expect(values(f.weaponTypes)).toEqual(['explosives', 'firearms']);
    expect(f.suicide?.value).toBe(true);
    expect(f.killed?.value).toEqual({ low: 3, best: 3, high: null, kind: 'reported' });
    expect(f.perpetratorsKilled?.value).toEqual({ low: 1, best: 1, high: null, kind: 'reported' });
    expect(f.wounded?.value).toMatchObject({ best: 7 });
    expect(f.killed?.evidence).toEqual([]);
    expect(f.killed?.confidence).toBe(1);

    const b = rows.get('203002000002')!.fields;
    expect(b.date?.value).toEqual({ start: '2030-02-01', end: '2030-03-04', precision: 'month' });
    expect(b.location?.value).toMatchObject({ name: null, admin1: 'Borno', country: 'NG', precision: 'admin1' });
    expect(values(b.perpetrators)).toEqual([{ name: 'Boko Haram', actorId: 'boko-haram', attribution: 'suspected', attributedBy: 'GTD' }]);
    expect(values(b.attackTypes)).toEqual(['kidnapping']);
    expect(b.hostages?.value).toMatchObject({ best: 12 });

    const c = rows.get('203003100003')!.fields;
    expect(c.date?.value).toEqual({ start: '2030-03-07', end: '2030-03-13', precision: 'week' });
    expect(c.location?.value).toMatchObject({ country: 'PS', precision: 'admin2' });
    expect(c.perpetrators).toEqual([]);
    expect(c.killed).toBeUndefined();
    expect(values(c.weaponTypes)).toEqual(['incendiary']);
  });

  it('maps the core extract from its labels', async () => {
    const rows = await records('gtd', fixture('gtd-core.csv'));
    const a = rows.get('203004010004')!.fields;
    expect(a.location?.value).toMatchObject({ country: 'CD', name: 'Beni' });
    expect(values(a.attackTypes)).toEqual(['armed_assault']);
    expect(values(a.targetTypes)).toEqual(['private_citizens']);
    expect(values(a.weaponTypes)).toEqual(['melee']);
    expect(values(a.perpetrators)).toEqual([{ name: 'Allied Democratic Forces (ADF)', actorId: 'adf', attribution: 'attributed', attributedBy: 'GTD' }]);
    expect(a.killed?.value.best).toBe(9);
    const b = rows.get('203000000005')!.fields;
    expect(b.date?.value).toEqual({ start: '2030-01-01', end: '2030-12-31', precision: 'year' });
    expect(b.location).toBeUndefined();
    expect(values(b.attackTypes)).toEqual(['hijacking']);
    expect(values(b.targetTypes)).toEqual(['maritime']);
  });
});

describe('ACLED', () => {
  it('maps event and sub-event types through the crosswalk, precisions and actor1', async () => {
    const rows = await records('acled', fixture('acled.csv'));
    const a = rows.get('NIG90001')!;
    expect(a.externalId).toBe('acled:NIG90001');
    expect(a.publishedAt).toBe(new Date(1904000000 * 1000).toISOString());
    expect(a.fields.date?.value).toEqual({ start: '2030-05-12', end: '2030-05-12', precision: 'day' });
    expect(values(a.fields.attackTypes)).toEqual(['bombing']);
    expect(values(a.fields.weaponTypes)).toEqual(['explosives']);
    expect(a.fields.suicide?.value).toBe(true);
    expect(values(a.fields.targetTypes)).toEqual(['private_citizens']);
    expect(values(a.fields.perpetrators)).toEqual([{ name: 'Islamic State (West Africa)', actorId: 'is-west-africa', attribution: 'attributed', attributedBy: 'ACLED' }]);
    expect(a.fields.killed?.value).toEqual({ low: 5, best: 5, high: null, kind: 'reported' });
    expect(a.fields.location?.value).toMatchObject({ name: 'Konduga', admin1: 'Borno', country: 'NG', precision: 'city' });

    const b = rows.get('YEM90002')!.fields;
    expect(b.date?.value).toEqual({ start: '2030-05-10', end: '2030-05-16', precision: 'week' });
    expect(values(b.attackTypes)).toEqual(['armed_assault']);
    expect(values(b.targetTypes)).toEqual(['military']);
    expect(b.location?.value).toMatchObject({ country: 'YE', precision: 'admin2' });

    const c = rows.get('XKX90003')!.fields;
    expect(c.date?.value).toEqual({ start: '2030-05-01', end: '2030-05-31', precision: 'month' });
    expect(c.attackTypes).toEqual([]);
    expect(c.targetTypes).toEqual([]);
    expect(c.location?.value).toMatchObject({ country: 'XK', precision: 'admin1' });
  });
});

describe('UCDP GED', () => {
  it('maps violence types, date and place precision, best/low/high', async () => {
    const rows = await records('ucdp', fixture('ucdp.csv'));
    expect([...rows.keys()]).toEqual(['9900001', '9900002', '9900003']);
    const a = rows.get('9900001')!;
    expect(a.values[a.header.indexOf('source_article')]).toContain('Line one\nline two');
    expect(a.fields.killed?.value).toEqual({ low: 2, best: 2, high: 3, kind: 'reported' });
    expect(a.fields.location?.value).toMatchObject({ name: 'Invented village', country: 'SY', precision: 'exact', lat: 35.76 });
    expect(values(a.fields.perpetrators).map((p) => p.name)).toEqual(['Government of Syria', 'Syrian insurgents']);
    expect(values(a.fields.targetTypes)).toEqual(['military']);
    const b = rows.get('9900002')!.fields;
    expect(b.date?.value).toEqual({ start: '2030-02-01', end: '2030-02-05', precision: 'week' });
    expect(b.location?.value).toMatchObject({ country: 'CD', precision: 'admin1' });
    expect(values(b.perpetrators)).toEqual([{ name: 'ADF', actorId: 'adf', attribution: 'attributed', attributedBy: 'UCDP' }]);
    expect(values(b.targetTypes)).toEqual(['private_citizens']);
    expect(b.killed?.value).toEqual({ low: 11, best: 11, high: 15, kind: 'reported' });
    expect(b.perpetratorsKilled?.value.best).toBe(1);
    const c = rows.get('9900003')!.fields;
    expect(c.location?.value).toMatchObject({ country: 'RU', precision: 'country', lat: null, lon: null });
    expect(c.date?.value.precision).toBe('month');
  });
});

/** A row's non-empty values by column, as a document's raw reference keeps them. */
function nonEmpty(record: DatasetRecord): Record<string, string> {
  return Object.fromEntries(record.header.map((name, i) => [name, record.values[i] ?? '']).filter(([, value]) => value !== ''));
}

describe('the fast check for text already in normal form', () => {
  it('says so only for text normaliseText leaves unchanged', () => {
    const text = fc.string({ unit: fc.constantFrom(' ', '\n', 'a', 'B', '.', '\t', '\r', '\u00e9', 'e\u0301', '\u00a0'), maxLength: 12 });
    fc.assert(
      fc.property(text, (t) => {
        if (isNormalAscii(t)) expect(normaliseText(t)).toBe(t);
        if (/^[ -~\n]*$/.test(t) && normaliseText(t) === t) expect(isNormalAscii(t)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(isNormalAscii('A line.\n\nGTD eventid 1\ndate: 2030-01-01 (day)')).toBe(true);
    expect(isNormalAscii('\nA')).toBe(false);
  });
});

describe('documents of dataset rows', () => {
  it('are valid, stable, keep the whole row and differ between rows', async () => {
    const rows = [...(await records('acled', fixture('acled.csv'))).values()];
    const first = rows[0]!;
    const bundle = datasetBundle(first, source, '2030-06-01T00:00:00.000Z');
    expect(DocumentSchema.parse(bundle.document).kind).toBe('dataset_row');
    expect(bundle.document.externalId).toBe('acled:NIG90001');
    bundle.mentions.forEach((m) => MentionSchema.parse(m));
    bundle.incidents.forEach((i) => IncidentSchema.parse(i));
    expect(RevisionSchema.parse(bundle.revisions[0])).toMatchObject({ action: 'import', by: 'system:import:acled' });
    expect(bundle.document.text.startsWith('On 12 May 2030')).toBe(true);
    const raw = rowFromRaw(bundle.document.raw ?? '');
    expect(raw).toEqual({ file: 'acled.csv', line: 2, row: nonEmpty(first) });
    for (const record of [...rows, ...(await records('ucdp', fixture('ucdp.csv'))).values()]) {
      const back = rowFromRaw(datasetBundle(record, source, '2030-06-01T00:00:00.000Z').document.raw ?? '');
      expect(back?.row).toEqual(nonEmpty(record));
    }
    const again = datasetBundle(first, source, '2031-01-01T00:00:00.000Z');
    expect(again.document.id).toBe(bundle.document.id);
    expect(again.incidents[0]?.id).toBe(bundle.incidents[0]?.id);
    const texts = new Set(rows.map(datasetDocumentText));
    expect(texts.size).toBe(rows.length);
  });

  it('renders a row without a narrative from its coded fields', async () => {
    const rows = await records('ucdp', fixture('ucdp.csv'));
    const text = datasetDocumentText(rows.get('9900003')!);
    expect(text).toContain('UCDP GED id 9900003');
    expect(text).toContain('date: 2030-03-01/2030-03-31 (month)');
  });

  it('reads the header first and gives every item its bytes', async () => {
    const items = await readAll('gtd', fixture('gtd-core.csv'));
    expect(items[0]).toMatchObject({ type: 'header' });
    expect(items.map((i) => i.bytes.length > 0)).toEqual([true, true, true]);
  });
});
