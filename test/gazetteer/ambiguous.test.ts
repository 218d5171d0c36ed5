import { describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';
import type { PlaceRef } from '../../src/core/model.js';
import { loadGazetteer, looseKey, pointInCountry } from '../../src/gazetteer/index.js';

/** The place the extractor reads from a short report (texts written for these tests). */
function placeOf(text: string): PlaceRef {
  const [incident] = createExtractor().extract({ text, published: '2024-05-02' });
  const value = incident?.fields.location?.value;
  if (value === undefined) throw new Error(`no place read from: ${text}`);
  return value;
}

describe('the same name in two countries resolves by context', () => {
  it.each([
    ['A bomb exploded near a bus station in Kerman, Iran, on Tuesday, killing three people.', 'IR'],
    ['A gunman opened fire outside a store in Kerman, California, wounding two people.', 'US'],
    ['Gunmen attacked a checkpoint in Tripoli, Libya, killing two guards.', 'LY'],
    ['Clashes broke out in Tripoli, northern Lebanon, and two people were killed.', 'LB'],
    ['A grenade was thrown at a police post in Hyderabad, Sindh, wounding four officers.', 'PK'],
    ['A bomb went off at a market in Hyderabad, Telangana, injuring six people.', 'IN'],
    ['Militants attacked the town of Palma, Cabo Delgado, Mozambique, killing dozens of residents.', 'MZ'],
    ['An arson attack damaged a bank branch in Palma, Mallorca, Spain. Nobody was hurt.', 'ES'],
  ])('%s -> %s', (text, country) => {
    expect(placeOf(text).country).toBe(country);
  });

  it('reads Tripoli near Beirut as the Lebanese city even without the country named', () => {
    const place = placeOf('A bomb exploded outside a mosque in Tripoli on Friday, killing five people. Officials in Beirut condemned the attack.');
    expect(place.country).toBe('LB');
  });

  it('reads Krasnogorsk outside Moscow as the town in Moscow Oblast, not its namesakes', () => {
    const place = placeOf('Gunmen opened fire in a concert hall in Krasnogorsk, outside Moscow, killing dozens of people.');
    expect(place.country).toBe('RU');
    expect(place.lat).toBeCloseTo(55.83, 0);
    expect(place.lon).toBeCloseTo(37.3, 0);
  });

  it('takes the larger place when nothing else decides (population as the prior)', () => {
    expect(placeOf('A car bomb exploded in Tripoli, killing four people.').country).toBe('LY');
  });
});

describe('honest precision', () => {
  it('gives a province, not a false city point, when only the province is known', () => {
    const place = placeOf('Gunmen attacked the village of Qoqanbo, Diyala province, Iraq, killing three farmers.');
    expect(place.precision).toBe('admin1');
    expect(place.admin1).toMatch(/Diyala/);
    expect(place.name).toBe('Qoqanbo');
  });

  it('reads "X district of Y province" as the district town inside that province', () => {
    const place = placeOf('A roadside bomb killed four soldiers in the Dand district of Kandahar province on Sunday.');
    expect(place).toMatchObject({ name: 'Dand', country: 'AF', precision: 'admin2', radiusKm: 50 });
  });

  it('gives the province when a report names only a province, and no country', () => {
    const place = placeOf('Gunmen killed three farmers in Diyala province on Monday.');
    expect(place).toMatchObject({ name: null, admin1: 'Diyala', country: 'IQ', precision: 'admin1' });
  });

  it('reads "Borno state" as the Nigerian state, not a town called Borno elsewhere', () => {
    expect(placeOf('Gunmen killed five farmers in a village in Borno state on Monday.')).toMatchObject({ admin1: 'Borno', country: 'NG', precision: 'admin1' });
    expect(placeOf('Insurgents attacked a base in Lower Shabelle region, killing three soldiers.')).toMatchObject({ country: 'SO', precision: 'admin1' });
  });

  it('names a region one way however the report writes it ("Borno State", "Borno state", "Borno")', () => {
    const a = placeOf('Gunmen killed nine villagers in Zamfara State, Nigeria, on Friday.');
    const b = placeOf('Bandits attacked Gusau, Zamfara, Nigeria, on Sunday, killing 12 people.');
    expect(a.admin1).toBe('Zamfara');
    expect(b.admin1).toBe('Zamfara');
    expect(a.precision).toBe('admin1');
  });

  it('reads "X region" as the region, not its capital town', () => {
    const place = placeOf('Gunmen on motorcycles killed twelve villagers in a remote village of the Tillaberi region, Niger.');
    expect(place.precision).not.toBe('city');
    expect(place.country).toBe('NE');
  });
});

describe('names in other scripts and spellings', () => {
  const g = loadGazetteer();
  it.each([
    ['Sheikh Zuweid', 'EG'],
    ['Ras al-Ain', 'SY'],
    ['Qandahar', 'AF'],
    ['Muqdisho', 'SO'],
  ])('finds %s in %s with the transliteration-tolerant key', (name, country) => {
    const found = [...g.findPlaces(name), ...g.findPlacesLoose(name)];
    expect(found.some((m) => m.place.country === country)).toBe(true);
  });

  it.each([
    ['Кабул', 'AF'],
    ['Донецк', 'UA'],
    ['كركوك', 'IQ'],
    ['مقديشو', 'SO'],
  ])('finds %s (non-Latin script) in %s', (name, country) => {
    expect(g.findPlaces(name).some((m) => m.place.country === country)).toBe(true);
  });

  it('folds spellings without merging different names', () => {
    expect(looseKey('Kandahar')).toBe(looseKey('Qandahar'));
    expect(looseKey('Sheikh Zuweid')).toBe(looseKey('Ash Shaykh Zuwayd'));
    expect(looseKey('Kabul')).not.toBe(looseKey('Kobani'));
    expect(looseKey('Ab')).toBe('');
  });
});

describe('regions, search and the point-in-country check', () => {
  const g = loadGazetteer();
  it('names first-level regions and places them at the median of their towns', () => {
    const [diyala] = g.findRegions('Diyala', 'IQ');
    expect(diyala?.name).toMatch(/Diyala/);
    expect(diyala?.lat).toBeGreaterThan(33);
    expect(diyala?.lat).toBeLessThan(35);
    expect(diyala?.radiusKm).toBeGreaterThan(10);
    expect(g.findRegions('Extreme-North', 'CM')[0]?.iso).toBe('EN');
    expect(g.findRegions('Uruzgan', 'AF')[0]?.iso).toBe('URU');
  });

  it('knows the region of a place', () => {
    const kirkuk = g.findPlaces('Kirkuk').find((m) => m.place.country === 'IQ');
    expect(kirkuk).toBeDefined();
    if (kirkuk !== undefined) expect(g.regionOf(kirkuk.place)?.name).toMatch(/Kirkuk/);
  });

  it('searches by prefix, best matches first, filtered by country', () => {
    const hits = g.search('Mogad', { limit: 5 });
    expect(hits[0]?.name).toBe('Mogadishu');
    expect(hits[0]?.precision).toBe('city');
    expect(g.search('Diyala').some((h) => h.kind === 'admin1' && h.precision === 'admin1')).toBe(true);
    expect(g.search('Kirk', { country: 'US' }).every((h) => h.country === 'US')).toBe(true);
    expect(g.search('x')).toEqual([]);
  });

  it('never lets a point contradict its country', () => {
    expect(g.countryAt(33.31, 44.36)).toBe('IQ');
    expect(pointInCountry(33.31, 44.36, 'IQ')).toBe(true);
    expect(pointInCountry(33.31, 44.36, 'SY')).toBe(false);
    // At sea or where borders are unknown the check does not object.
    expect(pointInCountry(0, -30, 'BR')).toBe(true);
    // Dependencies count for themselves and their state; a swapped pair of coordinates does not fit.
    expect(pointInCountry(18.47, -66.11, 'PR')).toBe(true);
    expect(pointInCountry(18.47, -66.11, 'US')).toBe(true);
    expect(pointInCountry(-84.6, 34.0, 'US')).toBe(false);
    // A UCDP "Sudan" event of 2005 in today's South Sudan, a Yugoslav-era event in Kosovo.
    expect(pointInCountry(4.91, 29.48, 'SD')).toBe(true);
    expect(pointInCountry(42.62, 20.9, 'RS')).toBe(true);
    expect(pointInCountry(42.62, 20.9, 'IQ')).toBe(false);
  });
});

describe('own tables', () => {
  it('puts every locality of the own table inside the country it names', async () => {
    const { readLocalities } = await import('../../src/gazetteer/sources.js');
    const outside = readLocalities().filter((row) => !pointInCountry(row.lat, row.lon, row.country));
    expect(outside.map((r) => `${r.name} (${r.country}) line ${r.line}`)).toEqual([]);
  });

  it('rejects a malformed locality row with its line number', async () => {
    const { parseLocalities } = await import('../../src/gazetteer/sources.js');
    expect(() => parseLocalities('# comment\nBalcad\t\tSO\tMiddle Shebelle\tnorth\t45.39\n', 'x.tsv')).toThrow('x.tsv:2:');
  });

  it('drops a point that contradicts its country, keeping the rest of the place', async () => {
    const { withoutContradictingPoint } = await import('../../src/gazetteer/index.js');
    const ref = { name: 'Nowhere', admin1: null, country: 'SY', lat: 33.31, lon: 44.36, precision: 'city' as const, radiusKm: 10, placeId: null };
    expect(withoutContradictingPoint(ref, pointInCountry)).toMatchObject({ name: 'Nowhere', country: 'SY', lat: null, lon: null });
    expect(withoutContradictingPoint({ ...ref, country: 'IQ' }, pointInCountry).lat).toBe(33.31);
  });
});
