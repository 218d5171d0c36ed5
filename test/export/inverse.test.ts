import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyMentionFields, type Incident, type Mention, type MentionFields } from '../../src/core/model.js';
import { ACLED, ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, GTD, RowError, readDatasetRecords, splitRecords } from '../../src/datasets/index.js';
import { Row } from '../../src/datasets/values.js';
import { ACLED_COLUMNS, acledClassification, acledRow } from '../../src/export/acled.js';
import { csvLine, type Cell } from '../../src/export/csv.js';
import { GTD_COLUMNS, gtdRow } from '../../src/export/gtd.js';
import type { ExportRecord } from '../../src/export/records.js';
import { anyIncidentRecord } from './arbitraries.js';
import { fieldsFromMention } from '../../src/resolve/incident-fields.js';

/*
 * The exporters are the inverse of the importers' mappings: for any row the importer accepts,
 * mapping the exported row gives the same fields again. Pure functions, no store.
 */

function rowOf(values: Record<string, string>): Row {
  const columns = Object.keys(values);
  return new Row(new Map(columns.map((c, i) => [c, i])), columns.map((c) => values[c] ?? ''));
}

/** The mapped fields of a row, or null when the importer rejects it. */
function mapped(spec: typeof GTD, values: Record<string, string>): MentionFields | null {
  try {
    return spec.map(rowOf(values)).fields;
  } catch (error) {
    if (error instanceof RowError) return null;
    throw error;
  }
}

/** An export record for an incident founded by one mention with these fields, as import makes it. */
function recordOf(fields: MentionFields): ExportRecord {
  const mention: Mention = { id: 'm_1', documentId: 'd'.repeat(64), extractor: 'import:test@1', span: { start: 0, end: 1 }, fields, confidence: 1, createdAt: '2031-01-01T00:00:00.000Z' };
  const incident: Incident = {
    id: 'i_1',
    status: 'machine',
    fields: fieldsFromMention(fields),
    mentionIds: ['m_1'],
    relatedIncidentIds: [],
    revision: 1,
    createdAt: '2031-01-01T00:00:00.000Z',
    updatedAt: '2031-01-01T00:00:00.000Z',
  };
  return { incident, mentions: [mention], documents: [] };
}

