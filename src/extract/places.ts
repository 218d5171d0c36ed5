import type { Field, PlaceRef, Span } from '../core/model.js';
import { distanceKm, PLACE_RADIUS_KM, pointInCountry, withoutContradictingPoint, type CountryMatch, type Gazetteer, type PlaceCandidate, type PlaceMatch, type Region } from '../gazetteer/index.js';

/** A capitalised name in the text that the gazetteer knows as a country or a place. */
export interface NameMention {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly country: CountryMatch | null;
  readonly places: readonly PlaceMatch[];
  readonly sentence: number;
}

const TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}'\u2019.-]*[\p{L}\p{N}])?/gu;
const CAPITALISED = /^(?:\p{Lu}|(?:al|el|ad|an|ar|as|ash|at|az|ed|ul)[-'\u2019]\p{Lu})/u;
const CONNECTORS = new Set(['of', 'the', 'and', 'al', 'el', 'de', 'del', 'da', 'do', 'du', 'des', 'la', 'le', 'los', 'las', 'e', 'i', 'y', 'ad', 'an', 'bin', 'ibn', 'wa', 'sur', 'upon', 'on']);
const MAX_TOKENS = 6;
const LOCATIVE = /\b(?:in|near|at|outside|from|around|into|between|of|toward|towards|across|outskirts\s+of|district\s+of|village\s+of|town\s+of|city\s+of|area\s+of)\s+(?:the\s+)?$/i;
const CHAIN = /^(?:\s*,\s*[^,.;()\n]{1,60}?)*\s*,\s*$/;
const STOP = new Set(
  ('the a an in on at of and or but no not one two three four five six seven eight nine ten police army military security government state province district city village town ' +
    'national general president minister mayor governor islamic muslim christian church mosque school university hospital market sunday monday tuesday wednesday thursday friday saturday ' +
    'january february march april may june july august september october november december north south east west central northern southern eastern western union liberty victory progress ' +
    'assailants attackers gunmen militants officials authorities sources reports report source local regional federal interior defence defense ministry forces force unit units attack ' +
    'however according following after before during while also several many some other others this that these those there here his her their its our we they he she it his ' +
    'border road highway bridge camp base station airport port mount lake river valley island islands street avenue square center centre district county region victims people').split(/\s+/),
);

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Capitalised names of countries and places in the text, longest name first, never overlapping `exclude`. */
export function findNameMentions(text: string, sentences: readonly Span[], gazetteer: Gazetteer, options: { allLanguages: boolean; exclude: readonly Span[] }): NameMention[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    // "Lyon's" names Lyon; a trailing full stop is not part of the name.
    const t = m[0].replace(/['\u2019]s$/u, '').replace(/\.$/, '');
    tokens.push({ text: t, start: m.index, end: m.index + t.length });
  }
  const out: NameMention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i];
    if (first === undefined || !CAPITALISED.test(first.text)) {
      i++;
      continue;
    }
    let taken = 0;
    for (let len = Math.min(MAX_TOKENS, tokens.length - i); len >= 1; len--) {
      const last = tokens[i + len - 1];
      if (last === undefined || !CAPITALISED.test(last.text)) continue;
      if (!joinable(text, tokens, i, len)) continue;
      const start = first.start;
      const end = last.end;
      if (options.exclude.some((x) => start < x.end && end > x.start)) continue;
      const name = text.slice(start, end);
      const country = gazetteer.findCountry(name, { allLanguages: options.allLanguages });
      const stop = len === 1 && STOP.has(first.text.toLowerCase());
      let places = stop ? [] : gazetteer.findPlaces(name);
      // A transliteration the gazetteer spells otherwise ("Sheikh Zuweid" for "Ash Shaykh Zuwayd").
      if (places.length === 0 && country === null && !stop && len <= 4) places = gazetteer.findPlacesLoose(name);
      if (country === null && places.length === 0) {
        // "Norte de Santander", "Lower Shebelle": a region's name is not read again word by word.
        if (len >= 2 && gazetteer.findRegions(name).length > 0) {
          taken = len;
          break;
        }
        continue;
      }
      const sentence = Math.max(0, sentences.findIndex((s) => start >= s.start && start < s.end));
      out.push({ start, end, text: name, country, places, sentence });
      taken = len;
      break;
    }
    i += Math.max(1, taken);
  }
  return out;
}

/** Tokens i..i+len-1 form one name: separated by single spaces (or hyphens), lower-case words only as connectors. */
function joinable(text: string, tokens: readonly Token[], i: number, len: number): boolean {
  for (let k = i; k < i + len; k++) {
    const t = tokens[k];
    if (t === undefined) return false;
    if (k > i) {
      const prev = tokens[k - 1];
      // "Cox's Bazar", "Lee's Summit": a possessive inside a name joins it.
      if (prev === undefined || !/^(?:['\u2019]s)?[ -]$/.test(text.slice(prev.end, t.start))) return false;
      if (!CAPITALISED.test(t.text) && !CONNECTORS.has(t.text.toLowerCase())) return false;
    }
  }
  return true;
}

/** Up to three capitalised, comma-separated names right before a position: "Matari, Kaga district, ". */
const CHAIN_BEFORE = /((?:\p{Lu}[^,.;()\n]{0,60}?,\s*){1,3})$/u;
/** ", Sindh" / ", California" right after a place name: a candidate region name. */
const REGION_AFTER = /^\s*,\s*(\p{Lu}[\p{L}'\u2019-]*(?: \p{Lu}[\p{L}'\u2019-]*){0,2})(?=\s*[,.;]|\s+(?:and|on|in|at|killing|wounding|injuring|where|after|when)\b)/u;
const REGION_WORD_AFTER = /^[ -](?:region|Region|province|Province|state|State|governorate|Governorate|oblast|Oblast|prefecture|Prefecture)\b/;
const ADMIN_WORDS = /^(?:City|Province|District|Town|Village|Region|State|County|Governorate|Department|Municipality|Prefecture|Division|Area|Camp|University|Airport|International|Hospital|Stadium|Market|Road|Street|Highway|Bridge|Prison|Mosque|Church|Cathedral|Square|Police|Station|Port|Base|Bazaar)\b/;
/** A place word after a name that still belongs to it: "Ghazni city, Ghazni, Afghanistan". */
const NAME_SUFFIX = /^[ -](?:city|City|town|Town|district|District|village|Village|municipality|Municipality|area|Area|province|Province|county|County|neighbou?rhood|Neighbou?rhood|camp|Camp|refugee camp|quarter|Quarter)\b/;
/** A part of a town written before it: "Chanapora neighborhood, Srinagar", "the Creggan area, Derry". */
const NEIGHBOURHOOD_SUFFIX = /^[ -](?:neighbou?rhood|Neighbou?rhood|quarter|Quarter|area|Area|suburb|Suburb|bazaa?r|Bazaa?r|market|Market|junction|Junction|locality|Locality|colony|Colony|sector|Sector)\b/;
/** "south of Al Hudaydah", "12 km north of Gao": a reference point, not where it happened. */
const BEARING_BEFORE = /\b(?:\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles|mi)\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?$|\b\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles)\s+(?:from|away from)\s+(?:the\s+)?$/i;
/** A capitalised name right before a comma at the end of a string. */
const NAME_BEFORE_COMMA = /((?:\p{Lu}[\p{L}'\u2019.-]*)(?:[ -](?:\p{Lu}[\p{L}'\u2019.-]*|of|the|al|el|de|du|da|e|district|village|city|town|neighbou?rhood|area|municipality|county|camp))*)\s*,\s*$/u;

/** True when the mention is only part of a longer capitalised name ("Ceel" in "Raga Ceel"). */
function isPartialName(text: string, mention: NameMention): boolean {
  const before = /(?:^|[^\p{L}])(\p{Lu}[\p{L}'\u2019-]*)[ -]$/u.exec(text.slice(Math.max(0, mention.start - 30), mention.start));
  const after = /^[ -](\p{Lu}[\p{L}'\u2019-]*)/u.exec(text.slice(mention.end, mention.end + 30));
  const beforeWord = before?.[1];
  const afterWord = after?.[1];
  const sentenceStartBefore = beforeWord !== undefined && /(?:^|[.!?]\s+)$/.test(text.slice(0, mention.start - beforeWord.length - 1));
  // "Norte de Santander", "Gulf of Aden": the end of a longer name joined by a connector.
  const joined = /(?:^|[^\p{L}])(\p{Lu}[\p{L}'\u2019-]*) (?:de|del|de la|do|da|dos|das|di|of|al|el) $/u.exec(text.slice(Math.max(0, mention.start - 30), mention.start))?.[1];
  if (joined !== undefined && !/^(?:In|Near|At|From|The|Of|And|On|City|Town|Village|Province|District|Region|State|Governorate|Department|Municipality|County|Republic|Kingdom|Outskirts|Suburbs|North|South|East|West)$/.test(joined)) return true;
  return (beforeWord !== undefined && !sentenceStartBefore && !/^(?:In|Near|At|From|The|Of|And|On)$/.test(beforeWord)) || (afterWord !== undefined && !ADMIN_WORDS.test(afterWord));
}

interface Scored {
  readonly mention: NameMention;
  readonly place: PlaceMatch;
  readonly score: number;
  readonly chainCountry: NameMention | null;
  readonly slot: 'city' | 'admin1' | 'free';
}

/** Where a name ends, counting a trailing place word ("city", "district") as part of it. */
function nameEnd(text: string, mention: NameMention): number {
  const suffix = NAME_SUFFIX.exec(text.slice(mention.end, mention.end + 20));
  return suffix === null ? mention.end : mention.end + suffix[0].length;
}

function chainAfter(text: string, mention: NameMention, countries: readonly NameMention[]): NameMention | null {
  const end = nameEnd(text, mention);
  for (const c of countries) {
    if (c.start < end || c.sentence !== mention.sentence) continue;
    return CHAIN.test(text.slice(end, c.start)) || text.slice(end, c.start).trim() === '' ? c : null;
  }
  return null;
}

function chainElements(text: string, from: number, to: number): string[] {
  return text
    .slice(from, to)
    .split(',')
    .map((s) => s.trim().replace(/^(?:\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles)\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?/i, ''))
    .filter((s) => s !== '');
}

/**
 * The location of the incident. Places must be capitalised names in the text; when the text names
 * a country, only places in a named country count, and a place followed by ", Region, Country"
 * (the way reports locate an event) wins over other names; otherwise a place after "in"/"near",
 * earlier in the text, with its main name and a larger population is preferred. Without a place,
 * the country alone, with no point: a country centroid would read as a place the report does not
 * give. When the place named before the region is not in the gazetteer, the region is kept as
 * `admin1` with precision `admin1`.
 */
const DATELINE =
  /^\s*\p{Lu}[\p{Lu}\p{M} .'\u2019-]+(?:,\s*[\p{L}\p{M} .'\u2019-]{2,40}){0,2},\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\p{L}*\.?\s+\d{1,2}\b[^\u2014\u2013\n]{0,80}?(?:\u2014|\u2013|--|\s-\s)/u;

/** Where a wire dateline ("KABUL, Sept 5 (Reuters) —") ends, or 0 when the text has none. */
export function datelineEnd(text: string): number {
  const m = DATELINE.exec(text.slice(0, 200));
  return m === null ? 0 : m[0].length;
}

export function extractLocation(
  text: string,
  sentences: readonly Span[],
  gazetteer: Gazetteer,
  options: { allLanguages: boolean; exclude: readonly Span[]; eventSentences?: readonly Span[] },
): Field<PlaceRef> | undefined {
  const mentions = findNameMentions(text, sentences, gazetteer, options);
  const dateline = datelineEnd(text);
  const inEvent = (at: number): boolean => options.eventSentences?.some((s) => at >= s.start && at < s.end) === true;
  const bodyNames = new Set(mentions.filter((m) => m.start >= dateline && inEvent(m.start)).map((m) => foldName(m.text)));
  const countries = mentions.filter((m) => m.country !== null);
  const named = new Set(countries.map((m) => m.country?.code ?? ''));
  // Where the other names of the report point: each one's most likely place.
  const anchors = mentions
    .filter((m) => m.country === null && m.places.length > 0 && !m.places[0]?.loose)
    .map((m) => ({ mention: m, place: m.places[0]?.place }))
    .filter((a): a is { mention: NameMention; place: PlaceCandidate } => a.place !== undefined);
  const scored: Scored[] = [];
  for (const mention of mentions) {
    if (mention.country !== null || mention.places.length === 0) continue;
    // "Kerman, California", "Hyderabad, Sindh": a region named right after the place, with or without a country.
    const regionAfter = REGION_AFTER.exec(text.slice(nameEnd(text, mention), nameEnd(text, mention) + 60))?.[1];
    const regionsAfter = regionAfter === undefined ? [] : gazetteer.findRegions(regionAfter.trim());
    const others = anchors.filter((a) => foldName(a.mention.text) !== foldName(mention.text));
    const chainCountry = chainAfter(text, mention, countries);
    const before = text.slice(Math.max(0, mention.start - 80), mention.start);
    const partial = isPartialName(text, mention);
    const preceded = NAME_BEFORE_COMMA.test(before);
    const elementsAfter = chainCountry === null ? 0 : chainElements(text, nameEnd(text, mention), chainCountry.start).length;
    const slot: Scored['slot'] = chainCountry === null ? 'free' : elementsAfter === 0 && preceded ? 'admin1' : 'city';
    const sentenceStart = sentences[mention.sentence]?.start ?? 0;
    const sentenceInitial = text.slice(sentenceStart, mention.start).trim() === '';
    // "Riyadh, Kirkuk, Iraq": the region named after a place tells which of its namesakes it is.
    const chainCode = chainCountry?.country?.code;
    const regionText = chainCountry === null ? undefined : chainElements(text, nameEnd(text, mention), chainCountry.start).at(-1);
    const chainRegions = chainCode === undefined || chainCountry === null ? [] : regionText !== undefined && gazetteer.findRegions(regionText, chainCode).length > 0 ? gazetteer.findRegions(regionText, chainCode) : aliasRegions(text, gazetteer, chainCountry);
    const selfRegion = chainCode !== undefined && slot === 'admin1' && gazetteer.findRegions(mention.text, chainCode).length > 0;
    // "Tillaberi region", "Kunduz province": the region, not its capital town.
    const regionWord = REGION_WORD_AFTER.test(text.slice(mention.end, mention.end + 16));
    // "Borno state" is the Nigerian state, not a town called Borno elsewhere.
    if (regionWord && gazetteer.findRegions(mention.text).length > 0) continue;
    for (const place of mention.places) {
      const inChain = chainCountry?.country?.code === place.place.country;
      if (named.size > 0 && !named.has(place.place.country)) continue;
      if (chainCountry !== null && !inChain && mention.places.some((p) => p.place.country === chainCountry.country?.code)) continue;
      if (named.size === 0 && (sentenceInitial || place.place.population < 5000)) continue;
      let score = 0;
      const inDateline = mention.start < dateline;
      if (inChain && !inDateline) score += slot === 'city' ? 3 : 1;
      // "Hays, south of Al Hudaydah": a bearing names a reference point, not the place itself.
      if (BEARING_BEFORE.test(before)) score -= 0.8;
      else if (LOCATIVE.test(before)) score += 1;
      if (!place.alternate) score += 1;
      score += Math.log10(place.place.population + 1) / 7;
      if (mention.sentence === 0 && !inDateline) score += 0.5;
      // A dateline names where the report was filed, not where the attack happened.
      if (inDateline && !bodyNames.has(foldName(mention.text))) score -= 1.2;
      if (inEvent(mention.start)) score += 0.4;
      else if (!inDateline && mention.sentence > 0 && (options.eventSentences?.length ?? 0) > 0) score -= 0.7;
      if (/^PPL(?:C|A)$/.test(place.place.featureCode)) score += 0.3;
      if (sentenceInitial && !inChain) score -= 1;
      if (partial) score -= 2;
      if (chainRegions.length > 0 && inChain) {
        const region = gazetteer.regionOf(place.place);
        if (region !== null && chainRegions.some((r) => r.id === region.id)) score += 1.2;
        else if (region !== null) {
          // "Orchha, Chhattisgarh": a namesake far outside the region the report names is another
          // place; the region is then what is known (never a false city point).
          if (slot === 'city' && region.name !== null && chainRegions.every((r) => distanceKm(r.lat, r.lon, place.place.lat, place.place.lon) > Math.max(75, r.radiusKm * 1.5))) continue;
          score -= 0.8;
        }
      }
      if (place.loose === true) score -= inChain ? 0.3 : 1;
      if (regionsAfter.length > 0) {
        const region = gazetteer.regionOf(place.place);
        if (region !== null && regionsAfter.some((r) => r.id === region.id)) score += 1.5;
      }
      // Other places the report names lie near this one ("Tripoli ... officials in Beirut").
      if (others.some((a) => a.place.country === place.place.country && distanceKm(a.place.lat, a.place.lon, place.place.lat, place.place.lon) <= 300)) score += 0.8;
      else if (others.some((a) => a.place.country === place.place.country)) score += 0.3;
      if (selfRegion && place.place.featureCode !== 'PPLC') score -= 0.5;
      scored.push({ mention, place, score, chainCountry: inChain ? chainCountry : null, slot: inChain ? slot : 'free' });
    }
  }
  scored.sort((a, b) => b.score - a.score);
  if (process.env.VIGIL_DEBUG_PLACES === '1') console.error(scored.slice(0, 6).map((x) => `${x.mention.text}:${x.place.place.name}/${x.place.place.country}=${x.score.toFixed(2)}`).join(' '));
  const best = scored[0];
  const districtOf = districtOfField(text, gazetteer, named, inEvent);
  const field =
    districtOf !== undefined && (best === undefined || best.score < 3 || best.mention.start >= districtOf.evidence[0]!.start)
      ? districtOf
      : best !== undefined && best.score >= 1.5
        ? placeField(text, best, gazetteer)
        : (countryField(text, countries, gazetteer) ?? regionOnlyField(text, gazetteer, named, inEvent) ?? datelineField(text, mentions, dateline, gazetteer));
  const refined = field === undefined ? undefined : (districtNamedElsewhere(text, gazetteer, field) ?? field);
  return refined === undefined ? undefined : { ...refined, value: withoutContradictingPoint(refined.value, pointInCountry) };
}

/** "Imam Sahib district", "the Taywara district governor", "Lasam town councilors", "Bankass Circle". */
const DISTRICT_NAMED = /\b(\p{Lu}[\p{L}'\u2019-]+(?: \p{Lu}[\p{L}'\u2019-]+){0,2}) (?:district|District|circle|Circle|cercle|Cercle|municipality|Municipality|town|tehsil|Tehsil|sub-district|subdistrict|LGA|local government area|Local Government Area|territory|Territory)\b/gu;

/**
 * A place known only to its region (a village the gazetteer lacks) when the report names, in
 * another sentence or phrase, a district or town of that region that the gazetteer knows ("...
 * in Joyee Begum, Kunduz. ... outposts in Imam Sahib district"): the district town's point at
 * precision admin2, keeping the village's name.
 */
function districtNamedElsewhere(text: string, gazetteer: Gazetteer, field: Field<PlaceRef>): Field<PlaceRef> | undefined {
  const value = field.value;
  const country = value.country;
  if (value.precision !== 'admin1' || country === null || country === undefined) return undefined;
  const regions = value.admin1 === null || value.admin1 === undefined ? [] : gazetteer.findRegions(value.admin1, country);
  for (const m of text.matchAll(DISTRICT_NAMED)) {
    const name = m[1];
    if (name === undefined || name === value.admin1 || name === value.name || STOP.has(name.toLowerCase())) continue;
    if (gazetteer.findCountry(name) !== null || (regions.length > 0 && gazetteer.findRegions(name, country).some((r) => regions.some((x) => x.id === r.id)))) continue;
    let found = gazetteer.findPlaces(name).filter((p) => p.place.country === country);
    if (found.length === 0) found = gazetteer.findPlacesLoose(name).filter((p) => p.place.country === country);
    const town = (regions.length > 0 ? found.filter((p) => regions.some((r) => gazetteer.regionOf(p.place)?.id === r.id)) : found)[0];
    if (town === undefined) continue;
    return {
      value: { ...value, lat: town.place.lat, lon: town.place.lon, precision: 'admin2', radiusKm: PLACE_RADIUS_KM.admin2, placeId: null },
      evidence: [...field.evidence, { start: m.index, end: m.index + m[0].length }],
      confidence: field.confidence,
    };
  }
  return undefined;
}

/**
 * The place of the dateline, when the body names no place at all: where the report was filed is
 * the best evidence left, so it is given at low confidence, with the dateline as its evidence.
 */
function datelineField(text: string, mentions: readonly NameMention[], dateline: number, gazetteer: Gazetteer): Field<PlaceRef> | undefined {
  const candidates = mentions
    .filter((m) => m.start < dateline && m.country === null)
    .flatMap((mention) => mention.places.map((place) => ({ mention, place })))
    .sort((a, b) => Number(a.place.alternate) - Number(b.place.alternate) || b.place.place.population - a.place.place.population);
  const first = candidates[0];
  if (first === undefined) return undefined;
  const field = placeField(text, { ...first, score: 0, chainCountry: null, slot: 'free' }, gazetteer);
  return { ...field, confidence: 0.35 };
}

function placeField(text: string, best: Scored, gazetteer: Gazetteer): Field<PlaceRef> {
  const { mention, place, chainCountry } = best;
  const evidence: Span[] = [{ start: mention.start, end: mention.end }];
  if (chainCountry !== null) evidence.push({ start: chainCountry.start, end: chainCountry.end });
  if (best.slot === 'admin1') {
    // "in Balcad, Middle Shebelle, Somalia" with a town the gazetteer lacks: the region is what is known.
    const before = text.slice(Math.max(0, mention.start - 200), mention.start);
    const cityName = NAME_BEFORE_COMMA.exec(before.slice(-120))?.[1]?.trim() ?? null;
    const elements = CHAIN_BEFORE.exec(before)?.[1]?.split(',').map((x) => x.trim()).filter((x) => x !== '') ?? [];
    const country = place.place.country;
    const district = elements.length >= 2 ? districtRef(gazetteer, elements[0] ?? '', elements.slice(1), mention.text, country) : null;
    if (district !== null) return { value: district, evidence, confidence: 0.45 };
    // "Chanapora neighborhood, Srinagar, Jammu and Kashmir, India", "Gortreagh, Cookstown, Northern
    // Ireland": a known town, not a region, right before a region the country table knows. The
    // part of town is in the town; a village named before it lies in its district.
    if (place.loose !== true && place.place.country === country && gazetteer.findRegions(mention.text, country).length === 0) {
      const partOfTown = cityName !== null && NEIGHBOURHOOD_SUFFIX.test(cityName.slice(cityName.search(/[ -]\S+$/)));
      const town = townRef(mention.text, place, cityName === null || partOfTown ? null : cityName);
      // "..., Jammu and Kashmir, India", "..., Northern Ireland, United Kingdom": the region is the name the country table knows.
      const regionLike = chainCountry !== null && /^\s*,\s*$/.test(text.slice(chainCountry.end, chainCountry.end + 3).slice(0, 2)) ? plainRegionName(chainCountry.text) : null;
      return { value: regionLike !== null && regionLike !== gazetteer.countryName(country) ? { ...town, admin1: regionLike } : town, evidence, confidence: 0.5 };
    }
    return { value: regionRef(gazetteer, cityName, mention.text, country), evidence, confidence: 0.45 };
  }
  const elements = chainCountry === null ? [] : chainElements(text, nameEnd(text, mention), chainCountry.start);
  // "Santo Nino, Kidapawan, North Cotabato", "Al Rawdha neighborhood, Marib, Yemen": the name
  // before a known town lies in or near that town; a namesake far from it is another place.
  const next = nearTownAfter(gazetteer, text, mention, place, elements, chainCountry === null ? [] : aliasRegions(text, gazetteer, chainCountry));
  if (next !== null) {
    const value = townRef(next.written, next.town, NEIGHBOURHOOD_SUFFIX.test(text.slice(mention.end, mention.end + 16)) ? null : mention.text);
    return { value: { ...value, admin1: elements.length > 0 ? plainRegionName(elements[elements.length - 1] ?? '') : value.admin1 }, evidence, confidence: 0.5 };
  }
  const written = elements.length > 0 ? (elements[elements.length - 1] ?? null) : place.place.admin1;
  const admin1 = written === null ? null : plainRegionName(written);
  const value: PlaceRef = {
    name: displayName(mention.text, place),
    admin1,
    country: place.place.country,
    lat: place.place.lat,
    lon: place.place.lon,
    precision: 'city',
    radiusKm: PLACE_RADIUS_KM.city,
    placeId: place.place.id,
  };
  return { value, evidence, confidence: chainCountry !== null ? 0.75 : 0.55 };
}

/**
 * The regions of a chain's "country" when it is a region the country table knows, followed by its
 * country ("..., Jammu and Kashmir, India", "..., Northern Ireland, United Kingdom").
 */
function aliasRegions(text: string, gazetteer: Gazetteer, chainCountry: NameMention): Region[] {
  const code = chainCountry.country?.code;
  if (code === undefined || !/^\s*,\s*\p{Lu}/u.test(text.slice(chainCountry.end, chainCountry.end + 4))) return [];
  return gazetteer.findRegions(chainCountry.text, code);
}

/**
 * The town of a place written as "village, town" or "part of town, town": the town's point, at
 * city precision when the part of town is the town (`villageName` null), else as the village's
 * district (precision admin2, radius 50 km), keeping the village's name.
 */
function townRef(written: string, town: PlaceMatch, villageName: string | null): PlaceRef {
  return {
    name: villageName ?? displayName(written, town),
    admin1: town.place.admin1,
    country: town.place.country,
    lat: town.place.lat,
    lon: town.place.lon,
    precision: villageName === null ? 'city' : 'admin2',
    radiusKm: villageName === null ? PLACE_RADIUS_KM.city : PLACE_RADIUS_KM.admin2,
    placeId: villageName === null ? town.place.id : null,
  };
}

/**
 * The known town named right after a place in a chain ("Santo Nino, Kidapawan, North Cotabato"),
 * when the place's own candidate lies more than 50 km from it: then the candidate is a namesake
 * elsewhere and the town is where the report points. The last element (the region) counts only
 * after a part of town ("Al Rawdha neighborhood, Marib, Yemen").
 */
function nearTownAfter(gazetteer: Gazetteer, text: string, mention: NameMention, place: PlaceMatch, elements: readonly string[], outer: readonly Region[]): { written: string; town: PlaceMatch } | null {
  const partOfTown = NEIGHBOURHOOD_SUFFIX.test(text.slice(mention.end, mention.end + 16));
  const usable = partOfTown ? elements.slice(0, 1) : elements.slice(0, -1).slice(0, 1);
  const regionName = elements.at(-1);
  const named = regionName === undefined ? [] : gazetteer.findRegions(regionName, place.place.country);
  const regions = named.length > 0 ? named : outer;
  for (const element of usable) {
    const name = element.replace(DISTRICT_WORD, '').replace(/^(?:the|in|near)\s+/i, '').trim();
    if (name.length < 3 || !/^\p{Lu}/u.test(name)) continue;
    let found = gazetteer.findPlaces(name).filter((m) => m.place.country === place.place.country);
    if (found.length === 0) found = gazetteer.findPlacesLoose(name).filter((m) => m.place.country === place.place.country);
    const inRegion = found.filter((m) => regions.some((r) => gazetteer.regionOf(m.place)?.id === r.id));
    const candidates = inRegion.length > 0 ? inRegion : regions.length > 0 && element !== regionName ? [] : found;
    const town = candidates[0];
    if (town === undefined) continue;
    // A name several towns of the country share ("Pilar") says nothing without its region.
    if (inRegion.length === 0 && candidates.some((c) => distanceKm(c.place.lat, c.place.lon, town.place.lat, town.place.lon) > 50)) continue;
    if (distanceKm(town.place.lat, town.place.lon, place.place.lat, place.place.lon) <= 50) return null;
    return { written: name, town };
  }
  return null;
}

function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A name written in capitals: the gazetteer's name when it is the same name, else the text in title case. */
function titleCase(written: string, canonical: string): string {
  if (foldName(written) === foldName(canonical)) return canonical;
  return written.toLowerCase().replace(/(^|[\s'\u2019-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/**
 * The name to show for a place: the gazetteer's canonical name (its case and diacritics) when the
 * text writes the same name, in capitals (a dateline's "KISMAYO") or not; the text's spelling when
 * the text uses another transliteration ("Mazar-i-Sharif" for "Mazār-e Sharīf"), title-cased if
 * it was in capitals.
 */
function displayName(written: string, match: PlaceMatch): string {
  const shouting = written === written.toUpperCase() && /\p{Lu}{2}/u.test(written);
  if (shouting) return titleCase(written, match.place.name);
  return foldName(written) === foldName(match.place.name) ? match.place.name : written;
}

function countryField(text: string, countries: readonly NameMention[], gazetteer: Gazetteer): Field<PlaceRef> | undefined {
  if (countries.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const c of countries) counts.set(c.country?.code ?? '', (counts.get(c.country?.code ?? '') ?? 0) + 1);
  const chosen = [...countries].sort((a, b) => (counts.get(b.country?.code ?? '') ?? 0) - (counts.get(a.country?.code ?? '') ?? 0) || a.start - b.start)[0];
  if (chosen === undefined || chosen.country === null) return undefined;
  const evidence: Span[] = [{ start: chosen.start, end: chosen.end }];
  const before = text.slice(Math.max(0, chosen.start - 160), chosen.start);
  const chain = /\b(?:in|near|at|outside|into|of|attacked|raided|targeting)\s+(?:the\s+)?([\p{Lu}][^,.;()\n]{0,60}?)((?:,\s*[\p{Lu}][^,.;()\n]{0,60}?){0,3}),\s*$/u.exec(before);
  if (chain !== null && chain[1] !== undefined) {
    const rest = (chain[2] ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
    // "the vehicle of Mohammad Rafiq Alam detonated in Asheqan": the place is after the last locative.
    const first = chain[1].trim().replace(/^.*\s(?:in|near|at|outside)\s+(?:the\s+)?(?=\p{Lu})/u, '');
    const second = rest.length > 0 ? rest[rest.length - 1] : undefined;
    const middle = rest.slice(0, -1);
    const value = districtRef(gazetteer, first, middle, second ?? first, chosen.country.code) ?? regionRef(gazetteer, second === undefined ? null : first, second ?? first, chosen.country.code);
    const start = chosen.start - before.length + chain.index;
    evidence.unshift({ start, end: chosen.start });
    return { value, evidence, confidence: 0.4 };
  }
  const value: PlaceRef = { name: null, admin1: null, country: chosen.country.code, lat: null, lon: null, precision: 'country', radiusKm: PLACE_RADIUS_KM.country, placeId: null };
  return { value, evidence, confidence: 0.5 };
}

/** "Diyala Governorate", "Borno state" -> "Diyala", "Borno": one name for a region however it is written. */
function plainRegionName(name: string): string {
  const plain = name.trim().replace(/\s+(?:governorate|province|region|prefecture|department|state|oblast|division|district)$/i, '');
  return plain === '' ? name.trim() : plain;
}

/**
 * A place known only to its first-level region: precision admin1, at the region's central point
 * with its radius when the gazetteer knows the region, with no point otherwise. Never a city point.
 */
function regionRef(gazetteer: Gazetteer, cityName: string | null, regionName: string, country: string): PlaceRef {
  const region = gazetteer.findRegions(regionName, country)[0];
  return {
    name: cityName,
    admin1: plainRegionName(regionName),
    country,
    lat: region?.lat ?? null,
    lon: region?.lon ?? null,
    precision: 'admin1',
    radiusKm: region?.radiusKm ?? PLACE_RADIUS_KM.admin1,
    placeId: null,
  };
}

const DISTRICT_WORD = /\s+(?:district|District|tehsil|Tehsil|territory|Territory|sector|Sector|chieftaincy|Chieftaincy|area|Area|sub-district|subdistrict|county|County|municipality|Municipality|LGA|local government area)$/;

/**
 * "Matari, Kaga district, Borno, Nigeria" where the village is unknown but its district is a
 * known town: the district's town at precision admin2, with the radius of a district.
 */
function districtRef(gazetteer: Gazetteer, cityName: string, middle: readonly string[], regionName: string, country: string): PlaceRef | null {
  const regions = gazetteer.findRegions(regionName, country);
  for (const element of middle) {
    const name = element.replace(DISTRICT_WORD, '').trim();
    if (name.length < 3) continue;
    let found = gazetteer.findPlaces(name).filter((m) => m.place.country === country);
    if (found.length === 0) found = gazetteer.findPlacesLoose(name).filter((m) => m.place.country === country);
    const inRegion = found.filter((m) => regions.some((r) => gazetteer.regionOf(m.place)?.id === r.id));
    const pick = (regions.length > 0 ? inRegion : found)[0];
    if (pick === undefined) continue;
    return {
      name: cityName,
      admin1: plainRegionName(regionName),
      country,
      lat: pick.place.lat,
      lon: pick.place.lon,
      precision: 'admin2',
      radiusKm: PLACE_RADIUS_KM.admin2,
      placeId: null,
    };
  }
  return null;
}

/** "the Dand district of Kandahar province", "a village of the Zhari district of Kandahar". */
const DISTRICT_OF = /\b(\p{Lu}[\p{L}'\u2019-]+(?: \p{Lu}[\p{L}'\u2019-]+){0,2}) (district|District|village|town|area|sub-district|subdistrict|county|municipality|tehsil) of (?:the )?(\p{Lu}[\p{L}'\u2019-]+(?: \p{Lu}[\p{L}'\u2019-]+){0,2})( (?:province|Province|region|Region|state|State|governorate|Governorate))?/gu;

/**
 * "X district of Y province": X looked up inside region Y (or near town Y), X's town as the point
 * (precision city for a village or town, admin2 for a district); the region when X is unknown.
 */
function districtOfField(text: string, gazetteer: Gazetteer, named: ReadonlySet<string>, inEvent: (at: number) => boolean): Field<PlaceRef> | undefined {
  for (const m of text.matchAll(DISTRICT_OF)) {
    const [whole, inner, kind, outer] = m;
    if (inner === undefined || kind === undefined || outer === undefined || !inEvent(m.index)) continue;
    const regions = gazetteer.findRegions(outer).filter((r) => named.size === 0 || named.has(r.country));
    const towns = regions.length > 0 ? [] : gazetteer.findPlaces(outer).filter((p) => named.size === 0 || named.has(p.place.country));
    const countries = new Set([...regions.map((r) => r.country), ...towns.map((t) => t.place.country)]);
    if (countries.size === 0) continue;
    let found = gazetteer.findPlaces(inner);
    if (found.length === 0) found = gazetteer.findPlacesLoose(inner);
    const inside = found.filter((p) => {
      if (!countries.has(p.place.country)) return false;
      if (regions.length > 0) return regions.some((r) => gazetteer.regionOf(p.place)?.id === r.id);
      return towns.some((t) => distanceKm(t.place.lat, t.place.lon, p.place.lat, p.place.lon) <= 150);
    })[0];
    const evidence: Span[] = [{ start: m.index, end: m.index + whole.length }];
    const country = inside?.place.country ?? regions[0]?.country ?? towns[0]?.place.country;
    if (country === undefined) continue;
    const regionName = regions[0] !== undefined ? outer : (inside?.place.admin1 ?? towns[0]?.place.admin1 ?? null);
    if (inside !== undefined) {
      const district = /district|tehsil|county|municipality|area/i.test(kind);
      const value: PlaceRef = {
        name: district ? inner : displayName(inner, inside),
        admin1: regionName === null ? null : plainRegionName(regionName),
        country,
        lat: inside.place.lat,
        lon: inside.place.lon,
        precision: district ? 'admin2' : 'city',
        radiusKm: district ? PLACE_RADIUS_KM.admin2 : PLACE_RADIUS_KM.city,
        placeId: district ? null : inside.place.id,
      };
      return { value, evidence, confidence: 0.6 };
    }
    if (regions.length > 0) return { value: regionRef(gazetteer, inner, outer, country), evidence, confidence: 0.45 };
  }
  return undefined;
}

/** "in Diyala province" with no country named: the region, when only one country has it. */
const REGION_NAMED = /\b(\p{Lu}[\p{L}'\u2019-]+(?: \p{Lu}[\p{L}'\u2019-]+){0,2}) (?:province|Province|region|Region|governorate|Governorate|state|State|oblast|Oblast)\b/gu;

function regionOnlyField(text: string, gazetteer: Gazetteer, named: ReadonlySet<string>, inEvent: (at: number) => boolean): Field<PlaceRef> | undefined {
  for (const m of text.matchAll(REGION_NAMED)) {
    const name = m[1];
    if (name === undefined || !inEvent(m.index)) continue;
    const regions = gazetteer.findRegions(name).filter((r) => named.size === 0 || named.has(r.country));
    const countries = new Set(regions.map((r) => r.country));
    const country = regions[0]?.country;
    if (countries.size !== 1 || country === undefined) continue;
    return { value: regionRef(gazetteer, null, name, country), evidence: [{ start: m.index, end: m.index + m[0].length }], confidence: 0.4 };
  }
  return undefined;
}
