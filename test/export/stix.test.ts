import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ajvModule from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyIncidentFields, type Incident, type MentionFields, type Perpetrator } from '../../src/core/model.js';
import { OPENCTI_LOCATION_TYPE_EXTENSION, VIGIL_EXTENSION_DEFINITION, VIGIL_EXTENSION_ID, VIGIL_IDENTITY, stixObjectsFor } from '../../src/export/stix.js';
import { exportStore } from '../../src/export/stream.js';
import { uuidv5 } from '../../src/export/uuid.js';
import { importDataset } from '../../src/pipeline/import.js';
import type { Store } from '../../src/store/store.js';
import { bundleOf, noFields, spanOf } from '../helpers/records.js';
import { storeFactories } from '../store/stores.js';
import { anyIncidentRecord } from './arbitraries.js';
import { GTD_HEADER, GTD_ROWS, csvFile } from './fixtures.js';

const Ajv2020 = ajvModule.default;
const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const validateBundle = ajv.compile(read('./stix-schemas/stix-2.1-bundle.schema.json') as object);
const extensionSchema = read('../../src/export/schemas/x-vigil-incident.schema.json') as { $id: string };
ajv.addSchema(extensionSchema);
const validateExtension = (type: string) => ajv.getSchema(`${extensionSchema.$id}#/$defs/${type}`)!;

type Obj = Record<string, unknown> & { type: string; id: string };
interface Bundle {
  type: 'bundle';
  id: string;
  objects: Obj[];
}

const REPORT = 'Gunmen of JNIM killed 4 soldiers in Boulkessi on 3 March 2031; Ansarul Islam denied any role. JNIM claimed it.';

