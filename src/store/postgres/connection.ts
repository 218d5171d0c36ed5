import { VigilError } from '../../core/errors.js';
import { reasonOf } from '../store-error.js';

/** A PostgreSQL URL fit for messages and logs: the password (in the user part or the query) removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1@');
  }
}

/** Checks a schema name: lower-case letters, digits and underscores, as PostgreSQL folds unquoted names. */
export function checkedSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new VigilError(
      'config',
      `PostgreSQL schema "${schema}" is not a plain name: use lower-case letters, digits and underscores (at most 63), starting with a letter or underscore`,
    );
  }
  return schema;
}

/**
 * The VigilError('store') of a connection that could not be made, with what to do next: start the
 * server, fix the credentials, or create the database.
 */
export function connectionError(url: string, error: unknown): VigilError {
  const code = (error as { code?: unknown } | null)?.code;
  let hint = 'Is it running? Start it, or check the host and port in VIGIL_DB (or --db).';
  if (code === '28P01' || code === '28000') hint = 'Check the user name and password in the URL.';
  if (code === '3D000') hint = 'Create the database (createdb <name>) or correct its name in the URL.';
  return new VigilError('store', `cannot reach PostgreSQL at ${redactUrl(url)}: ${reasonOf(error)}. ${hint}`, { cause: error });
}
