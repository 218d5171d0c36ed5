import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/extract/language.js';
import { allFixtureFiles, readFixtures } from './fixtures.js';

describe('detectLanguage', () => {
  for (const file of allFixtureFiles()) {
    it(`detects every text of ${file}`, () => {
      for (const fx of readFixtures(file)) expect(detectLanguage(fx.text).language, fx.id).toBe(fx.language);
    });
  }

  it('decides long texts by trigrams', () => {
    const text = 'Police said five people were killed and seven wounded when gunmen opened fire on a bus near the market on Monday.';
    expect(detectLanguage(text)).toEqual({ language: 'en', method: 'trigrams' });
    expect(detectLanguage('La police a indiqué que cinq personnes ont été tuées et sept blessées lors de l’attaque du marché lundi.').language).toBe('fr');
  });

  it('decides short texts by their script and its telltale letters', () => {
    expect(detectLanguage('Взрыв в Кабуле')).toEqual({ language: 'ru', method: 'script' });
    expect(detectLanguage('انفجار في الموصل')).toEqual({ language: 'ar', method: 'script' });
    expect(detectLanguage('انفجار در کابل')).toEqual({ language: 'fa', method: 'script' });
    expect(detectLanguage('Таркиш дар Кобул рӯй дод')).toEqual({ language: 'tg', method: 'script' });
    expect(detectLanguage('Кобулда портлаш бўлди')).toEqual({ language: 'uz', method: 'script' });
    expect(detectLanguage('Kobulda portlash: besh kishi halok')).toEqual({ language: 'uz', method: 'script' });
  });

  it('leaves short English reports undetermined rather than Uzbek or French (franc alone says so)', () => {
    for (const text of ['A car bomb exploded in Tripoli, killing four people.', 'Assailants attacked a village near Mogadishu, Somalia. Two people were killed.']) {
      expect(detectLanguage(text)).toEqual({ language: null, method: 'none' });
    }
  });

  it('reports undetermined when the text does not decide', () => {
    expect(detectLanguage('Blast in Kabul')).toEqual({ language: null, method: 'none' });
    expect(detectLanguage('12345 !!!')).toEqual({ language: null, method: 'none' });
    expect(detectLanguage('')).toEqual({ language: null, method: 'none' });
    // an English name with an apostrophe is no sign of Uzbek
    expect(detectLanguage("O'Brien said so").language).toBeNull();
  });
});