function reportFields(): MentionFields {
  const f = noFields();
  const ev = (phrase: string) => [spanOf(REPORT, phrase)];
  f.date = { value: { start: '2031-03-03', end: '2031-03-03', precision: 'day' }, evidence: ev('3 March 2031'), confidence: 0.9 };
  f.location = {
    value: { name: 'Boulkessi', admin1: 'Boucle du Mouhoun', country: 'BF', lat: 13.9012345678, lon: -1.6298765432, precision: 'city', radiusKm: 10, placeId: 'geonames:0000001' },
    evidence: ev('Boulkessi'),
    confidence: 0.8,
  };
  f.perpetrators = [
    { value: { name: 'JNIM', actorId: 'jnim', attribution: 'claimed', attributedBy: 'JNIM' } satisfies Perpetrator, evidence: ev('JNIM claimed it'), confidence: 0.9 },
    { value: { name: 'Ansarul Islam', actorId: null, attribution: 'denied', attributedBy: 'Ansarul Islam' } satisfies Perpetrator, evidence: ev('Ansarul Islam denied'), confidence: 0.7 },
  ];
  f.attackTypes = [{ value: 'armed_assault', evidence: ev('Gunmen'), confidence: 0.8 }];
  f.targetTypes = [{ value: 'military', evidence: ev('soldiers'), confidence: 0.8 }];
  f.killed = { value: { low: 4, best: 4, high: null, kind: 'reported' }, evidence: ev('killed 4 soldiers'), confidence: 0.9 };
  return f;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-stix-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function stixOf(store: Store, filter = {}): Promise<{ text: string; bundle: Bundle }> {
  let text = '';
  for await (const chunk of exportStore(store, filter, 'stix')) text += chunk;
  return { text, bundle: JSON.parse(text) as Bundle };
}

/** The rules of STIX 2.1 that a JSON Schema cannot state: references resolve, modified >= created, ids are unique. */
function semanticErrors(bundle: Bundle): string[] {
  const errors: string[] = [];
  const byId = new Map<string, Obj>();
  for (const o of bundle.objects) {
    const earlier = byId.get(o.id);
    if (earlier !== undefined && JSON.stringify(earlier) !== JSON.stringify(o)) errors.push(`${o.id}: two different objects with one id`);
    byId.set(o.id, o);
  }
  for (const o of bundle.objects) {
    if (typeof o['created'] === 'string' && Number.isNaN(Date.parse(o['created']))) errors.push(`${o.id}: created is not a real time`);
    if (typeof o['created'] === 'string' && typeof o['modified'] === 'string' && o['modified'] < o['created']) errors.push(`${o.id}: modified before created`);
    for (const key of ['created_by_ref', 'source_ref', 'target_ref']) {
      const ref = o[key];
      if (typeof ref === 'string' && !byId.has(ref)) errors.push(`${o.id}: ${key} ${ref} is not in the bundle`);
    }
    const extensions = (o['extensions'] as Record<string, { extension_type?: string }> | undefined) ?? {};
    for (const key of Object.keys(extensions)) {
      if (key.startsWith('extension-definition--') && byId.get(key)?.type !== 'extension-definition') errors.push(`${o.id}: extension ${key} is not defined in the bundle`);
    }
    // A top-level custom property must be declared by a toplevel-property-extension the object names (section 7.3).
    const declared = Object.entries(extensions)
      .filter(([, e]) => e.extension_type === 'toplevel-property-extension')
      .flatMap(([key]) => (byId.get(key)?.['extension_properties'] as string[] | undefined) ?? []);
    for (const key of Object.keys(o)) if (key.startsWith('x_') && !declared.includes(key)) errors.push(`${o.id}: custom property ${key} is declared by no extension it names`);
  }
  return errors;
}

describe('uuidv5', () => {
  it('gives the RFC 9562 result for a name in the DNS namespace', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('stixObjectsFor', () => {
  it('writes one relationship, and one threat actor, for names that differ only in case', () => {
    const fields = emptyIncidentFields();
    fields.title = 'Attack in Gao, Mali';
    fields.location = { name: 'Gao', country: 'ML', lat: 16.27, lon: -0.04, precision: 'city', radiusKm: 10 };
    fields.perpetrators = [
      { name: 'Invented Cell', actorId: null, attribution: 'attributed', attributedBy: 'police' },
      { name: 'invented cell', actorId: null, attribution: 'attributed', attributedBy: 'army' },
      { name: 'Invented Cell', actorId: null, attribution: 'claimed', attributedBy: 'Invented Cell' },
    ];
    const incident: Incident = { id: 'i_1', status: 'machine', fields, mentionIds: [], relatedIncidentIds: [], revision: 1, createdAt: '2031-01-01T00:00:00Z', updatedAt: '2031-01-02T00:00:00Z' };
    const objects = [...stixObjectsFor({ incident, mentions: [], documents: [] }, new Set())];
    const bundle: Bundle = { type: 'bundle', id: `bundle--${uuidv5('one')}`, objects: [VIGIL_IDENTITY, VIGIL_EXTENSION_DEFINITION, OPENCTI_LOCATION_TYPE_EXTENSION, ...objects] };
    expect(validateBundle(bundle), JSON.stringify(validateBundle.errors)).toBe(true);
    expect(semanticErrors(bundle)).toEqual([]);
    expect(objects.map((o) => o.type)).toEqual(['threat-actor', 'location', 'incident', 'relationship', 'relationship', 'relationship']);
    expect(objects.find((o) => o.type === 'incident')).toMatchObject({ created: '2031-01-01T00:00:00.000Z', modified: '2031-01-02T00:00:00.000Z' });
  });
});

describe('any incident', () => {
  it('gives STIX objects that pass the schemas and the rules beyond them', () => {
    fc.assert(
      fc.property(anyIncidentRecord, (record) => {
        const objects = [...stixObjectsFor(record, new Set())];
        const bundle: Bundle = { type: 'bundle', id: `bundle--${uuidv5('any')}`, objects: [VIGIL_IDENTITY, VIGIL_EXTENSION_DEFINITION, OPENCTI_LOCATION_TYPE_EXTENSION, ...objects] };
        expect(validateBundle(bundle), JSON.stringify(validateBundle.errors?.slice(0, 3))).toBe(true);
        expect(semanticErrors(bundle)).toEqual([]);
        for (const o of objects) {
          const payload = (o['extensions'] as Record<string, unknown> | undefined)?.[VIGIL_EXTENSION_ID];
          if (payload !== undefined) expect(validateExtension(o.type)(payload), o.type).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the STIX 2.1 schemas', () => {
  const valid = (): Obj => ({ ...VIGIL_IDENTITY });
  const bundleWith = (...objects: Obj[]): Bundle => ({ type: 'bundle', id: `bundle--${uuidv5('test')}`, objects });
  const location = { type: 'location', spec_version: '2.1', id: `location--${uuidv5('l')}`, created: '2031-01-01T00:00:00.000Z', modified: '2031-01-01T00:00:00.000Z' };

  it('accept a well-formed object', () => {
    expect(validateBundle(bundleWith(valid(), { ...location, country: 'BF' })), JSON.stringify(validateBundle.errors)).toBe(true);
  });

  it('and the rules beyond them reject an undeclared top-level custom property', () => {
    const bundle = bundleWith(valid(), { ...valid(), id: `identity--${uuidv5('other')}`, x_vigil_status: 'machine' });
    expect(validateBundle(bundle)).toBe(true);
    expect(semanticErrors(bundle)).toEqual([expect.stringContaining('custom property x_vigil_status is declared by no extension')]);
  });

  it.each([
    ['a timestamp without milliseconds', { ...valid(), created: '2026-12-01T00:00:00Z' }],
    ['a timestamp not in UTC', { ...valid(), modified: '2026-12-01T00:00:00.000+01:00' }],
    ['spec_version 2.0', { ...valid(), spec_version: '2.0' }],
    ['an id of another type', { ...valid(), id: VIGIL_IDENTITY.id.replace('identity--', 'incident--') }],
    ['an id whose UUID is not RFC 4122', { ...valid(), id: 'identity--00000000-0000-0000-0000-000000000000' }],
    ['no name', (({ name: _name, ...rest }) => rest)(valid()) as Obj],
    ['a property name in capitals', { ...valid(), Vigil: true }],
    ['a property STIX does not define, outside an extension', { ...valid(), vigil_status: 'machine' }],
    ['an extension without extension_type', { ...valid(), extensions: { [VIGIL_EXTENSION_ID]: { vigil_id: 'i_1' } } }],
    ['a location with a latitude and no longitude', { ...location, latitude: 10, country: 'BF' }],
    ['a location with neither country, region nor point', { ...location, name: 'Somewhere' }],
    ['a relationship to a relationship', { ...location, type: 'relationship', id: `relationship--${uuidv5('r')}`, relationship_type: 'related-to', source_ref: `incident--${uuidv5('i')}`, target_ref: `relationship--${uuidv5('q')}` }],
    ['a relationship type in capitals', { ...location, type: 'relationship', id: `relationship--${uuidv5('r')}`, relationship_type: 'Attributed-To', source_ref: `incident--${uuidv5('i')}`, target_ref: `threat-actor--${uuidv5('t')}` }],
  ])('reject %s', (_why, broken) => {
    expect(validateBundle(bundleWith(broken as Obj))).toBe(false);
  });
});

describe.each(storeFactories('export_stix'))('vigil export --format stix on $name', (factory) => {
  let store: Store;
  beforeAll(async () => {
    store = await factory.create();
    await store.migrate();
    await store.saveExtraction(bundleOf({ text: REPORT, title: 'Boulkessi attack' }, reportFields()));
    const file = path.join(dir, `gtd-${factory.name}.csv`);
    await writeFile(file, csvFile(GTD_HEADER, GTD_ROWS));
    const summary = await importDataset(store, 'gtd', file, { now: () => new Date('2031-07-01T00:00:00.000Z') });
    expect(summary.rejected).toEqual([]);
  });
  afterAll(() => factory.cleanup());

  it('writes a bundle that passes the STIX 2.1 schema and the rules no schema states', async () => {
    const { bundle } = await stixOf(store);
    expect(validateBundle(bundle), JSON.stringify(validateBundle.errors?.slice(0, 5), null, 1)).toBe(true);
    expect(semanticErrors(bundle)).toEqual([]);
    const types = bundle.objects.map((o) => o.type);
    expect(types.slice(0, 3)).toEqual(['identity', 'extension-definition', 'extension-definition']);
    expect(types.filter((t) => t === 'incident')).toHaveLength(GTD_ROWS.length + 1);
    for (const type of ['threat-actor', 'location', 'relationship']) expect(types).toContain(type);
  });

  it("puts Vigil's fields in the x-vigil-incident extension, valid against its own schema", async () => {
    const { bundle } = await stixOf(store);
    let checked = 0;
    for (const o of bundle.objects) {
      const payload = (o['extensions'] as Record<string, unknown> | undefined)?.[VIGIL_EXTENSION_ID];
      if (payload === undefined) continue;
      const validate = validateExtension(o.type);
      expect(validate(payload), `${o.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(GTD_ROWS.length);
    const broken = validateExtension('incident');
    expect(broken({ extension_type: 'property-extension', vigil_id: 'i_1', status: 'guessed' })).toBe(false);
  });

  it('keeps claimed, attributed and denied apart, and quotes the evidence', async () => {
    const { bundle } = await stixOf(store, { country: 'BF' });
    const incident = bundle.objects.find((o) => o.type === 'incident')!;
    const ext = (o: Obj): Record<string, unknown> => (o['extensions'] as Record<string, Record<string, unknown>> | undefined)?.[VIGIL_EXTENSION_ID] ?? {};
    const relationships = bundle.objects.filter((o) => o.type === 'relationship' && o['source_ref'] === incident.id);
    const actors = new Map(bundle.objects.filter((o) => o.type === 'threat-actor').map((o) => [o.id, o]));
    const summary = relationships.map((r) => [r['relationship_type'], (actors.get(r['target_ref'] as string)?.['name'] as string | undefined) ?? r['target_ref'], ext(r)['attribution'] ?? null]);
    expect(summary).toEqual([
      ['attributed-to', 'Jamaat Nusrat al-Islam wal Muslimin', 'claimed'],
      ['related-to', 'Ansarul Islam', 'denied'],
      ['located-at', expect.stringMatching(/^location--/), null],
    ]);
    const evidence = ext(incident)['evidence'] as Array<{ field: string; quote: string }>;
    expect(evidence).toContainEqual(expect.objectContaining({ field: 'killed', quote: 'killed 4 soldiers' }));
    expect(evidence).toContainEqual(expect.objectContaining({ field: 'perpetrators', quote: 'JNIM claimed it' }));
    expect(ext(incident)).toMatchObject({ killed: { low: 4, best: 4, high: null }, attack_types: ['armed_assault'], attack_type_codes: [2], date_precision: 'day' });
    expect(incident['labels']).toEqual(['armed_assault']);
    const location = bundle.objects.find((o) => o.type === 'location')!;
    expect(location).toMatchObject({ latitude: 13.901235, longitude: -1.629877, precision: 10000, country: 'BF', city: 'Boulkessi', x_opencti_location_type: 'City' });
  });

  it('gives the same ids on every export, derived from the Vigil ids', async () => {
    const one = await stixOf(store);
    const two = await stixOf(store);
    expect(two.text).toBe(one.text);
    const incidents = one.bundle.objects.filter((o) => o.type === 'incident');
    for (const o of incidents) {
      const vigilId = (o['extensions'] as Record<string, Record<string, string>>)[VIGIL_EXTENSION_ID]!['vigil_id'];
      expect(o.id).toBe(`incident--${uuidv5(`incident:${vigilId}`)}`);
    }
    const narrower = await stixOf(store, { country: 'AF' });
    expect(narrower.bundle.id).not.toBe(one.bundle.id);
    const afghan = narrower.bundle.objects.find((o) => o.type === 'incident')!;
    expect(incidents.map((o) => o.id)).toContain(afghan.id);
  });
});
