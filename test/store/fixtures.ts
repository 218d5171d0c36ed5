import { documentId, incidentIdFor, mentionId, normaliseText, sourceId } from '../../src/core/ids.js';
import type {
  DateRange,
  Document,
  Incident,
  IncidentFields,
  IncidentStatus,
  Link,
  Mention,
  MentionFields,
  Perpetrator,
  PlaceRef,
  Range,
  Revision,
  Source,
} from '../../src/core/model.js';
import { emptyIncidentFields } from '../../src/core/model.js';
import type { ExtractionBundle, IncidentFilter, Store } from '../../src/store/store.js';

/** The moment every fixture record is made at. */
export const AT = '2025-03-01T12:00:00.000Z';

/** A source; `locator` tells sources apart. */
export function makeSource(locator = 'fixtures/reports.jsonl', kind: Source['kind'] = 'file'): Source {
  return { id: sourceId(kind, locator), kind, locator, name: `Fixture reports (${locator})`, createdAt: AT };
}

/** A document of `source` with the given text (normalised, as ingestion stores it). */
export function makeDocument(source: Source, text: string, overrides: Partial<Omit<Document, 'id' | 'text'>> = {}): Document {
  const normalised = normaliseText(text);
  return {
    id: documentId(normalised),
    sourceId: source.id,
    externalId: null,
    url: null,
    title: null,
    text: normalised,
    language: 'en',
    publishedAt: null,
    fetchedAt: AT,
    kind: 'article',
    raw: null,
    ...overrides,
  };
}

/** Mention fields with nothing found. */
export function noMentionFields(): MentionFields {
  return { perpetrators: [], attackTypes: [], targetTypes: [], weaponTypes: [], victims: [], targets: [], weapons: [], perpetratorMentions: [] };
}

/** A mention of `document` covering `span`, read by `extractor`. */
export function makeMention(
  document: Document,
  span: { start: number; end: number },
  fields: MentionFields = noMentionFields(),
  extractor = 'fixture@1',
): Mention {
  return {
    id: mentionId(document.id, extractor, span),
    documentId: document.id,
    extractor,
    span,
    fields,
    confidence: 0.75,
    createdAt: AT,
  };
}

/** What a test says about the one incident of a fixture bundle; everything left out is empty. */
export interface IncidentSpec {
  /** Makes the report, and so every id, unique. */
  key: string;
  /** A day, or a range of days; null or left out for an undated incident. */
  date?: string | [string, string] | null;
  country?: string | null;
  admin1?: string | null;
  point?: { lat: number; lon: number } | null;
  perpetrators?: Perpetrator[];
  status?: IncidentStatus;
  killed?: Range | null;
  wounded?: Range | null;
  title?: string | null;
  related?: string[];
  source?: Source;
  /** How many mentions the report yields, all linked to the incident (default 1). */
  mentions?: number;
}

/** A resolved perpetrator. */
export function actor(actorId: string, attribution: Perpetrator['attribution'] = 'claimed'): Perpetrator {
  return { name: actorId.replace(/-/g, ' '), actorId, attribution, attributedBy: attribution === 'claimed' ? 'the group' : 'officials' };
}

function dateOf(date: IncidentSpec['date']): DateRange | null {
  if (date === undefined || date === null) return null;
  const [start, end] = typeof date === 'string' ? [date, date] : date;
  return { start, end, precision: start === end ? 'day' : 'week' };
}

function placeOf(spec: IncidentSpec): PlaceRef | null {
  const { country = null, admin1 = null, point = null } = spec;
  if (country === null && admin1 === null && point === null) return null;
  return {
    name: null,
    admin1,
    country,
    lat: point?.lat ?? null,
    lon: point?.lon ?? null,
    precision: point === null ? (admin1 === null ? 'country' : 'admin1') : 'city',
  };
}

/**
 * A complete, valid bundle: one report of `spec.key`, its mentions, one incident built from them,
 * a link per mention and two revisions (create, then an edit).
 */
