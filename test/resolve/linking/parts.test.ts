import { describe, expect, it } from 'vitest';
import {
  attackTypesFromText,
  compareActors,
  compareAttackTypes,
  linkRecordFromEvalRecord,
  linkRecordFromMention,
  nameKeysOf,
  resolveActorNames,
  textKeysOf,
} from '../../../src/resolve/linking/index.js';
import type { MentionFields } from '../../../src/core/model.js';

function sameKey(a: string, b: string): boolean {
  const keys = new Set(nameKeysOf(b));
  return nameKeysOf(a).some((k) => keys.has(k));
}

describe('place name keys', () => {
  it('match transliteration variants', () => {
    expect(sameKey('Pul-e-Alam', 'Puli Alam')).toBe(true);
    expect(sameKey('Dih Yak district', 'Deh Yak District')).toBe(true);
    expect(sameKey('Khost', 'Khowst')).toBe(true);
    expect(sameKey('Nangarhar', 'Nangrahar')).toBe(true);
    expect(sameKey('Kandahar', 'Qandahar')).toBe(true);
  });

  it('keep different places apart and ignore "Unknown"', () => {
    expect(sameKey('Kabul', 'Kunduz')).toBe(false);
    expect(sameKey('Maywand', 'Mora')).toBe(false);
    expect(nameKeysOf('Unknown')).toEqual([]);
    expect(nameKeysOf('District')).toEqual([]);
  });

  it('find a name among the words of a text', () => {
    const keys = textKeysOf('Militants attacked a checkpoint in Puli Alam, the capital of Logar Province.');
    expect(nameKeysOf('Pul-e-Alam').some((k) => keys.has(k))).toBe(true);
    expect(nameKeysOf('Logar').some((k) => keys.has(k))).toBe(true);
    expect(nameKeysOf('Ghazni').some((k) => keys.has(k))).toBe(false);
  });
});

describe('attack type crosswalk', () => {
  it('maps free-text types to codebook ids', () => {
    expect(attackTypesFromText('Suicide car bombing')).toEqual(['bombing']);
    expect(attackTypesFromText('Shooting, kidnapping')).toEqual(['kidnapping', 'armed_assault']);
    expect(attackTypesFromText('Bombing/Explosion')).toEqual(['bombing']);
    expect(attackTypesFromText('Armed Assault')).toEqual(['armed_assault']);
    expect(attackTypesFromText('Hostage Taking (Kidnapping)')).toEqual(['kidnapping']);
    expect(attackTypesFromText('Facility/Infrastructure Attack')).toEqual(['facility_attack']);
    expect(attackTypesFromText('Unknown')).toEqual([]);
    expect(attackTypesFromText('armed_assault')).toEqual(['armed_assault']);
  });

  it('compares types by family', () => {
    expect(compareAttackTypes(['bombing'], ['bombing', 'armed_assault'])).toBe('same');
    expect(compareAttackTypes(['assassination'], ['armed_assault'])).toBe('compatible');
    expect(compareAttackTypes(['kidnapping'], ['bombing'])).toBe('conflict');
    expect(compareAttackTypes([], ['bombing'])).toBe('unknown');
  });
});

describe('actors', () => {
  it('resolve names through the registry, qualifiers dropped', () => {
    expect(resolveActorNames('Taliban (suspected)')).toEqual(['taliban']);
    expect(resolveActorNames('Khorasan Chapter of the Islamic State')).toEqual(['is-khorasan']);
    expect(resolveActorNames('Taliban or Islamic State')).toEqual(['islamic-state', 'taliban']);
    expect(resolveActorNames('Unknown')).toEqual([]);
    expect(resolveActorNames('Mapuche extremists')).toEqual(['name:mapuche extremists']);
  });

  it('hold a branch compatible with its parent, and two groups in conflict', () => {
    expect(compareActors(['is-khorasan'], ['islamic-state']).relation).toBe('compatible');
    expect(compareActors(['taliban'], ['taliban']).relation).toBe('same');
    expect(compareActors(['taliban'], ['is-khorasan']).relation).toBe('conflict');
    expect(compareActors(['taliban', 'islamic-state'], ['is-khorasan']).relation).toBe('compatible');
    expect(compareActors(['name:ambazonia defense forces adf'], ['name:ambazonia defence forces']).relation).toBe('same');
    expect(compareActors([], ['taliban']).relation).toBe('unknown');
  });
});

