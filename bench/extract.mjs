// Extraction throughput on one core: reports per second for short inputs (GTD-summary length,
// 150–400 characters) and for long ones (3–6 kB wire-style articles), both generated here from
// templates with a fixed seed, so the benchmark needs no data outside the repository.
//
//   npx tsc -p tsconfig.build.json && node bench/extract.mjs [--short N] [--long N] [--json]
//   node bench/extract.mjs --input ../shared/eval/gtd/dev.jsonl   # also time a JSON Lines file
//
// Node runs the extractor on one thread; pin it to one core with `taskset -c 0` where available.
// The goal is >= 110 long articles/s.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createExtractor, toContractIncident } from '../dist/extract/index.js';
import { loadGazetteer } from '../dist/gazetteer/index.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const SHORT = Number(opt('--short', 2000));
const LONG = Number(opt('--long', 400));
const INPUT = opt('--input', undefined);
const JSON_OUT = args.includes('--json');

// A small deterministic generator (mulberry32).
let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const num = () => pick(['two', 'three', 'four', 'five', 'six', 'seven', 'nine', '12', '14', '23', 'at least 8', 'more than 30']);

const PLACES = [
  ['Maiduguri', 'Borno', 'Nigeria'],
  ['Ghazni', 'Ghazni', 'Afghanistan'],
  ['Mogadishu', 'Banaadir', 'Somalia'],
  ['Kirkuk', 'Kirkuk', 'Iraq'],
  ['Peshawar', 'Khyber Pakhtunkhwa', 'Pakistan'],
  ['Gao', 'Gao', 'Mali'],
  ['Djibo', 'Sahel', 'Burkina Faso'],
  ['Beni', 'North Kivu', 'Democratic Republic of the Congo'],
  ['Cotabato City', 'Maguindanao', 'Philippines'],
  ['Sukma', 'Chhattisgarh', 'India'],
];
const GROUPS = ['Al-Shabaab', 'ISWAP', 'the Taliban', 'JNIM', 'the TTP', 'Boko Haram', 'the ADF', 'the NPA', 'Maoist rebels', 'ISKP'];
const ATTACKS = [
  (t) => `An explosive device detonated targeting ${t} in`,
  (t) => `Assailants opened fire on ${t} in`,
  (t) => `A suicide bomber detonated an explosives-laden vehicle near ${t} in`,
  (t) => `Gunmen abducted ${num()} ${t} in`,
  (t) => `Assailants set fire to ${t} in`,
];
const TARGETS = ['a police checkpoint', 'a military convoy', 'civilians at a market', 'a school', 'the vehicle of a district governor', 'a mosque', 'a bus carrying passengers'];
const CLAIMS = [
  () => 'No group claimed responsibility for the incident.',
  () => `${pick(GROUPS)} claimed responsibility for the attack.`,
  () => `No group claimed responsibility; however, sources attributed the attack to ${pick(GROUPS)}.`,
];

function shortReport() {
  const [city, region, country] = pick(PLACES);
  const text =
    `${pick(ATTACKS)(pick(TARGETS))} ${city}, ${region}, ${country}. ` +
    `${num()[0].toUpperCase()}${num().slice(1)} people were killed and ${num()} others were injured in the attack. ${pick(CLAIMS)()}`;
  return { text: text.charAt(0).toUpperCase() + text.slice(1), published: '2024-03-11' };
}

const FILLER = [
  (p) => `Residents of ${p[0]} said they heard several explosions followed by heavy gunfire that lasted for more than an hour before security forces regained control of the area.`,
  (p) => `The ${p[1]} region has seen a rise in violence over the past year, with armed groups targeting security posts, local officials and civilians travelling on the main roads.`,
  () => `A spokesman for the interior ministry said an investigation had been opened and that reinforcements had been sent to the district to prevent further attacks.`,
  () => `Hospital officials said several of the wounded were in a critical condition and that the death toll could rise as more bodies were recovered from the rubble.`,
  (p) => `Local leaders in ${p[0]} called on the government to do more to protect civilians, saying that villagers had repeatedly warned the authorities about the presence of armed men nearby.`,
  () => `The United Nations condemned the attack and called for those responsible to be brought to justice, adding that attacks on civilians may amount to war crimes.`,
  () => `Analysts said the attack showed that the militants retained the ability to strike in areas that the army had declared secure earlier this year.`,
  (p) => `Traffic on the road linking ${p[0]} to the regional capital was suspended for several hours while soldiers searched nearby villages for the attackers.`,
];

function longReport() {
  const p = pick(PLACES);
  const dateline = `${p[0].toUpperCase()}, ${p[2]}, March 11 (Bench Wire) — `;
  let text = `${dateline}${pick(ATTACKS)(pick(TARGETS))} ${p[0]} on Sunday, killing ${num()} people and wounding ${num()} others, officials said. ${pick(CLAIMS)()}\n\n`;
  const target = 3000 + Math.floor(rand() * 3000);
  while (text.length < target) text += `${pick(FILLER)(p)} `.repeat(1) + (rand() < 0.25 ? '\n\n' : '');
  return { text: text.trim(), published: '2024-03-11' };
}

function time(label, reports, extractor) {
  // Warm up the JIT on a few reports, then time the whole batch.
  for (const r of reports.slice(0, 20)) extractor.extract(r);
  let incidents = 0;
  let chars = 0;
  const started = performance.now();
  for (const r of reports) {
    const found = extractor.extract(r);
    incidents += found.length;
    for (const f of found) toContractIncident(f);
    chars += r.text.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { label, reports: reports.length, incidents, meanChars: Math.round(chars / reports.length), seconds: Number(seconds.toFixed(3)), reportsPerSecond: Math.round(reports.length / seconds) };
}

const loadStarted = performance.now();
const gazetteer = loadGazetteer();
const loadMs = Math.round(performance.now() - loadStarted);
const extractor = createExtractor({ gazetteer });
const results = [
  time('short (GTD-summary length, generated)', Array.from({ length: SHORT }, shortReport), extractor),
  time('long (3-6 kB articles, generated)', Array.from({ length: LONG }, longReport), extractor),
];
if (INPUT !== undefined) {
  const lines = readFileSync(INPUT, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  results.push(time(`file ${INPUT}`, lines.map((l) => ({ text: String(l.text ?? ''), published: l.published ?? null })), extractor));
}
if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ node: process.version, gazetteerPlaces: gazetteer.placeCount, gazetteerLoadMs: loadMs, results })}\n`);
} else {
  process.stdout.write(`node ${process.version}; gazetteer ${gazetteer.placeCount} places loaded in ${loadMs} ms (not counted below)\n`);
  for (const r of results) {
    process.stdout.write(`${r.label}: ${r.reports} reports (mean ${r.meanChars} chars), ${r.incidents} incidents, ${r.seconds} s, ${r.reportsPerSecond} reports/s\n`);
  }
}
