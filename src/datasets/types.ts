import type { InputLocation } from '../core/errors.js';
import type { MentionFields } from '../core/model.js';

/** The datasets Vigil imports. */
export const DATASET_KINDS = ['gtd', 'acled', 'ucdp'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

/** One dataset row read and mapped to Vigil's model, with where it came from. */
export interface DatasetRecord {
  readonly dataset: DatasetKind;
  /** The file name (release) the row was read from, without its folder. */
  readonly file: string;
  /** The physical line the row starts on (1-based; the header is line 1). */
  readonly line: number;
  /** The dataset's own id of the row: GTD eventid, ACLED event_id_cnty, UCDP id. */
  readonly rowId: string;
  /** `<dataset>:<rowId>`, the document's external id. */
  readonly externalId: string;
  /** The file's header: the column names in file order (shared by every row of the file). */
  readonly header: readonly string[];
  /** The whole row as read, one value per column of the header, exactly as decoded. */
  readonly values: readonly string[];
  /** The row's free text (GTD summary, ACLED notes), or null when it has none. */
  readonly narrative: string | null;
  /** When the row was published, if the dataset says (ACLED timestamp), ISO 8601. */
  readonly publishedAt: string | null;
  /** The coded columns as mention fields: no evidence spans, confidence 1. */
  readonly fields: MentionFields;
}

/** A row that could not be read or mapped: where, why, and its original bytes. */
export interface DatasetRejection {
  readonly location: InputLocation;
  readonly reason: string;
}

/** What reading a dataset file yields, in file order. */
export type DatasetItem =
  | { readonly type: 'header'; readonly columns: readonly string[]; readonly bytes: Buffer }
  | { readonly type: 'row'; readonly record: DatasetRecord; readonly bytes: Buffer }
  | { readonly type: 'rejected'; readonly rejection: DatasetRejection; readonly bytes: Buffer };

/** A problem with one field of a row: the row is rejected with this field and reason. */
export class RowError extends Error {
  readonly field: string;

  constructor(field: string, reason: string) {
    super(reason);
    this.name = 'RowError';
    this.field = field;
  }
}
