import { createHash } from 'node:crypto';
import { ATTACK_TYPES, TARGET_TYPES, WEAPON_TYPES, type Attribution } from '../core/codebook.js';
import type { Document, Field, Incident, Mention, Perpetrator, PlaceRef, Range } from '../core/model.js';
import { getActor } from '../actors/index.js';
import { countryName } from '../resolve/incident-fields.js';
import type { ExportRecord } from './records.js';
import { originRows } from './records.js';
import { uuidv5 } from './uuid.js';

/** A STIX 2.1 object as written: a JSON object with at least a type and an id. */
export type StixObject = { type: string; id: string } & Record<string, unknown>;

/** When Vigil's own objects (its identity, its extension, actors, places) were first defined. */
export const VIGIL_STIX_EPOCH = '2026-12-01T00:00:00.000Z';

/** The identity of the producer: every object Vigil writes is `created_by_ref` it. */
export const VIGIL_IDENTITY: StixObject = {
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${uuidv5('identity:vigil')}`,
  created: VIGIL_STIX_EPOCH,
  modified: VIGIL_STIX_EPOCH,
  name: 'Vigil',
  identity_class: 'system',
  description: 'Vigil, an open-source monitor of terrorism and political violence: incidents extracted from reports and datasets, each field with its evidence.',
};

/** The id of Vigil's property extension, `x-vigil-incident`. */
export const VIGIL_EXTENSION_ID = `extension-definition--${uuidv5('extension-definition:x-vigil-incident@1')}`;

/** The extension-definition of Vigil's property extension (its properties: docs/export.md). */
export const VIGIL_EXTENSION_DEFINITION: StixObject = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: VIGIL_EXTENSION_ID,
  created_by_ref: VIGIL_IDENTITY.id,
  created: VIGIL_STIX_EPOCH,
  modified: VIGIL_STIX_EPOCH,
  name: 'x-vigil-incident',
  description:
    "Vigil's incident fields that STIX 2.1 has no property for: date range and precision, place precision, casualty ranges (reported and claimed apart), " +
    'GTD-coded attack, target and weapon types, review status, and the evidence spans each field was read from; on relationships, who attributes an attack to whom.',
  schema:
    'Plain-text definition: docs/export.md of Vigil ("The x-vigil-incident extension"), with its JSON Schema in src/export/schemas/x-vigil-incident.schema.json. ' +
    'Incident properties: vigil_id, status, revision, date_start, date_end, date_precision, place_precision, radius_km, attack_types, attack_type_codes, ' +
    'target_types, target_type_codes, weapon_types, weapon_type_codes, suicide, killed, wounded, perpetrators_killed, claimed_killed, claimed_wounded ' +
    '(each {low, best, high}), evidence [{field, document_id, start, end, quote}]. Relationship properties: attribution (claimed, attributed, suspected, ' +
    'denied), attributed_by, perpetrator_name. Threat-actor properties: actor_id. Location properties: place_precision, radius_km, place_id.',
  version: '1.0.0',
  extension_types: ['property-extension'],
};

/** The id of the extension that declares OpenCTI's top-level `x_opencti_location_type`. */
export const OPENCTI_LOCATION_TYPE_EXTENSION_ID = `extension-definition--${uuidv5('extension-definition:x_opencti_location_type@1')}`;

/**
 * Declares the one top-level custom property Vigil writes, `x_opencti_location_type` on
 * locations: OpenCTI files a STIX location as a City, Administrative-Area, Country or Position by
 * it, and cannot import a location without it.
 */
export const OPENCTI_LOCATION_TYPE_EXTENSION: StixObject = {
  type: 'extension-definition',
  spec_version: '2.1',
  id: OPENCTI_LOCATION_TYPE_EXTENSION_ID,
  created_by_ref: VIGIL_IDENTITY.id,
  created: VIGIL_STIX_EPOCH,
  modified: VIGIL_STIX_EPOCH,
  name: 'x_opencti_location_type',
  description: "OpenCTI's kind of a location (City, Administrative-Area, Country, Position), as OpenCTI reads it, so that the locations import there.",
  schema: 'Plain-text definition: x_opencti_location_type is one of "City", "Administrative-Area", "Country", "Position" (docs/export.md of Vigil).',
  version: '1.0.0',
  extension_types: ['toplevel-property-extension'],
  extension_properties: ['x_opencti_location_type'],
};

/** The longest evidence quote written, in characters; longer spans are cut with an ellipsis. */
export const MAX_QUOTE = 400;

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A timestamp as STIX writes them: UTC, millisecond precision, `Z`. */
export function stixTimestamp(value: string): string {
  return new Date(value).toISOString();
}

function extension(properties: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = { extension_type: 'property-extension' };
  for (const [k, v] of Object.entries(properties)) if (v !== null && v !== undefined) own[k] = v;
  return { [VIGIL_EXTENSION_ID]: own };
}

/** The key an actor is known by in Vigil's ids: its registry id, or its name when unresolved. */
function actorKey(p: Perpetrator): string {
  return p.actorId ? `actor:${p.actorId}` : `name:${p.name.trim().toLowerCase()}`;
}

/** The threat-actor of a perpetrator: the registry's actor when it resolved to one. */
export function threatActor(p: Perpetrator): StixObject {
  const actor = p.actorId ? getActor(p.actorId) : undefined;
  const name = actor?.name ?? p.name;
  const aliases = actor === undefined ? [] : [...new Set(actor.aliases.map((a) => a.name))].filter((a) => a !== name);
  const types = actor === undefined ? ['unknown'] : actor.kind === 'state_force' ? ['nation-state'] : ['terrorist'];
  return {
    type: 'threat-actor',
    spec_version: '2.1',
    id: `threat-actor--${uuidv5(`threat-actor:${actorKey(p)}`)}`,
    created_by_ref: VIGIL_IDENTITY.id,
    created: VIGIL_STIX_EPOCH,
    modified: VIGIL_STIX_EPOCH,
    name,
    threat_actor_types: types,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(actor === undefined ? {} : { extensions: extension({ actor_id: actor.id }) }),
  };
}

/** The location of a place, or null when it has neither a country nor a point (STIX needs one). */
export function stixLocation(place: PlaceRef): StixObject | null {
  const point = place.precision !== 'country' && typeof place.lat === 'number' && typeof place.lon === 'number';
  const country = typeof place.country === 'string' ? place.country : null;
  if (!point && country === null) return null;
  const lat = point ? round6(place.lat as number) : null;
  const lon = point ? round6(place.lon as number) : null;
  const key = JSON.stringify([place.name ?? null, place.admin1 ?? null, country, lat, lon, place.precision, place.radiusKm ?? null, place.placeId ?? null]);
  const name = [place.name, place.admin1, country === null ? null : countryName(country)].filter((s) => typeof s === 'string' && s !== '').join(', ');
  const object: StixObject = {
    type: 'location',
    spec_version: '2.1',
    id: `location--${uuidv5(`location:${key}`)}`,
    created_by_ref: VIGIL_IDENTITY.id,
    created: VIGIL_STIX_EPOCH,
    modified: VIGIL_STIX_EPOCH,
  };
  if (name !== '') object['name'] = name;
  if (lat !== null && lon !== null) {
    object['latitude'] = lat;
    object['longitude'] = lon;
    if (typeof place.radiusKm === 'number') object['precision'] = place.radiusKm * 1000;
  }
  if (country !== null) object['country'] = country;
  if (typeof place.admin1 === 'string' && place.admin1 !== '') object['administrative_area'] = place.admin1;
  if ((place.precision === 'city' || place.precision === 'exact') && typeof place.name === 'string' && place.name !== '') object['city'] = place.name;
  object['x_opencti_location_type'] =
    place.precision === 'country' ? 'Country' : place.precision === 'admin1' || place.precision === 'admin2' ? 'Administrative-Area' : typeof place.name === 'string' && place.name !== '' ? 'City' : lat !== null ? 'Position' : 'Country';
  object['extensions'] = {
    ...extension({ place_precision: place.precision, radius_km: place.radiusKm ?? null, place_id: place.placeId ?? null }),
    [OPENCTI_LOCATION_TYPE_EXTENSION_ID]: { extension_type: 'toplevel-property-extension' },
  };
  return object;
}

const DATASET_LABELS: Readonly<Record<string, string>> = { gtd: 'GTD', acled: 'ACLED', ucdp: 'UCDP GED' };

function externalReferences(record: ExportRecord): Record<string, string>[] {
  const rows = new Map(originRows(record).map((o) => [o.document.id, o]));
  return record.documents.map((document: Document) => {
    const row = rows.get(document.id);
    if (row !== undefined) return { source_name: DATASET_LABELS[row.dataset] ?? row.dataset, external_id: row.rowId, description: `row ${row.rowId}` };
    const ref: Record<string, string> = { source_name: 'vigil-document', external_id: document.id };
    if (document.url !== null) ref['url'] = document.url;
    if (document.title !== null) ref['description'] = document.title;
    return ref;
  });
}

interface Evidence {
  field: string;
  document_id: string;
  start: number;
  end: number;
  quote: string;
}

/** The evidence of every field of every mention, with the quoted text of each span. */
function evidence(mentions: readonly Mention[], documents: readonly Document[]): Evidence[] {
  const texts = new Map(documents.map((d) => [d.id, d.text]));
  const out: Evidence[] = [];
  for (const mention of mentions) {
    const text = texts.get(mention.documentId);
    for (const [name, value] of Object.entries(mention.fields)) {
      const list: Field<unknown>[] = Array.isArray(value) ? (value as Field<unknown>[]) : value === undefined ? [] : [value as Field<unknown>];
      for (const field of list) {
        for (const span of field.evidence) {
          const quoted = text?.slice(span.start, span.end) ?? '';
          out.push({
            field: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
            document_id: mention.documentId,
            start: span.start,
            end: span.end,
            quote: quoted.length > MAX_QUOTE ? `${quoted.slice(0, MAX_QUOTE - 1)}…` : quoted,
          });
        }
      }
    }
  }
  return out;
}

/** An incident's title, or its id when it has none (STIX names must not be empty). */
function titleOf(incident: Incident): string {
  const title = incident.fields.title?.trim();
  return title === undefined || title === '' ? `Incident ${incident.id}` : title;
}

const rangeOf = (r: Range | null) => (r === null ? null : { low: r.low, best: r.best, high: r.high });

function describe(incident: Incident): string {
  const f = incident.fields;
  const parts = [titleOf(incident)];
  if (f.date !== null) parts.push(f.date.start === f.date.end ? `on ${f.date.start}` : `between ${f.date.start} and ${f.date.end}`);
  let text = `${parts.join(' ')}.`;
  const casualties = [f.killed?.best != null ? `${f.killed.best} killed` : null, f.wounded?.best != null ? `${f.wounded.best} wounded` : null].filter((s) => s !== null);
  if (casualties.length > 0) text += ` ${casualties.join(', ')}.`;
  if (f.perpetrators.length > 0) text += ` Perpetrators: ${f.perpetrators.map((p) => `${p.name} (${p.attribution})`).join('; ')}.`;
  return text;
}

let lastIncident: { vigilId: string; stixId: string } | null = null;

/** The STIX id of a Vigil incident: `incident--` and a UUIDv5 of its Vigil id (the last one is remembered). */
export function stixIncidentId(vigilId: string): string {
  if (lastIncident?.vigilId !== vigilId) lastIncident = { vigilId, stixId: `incident--${uuidv5(`incident:${vigilId}`)}` };
  return lastIncident.stixId;
}

/** The STIX incident of a Vigil incident; its id is a UUIDv5 of the Vigil id, so re-exports agree. */
export function stixIncident(record: ExportRecord): StixObject {
  const { incident } = record;
  const f = incident.fields;
  const references = externalReferences(record);
  return {
    type: 'incident',
    spec_version: '2.1',
    id: stixIncidentId(incident.id),
    created_by_ref: VIGIL_IDENTITY.id,
    created: stixTimestamp(incident.createdAt),
    modified: stixTimestamp(incident.updatedAt),
    name: titleOf(incident),
    description: describe(incident),
    // The attack types as labels too, which platforms show and filter by.
    ...(f.attackTypes.length > 0 ? { labels: [...f.attackTypes] } : {}),
    ...(references.length > 0 ? { external_references: references } : {}),
    extensions: extension({
      vigil_id: incident.id,
      status: incident.status,
      revision: incident.revision,
      date_start: f.date?.start,
      date_end: f.date?.end,
      date_precision: f.date?.precision,
      place_precision: f.location?.precision,
      radius_km: f.location?.radiusKm,
      attack_types: f.attackTypes,
      attack_type_codes: f.attackTypes.map((t) => ATTACK_TYPES.indexOf(t) + 1),
      target_types: f.targetTypes,
      target_type_codes: f.targetTypes.map((t) => TARGET_TYPES.indexOf(t) + 1),
      weapon_types: f.weaponTypes,
      weapon_type_codes: f.weaponTypes.map((t) => WEAPON_TYPES.indexOf(t) + 1),
      suicide: f.suicide,
      killed: rangeOf(f.killed),
      wounded: rangeOf(f.wounded),
      perpetrators_killed: rangeOf(f.perpetratorsKilled),
      claimed_killed: rangeOf(f.claimedKilled),
      claimed_wounded: rangeOf(f.claimedWounded),
      evidence: evidence(record.mentions, record.documents),
    }),
  };
}

const ATTRIBUTION_WORDS: Readonly<Record<Attribution, string>> = {
  claimed: 'claimed by',
  attributed: 'attributed to',
  suspected: 'suspected to be by',
  denied: 'denied by',
};

function relationship(record: ExportRecord, key: string, type: string, target: string, description: string, properties: Record<string, unknown>): StixObject {
  const { incident } = record;
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${uuidv5(`relationship:${incident.id}:${key}`)}`,
    created_by_ref: VIGIL_IDENTITY.id,
    created: stixTimestamp(incident.createdAt),
    modified: stixTimestamp(incident.updatedAt),
    relationship_type: type,
    source_ref: stixIncidentId(incident.id),
    target_ref: target,
    description,
    ...(Object.keys(properties).length > 0 ? { extensions: extension(properties) } : {}),
  };
}