describe('linkRecordFromEvalRecord', () => {
  const base = {
    id: 'w1',
    source: 'wikipedia',
    date: '2018-02-22',
    date_end: null,
    date_precision: 'day',
    country: 'AF',
    admin1: null,
    location: 'Dih Yak District, Afghanistan',
    perpetrator: 'Islamic State (suspected)',
    attack_type: 'Suicide bombing',
    killed: 13,
    killed_perpetrators: 1,
    wounded: null,
    description: 'A suicide bomber struck a mosque.',
  };

  it('reads a record', () => {
    const read = linkRecordFromEvalRecord(base);
    expect('record' in read).toBe(true);
    if (!('record' in read)) return;
    expect(read.record).toMatchObject({
      id: 'w1',
      place: 'Dih Yak District',
      country: 'AF',
      actors: ['islamic-state'],
      attackTypes: ['bombing'],
      killed: { best: 13 },
      killedPerpetrators: 1,
      wounded: null,
      date: { start: '2018-02-22', end: '2018-02-22', precision: 'day' },
    });
  });

  it('reads a month-precision date as the whole month', () => {
    const read = linkRecordFromEvalRecord({ ...base, date: '2016-02', date_precision: 'month' });
    expect('record' in read && read.record.date).toEqual({ start: '2016-02-01', end: '2016-02-29', precision: 'month' });
  });

  it('names the bad field', () => {
    expect(linkRecordFromEvalRecord({ ...base, id: '' })).toEqual({ problem: { field: 'id', reason: expect.any(String) } });
    expect(linkRecordFromEvalRecord({ ...base, date: '2018-02-30' })).toMatchObject({ problem: { field: 'date' } });
    expect(linkRecordFromEvalRecord({ ...base, killed: -1 })).toMatchObject({ problem: { field: 'killed' } });
    expect(linkRecordFromEvalRecord({ ...base, country: 'Afghanistan' })).toMatchObject({ problem: { field: 'country' } });
    expect(linkRecordFromEvalRecord({ ...base, source: undefined })).toMatchObject({ problem: { field: 'source' } });
    expect(linkRecordFromEvalRecord([])).toMatchObject({ problem: { field: 'line' } });
  });
});

describe('linkRecordFromMention', () => {
  it('takes date, place, perpetrators, types and tolls from the mention', () => {
    const field = <T>(value: T) => ({ value, evidence: [], confidence: 0.9 });
    const fields: MentionFields = {
      date: field({ start: '2019-04-21', end: '2019-04-21', precision: 'day' as const }),
      location: field({ name: 'Colombo', admin1: 'Western', country: 'LK', lat: 6.93, lon: 79.85, precision: 'city' as const }),
      perpetrators: [field({ name: 'ISIS', attribution: 'claimed' as const }), field({ name: 'Jamaat', actorId: 'ntj', attribution: 'suspected' as const })],
      attackTypes: [field('bombing' as const)],
      targetTypes: [],
      weaponTypes: [],
      killed: field({ low: 250, best: 269, high: null, kind: 'reported' as const }),
      victims: [],
      targets: [],
      weapons: [],
      perpetratorMentions: [],
    };
    const record = linkRecordFromMention({ id: 'm1', fields }, 'wire');
    expect(record).toMatchObject({
      id: 'm1',
      source: 'wire',
      country: 'LK',
      admin1: 'Western',
      place: 'Colombo',
      point: { lat: 6.93, lon: 79.85 },
      actors: ['islamic-state', 'ntj'],
      attackTypes: ['bombing'],
      killed: { low: 250, best: 269, high: null },
      wounded: null,
    });
  });
});
