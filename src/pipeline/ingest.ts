import { documentId, normaliseText, sourceId } from '../core/ids.js';
import type { Document, Incident, Link, Mention, MentionFields, Revision, Source, Span } from '../core/model.js';
import { VigilError } from '../core/errors.js';
import { foundIncident } from '../resolve/found-incident.js';
import type { ReadResult, Rejection, ReportInput } from '../sources/report.js';
import type { Store } from '../store/store.js';
import { linkSavedBundles, type LinkingOptions } from './link-incidents.js';

/** What extraction found about one incident in one report. */
export interface ExtractedIncident {
  span: Span;
  fields: MentionFields;
  confidence: number;
}

/** Any extractor: a name@version and a pure function from a report to incidents. */
export interface Extractor {
  readonly name: string;
  extract(input: { text: string; published?: string | null; title?: string | null; language?: string | null; kind?: Document['kind'] }): ExtractedIncident[];
}

/** The outcome of ingesting a batch of reports. */
export interface IngestSummary {
  /** Reports read (accepted or rejected). */
  read: number;
  /** New documents stored. */
  stored: number;
  /** Reports whose document was already stored: nothing was written for them. */
  duplicates: number;
  mentions: number;
  /** New incidents that stand on their own (reports of an attack already stored are linked to it instead). */
  incidents: number;
  /** New incidents folded into an incident already stored, or into one of the same batch, by linking. */
  linked: number;
  rejected: Rejection[];
}

export interface IngestOptions {
  extractor: Extractor;
  /** The source the reports come from. */
  source: { kind: Source['kind']; locator: string; name: string };
  /** The clock, for fetched_at and created_at. */
  now?: () => Date;
  /** Called after every report. */
  onProgress?: (summary: Readonly<IngestSummary>) => void;
  /** Linking of each new report's incidents with the stored ones (on by default); false stores one incident per mention. */
  linking?: LinkingOptions | false;
}

/** Everything one report becomes: its document, the mentions extracted from it, and one incident per mention. */
export function buildExtraction(
  report: ReportInput,
  source: Source,
  extractor: Extractor,
  at: string,
): { document: Document; mentions: Mention[]; incidents: Incident[]; links: Link[]; revisions: Revision[] } {
  const text = normaliseText(report.text);
  if (text === '') throw new VigilError('bad_input', 'the report has no text', { location: { field: 'text' } });
  const document: Document = {
    id: documentId(text),
    sourceId: source.id,
    externalId: report.id ?? null,
    url: report.url ?? null,
    title: report.title ?? null,
    text,
    language: report.language ?? null,
    publishedAt: report.published ?? null,
    fetchedAt: at,
    kind: report.kind ?? 'article',
    raw: report.origin ?? null,
  };
  const extracted = extractor.extract({
    text,
    published: document.publishedAt,
    title: document.title,
    language: document.language,
    kind: document.kind,
  });
  const mentions: Mention[] = [];
  const incidents: Incident[] = [];
  const links: Link[] = [];
  const revisions: Revision[] = [];
  for (const found of extracted) {
    const founded = foundIncident({
      documentId: document.id,
      extractor: extractor.name,
      span: found.span,
      fields: found.fields,
      confidence: found.confidence,
      at,
      by: 'system:ingest',
      action: 'create',
      linkReason: 'first report of this incident',
      revisionReason: `extracted by ${extractor.name} from document ${document.id.slice(0, 12)}`,
    });
    mentions.push(founded.mention);
    incidents.push(founded.incident);
    links.push(founded.link);
    revisions.push(founded.revision);
  }
  return { document, mentions, incidents, links, revisions };
}

/**
 * Ingests reports into the store: each becomes a document, its mentions and their incidents,
 * written atomically per report; then each new incident is linked with the stored ones (a report
 * of an attack already known joins its incident, see `linkSavedBundles`). Rejected inputs are
 * collected, never thrown; the batch goes on.
 */
export async function ingestReports(
  store: Store,
  inputs: AsyncIterable<ReadResult> | Iterable<ReadResult>,
  options: IngestOptions,
): Promise<IngestSummary> {
  const now = options.now ?? (() => new Date());
  const source: Source = {
    id: sourceId(options.source.kind, options.source.locator),
    kind: options.source.kind,
    locator: options.source.locator,
    name: options.source.name,
    createdAt: now().toISOString(),
  };
  const summary: IngestSummary = { read: 0, stored: 0, duplicates: 0, mentions: 0, incidents: 0, linked: 0, rejected: [] };
  const linking = options.linking === false ? null : { now, ...options.linking };
  for await (const input of inputs) {
    summary.read += 1;
    if (!input.ok) {
      summary.rejected.push(input.rejection);
    } else {
      const report = input.report;
      try {
        const existing = await store.getDocument(documentId(report.text));
        if (existing !== null) {
          summary.duplicates += 1;
        } else {
          const bundle = { source, ...buildExtraction(report, source, options.extractor, now().toISOString()) };
          const { stored } = await store.saveExtraction(bundle);
          if (stored) {
            const linked = linking === null ? 0 : (await linkSavedBundles(store, [bundle], { stored: [true] }, linking)).linked;
            summary.stored += 1;
            summary.mentions += bundle.mentions.length;
            summary.incidents += bundle.incidents.length - linked;
            summary.linked += linked;
          } else {
            summary.duplicates += 1;
          }
        }
      } catch (error) {
        if (!(error instanceof VigilError) || error.code !== 'bad_input') throw error;
        const [file, line] = splitOrigin(report.origin);
        summary.rejected.push({ location: { file, line, field: error.location?.field }, reason: error.message });
      }
    }
    options.onProgress?.(summary);
  }
  return summary;
}

function splitOrigin(origin: string | null | undefined): [string | undefined, number | undefined] {
  if (origin === null || origin === undefined) return [undefined, undefined];
  const match = /^(.*):(\d+)$/.exec(origin);
  return match === null ? [origin, undefined] : [match[1], Number(match[2])];
}

/** Wraps plain reports (already validated) as read results. */
export async function* asReadResults(
  reports: AsyncIterable<ReportInput> | Iterable<ReportInput>,
): AsyncGenerator<ReadResult> {
  for await (const report of reports) yield { ok: true, report };
}
