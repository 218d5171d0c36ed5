import { describe, expect, it } from 'vitest';
import { findCountry, findPlaces, foldName, loadGazetteer, nameKeys, stripArticle } from '../../src/gazetteer/index.js';

describe('name folding', () => {
  it('lower-cases, strips accents and normalises hyphens and apostrophes', () => {
    expect(foldName('Al-Ḥudaydah')).toBe('al hudaydah');
    expect(foldName("Côte d’Ivoire")).toBe('cote divoire');
    expect(foldName('  São   Paulo ')).toBe('sao paulo');
  });
  it('tolerates a leading Arabic article', () => {
    expect(stripArticle('al hudaydah')).toBe('hudaydah');
    expect(stripArticle('el fasher')).toBe('fasher');
    expect(stripArticle('alexandria')).toBe('alexandria');
    expect(nameKeys('El-Fasher')).toEqual(['el fasher', 'fasher']);
  });
});

describe('gazetteer', () => {
  it('loads every GeoNames place once per process (its load time is measured by npm run bench:extract)', () => {
    const g = loadGazetteer();
    expect(g.placeCount).toBeGreaterThan(100_000);
    expect(loadGazetteer()).toBe(g);
  });

  it.each([
    ['Kabul', 'AF'],
    ['Mogadishu', 'SO'],
    ['Maiduguri', 'NG'],
  ])('finds %s in %s as its most populous match', (name, country) => {
    const [first] = findPlaces(name);
    expect(first?.place.country).toBe(country);
    expect(first?.alternate).toBe(false);
    expect(first?.place.population).toBeGreaterThan(100_000);
    expect(first?.place.featureClass).toBe('P');
    expect(first?.place.id).toMatch(/^\d+$/);
  });

  it('finds places with or without their article and accents', () => {
    expect(findPlaces('Hudaydah')[0]?.place.country).toBe('YE');
    expect(findPlaces('al-Hudaydah')[0]?.place.country).toBe('YE');
  });

  it.each([
    ['Syria', 'SY'],
    ['Burma', 'MM'],
    ['Britain', 'GB'],
    ['Gaza', 'PS'],
    ['West Bank', 'PS'],
    ['Ivory Coast', 'CI'],
    ['DRC', 'CD'],
    ['Democratic Republic of the Congo', 'CD'],
    ['Afghanistan', 'AF'],
    ['Nigeria', 'NG'],
    ['Kosovo', 'XK'],
    ['Sénégal', 'SN'],
  ])('knows the country %s as %s', (name, code) => {
    expect(findCountry(name)?.code).toBe(code);
  });

  it('keeps names in other languages apart when asked', () => {
    expect(findCountry('Allemagne')?.code).toBe('DE');
    expect(findCountry('Allemagne', { allLanguages: false })).toBeNull();
    expect(findCountry('Nowhereland')).toBeNull();
  });
});

describe('GeoNames postal places', () => {
  it('keeps settlements, drops post-office suffixes, institutions and repeated rows', async () => {
    const { parsePostalPlaces } = await import('../../src/gazetteer/sources.js');
    const rows = parsePostalPlaces(
      [
        'IN\t700001\tRampur Khurd B.O\tWest Bengal\t19\tNadia\t\tKrishnagar\t\t23.4\t88.5\t4',
        'IN\t700001\tRampur Khurd B.O\tWest Bengal\t19\tNadia\t\tKrishnagar\t\t23.4\t88.5\t4',
        'IN\t700002\tHigh Court S.O\tWest Bengal\t19\tKolkata\t\t\t\t22.57\t88.34\t4',
        'IN\t700003\tBad Row\tWest Bengal\t19\tKolkata\t\t\t\t\t\t',
      ].join('\n'),
    );
    expect(rows).toEqual([{ id: 'postal:IN:700001:0', name: 'Rampur Khurd', country: 'IN', admin1: 'West Bengal', lat: 23.4, lon: 88.5 }]);
  });
});
