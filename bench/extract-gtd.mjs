// Batch-extraction benchmark: gazetteer load time and extraction throughput of the compiled
// extractor (run `npx tsc -p tsconfig.build.json` first), writing contract output lines.
//
//   node bench/extract-gtd.mjs ../shared/eval/gtd/dev.jsonl /tmp/dev.pred.jsonl
//   node ../shared/eval/score-gtd.mjs ../shared/eval/gtd/dev.gold.jsonl /tmp/dev.pred.jsonl
//
// The input data stays outside the repository (GTD's licence forbids redistribution).
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { runExtract } from '../dist/cli/commands/extract.js';
import { loadGazetteer } from '../dist/gazetteer/index.js';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  process.stderr.write('usage: node bench/extract-gtd.mjs IN.jsonl OUT.jsonl\n');
  process.exit(2);
}
const started = performance.now();
const gazetteer = loadGazetteer();
const loadMs = performance.now() - started;
const out = createWriteStream(output);
const summary = await runExtract(createReadStream(input), out, process.stderr, input);
out.end();
await once(out, 'finish');
process.stderr.write(
  `gazetteer: ${gazetteer.placeCount} places in ${loadMs.toFixed(0)} ms; ` +
    `${summary.lines} lines, ${summary.incidents} incidents, ${summary.rejected} rejected in ${summary.seconds.toFixed(2)} s ` +
    `(${(summary.lines / summary.seconds).toFixed(0)} reports/s)\n`,
);
