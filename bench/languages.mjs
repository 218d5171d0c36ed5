// Language detection and per-field extraction accuracy on the multilingual fixtures
// (test/fixtures/multilingual/*.jsonl, texts written for Vigil). Run: npm run bench:languages
import console from 'node:console';
import { readFileSync, readdirSync } from 'node:fs';
import process from 'node:process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExtractor } from '../dist/extract/index.js';
import { detectLanguage } from '../dist/extract/language.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'multilingual');
const extractor = createExtractor();
const FIELDS = ['date', 'place', 'group', 'attribution', 'killed', 'wounded'];

/** Whether one extracted field matches the expected value (see docs/languages.md for the rules). */
export function fieldOk(field, expected, fields) {
  switch (field) {
    case 'date': {
      const d = fields.date?.value;
      if (expected.date == null) return d === undefined;
      if (d === undefined) return false;
      const days = (Date.parse(d.end) - Date.parse(d.start)) / 86_400_000;
      return d.start <= expected.date && expected.date <= d.end && days <= 1;
    }
    case 'place': {
      const p = fields.location?.value;
      if (expected.place == null) return p === undefined;
      if (p === undefined) return false;
      return Object.entries(expected.place).every(([k, v]) => p[k] === v);
    }
    case 'group':
      return expected.group == null ? fields.perpetrators.length === 0 : fields.perpetrators[0]?.value.actorId === expected.group;
    case 'attribution':
      return expected.group == null || fields.perpetrators[0]?.value.attribution === expected.attribution;
    case 'killed':
    case 'wounded': {
      const c = fields[field]?.value;
      if (expected[field] == null) return c === undefined || c.best === null;
      return c !== undefined && c.best === expected[field] && c.kind === (expected.countKind ?? 'reported');
    }
    default:
      return false;
  }
}

const rows = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line.trim() !== '') rows.push({ file, ...JSON.parse(line) });
}
// texts written after the rules were tuned, never used to tune them: reported apart
for (const file of readdirSync(join(dir, 'holdout')).filter((f) => f.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(join(dir, 'holdout', file), 'utf8').split('\n')) if (line.trim() !== '') rows.push({ file: `holdout:${file.replace(/\.jsonl$/, '')}`, ...JSON.parse(line) });
}
const groups = new Map();
for (const row of rows) {
  const key = row.file.startsWith('holdout:') ? row.file.slice(8) : row.file === 'claims.jsonl' ? `claims-${row.language}` : row.language;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(row);
}
const pct = (n, d) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(0)}%`);
console.log(['set', 'texts', 'detected', ...FIELDS, 'all fields'].join('\t'));
const total = { n: 0, det: 0, all: 0, fields: Object.fromEntries(FIELDS.map((f) => [f, 0])) };
for (const [key, list] of groups) {
  let det = 0;
  let all = 0;
  const ok = Object.fromEntries(FIELDS.map((f) => [f, 0]));
  for (const row of list) {
    if (detectLanguage(row.text).language === row.language) det++;
    // extraction without the language given: detection decides the reader, as for an unlabelled report
    const incident = extractor.extract({ text: row.text, published: row.published, kind: row.kind ?? null })[0];
    const fields = incident?.fields ?? { perpetrators: [] };
    let every = true;
    for (const f of FIELDS) {
      const good = fieldOk(f, row.expected, fields);
      if (good) ok[f]++;
      else {
        every = false;
        if (process.env.VERBOSE) console.error(`${row.id} ${f}: expected ${JSON.stringify(f === 'place' ? row.expected.place : row.expected[f])}`);
      }
    }
    if (every) all++;
  }
  total.n += list.length;
  total.det += det;
  total.all += all;
  for (const f of FIELDS) total.fields[f] += ok[f];
  console.log([key, list.length, pct(det, list.length), ...FIELDS.map((f) => pct(ok[f], list.length)), pct(all, list.length)].join('\t'));
}
console.log(['all', total.n, pct(total.det, total.n), ...FIELDS.map((f) => pct(total.fields[f], total.n)), pct(total.all, total.n)].join('\t'));
