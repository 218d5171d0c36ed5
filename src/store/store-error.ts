import { VigilError } from '../core/errors.js';

/**
 * The human-readable reason of an error thrown by a database driver. Node reports a refused
 * connection to a host with several addresses as an AggregateError with an empty message, and
 * PostgreSQL puts the offending key in `detail`; both are folded into one line here.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    const inner = error.errors.map((e: unknown) => reasonOf(e)).filter((r) => r !== '');
    if (inner.length > 0) return [...new Set(inner)].join('; ');
  }
  if (error instanceof Error) {
    const { code, detail } = error as Error & { code?: unknown; detail?: unknown };
    const message = error.message !== '' ? error.message : typeof code === 'string' ? code : error.name;
    return typeof detail === 'string' && detail !== '' ? `${message} (${detail})` : message;
  }
  return String(error);
}

/** Wraps a driver error in a VigilError('store') that says what was being done; VigilErrors pass through. */
export function storeError(doing: string, error: unknown): VigilError {
  if (error instanceof VigilError) return error;
  return new VigilError('store', `${doing}: ${reasonOf(error)}`, { cause: error });
}

/**
 * An error raised while writing one record of a bundle, labelled with that record
 * (`mention m_…`) so that the final message says which one was refused.
 */
export class RecordWriteError extends Error {
  readonly record: string;

  constructor(record: string, cause: unknown) {
    super(`${record}: ${reasonOf(cause)}`, { cause });
    this.name = 'RecordWriteError';
    this.record = record;
  }
}

/** The VigilError of a bundle that could not be saved; the transaction has been rolled back. */
export function saveError(documentId: string, error: unknown): VigilError {
  const prefix = `cannot save document ${documentId}, nothing of it was stored`;
  if (error instanceof VigilError) {
    return new VigilError(error.code, `${prefix}: ${error.message}`, { cause: error, location: error.location });
  }
  const cause = error instanceof RecordWriteError ? error.cause : error;
  const reason = error instanceof RecordWriteError ? error.message : reasonOf(error);
  return new VigilError('store', `${prefix}: ${reason}`, { cause });
}

/** How a failed batch save is described: `cannot save document <id>, nothing of it was stored`, or the count. */
export function batchWhat(bundles: readonly { document: { id: string } }[]): string {
  const [first] = bundles;
  if (bundles.length === 1 && first !== undefined) return `cannot save document ${first.document.id}, nothing of it was stored`;
  return `cannot save ${bundles.length} documents, nothing of them was stored`;
}

/**
 * Turns every bundle of a batch into its rows: a bundle that cannot be turned (bad input) gets
 * its error and null, and the others go on. `errors` is indexed like `bundles`.
 */
export function prepareBatch<B extends { document: { id: string } }, T>(bundles: readonly B[], prepare: (bundle: B) => T): { prepared: (T | null)[]; errors: (VigilError | null)[] } {
  const errors = new Array<VigilError | null>(bundles.length).fill(null);
  const prepared = bundles.map((bundle, n): T | null => {
    try {
      return prepare(bundle);
    } catch (error) {
      errors[n] = saveError(bundle.document.id, error);
      return null;
    }
  });
  return { prepared, errors };
}
