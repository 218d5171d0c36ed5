import type { VigilError } from '../core/errors.js';
import type { ExtractionBundle, Store } from './store.js';

/** What a bulk import did with one bundle. */
export type ImportOutcome =
  /** A new document, mention and incident were written. */
  | 'stored'
  /** The document (same id, so same content) was already stored: nothing was written. */
  | 'present'
  /**
   * Another document with the same external id (dataset + row id) was stored before: the row
   * changed. The new document and mention were written, the mention linked to the incident of the
   * earlier one, that incident's fields replaced by the new row's, and a revision recorded.
   */
  | 'updated';

/** What `importBundles` did with each bundle of a batch, in the order given. */
export interface ImportBatchResult {
  /** The outcome of each bundle; null for a refused one. */
  outcomes: (ImportOutcome | null)[];
  /** Why a bundle was refused (nothing of it is written, the rest of the batch goes on); null for the others. */
  errors: (VigilError | null)[];
}

/**
 * The write path of dataset imports. Each bundle is one dataset row: one document with an external
 * id, one mention, the incident it founds, its link and its `import` revision (what
 * `datasetBundle` builds). A batch is one transaction; each bundle is all-or-nothing.
 *
 * A bundle whose external id is already held by another document updates the incident of that
 * document instead of founding a second one: the incident gets the new row's fields, the new
 * mention is appended to its mentions, its revision number goes up by one, and a revision with the
 * bundle's action, author and reason (prefixed with `changed row:`) records the fields before and
 * after. This is a minimal update primitive of the import; merges, splits and edits go through the
 * store's revision API.
 */
export interface DatasetImporter {
  importBundles(bundles: readonly ExtractionBundle[]): Promise<ImportBatchResult>;
  /** Which of these document ids are stored (so that a re-import need not build their bundles). */
  storedDocumentIds(ids: readonly string[]): Promise<Set<string>>;
}

/** The store's bulk import path, when it has one. */
export function datasetImporter(store: Store): DatasetImporter | null {
  const candidate = store as Store & Partial<DatasetImporter>;
  return typeof candidate.importBundles === 'function' && typeof candidate.storedDocumentIds === 'function' ? (candidate as DatasetImporter) : null;
}

/** The incident a changed row updates, as stored. */
export interface EarlierIncident {
  id: string;
  status: string;
  revision: number;
  fields: Record<string, unknown>;
  mergedInto: string | null;
  pins: IncidentPins | null;
}

/** The analyst's pins of an incident (its `pins` column). */
export interface IncidentPins {
  pinnedFields?: string[];
  apartFrom?: string[];
}

/**
 * How a changed dataset row updates the incident of its earlier release: the new row's fields,
 * except the fields an analyst pinned, which keep their values; the new mention appended. The
 * revision's `before` and `after` hold the incident's whole state, as the revisions of analyst
 * operations do (src/resolve/incident-state.ts), and `changed` names what differs.
 */
export function rowUpdate(
  earlier: EarlierIncident,
  rowFields: Record<string, unknown>,
  mentionIds: readonly string[],
  relatedIncidentIds: readonly string[],
  newMentionId: string,
): { fields: Record<string, unknown>; before: string; after: (revision: number, operationId: string, action: string) => string } {
  const oldFields = earlier.fields;
  const pins = earlier.pins ?? {};
  const pinnedFields = [...(pins.pinnedFields ?? [])].sort();
  const fields: Record<string, unknown> = { ...rowFields };
  for (const name of pinnedFields) if (Object.hasOwn(oldFields, name)) fields[name] = oldFields[name];
  const changed = [...new Set([...Object.keys(oldFields), ...Object.keys(fields)])]
    .filter((name) => canonical(oldFields[name]) !== canonical(fields[name]))
    .map((name) => `fields.${name}`);
  changed.push('mentionIds');
  const state = (f: unknown, ids: readonly string[]) => ({
    status: earlier.status,
    fields: f,
    mentionIds: ids,
    relatedIncidentIds: relatedIncidentIds,
    mergedInto: earlier.mergedInto,
    pinnedFields,
    apartFrom: [...(pins.apartFrom ?? [])].sort(),
  });
  return {
    fields,
    before: JSON.stringify({ state: state(oldFields, mentionIds) }),
    after: (revision, operationId, action) =>
      JSON.stringify({
        state: state(fields, [...mentionIds, newMentionId]),
        changed,
        operation: { id: operationId, action, incidents: [{ incidentId: earlier.id, revision }] },
      }),
  };
}

/** JSON with object keys sorted, so that values read back from jsonb (which reorders keys) compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
