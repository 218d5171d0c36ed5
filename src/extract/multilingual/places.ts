import type { Field, PlaceRef, Span } from '../../core/model.js';
import { placeRefFromCandidate, placeRefFromCountry, PLACE_RADIUS_KM, type Gazetteer, type PlaceCandidate, type Region } from '../../gazetteer/index.js';
import { wordKey } from './numerals.js';
import { PLACE_ALIASES } from './place-names.js';
import type { LanguageRules } from './rules.js';
import { overlaps, type Token } from './text.js';

interface Resolved {
  readonly span: Span;
  readonly kind: 'city' | 'region' | 'country';
  readonly city?: PlaceCandidate;
  readonly region?: Region;
  readonly country: string;
  /** Introduced by a preposition or a place word: surer than a bare name. */
  readonly introduced: boolean;
}

let aliasIndex: Map<string, (typeof PLACE_ALIASES)[number]> | undefined;
function aliasFor(name: string): (typeof PLACE_ALIASES)[number] | undefined {
  if (aliasIndex === undefined) {
    aliasIndex = new Map();
    for (const a of PLACE_ALIASES) for (const n of a.names) aliasIndex.set(wordKey(n), a);
  }
  return aliasIndex.get(wordKey(name));
}

const MIN_POPULATION_BARE = 50_000;

function lookup(name: string, gazetteer: Gazetteer, regionFirst: boolean, introduced: boolean, cityFirst = false): Omit<Resolved, 'span' | 'introduced'> | null {
  if ([...name].length < 3) return null;
  const alias = aliasFor(name);
  if (alias !== undefined) {
    if (alias.kind === 'region' && !cityFirst) {
      const region = gazetteer.findRegions(alias.en, alias.country)[0];
      if (region !== undefined) return { kind: 'region', region, country: region.country };
    }
    const city = gazetteer.findPlaces(alias.en).find((m) => m.place.country === alias.country)?.place;
    if (city !== undefined) return { kind: 'city', city, country: city.country };
    const region = gazetteer.findRegions(alias.en, alias.country)[0];
    if (region !== undefined) return { kind: 'region', region, country: region.country };
  }
  const country = gazetteer.findCountry(name, { allLanguages: true });
  if (country !== null) return { kind: 'country', country: country.code };
  if (regionFirst) {
    const region = gazetteer.findRegions(name)[0];
    if (region !== undefined) return { kind: 'region', region, country: region.country };
  }
  const city = gazetteer.findPlaces(name).find((m) => introduced || m.place.population >= MIN_POPULATION_BARE)?.place;
  if (city !== undefined && (introduced || city.population >= MIN_POPULATION_BARE)) return { kind: 'city', city, country: city.country };
  return null;
}

/**
 * Places named in a text in another language than English: one to three words after a
 * preposition ("в Кабуле", "في الموصل", "در کابل"), after a province or town word ("провинции
 * Кунар", "محافظة ديالى"), before one in Uzbek ("Кунар вилоятида"), or attached to a preposition
 * in Arabic ("بالموصل"); with case endings and particles stripped, looked up in this module's
 * province names, then as a country, region or populated place of the gazetteer. Names that
 * belong to actors ("ولاية خراسان") are not places.
 */
export function findPlacesIn(text: string, tokens: readonly Token[], rules: LanguageRules, gazetteer: Gazetteer, exclude: readonly Span[]): Resolved[] {
  const out: Resolved[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined || exclude.some((e) => overlaps(e, t))) continue;
    if (rules.cased && !/^\p{Lu}/u.test(t.text)) continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const regionBefore = prev !== undefined && rules.regionWord.test(prev.text) && !exclude.some((e) => overlaps(e, prev));
    const townBefore = prev !== undefined && rules.townWord.test(prev.text);
    const regionAfter = next !== undefined && rules.regionWord.test(next.text);
    const townAfter = next !== undefined && rules.townWord.test(next.text);
    const attached = rules.code === 'ar' && /^[وف]?ب/u.test(t.text);
    const introduced = regionBefore || townBefore || regionAfter || townAfter || attached || rules.placeIntro.test(text.slice(Math.max(0, t.start - 40), t.start));
    if (!introduced && !rules.cased) continue;
    // place words and prepositions are not names ("Дар вилояти ...")
    if (rules.regionWord.test(t.text) || rules.townWord.test(t.text)) continue;
    const introWord = rules.placeIntro.test(` ${t.text} `) && !rules.placeIntro.test(' ');
    let best: Resolved | null = null;
    for (let n = 3; n >= (introWord ? 2 : 1) && best === null; n--) {
      const words = tokens.slice(i, i + n);
      const lastWord = words[words.length - 1];
      if (words.length < n || lastWord === undefined) continue;
      if (words.some((w) => exclude.some((e) => overlaps(e, w)))) continue;
      if (n > 1 && /[.,;:!?،؛]/u.test(text.slice(t.start, lastWord.end))) continue;
      const head = words.slice(0, -1).map((w) => w.text);
      const firstForms = n === 1 ? [] : rules.placeForms(t.text);
      for (const form of rules.placeForms(lastWord.text)) {
        const names = n === 1 ? [form] : firstForms.map((f) => [f, ...head.slice(1), form].join(' ')).concat([[...head, form].join(' ')]);
        for (const name of names) {
          const hit = lookup(name, gazetteer, regionBefore || regionAfter, introduced, townBefore || townAfter);
          if (hit !== null) {
            best = { ...hit, span: { start: t.start, end: lastWord.end }, introduced };
            break;
          }
        }
        if (best !== null) break;
      }
    }
    if (best !== null) {
      out.push(best);
      i += tokens.findIndex((x) => x.start >= best.span.end) - i - 1;
      if (i < 0) break;
    }
  }
  return out;
}

/**
 * The location of the incident: the first introduced town, with the province the text names
 * around it (or the gazetteer's) as admin1; else the first province; else the first country.
 */
export function chooseLocation(found: readonly Resolved[], gazetteer: Gazetteer): Field<PlaceRef> | undefined {
  const pool = found.some((f) => f.introduced) ? found.filter((f) => f.introduced) : found;
  const city = pool.find((f) => f.kind === 'city');
  const region = pool.find((f) => f.kind === 'region' && (city === undefined || f.country === city.country));
  if (city?.city !== undefined) {
    const admin1 = region?.region?.name ?? gazetteer.regionOf(city.city)?.name ?? city.city.admin1 ?? null;
    const evidence = region !== undefined ? [city.span, region.span] : [city.span];
    return { value: placeRefFromCandidate(city.city, admin1), evidence, confidence: city.introduced ? 0.75 : 0.55 };
  }
  if (region?.region !== undefined) {
    const r = region.region;
    return {
      value: { name: null, admin1: r.name, country: r.country, lat: r.lat, lon: r.lon, precision: 'admin1', radiusKm: r.radiusKm > 0 ? r.radiusKm : PLACE_RADIUS_KM.admin1, placeId: null },
      evidence: [region.span],
      confidence: 0.65,
    };
  }
  const country = pool.find((f) => f.kind === 'country');
  if (country !== undefined) return { value: placeRefFromCountry(country.country), evidence: [country.span], confidence: 0.5 };
  return undefined;
}