export function bundleFor(spec: IncidentSpec): ExtractionBundle {
  const source = spec.source ?? makeSource();
  const mentionCount = spec.mentions ?? 1;
  const sentences = Array.from({ length: mentionCount }, (_, n) => `Report ${spec.key}, part ${n + 1}: an attack was reported.`);
  const document = makeDocument(source, sentences.join(' '), { title: `Report ${spec.key}` });
  let offset = 0;
  const mentions = sentences.map((sentence) => {
    const span = { start: offset, end: offset + sentence.length };
    offset += sentence.length + 1;
    return makeMention(document, span);
  });
  const first = mentions[0];
  const incidentId = incidentIdFor(first === undefined ? `${document.id}:none` : first.id);
  const fields: IncidentFields = {
    ...emptyIncidentFields(),
    title: spec.title === undefined ? `Attack ${spec.key}` : spec.title,
    date: dateOf(spec.date),
    location: placeOf(spec),
    perpetrators: spec.perpetrators ?? [],
    killed: spec.killed ?? null,
    wounded: spec.wounded ?? null,
  };
  const incident: Incident = {
    id: incidentId,
    status: spec.status ?? 'machine',
    fields,
    mentionIds: mentions.map((m) => m.id),
    relatedIncidentIds: spec.related ?? [],
    revision: 2,
    createdAt: AT,
    updatedAt: '2025-03-02T08:30:00.000Z',
  };
  const links: Link[] = mentions.map((m, n) => ({
    mentionId: m.id,
    incidentId,
    score: n === 0 ? 1 : 0.5 + n / 100,
    explanation: { agreed: ['date', 'place'], disagreed: [] },
    decidedBy: 'system:resolve',
  }));
  const revisions: Revision[] = [
    { incidentId, revision: 1, at: AT, by: 'system:ingest', action: 'create', before: null, after: { fields: emptyIncidentFields() }, reason: null },
    { incidentId, revision: 2, at: incident.updatedAt, by: 'analyst', action: 'edit', before: { title: null }, after: { title: fields.title }, reason: 'named it' },
  ];
  return { source, document, mentions, incidents: [incident], links, revisions };
}

/** The one incident of a bundle made by `bundleFor`. */
export function incidentOf(bundle: ExtractionBundle): Incident {
  const [incident] = bundle.incidents;
  if (incident === undefined) throw new Error('the bundle has no incident');
  return incident;
}

/**
 * A bundle that uses every part of the model: an Arabic report with two mentions carrying every
 * kind of field, two incidents (one undated and unplaced), nulls and optional keys left out,
 * fractional numbers, and revisions and links with nested JSON.
 */
