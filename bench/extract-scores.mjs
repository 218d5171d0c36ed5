// Regenerates the GTD dev score table of docs/extraction.md: runs `vigil extract` on the dev
// inputs and the shared scorer on its output, and prints the headline metrics as a Markdown table.
// Run `npx tsc -p tsconfig.build.json` first. The GTD files stay outside the repository.
//
//   node bench/extract-scores.mjs [../shared/eval]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const evalDir = process.argv[2] ?? '../shared/eval';
const out = join(mkdtempSync(join(tmpdir(), 'vigil-gtd-')), 'dev.pred.jsonl');
execFileSync(process.execPath, ['bin/vigil.js', 'extract', '--input', join(evalDir, 'gtd/dev.jsonl'), '--output', out], { stdio: ['ignore', 'ignore', 'inherit'] });
const json = execFileSync(process.execPath, [join(evalDir, 'score-gtd.mjs'), join(evalDir, 'gtd/dev.gold.jsonl'), out, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const m = JSON.parse(json).metrics;
const rows = [
  ['overall', '>= 0.78'],
  ['country', '>= 0.97'],
  ['geo_25km', ''],
  ['date_exact', ''],
  ['date_1d', '>= 0.70'],
  ['attack_type', '>= 0.85'],
  ['target_type', '>= 0.75'],
  ['weapon_type', '>= 0.85'],
  ['perpetrator_recall', '>= 0.85'],
  ['false_attribution', '<= 0.03'],
  ['killed_exact', '>= 0.90'],
  ['wounded_exact', '>= 0.88'],
  ['detected', ''],
  ['admin1', ''],
  ['city', ''],
  ['claimed', ''],
  ['suicide', ''],
  ['evidence_valid', '1.0'],
  ['schema_errors', '0'],
];
process.stdout.write(`GTD dev, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} cores\n\n| metric | value | target |\n|---|---|---|\n`);
for (const [name, target] of rows) {
  const v = m[name];
  const shown = typeof v === 'number' ? (Number.isInteger(v) && name === 'schema_errors' ? String(v) : v.toFixed(3)) : String(v);
  process.stdout.write(`| ${name} | ${shown} | ${target} |\n`);
}
