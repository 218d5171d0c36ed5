import { describe, expect, it } from 'vitest';
import { extractDate, findDates, parsePublished } from '../../src/extract/index.js';

const monday = parsePublished('2024-03-11');

describe('dates relative to the publication date', () => {
  it('reads "on Friday" in a Monday report as the Friday before', () => {
    const [d] = findDates('Gunmen attacked a bus on Friday.', monday);
    expect(d?.range).toEqual({ start: '2024-03-08', end: '2024-03-08', precision: 'day' });
  });

  it('never puts a weekday after the publication date', () => {
    const [d] = findDates('Gunmen attacked a bus on Wednesday.', monday);
    expect(d?.range.start).toBe('2024-03-06');
  });

  it('reads a month-day without year as the last such day before publication', () => {
    const published = parsePublished('2024-01-15');
    const [d] = findDates('The bombing on Sept 5 killed four people.', published);
    expect(d?.range).toEqual({ start: '2023-09-05', end: '2023-09-05', precision: 'day' });
    const [e] = findDates('The bombing on January 3 killed four people.', published);
    expect(e?.range.start).toBe('2024-01-03');
  });

  it('gives "last month" month precision', () => {
    const [d] = findDates('Militants raided the village last month.', monday);
    expect(d?.range).toEqual({ start: '2024-02-01', end: '2024-02-29', precision: 'month' });
  });

  it('gives a bare year year precision', () => {
    const [d] = findDates('The group has carried out raids in 2019 and since.', monday);
    expect(d?.range).toEqual({ start: '2019-01-01', end: '2019-12-31', precision: 'year' });
  });

  it('ignores times without a date and events relative to other events', () => {
    expect(findDates('The blast happened at 5 pm.', monday)).toEqual([]);
    expect(findDates('Two days later, another attack followed.', monday)).toEqual([]);
  });

  it('falls back to the day before publication up to publication, with low confidence, citing the event words', () => {
    const text = 'Gunmen attacked a checkpoint.';
    const d = extractDate(text, monday, [{ start: 0, end: text.length }], { start: 7, end: 15 });
    expect(d?.value).toEqual({ start: '2024-03-10', end: '2024-03-11', precision: 'day' });
    expect(d?.confidence).toBeLessThan(0.5);
    expect(d?.evidence).toEqual([{ start: 7, end: 15 }]);
    expect(extractDate(text, null, [], { start: 7, end: 15 })).toBeUndefined();
  });

  it('evidence of a text date points at the date words', () => {
    const text = 'A bomb exploded on Friday in the market.';
    const d = extractDate(text, monday, [{ start: 0, end: text.length }], { start: 2, end: 6 });
    const span = d?.evidence[0];
    expect(span && text.slice(span.start, span.end)).toBe('on Friday');
    expect(d?.confidence).toBeGreaterThan(0.5);
  });

  it('rejects impossible publication dates', () => {
    expect(parsePublished('2024-02-30')).toBeNull();
    expect(parsePublished('yesterday')).toBeNull();
    expect(parsePublished('2024-02-03T10:00:00Z')?.toISOString().slice(0, 10)).toBe('2024-02-03');
  });
});
