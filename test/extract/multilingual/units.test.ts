import { describe, expect, it } from 'vitest';
import { findActorsMultilingual, findDatesIn, foldDigits, readNumber, RULES, solarToGregorian } from '../../../src/extract/multilingual/index.js';
import { russianForms } from '../../../src/extract/multilingual/ru.js';
import { arabicForms } from '../../../src/extract/multilingual/ar.js';
import { uzbekForms } from '../../../src/extract/multilingual/uz.js';

describe('numerals', () => {
  it('folds Arabic-Indic and Persian digits without moving offsets', () => {
    expect(foldDigits('قتل ١٢ وأصيب ۲۰')).toBe('قتل 12 وأصيب 20');
    expect(foldDigits('١٢٣').length).toBe(3);
  });
  it('reads number words and compounds in each language', () => {
    expect(readNumber(['двадцать', 'пять'], RULES.ru.numbers, RULES.ru.numberForms)).toEqual({ value: 25, used: 2 });
    expect(readNumber(['пятнадцати'], RULES.ru.numbers, RULES.ru.numberForms)?.value).toBe(15);
    expect(readNumber(['трое'], RULES.ru.numbers, RULES.ru.numberForms)?.value).toBe(3);
    expect(readNumber(['خمسة', 'عشر'], RULES.ar.numbers, RULES.ar.numberForms)).toEqual({ value: 15, used: 2 });
    expect(readNumber(['خمسة', 'وعشرين'], RULES.ar.numbers, RULES.ar.numberForms)).toEqual({ value: 25, used: 2 });
    expect(readNumber(['وثلاثة'], RULES.ar.numbers, RULES.ar.numberForms)?.value).toBe(3);
    expect(readNumber(['۱۲'], RULES.fa.numbers, RULES.fa.numberForms)?.value).toBe(12);
    expect(readNumber(['панҷ'], RULES.tg.numbers, RULES.tg.numberForms)?.value).toBe(5);
    expect(readNumber(["o‘n", 'besh'], RULES.uz.numbers, RULES.uz.numberForms)).toEqual({ value: 15, used: 2 });
    expect(readNumber(['بیست', 'و', 'پنج'], RULES.fa.numbers, RULES.fa.numberForms)).toEqual({ value: 25, used: 3 });
    expect(readNumber(['پنج', 'و', 'بیست'], RULES.fa.numbers, RULES.fa.numberForms)).toEqual({ value: 5, used: 1 });
    expect(readNumber(['человек'], RULES.ru.numbers, RULES.ru.numberForms)).toBeNull();
  });
});

describe('dates', () => {
  const published = new Date('2025-03-14T00:00:00Z');
  it('converts Solar Hijri dates', () => {
    expect(solarToGregorian(1404, 1, 1)?.toISOString().slice(0, 10)).toBe('2025-03-21');
    expect(solarToGregorian(1403, 12, 24)?.toISOString().slice(0, 10)).toBe('2025-03-14');
    expect(solarToGregorian(1404, 13, 1)).toBeNull();
  });
  it('reads genitive month names, dd.mm.yyyy and relative words against publication', () => {
    const text = 'Вчера, а не 5 марта и не 01.02.2025, а также в феврале 2024 года.';
    const hits = findDatesIn(text, RULES.ru, published);
    expect(hits.map((h) => h.range.start)).toEqual(['2025-03-13', '2025-03-05', '2025-02-01', '2024-02-01']);
    expect(hits[3]?.range).toEqual({ start: '2024-02-01', end: '2024-02-29', precision: 'month' });
    for (const h of hits) expect(text.slice(h.span.start, h.span.end).trim()).not.toBe('');
  });
  it('puts a day-month date without a year in the year before publication when it would be later', () => {
    expect(findDatesIn('28 декабря', RULES.ru, published)[0]?.range.start).toBe('2024-12-28');
  });
  it('reads Arabic month names of both traditions, with Arabic-Indic digits', () => {
    expect(findDatesIn('في ٣ آذار ٢٠٢٥', RULES.ar, published)[0]?.range.start).toBe('2025-03-03');
    expect(findDatesIn('يوم 3 مارس', RULES.ar, published)[0]?.range.start).toBe('2025-03-03');
    expect(findDatesIn('وقع الهجوم أول أمس', RULES.ar, published)[0]?.range.start).toBe('2025-03-12');
  });
  it('reads Uzbek year-first dates and weekdays', () => {
    expect(findDatesIn('2025-yil 2-mart kuni', RULES.uz, published)[0]?.range.start).toBe('2025-03-02');
    // 2025-03-14 is a Friday: "душанба" (Monday) is the 10th
    expect(findDatesIn('душанба куни', RULES.uz, published)[0]?.range.start).toBe('2025-03-10');
  });
  it('gives no relative date without a publication date', () => {
    expect(findDatesIn('Вчера', RULES.ru, null)).toEqual([]);
  });
});

describe('place word forms', () => {
  it('strips Russian case endings, Arabic particles and Uzbek suffixes', () => {
    expect(russianForms('Кабуле')).toContain('Кабул');
    expect(russianForms('Сирии')).toContain('Сирия');
    expect(russianForms('Ракке')).toContain('Ракка');
    expect(arabicForms('وبالموصل')).toContain('الموصل');
    expect(arabicForms('للرقة')).toContain('الرقة');
    expect(uzbekForms('Toshkentda')).toContain('Toshkent');
    expect(uzbekForms('Кобулдаги')).toContain('Кобул');
  });
});

describe('actors in other languages', () => {
  const ids = (text: string): string[] => findActorsMultilingual(text).map((a) => a.actorId);
  it('matches Russian case forms', () => {
    expect(ids('боевики Исламского государства')).toEqual(['islamic-state']);
    expect(ids('нападение талибов')).toEqual(['taliban']);
    expect(ids('сторонники Аль-Каиды')).toEqual(['al-qaeda']);
    expect(ids('боевики Вилаята Хорасан')).toEqual(['is-khorasan']);
  });
  it('matches Arabic names with attached particles and spelling variants, the span without the particle', () => {
    const text = 'أعلن مقاتلو للدولة الاسلامية';
    const [match] = findActorsMultilingual(text);
    expect(match?.actorId).toBe('islamic-state');
    expect(text.slice(match?.start, match?.end)).toBe('لدولة الاسلامية');
    expect(ids('وحركة الشباب')).toEqual(['al-shabaab']);
  });
  it('matches Persian, Tajik and Uzbek names', () => {
    expect(ids('گروه داعش خراسان')).toEqual(['is-khorasan']);
    expect(ids('ҷангиёни Толибон')).toEqual(['taliban']);
    expect(ids('Tolibonning jangarilari')).toEqual(['taliban']);
  });
  it('does not take a longer word for a name', () => {
    expect(ids('игра в Ракке')).toEqual([]);
  });
});
