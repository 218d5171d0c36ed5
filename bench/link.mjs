// Linking benchmark: links N synthetic records (default 100,000) with the compiled linker
// (run `npx tsc -p tsconfig.build.json` first) and reports records per second and memory.
//
//   node bench/link.mjs                 100,000 records, no gazetteer
//   node bench/link.mjs 1000000         a million
//   node bench/link.mjs 200000 --gazetteer   resolve place names through the gazetteer too
//
// The records are invented: each attack is told by one to three sources, with a day's shift,
// another spelling of the place and a different toll now and then, spread over 150 countries and
// ten years; 30% of records are attacks that only one source reports.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { linkRecords } from '../dist/resolve/linking/index.js';
import { loadGazetteer } from '../dist/gazetteer/index.js';

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const withGazetteer = args.includes('--gazetteer');

let seed = 12_345;
/** mulberry32: a small, deterministic generator. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const COUNTRIES = Array.from({ length: 150 }, (_, i) => String.fromCharCode(65 + (i % 26)) + String.fromCharCode(65 + Math.floor(i / 26)));
const SYLLABLES = ['ka', 'bul', 'ghaz', 'ni', 'mo', 'ra', 'dih', 'yak', 'pul', 'alam', 'kun', 'duz', 'ma', 'roua', 'dji', 'bo', 'her', 'at', 'far', 'ah'];
const TYPES = ['bombing', 'armed_assault', 'kidnapping', 'assassination', 'facility_attack'];
const ACTORS = ['taliban', 'is-khorasan', 'islamic-state', 'boko-haram', 'al-shabaab', 'jnim', null];
const DAY0 = Date.UTC(2015, 0, 1);
const iso = (day) => new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);

function placeName() {
  return pick(SYLLABLES) + pick(SYLLABLES) + (random() < 0.5 ? pick(SYLLABLES) : '');
}

function makeRecords(count) {
  const records = [];
  let attack = 0;
  while (records.length < count) {
    attack++;
    const country = pick(COUNTRIES);
    const day = Math.floor(random() * 3650);
    const place = placeName();
    const admin1 = `Province ${Math.floor(random() * 20)}`;
    const killed = Math.floor(random() * random() * 60);
    const type = pick(TYPES);
    const actor = pick(ACTORS);
    const tellers = random() < 0.3 ? 1 : 1 + Math.ceil(random() * 2);
    for (let k = 0; k < tellers && records.length < count; k++) {
      const shifted = day + (random() < 0.2 ? 1 : 0);
      const toll = random() < 0.3 ? killed + Math.floor(random() * 3) : killed;
      records.push({
        id: `r${records.length}`,
        source: `source-${k}`,
        date: { start: iso(shifted), end: iso(shifted), precision: 'day' },
        country,
        admin1: k === 0 ? admin1 : null,
        place: k === 2 ? place.replace(/a/g, 'e') : place,
        point: null,
        actors: actor === null ? [] : [actor],
        attackTypes: [type],
        killed: { low: toll, best: toll, high: toll },
        wounded: null,
        text: `${type} in ${place}, ${admin1}; ${toll} killed (attack ${attack})`,
      });
    }
  }
  return records;
}

const built = performance.now();
const records = makeRecords(n);
const gazetteer = withGazetteer ? loadGazetteer() : null;
const before = process.memoryUsage();
const started = performance.now();
const result = linkRecords(records, { gazetteer, explanations: false });
const seconds = (performance.now() - started) / 1000;
const after = process.memoryUsage();
const mb = (bytes) => (bytes / 1_048_576).toFixed(0);
process.stdout.write(
  `${n} records (made in ${((started - built) / 1000).toFixed(1)} s${withGazetteer ? ', with gazetteer' : ''}): ` +
    `${result.stats.comparisons} comparisons, ${result.stats.candidates} candidate links, ${result.stats.clusters} clusters, ${result.related.length} related pairs; ` +
    `linked in ${seconds.toFixed(1)} s (${Math.round(n / seconds)} records/s); ` +
    `heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, rss ${mb(after.rss)} MB\n`,
);