function asValues(columns: readonly string[], cells: Cell[]): Record<string, string> {
  return Object.fromEntries(columns.map((c, i) => [c, cells[i] === null || cells[i] === undefined ? '' : String(cells[i])]));
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.constantFrom('Unknown', 'Islamic State Khorasan Province', 'Boko Haram', 'Invented Front', 'Al Shabaab', 'JNIM', ' Padded Name ', 'A: B', 'unknown');
const code = (max: number) => fc.integer({ min: 1, max }).map(String);
const count = fc.oneof(fc.integer({ min: 0, max: 500 }).map(String), fc.constantFrom('-99', '-9', ''));
const coordinate = (limit: number) => fc.oneof(fc.double({ min: -limit, max: limit, noNaN: true }).map(String), fc.constant(''));
const country = fc.constantFrom('Afghanistan', 'Nigeria', 'International', 'West Bank and Gaza Strip', 'Soviet Union', 'Democratic Republic of the Congo', 'Atlantis');

const gtdRows = fc.record({
  eventid: fc.bigInt({ min: 1n, max: 99999999999999n }).map(String),
  iyear: fc.integer({ min: 1970, max: 2035 }).map(String),
  imonth: fc.integer({ min: 0, max: 12 }).map(String),
  iday: fc.integer({ min: 0, max: 31 }).map(String),
  approxdate: fc.constantFrom('', 'about then'),
  extended: fc.constantFrom('0', '1', ''),
  resolution: fc.oneof(fc.constant(''), fc.date({ min: new Date('1970-01-01'), max: new Date('2036-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
  country_txt: country,
  provstate: maybe(fc.constantFrom('Nangarhar', 'Unknown', 'Borno')),
  city: maybe(fc.constantFrom('Jalalabad', 'Unknown', 'Maiduguri')),
  latitude: coordinate(90),
  longitude: coordinate(180),
  specificity: fc.constantFrom('1', '2', '3', '4', '5', ''),
  suicide: fc.constantFrom('0', '1', ''),
  attacktype1: maybe(code(9)),
  attacktype2: maybe(code(9)),
  attacktype3: maybe(code(9)),
  targtype1: maybe(code(22)),
  corp1: maybe(text),
  target1: maybe(text),
  targtype2: maybe(code(22)),
  target2: maybe(text),
  targtype3: maybe(code(22)),
  corp3: maybe(text),
  gname: text,
  gname2: maybe(text),
  gname3: maybe(text),
  guncertain1: fc.constantFrom('0', '1', ''),
  guncertain2: fc.constantFrom('0', '1', ''),
  claimed: fc.constantFrom('0', '1', '-9', ''),
  claim2: fc.constantFrom('0', '1', ''),
  claim3: fc.constantFrom('0', '1', ''),
  weaptype1: maybe(code(13)),
  weapsubtype1_txt: maybe(fc.constantFrom('Knife', 'Unknown', 'Grenade')),
  weaptype2: maybe(code(13)),
  weapsubtype2_txt: maybe(fc.constantFrom('Rifle', 'Grenade')),
  weaptype4: maybe(code(13)),
  nkill: count,
  nkillter: count,
  nwound: count,
  nwoundte: count,
  ishostkid: fc.constantFrom('0', '1', '-9', ''),
  nhostkid: count,
}, { requiredKeys: [] });

const subEvents = Object.keys(ACLED_SUB_EVENT_TYPES);
const acledRows = fc.record({
  event_id_cnty: fc.stringMatching(/^[A-Z]{3}[0-9]{1,6}$/),
  event_date: fc.date({ min: new Date('1997-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  time_precision: fc.constantFrom('1', '2', '3', ''),
  event_type: fc.constantFrom(...Object.keys(ACLED_EVENT_TYPES)),
  sub_event_type: maybe(fc.constantFrom(...subEvents, 'Something new')),
  actor1: maybe(text),
  actor2: maybe(text),
  inter2: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', ''),
  iso: maybe(fc.constantFrom('566', '4', '887', '0')),
  country: country,
  admin1: maybe(fc.constantFrom('Borno', 'Unknown', 'Kabul')),
  location: maybe(fc.constantFrom('Konduga', 'Kabul')),
  latitude: coordinate(90),
  longitude: coordinate(180),
  geo_precision: fc.constantFrom('1', '2', '3', ''),
  fatalities: fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constant('')),
}, { requiredKeys: ['event_id_cnty', 'event_date', 'event_type', 'country'] });

const strip = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));

describe('the exporters invert the importers', () => {
  it('GTD: any accepted row, exported and mapped again, gives the same fields', () => {
    let accepted = 0;
    fc.assert(
      fc.property(gtdRows, (values) => {
        const fields = mapped(GTD, strip(values));
        fc.pre(fields !== null);
        accepted += 1;
        const out = gtdRow(recordOf(fields));
        if (!('cells' in out)) throw new Error(out.skipped);
        expect(mapped(GTD, asValues(GTD_COLUMNS, out.cells))).toEqual(fields);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('ACLED: any accepted row, exported and mapped again, gives the same fields', () => {
    let accepted = 0;
    fc.assert(
      fc.property(acledRows, (values) => {
        const fields = mapped(ACLED, strip(values));
        fc.pre(fields !== null);
        accepted += 1;
        const out = acledRow(recordOf(fields));
        if (!('cells' in out)) throw new Error(out.skipped);
        expect(mapped(ACLED, asValues(ACLED_COLUMNS, out.cells))).toEqual(fields);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('any incident with a date', () => {
  it.each([
    ['gtd', GTD, GTD_COLUMNS, gtdRow],
    ['acled', ACLED, ACLED_COLUMNS, acledRow],
  ] as const)('exports as a %s row the importer accepts, read from the CSV text', async (kind, spec, columns, row) => {
    await fc.assert(
      fc.asyncProperty(anyIncidentRecord, async (record) => {
        const out = row(record);
        if (record.incident.fields.date === null) {
          expect(out).toHaveProperty('skipped');
          return;
        }
        if (!('cells' in out)) throw new Error(out.skipped);
        const fields = spec.map(rowOf(asValues(columns, out.cells))).fields;
        const bytes = Buffer.from(csvLine(columns, false) + csvLine(out.cells, false), 'utf8');
        const items = [];
        for await (const item of readDatasetRecords(kind, splitRecords(Readable.from([bytes])), { file: 'export.csv', release: 'export.csv', encoding: 'utf-8' })) items.push(item);
        expect(items.map((item) => (item.type === 'row' ? item.record.fields : item))).toEqual([expect.objectContaining({ type: 'header' }), fields]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ACLED types for what ACLED has no sub-event type for', () => {
  const withTypes = (attack: string | null, extra: { weapon?: string; target?: string; suicide?: boolean } = {}): MentionFields => {
    const f = emptyMentionFields();
    const c = <T>(value: T) => ({ value, evidence: [], confidence: 1 });
    if (attack !== null) f.attackTypes = [c(attack as MentionFields['attackTypes'][number]['value'])];
    if (extra.weapon !== undefined) f.weaponTypes = [c(extra.weapon as MentionFields['weaponTypes'][number]['value'])];
    if (extra.target !== undefined) f.targetTypes = [c(extra.target as MentionFields['targetTypes'][number]['value'])];
    if (extra.suicide !== undefined) f.suicide = c(extra.suicide);
    return f;
  };
  it.each([
    ['bombing, suicide', withTypes('bombing', { weapon: 'explosives', suicide: true }), ['Explosions/Remote violence', 'Suicide bomb', null]],
    ['bombing of the military', withTypes('bombing', { weapon: 'explosives', target: 'military' }), ['Explosions/Remote violence', 'Remote explosive/landmine/IED', 1]],
    ['an assassination of an official', withTypes('assassination', { target: 'government' }), ['Battles', 'Armed clash', 7]],
    ['an assassination of a civilian', withTypes('assassination', { target: 'private_citizens' }), ['Violence against civilians', 'Attack', 7]],
    ['an unarmed assault on civilians', withTypes('unarmed_assault', { target: 'private_citizens' }), ['Riots', 'Mob violence', 7]],
    ['a hijacking', withTypes('hijacking'), ['Violence against civilians', 'Abduction/forced disappearance', 7]],
    ['a chemical attack', withTypes('unknown', { weapon: 'chemical' }), ['Explosions/Remote violence', 'Chemical weapon', null]],
    ['an attack of unknown kind', withTypes('unknown'), ['Battles', 'Armed clash', null]],
    ['no attack', withTypes(null), ['Strategic developments', 'Other', null]],
  ] as const)('%s', (_what, fields, [eventType, subEventType, inter2]) => {
    const kind = acledClassification(fields);
    expect([kind.eventType, kind.subEventType, kind.inter2]).toEqual([eventType, subEventType, inter2]);
  });
});