/**
 * Every STIX object an incident needs, each one before the objects that refer to it: the threat
 * actors and location not yet written (`written` holds the ids already written, and is updated),
 * the incident, then its relationships. A claimed, attributed or suspected perpetrator is an
 * `attributed-to` relationship whose `attribution` (extension) says which; a group that denies
 * it is `related-to`, never `attributed-to`.
 */
export function* stixObjectsFor(record: ExportRecord, written: Set<string>, options: StixOptions = {}): Generator<StixObject> {
  const { incident } = record;
  const fields = incident.fields;
  const fresh = (object: StixObject): boolean => {
    if (written.has(object.id)) return false;
    written.add(object.id);
    return true;
  };
  const actors = fields.perpetrators.map((p) => ({ p, actor: threatActor(p) }));
  for (const { actor } of actors) if (fresh(actor)) yield actor;
  const location = fields.location === null ? null : stixLocation(fields.location);
  if (location !== null && fresh(location)) yield location;
  yield stixIncident(record);
  const related = new Set<string>();
  for (const { p, actor } of actors) {
    const type = p.attribution === 'denied' ? 'related-to' : 'attributed-to';
    const key = `${type}:${actorKey(p)}:${p.attribution}`;
    // Names that differ only in letter case are one actor: one relationship for them.
    if (related.has(key)) continue;
    related.add(key);
    const according = p.attributedBy && p.attribution !== 'claimed' ? ` (according to ${p.attributedBy})` : '';
    const words = `${ATTRIBUTION_WORDS[p.attribution]} ${p.name}${according}`;
    yield relationship(record, key, type, actor.id, `${titleOf(incident)}: ${words}.`, {
      attribution: p.attribution,
      attributed_by: p.attributedBy ?? null,
      perpetrator_name: p.name,
    });
  }
  const placeType = options.locationRelationship ?? 'located-at';
  if (location !== null) yield relationship(record, `${placeType}:${location.id}`, placeType, location.id, `${titleOf(incident)}: where it happened.`, {});
}

