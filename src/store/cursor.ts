import { VigilError } from '../core/errors.js';

/** The sort key of the last incident of a page: where the next page starts. */
export interface IncidentCursor {
  /** The incident's date start (YYYY-MM-DD), or null for an undated incident (those sort last). */
  dateStart: string | null;
  id: string;
}

/** The opaque form of a cursor handed to clients: base64url of its JSON. */
export function encodeCursor(cursor: IncidentCursor): string {
  return Buffer.from(JSON.stringify([cursor.dateStart, cursor.id]), 'utf8').toString('base64url');
}

/** Reads a cursor made by `encodeCursor`; anything else is a VigilError('bad_input'). */
export function decodeCursor(text: string): IncidentCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (error) {
    throw new VigilError('bad_input', 'the cursor is not one this server made: pass back the nextCursor of the previous page', {
      cause: error,
      location: { field: 'cursor' },
    });
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    (value[0] === null || (typeof value[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value[0]))) &&
    typeof value[1] === 'string'
  ) {
    return { dateStart: value[0] as string | null, id: value[1] };
  }
  throw new VigilError('bad_input', 'the cursor is not one this server made: pass back the nextCursor of the previous page', {
    location: { field: 'cursor' },
  });
}
