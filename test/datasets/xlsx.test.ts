import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { excelSerialDate } from '../../src/datasets/xlsx.js';
import { importDataset } from '../../src/pipeline/import.js';
import { sqliteFactory } from '../store/stores.js';
import { fixture, readAll, tempFile, tempPath } from './helpers.js';

const NOW = () => new Date('2030-06-01T00:00:00.000Z');

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function columnName(i: number): string {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/**
 * A minimal .xlsx workbook written the way Excel lays one out: the sheet before the shared
 * strings in the zip. Numbers go in as number cells, the first text column as inline strings,
 * other text as shared strings (with one value split into two rich-text runs); `dates` names
 * columns whose values are written as date-formatted serial numbers.
 */
function workbook(rows: readonly (readonly string[])[], dates: ReadonlySet<number> = new Set()): Uint8Array {
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  const cells = rows.map((row, r) =>
    row
      .map((value, c) => {
        const ref = `${columnName(c)}${r + 1}`;
        if (value === '') return '';
        if (dates.has(c) && r > 0) {
          const serial = (Date.parse(`${value}T00:00:00Z`) / 86_400_000 + 25569).toString();
          return `<c r="${ref}" s="1"><v>${serial}</v></c>`;
        }
        if (r > 0 && /^-?\d+(\.\d+)?$/.test(value) && !/^0\d/.test(value)) return `<c r="${ref}"><v>${value}</v></c>`;
        if (c === 0 && r === 0) return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(value)}</t></is></c>`;
        let index = sharedIndex.get(value);
        if (index === undefined) {
          index = shared.length;
          shared.push(value);
          sharedIndex.set(value, index);
        }
        return `<c r="${ref}" t="s"><v>${index}</v></c>`;
      })
      .join(''),
  );
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${cells
    .map((c, r) => `<row r="${r + 1}">${c}</row>`)
    .join('')}</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared
    .map((s) => (s.length > 8 ? `<si><r><t xml:space="preserve">${escapeXml(s.slice(0, 5))}</t></r><r><t xml:space="preserve">${escapeXml(s.slice(5))}</t></r><rPh><t>x</t></rPh></si>` : `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`))
    .join('')}</sst>`;
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId7"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>' +
        '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    ),
    'xl/worksheets/data.xml': strToU8(sheet),
    'xl/styles.xml': strToU8(
      '<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
    ),
    'xl/sharedStrings.xml': strToU8(sst),
  };
  return zipSync(files);
}

const factory = sqliteFactory();
afterAll(() => factory.cleanup());

describe('GTD .xlsx import', () => {
  it('reads the first worksheet as the CSV it was made from: same rows, same documents', async () => {
    const csv = await readAll('gtd', fixture('gtd-core.csv'));
    const header = csv.find((i) => i.type === 'header');
    const rows = csv.flatMap((i) => (i.type === 'row' ? [i.record.values] : []));
    expect(header?.type).toBe('header');
    if (header?.type !== 'header') return;
    const file = tempFile('gtd-core.xlsx', workbook([header.columns, ...rows]));

    const fromXlsx = await readAll('gtd', file);
    const xlsxRows = fromXlsx.flatMap((i) => (i.type === 'row' ? [i.record] : []));
    expect(xlsxRows.map((r) => r.values)).toEqual(rows);
    expect(xlsxRows.map((r) => r.line)).toEqual(rows.map((_, n) => n + 2));

    const store = await factory.create();
    await store.migrate();
    const first = await importDataset(store, 'gtd', fixture('gtd-core.csv'), { now: NOW });
    expect(first.imported).toBe(rows.length);
    const again = await importDataset(store, 'gtd', file, { now: NOW });
    expect(again).toMatchObject({ read: rows.length, imported: 0, updated: 0, alreadyPresent: rows.length, rejected: [] });
  });

  it('rejects bad rows at their sheet row, writes them to --rejects as CSV, reads date cells', async () => {
    const header = ['eventid', 'iyear', 'imonth', 'iday', 'extended', 'resolution', 'country_txt', 'city', 'summary'];
    const rows = [
      header,
      ['203101010001', '2031', '1', '1', '1', '2031-01-09', 'Kenya', 'Invented town', 'An invented event, "quoted", with a comma.'],
      ['203101010002', 'year two', '1', '2', '0', '', 'Kenya', 'Invented town', 'An invented event.'],
      ['', '', '', '', '', '', '', '', ''],
      ['203101010003', '2031', '13', '2', '0', '', 'Kenya', '', ''],
    ];
    const file = tempFile('gtd-bad.xlsx', workbook(rows, new Set([5])));
    const rejectsPath = tempPath('gtd-bad-rejects.csv');
    const store = await factory.create();
    await store.migrate();
    const summary = await importDataset(store, 'gtd', file, { now: NOW, rejectsPath, displayName: 'gtd-bad.xlsx' });
    expect(summary).toMatchObject({ read: 3, imported: 1 });
    expect(summary.rejected.map((r) => [r.location.line, r.location.field])).toEqual([
      [3, 'iyear'],
      [5, 'imonth'],
    ]);
    const imported = (await store.listIncidents({ limit: 10 })).items[0];
    expect(imported?.fields.date).toEqual({ start: '2031-01-01', end: '2031-01-09', precision: 'day' });
    expect(readFileSync(rejectsPath, 'utf8')).toBe(
      `${header.join(',')}\n203101010002,year two,1,2,0,,Kenya,Invented town,An invented event.\n203101010003,2031,13,2,0,,Kenya,,\n`,
    );
  });

  it('refuses a file that is not a workbook, naming it', async () => {
    const store = await factory.create();
    await store.migrate();
    const file = tempFile('not-a-workbook.xlsx', 'eventid,iyear\n1,2030\n');
    await expect(importDataset(store, 'gtd', file)).rejects.toThrow(/cannot read .*not-a-workbook\.xlsx as an \.xlsx workbook/);
  });

  it('turns Excel serial days into calendar days', () => {
    expect(excelSerialDate(45658)).toBe('2025-01-01');
    expect(excelSerialDate(1)).toBe('1899-12-31');
    expect(excelSerialDate(45658.5)).toBe('2025-01-01 12:00:00');
  });
});
