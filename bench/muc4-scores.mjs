// Regenerates the MUC-4 score table of docs/extraction.md: runs `vigil extract` on the train and dev
// inputs of the shared MUC-4 kit and its scorer on the output, and prints REE F1 per role and
// template F1 as a Markdown table. Run `npx tsc -p tsconfig.build.json` first. The MUC-4 files stay
// outside the repository.
//
//   node bench/muc4-scores.mjs [../shared/eval]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const evalDir = process.argv[2] ?? '../shared/eval';
const dir = mkdtempSync(join(tmpdir(), 'vigil-muc4-'));
const ROLES = ['PerpInd', 'PerpOrg', 'Target', 'Victim', 'Weapon'];
const f = (x) => x.toFixed(3);
const rows = [];
for (const split of ['train', 'dev']) {
  const out = join(dir, `${split}.pred.jsonl`);
  execFileSync(process.execPath, ['bin/vigil.js', 'extract', '--input', join(evalDir, `muc4/${split}.jsonl`), '--output', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const json = execFileSync(process.execPath, [join(evalDir, 'score-muc4.mjs'), join(evalDir, `muc4/${split}.gold.jsonl`), out, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const r = JSON.parse(json);
  rows.push([split, `${f(r.ree.micro.p)} / ${f(r.ree.micro.r)} / **${f(r.ree.micro.f1)}**`, ...ROLES.map((role) => f(r.ree.roles[role].f1)), f(r.template.micro.f1)]);
}
process.stdout.write(`MUC-4, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} cores\n\n`);
process.stdout.write(`| split | REE P / R / F1 | ${ROLES.join(' | ')} | template F1 |\n|---|---|${ROLES.map(() => '---|').join('')}---|\n`);
for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
