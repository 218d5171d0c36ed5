// Gazetteer benchmark: how long the built index takes to load in a fresh process, and how many
// name lookups per second it answers once loaded. Run `npx tsc -p tsconfig.build.json` first.
//
//   node bench/geo.mjs            5 fresh-process loads, 1,000,000 lookups of each kind
//   node bench/geo.mjs --rebuild  also time a rebuild of the index from the data packages
//
// Lookups draw names from the index itself (hits) and invented names (misses), half each, in a
// fixed pseudo-random order, so runs are comparable.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { gazetteerLoadInfo, loadGazetteer, loadPlaceIndex } from '../dist/gazetteer/index.js';

const args = process.argv.slice(2);
const lookups = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);

let seed = 4242;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

if (args.includes('--rebuild')) {
  const started = performance.now();
  const { info } = loadPlaceIndex({ rebuild: true });
  process.stdout.write(`build from data packages: ${((performance.now() - started) / 1000).toFixed(1)} s -> ${info.file}\n`);
}

// Load time in fresh processes (the index file must exist: the first load builds it).
loadGazetteer();
const script = `const t=performance.now();const g=await import(${JSON.stringify(new globalThis.URL('../dist/gazetteer/index.js', import.meta.url).href)});const z=g.loadGazetteer();const i=g.gazetteerLoadInfo();process.stdout.write(JSON.stringify({total:performance.now()-t,index:i.loadMs,source:i.source,places:z.placeCount,rss:process.memoryUsage().rss}));`;
const loads = [];
for (let i = 0; i < 5; i++) loads.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = loads[0];
process.stdout.write(
  `load from index file (median of ${loads.length} fresh processes): ${median(loads.map((l) => l.total)).toFixed(0)} ms total ` +
    `(place index ${median(loads.map((l) => l.index)).toFixed(0)} ms, rest is country names and module import); ` +
    `${first.places.toLocaleString('en')} places, source ${first.source}, RSS ${(median(loads.map((l) => l.rss)) / 1e6).toFixed(0)} MB\n`,
);

const g = loadGazetteer();
process.stdout.write(`in this process: ${gazetteerLoadInfo()?.source}, ${gazetteerLoadInfo()?.loadMs.toFixed(0)} ms\n`);
const sample = g.search('a', { limit: 50 }).map((h) => h.name);
const hits = [];
for (const prefix of ['ka', 'ba', 'ma', 'sa', 'al', 'ta', 'ra', 'mo', 'ku', 'ha', 'de', 'be', 'ch', 'sh', 'ne', 'po', 'la', 'gu']) for (const h of g.search(prefix, { limit: 50 })) hits.push(h.name);
hits.push(...sample);
const names = [];
for (let i = 0; i < 20_000; i++) {
  if (random() < 0.5) names.push(hits[Math.floor(random() * hits.length)]);
  else names.push(Array.from({ length: 5 + Math.floor(random() * 8) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join(''));
}

function rate(label, fn) {
  for (let i = 0; i < 20_000; i++) fn(names[i % names.length]);
  const started = performance.now();
  let found = 0;
  for (let i = 0; i < lookups; i++) found += fn(names[i % names.length]);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${label}: ${Math.round(lookups / seconds).toLocaleString('en')} lookups/s (${((found / lookups) * 100).toFixed(0)}% found)\n`);
}
rate('findPlaces (exact keys)', (n) => g.findPlaces(n).length > 0 ? 1 : 0);
rate('findPlacesLoose (transliteration keys)', (n) => g.findPlacesLoose(n).length > 0 ? 1 : 0);
rate('findRegions', (n) => g.findRegions(n).length > 0 ? 1 : 0);
rate('findCountry', (n) => g.findCountry(n) !== null ? 1 : 0);
rate('countryAt (point in country)', (() => { let k = 0; return () => { k++; return g.countryAt(-40 + (k % 80), -170 + (k % 340)) !== null ? 1 : 0; }; })());
const searches = Math.max(10_000, lookups / 20);
const started = performance.now();
for (let i = 0; i < searches; i++) g.search(names[i % names.length].slice(0, 3), { limit: 10 });
process.stdout.write(`search (3-letter prefix, 10 hits): ${Math.round(searches / ((performance.now() - started) / 1000)).toLocaleString('en')} queries/s\n`);
process.stdout.write(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}\n`);