export function richBundle(): ExtractionBundle {
  const source = makeSource('https://example.org/feed.xml', 'feed');
  const text =
    'Amaq: fighters of the Islamic State detonated an explosive device on a police patrol in Jalalabad on 3 March, killing 7 and wounding 12. ' +
    'وقالت الشرطة إن الهجوم أسفر عن مقتل سبعة أشخاص.';
  const document = makeDocument(source, text, {
    externalId: 'amaq-2025-03-03-1',
    url: 'https://example.org/amaq/1',
    title: 'Claim: Jalalabad patrol',
    language: 'ar',
    publishedAt: '2025-03-03T18:45:00+04:30',
    kind: 'claim',
    raw: 'data/amaq.jsonl:17',
  });
  const claim: MentionFields = {
    date: { value: { start: '2025-03-03', end: '2025-03-03', precision: 'day' }, evidence: [{ start: 108, end: 118 }], confidence: 0.9 },
    location: {
      value: { name: 'Jalalabad', admin1: 'Nangarhar', country: 'AF', lat: 34.4265, lon: 70.4515, precision: 'city', radiusKm: 2.5, placeId: '1138957' },
      evidence: [{ start: 95, end: 104 }],
      confidence: 0.8,
    },
    perpetrators: [
      { value: { name: 'Islamic State', actorId: 'is-khorasan', attribution: 'claimed', attributedBy: 'Amaq' }, evidence: [{ start: 18, end: 31 }], confidence: 0.95 },
    ],
    attackTypes: [{ value: 'bombing', evidence: [{ start: 43, end: 60 }], confidence: 0.7 }],
    targetTypes: [{ value: 'police', evidence: [{ start: 68, end: 81 }], confidence: 0.65 }],
    weaponTypes: [{ value: 'explosives', evidence: [{ start: 46, end: 63 }], confidence: 0.6 }],
    suicide: { value: false, evidence: [], confidence: 0.3 },
    killed: { value: { low: 7, best: 7, high: null, kind: 'claimed' }, evidence: [{ start: 121, end: 130 }], confidence: 0.85 },
    wounded: { value: { low: null, best: 12, high: 12, kind: 'claimed' }, evidence: [{ start: 135, end: 146 }], confidence: 0.85 },
    victims: [{ value: { text: 'police patrol', type: 'police' }, evidence: [{ start: 68, end: 81 }], confidence: 0.6 }],
    targets: [{ value: { text: 'patrol' }, evidence: [{ start: 75, end: 81 }], confidence: 0.5 }],
    weapons: [{ value: { text: 'explosive device', type: null }, evidence: [{ start: 46, end: 63 }], confidence: 0.55 }],
    perpetratorMentions: [{ value: { text: 'fighters of the Islamic State' }, evidence: [{ start: 6, end: 35 }], confidence: 0.9 }],
  };
  const police: MentionFields = {
    ...noMentionFields(),
    killed: { value: { low: 7, best: 7, high: 7, kind: 'reported' }, evidence: [{ start: 170, end: 179 }], confidence: 0.4 },
  };
  const claimMention = makeMention(document, { start: 0, end: 147 }, claim, 'rules@0.3.1');
  const policeMention = { ...makeMention(document, { start: 148, end: 195 }, police, 'rules@0.3.1'), confidence: 0.333 };
  const main: Incident = {
    id: incidentIdFor(claimMention.id),
    status: 'reviewed',
    fields: {
      title: 'Bombing of a police patrol in Jalalabad',
      date: { start: '2025-03-03', end: '2025-03-03', precision: 'day' },
      location: { name: 'Jalalabad', admin1: 'Nangarhar', country: 'AF', lat: 34.4265, lon: 70.4515, precision: 'city', radiusKm: 2.5 },
      perpetrators: [
        { name: 'Islamic State', actorId: 'is-khorasan', attribution: 'claimed', attributedBy: 'Amaq' },
        { name: 'ISKP', actorId: 'is-khorasan', attribution: 'attributed', attributedBy: 'Nangarhar police' },
        { name: 'unknown gunmen', attribution: 'suspected' },
      ],
      attackTypes: ['bombing'],
      targetTypes: ['police'],
      weaponTypes: ['explosives'],
      suicide: false,
      killed: { low: 7, best: 7, high: 7 },
      wounded: { low: null, best: 12, high: 12 },
      perpetratorsKilled: null,
      claimedKilled: { low: 7, best: 7, high: null },
      claimedWounded: null,
    },
    mentionIds: [claimMention.id, policeMention.id],
    relatedIncidentIds: ['i_00000000000000000001', 'i_00000000000000000000'],
    revision: 3,
    createdAt: AT,
    updatedAt: '2025-03-04T09:15:30.123Z',
  };
  const undated: Incident = {
    id: incidentIdFor(policeMention.id),
    status: 'rejected',
    fields: emptyIncidentFields(),
    mentionIds: [],
    relatedIncidentIds: [],
    revision: 1,
    createdAt: AT,
    updatedAt: AT,
  };
  const links: Link[] = [
    { mentionId: claimMention.id, incidentId: main.id, score: 1, explanation: { founding: true }, decidedBy: 'system:ingest' },
    {
      mentionId: policeMention.id,
      incidentId: main.id,
      score: 0.8125,
      explanation: { agreed: ['date', 'killed'], disagreed: [], distanceKm: 0, weights: { date: 0.4, place: 0.35 } },
      decidedBy: 'analyst:amira',
    },
  ];
  const revisions: Revision[] = [
    { incidentId: main.id, revision: 3, at: '2025-03-04T09:15:30.123Z', by: 'analyst:amira', action: 'edit', before: { status: 'machine' }, after: { status: 'reviewed' }, reason: 'checked against the police statement' },
    { incidentId: main.id, revision: 1, at: AT, by: 'system:ingest', action: 'create', before: null, after: { fields: { title: null } }, reason: null },
    { incidentId: main.id, revision: 2, at: '2025-03-03T20:00:00.000Z', by: 'system:resolve', action: 'link', before: { mentionIds: [claimMention.id] }, after: { mentionIds: [claimMention.id, policeMention.id], note: 'ملاحظة' }, reason: 'same day, same place' },
    { incidentId: undated.id, revision: 1, at: AT, by: 'analyst:amira', action: 'reject', before: null, after: { status: 'rejected' }, reason: 'not an attack' },
  ];
  return { source, document, mentions: [claimMention, policeMention], incidents: [main, undated], links, revisions };
}

/** Saves bundles one after the other. */
export async function saveAll(store: Store, bundles: readonly ExtractionBundle[]): Promise<void> {
  for (const bundle of bundles) await store.saveExtraction(bundle);
}

/**
 * Every incident a filter matches, read page by page with pages of `pageSize`; from the start, or
 * from `filter.cursor` when it is given.
 */
export async function listAll(store: Store, filter: Omit<IncidentFilter, 'limit'>, pageSize = 1000): Promise<Incident[]> {
  const all: Incident[] = [];
  let cursor = filter.cursor;
  for (;;) {
    const page = await store.listIncidents({ ...filter, limit: pageSize, cursor });
    all.push(...page.items);
    if (page.nextCursor === null) return all;
    cursor = page.nextCursor;
  }
}

/** The ids of incidents, in their order. */
export function idsOf(incidents: readonly Incident[]): string[] {
  return incidents.map((i) => i.id);
}

/** Incidents in the order `listIncidents` returns them: newest date start first, undated last, then by id. */
export function newestFirst(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((a, b) => {
    const dayA = a.fields.date?.start ?? null;
    const dayB = b.fields.date?.start ?? null;
    if (dayA !== dayB) {
      if (dayA === null) return 1;
      if (dayB === null) return -1;
      return dayA < dayB ? 1 : -1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
