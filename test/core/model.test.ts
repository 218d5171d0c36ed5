import { describe, expect, it } from 'vitest';
import { ATTACK_TYPES, TARGET_TYPES, WEAPON_TYPES } from '../../src/core/codebook.js';
import { ActorSchema, CountSchema, DateRangeSchema, IncidentSchema, PlaceRefSchema, emptyIncidentFields } from '../../src/core/model.js';

describe('the codebook', () => {
  it('has the categories of the GTD codebook, one for one', () => {
    expect(ATTACK_TYPES).toHaveLength(9);
    expect(TARGET_TYPES).toHaveLength(22);
    expect(WEAPON_TYPES).toHaveLength(13);
  });
});

describe('model schemas', () => {
  it('keep casualty qualifiers as ranges and refuse inverted ones', () => {
    expect(CountSchema.parse({ low: 139, best: 139, high: null, kind: 'reported' })).toEqual({ low: 139, best: 139, high: null, kind: 'reported' });
    expect(CountSchema.safeParse({ low: 5, best: 3, high: null, kind: 'reported' }).success).toBe(false);
    expect(CountSchema.safeParse({ low: null, best: 350, high: 300, kind: 'claimed' }).success).toBe(false);
  });

  it('accept a place known only to its province, without a point', () => {
    expect(PlaceRefSchema.safeParse({ admin1: 'Borno', country: 'NG', precision: 'admin1', radiusKm: 150 }).success).toBe(true);
    expect(PlaceRefSchema.safeParse({ country: 'ng', precision: 'country' }).success).toBe(false);
  });

  it('validate dates and their precision', () => {
    expect(DateRangeSchema.safeParse({ start: '2025-03-01', end: '2025-03-31', precision: 'month' }).success).toBe(true);
    expect(DateRangeSchema.safeParse({ start: '2025-3-1', end: '2025-03-31', precision: 'month' }).success).toBe(false);
    expect(DateRangeSchema.safeParse({ start: '2025-03-01', end: '2025-03-31', precision: 'fortnight' }).success).toBe(false);
  });

  it('require actor ids to be slugs', () => {
    const actor = { id: 'is-khorasan', name: 'Islamic State Khorasan Province', aliases: [{ name: 'ISKP' }], parentId: 'is', kind: 'branch' };
    expect(ActorSchema.safeParse(actor).success).toBe(true);
    expect(ActorSchema.safeParse({ ...actor, id: 'IS Khorasan' }).success).toBe(false);
  });

  it('validate an incident with its revision counter', () => {
    const incident = {
      id: 'i_1',
      status: 'machine',
      fields: emptyIncidentFields(),
      mentionIds: ['m_1'],
      relatedIncidentIds: [],
      revision: 1,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    expect(IncidentSchema.safeParse(incident).success).toBe(true);
    expect(IncidentSchema.safeParse({ ...incident, revision: 0 }).success).toBe(false);
    expect(IncidentSchema.safeParse({ ...incident, status: 'maybe' }).success).toBe(false);
  });
});