/** The relationship types an incident's place can be written with. */
export const STIX_LOCATION_RELATIONSHIPS = ['located-at', 'targets'] as const;

/** Options of the STIX export. */
export interface StixOptions {
  /**
   * The relationship from an incident to its location: `located-at` (default), or `targets`,
   * the one OpenCTI's data model accepts from an incident to a location.
   */
  locationRelationship?: (typeof STIX_LOCATION_RELATIONSHIPS)[number];
}

/** How many shared-object ids (actors, places) are remembered before the set starts over. */
export const WRITTEN_IDS_LIMIT = 100_000;

/**
 * A STIX 2.1 bundle of the records, streamed as text: Vigil's identity and extension-definitions,
 * then each incident's objects. Memory stays flat: only the ids of shared objects written so far
 * are kept (at most WRITTEN_IDS_LIMIT; beyond, a shared object may be written again, identical).
 * The bundle's own id, a UUIDv5 of everything it holds, comes last (JSON members have no order).
 */
export async function* stixBundle(records: AsyncIterable<ExportRecord>, options: StixOptions = {}): AsyncGenerator<string> {
  const digest = createHash('sha256');
  let first = true;
  const write = (object: StixObject): string => {
    digest.update(`${object.id}\u0000${String(object['modified'] ?? '')}\n`);
    const text = `${first ? '\n' : ',\n'}${JSON.stringify(object)}`;
    first = false;
    return text;
  };
  yield '{"type":"bundle","objects":[';
  yield write(VIGIL_IDENTITY);
  yield write(VIGIL_EXTENSION_DEFINITION);
  yield write(OPENCTI_LOCATION_TYPE_EXTENSION);
  let written = new Set<string>();
  for await (const record of records) {
    if (written.size > WRITTEN_IDS_LIMIT) written = new Set();
    let chunk = '';
    for (const object of stixObjectsFor(record, written, options)) chunk += write(object);
    yield chunk;
  }
  yield `\n],"id":"bundle--${uuidv5(`bundle:${digest.digest('hex')}`)}"}\n`;
}
