import fc from 'fast-check';
import { ATTACK_TYPES, ATTRIBUTIONS, DATE_PRECISIONS, PLACE_PRECISIONS, TARGET_TYPES, WEAPON_TYPES } from '../../src/core/codebook.js';
import { INCIDENT_STATUSES, emptyIncidentFields, type Incident } from '../../src/core/model.js';
import type { ExportRecord } from '../../src/export/records.js';

/** Arbitrary incidents (reconciled fields only, no mentions), for property tests of the exporters. */

/** Text with what CSV and JSON writers get wrong: separators, quotes, line breaks, spaces, astral characters. */
const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r', ' ', ':', '-', '=', 'é', '\u{1D518}', '\u0000'), maxLength: 12 });
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), tricky);
const count = fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null });
const range = fc.option(fc.record({ low: count, best: count, high: count }), { nil: null });
const place = fc.record({
  name: fc.option(text, { nil: null }),
  admin1: fc.option(text, { nil: null }),
  country: fc.option(fc.constantFrom('NG', 'ML', 'XK', 'PS', 'SO', 'AQ'), { nil: null }),
  lat: fc.option(fc.double({ min: -90, max: 90, noNaN: true }), { nil: null }),
  lon: fc.option(fc.double({ min: -180, max: 180, noNaN: true }), { nil: null }),
  precision: fc.constantFrom(...PLACE_PRECISIONS),
  radiusKm: fc.option(fc.double({ min: 0, max: 2000, noNaN: true }), { nil: null }),
  placeId: fc.option(text, { nil: null }),
});
const perpetrator = fc.record({
  name: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), tricky.filter((t) => t.length > 0)),
  actorId: fc.option(fc.constantFrom('jnim', 'is-sahel', 'houthis', 'not-in-the-registry'), { nil: null }),
  attribution: fc.constantFrom(...ATTRIBUTIONS),
  attributedBy: fc.option(text, { nil: null }),
});
const day = fc.date({ min: new Date('1970-01-01'), max: new Date('2040-12-31'), noInvalidDate: true });

/** An export record of an arbitrary incident: any fields the model allows, dates from 1970 to 2040. */
export const anyIncidentRecord: fc.Arbitrary<ExportRecord> = fc
  .record({
    title: fc.option(text, { nil: null }),
    date: fc.option(fc.tuple(day, fc.integer({ min: 0, max: 400 }), fc.constantFrom(...DATE_PRECISIONS)), { nil: null }),
    location: fc.option(place, { nil: null }),
    perpetrators: fc.array(perpetrator, { maxLength: 4 }),
    attackTypes: fc.subarray([...ATTACK_TYPES]),
    targetTypes: fc.subarray([...TARGET_TYPES]),
    weaponTypes: fc.subarray([...WEAPON_TYPES]),
    suicide: fc.option(fc.boolean(), { nil: null }),
    killed: range,
    wounded: range,
    perpetratorsKilled: range,
    claimedKilled: range,
    status: fc.constantFrom(...INCIDENT_STATUSES),
    created: day,
    later: fc.integer({ min: 0, max: 10 ** 9 }),
  })
  .map((i) => {
    const { date, status, created, later, ...rest } = i;
    const fields = { ...emptyIncidentFields(), ...rest };
    if (date !== null) {
      const start = date[0].toISOString().slice(0, 10);
      fields.date = { start, end: new Date(date[0].getTime() + date[1] * 86_400_000).toISOString().slice(0, 10), precision: date[2] };
    }
    const incident: Incident = {
      id: 'i_0123456789abcdef0123',
      status,
      fields,
      mentionIds: [],
      relatedIncidentIds: [],
      revision: 1,
      createdAt: created.toISOString(),
      updatedAt: new Date(created.getTime() + later).toISOString(),
    };
    return { incident, mentions: [], documents: [] };
  });
