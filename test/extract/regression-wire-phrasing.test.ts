import { describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/index.js';

const extractor = createExtractor();

function only(text: string, published: string) {
  const incidents = extractor.extract({ text, published });
  expect(incidents).toHaveLength(1);
  return incidents[0]!.fields;
}

describe('wire phrasing the issue names', () => {
  it('takes the place from the dateline when the body names none, at low confidence', () => {
    const fields = only(
      'KABUL, Sept 5 (Reuters) — A suicide bomber blew himself up outside a ministry building, killing two employees and three other people, officials said.',
      '2025-09-06',
    );
    expect(fields.location?.value).toMatchObject({ name: 'Kabul', country: 'AF', precision: 'city' });
    expect(fields.location?.confidence).toBeLessThan(0.5);
    expect(fields.date?.value).toEqual({ start: '2025-09-05', end: '2025-09-05', precision: 'day' });
    expect(fields.killed?.value).toMatchObject({ best: 5 });
    expect(fields.suicide?.value).toBe(true);
  });

  it('reads "last October" as a month before publication and "nearly 350" as best and high 350', () => {
    const fields = only('Gunmen attacked a police post in Maiduguri last October, killing nearly 350 people, officials said this week.', '2026-01-15');
    expect(fields.date?.value).toEqual({ start: '2025-10-01', end: '2025-10-31', precision: 'month' });
    expect(fields.killed?.value).toMatchObject({ best: 350, high: 350 });
  });

  it('reads "at least 139" as low and best 139 with no upper bound', () => {
    const fields = only('A bomb exploded at a market in Peshawar on Friday, killing at least 139 people.', '2025-03-03');
    expect(fields.killed?.value).toMatchObject({ low: 139, best: 139, high: null });
  });

  it('dates an attack "in 2004" to that year, whatever the publication date', () => {
    const fields = only('In 2004, militants bombed a train station in Madrid, killing 191 people.', '2025-03-11');
    expect(fields.date?.value).toEqual({ start: '2004-01-01', end: '2004-12-31', precision: 'year' });
    expect(fields.location?.value.country).toBe('ES');
  });
});
