import { describe, expect, it } from 'vitest';
import { htmlToReport } from '../../src/sources/html-text.js';
import { parseReportLine } from '../../src/sources/report.js';
import { parseTextReport } from '../../src/sources/report-files.js';

describe('htmlToReport', () => {
  it('keeps the readable text, title and publication time, and drops scripts and markup', () => {
    const html = `<!doctype html><html><head><title>Blast in Quetta &amp; after</title>
      <meta property="article:published_time" content="2025-04-02T08:00:00Z"><style>p{}</style></head>
      <body><nav>Home | World</nav><article><h1>Blast in Quetta</h1><p>A bomb exploded near a bus stop in Quetta,&nbsp;killing three.</p>
      <script>var x = "<p>not text</p>";</script><p>Police said &#8220;no group&#8221; claimed it.</p></article></body></html>`;
    const report = htmlToReport(html);
    expect(report.title).toBe('Blast in Quetta & after');
    expect(report.published).toBe('2025-04-02T08:00:00Z');
    expect(report.text).toBe('Blast in Quetta\n\nA bomb exploded near a bus stop in Quetta, killing three.\n\nPolice said “no group” claimed it.');
  });
});

describe('parseTextReport', () => {
  it('reads optional header lines before the text', () => {
    const report = parseTextReport('Title: Attack\nPublished: 2025-01-02\nURL: https://example.org/a\n\nThe text.\n', 'a.txt');
    expect(report).toMatchObject({ title: 'Attack', published: '2025-01-02', url: 'https://example.org/a', text: 'The text.' });
  });

  it('treats a file without headers as all text', () => {
    expect(parseTextReport('Gunmen attacked a bus.', 'b.txt').text).toBe('Gunmen attacked a bus.');
  });

  it('names the line and field of a bad header', () => {
    expect(() => parseTextReport('Title: A\nPublished: last week\n\nText', 'c.txt')).toThrow(
      expect.objectContaining({ location: { file: 'c.txt', line: 2, field: 'published' } }),
    );
  });
});

describe('parseReportLine', () => {
  it('accepts a contract input line and keeps its id as a string', () => {
    expect(parseReportLine('{"id": 202101010004, "text": "A bomb.", "published": "2021-01-01"}', { file: 'f', line: 1 })).toMatchObject({
      id: '202101010004',
      text: 'A bomb.',
      published: '2021-01-01',
      origin: 'f:1',
    });
  });

  it.each([
    ['[1,2]', undefined, /JSON object/],
    ['{"text": ""}', 'text', /is empty/],
    ['{"text": 5}', 'text', /expected string/],
    ['{"text": "x", "published": "2021-02-30x"}', 'published', /ISO 8601/],
  ])('rejects %s naming the field', (line, field, message) => {
    try {
      parseReportLine(line, { file: 'in.jsonl', line: 7 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'bad_input', location: { file: 'in.jsonl', line: 7, ...(field === undefined ? {} : { field }) } });
      expect((error as Error).message).toMatch(message);
    }
  });
});
