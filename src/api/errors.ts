import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { VigilError, type ErrorCode } from '../core/errors.js';

/** The one place where error codes become HTTP statuses. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  bad_input: 422,
  not_found: 404,
  conflict: 409,
  unauthorised: 401,
  forbidden: 403,
  csrf: 403,
  rate_limited: 429,
  unsupported: 400,
  config: 500,
  store: 503,
  internal: 500,
};

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

/** Turns any thrown value into an error response; unknown errors are logged and hidden. */
export function errorResponse(error: unknown, c: Context, log: (message: string) => void): Response {
  if (error instanceof VigilError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.location?.field !== undefined) body.error.field = error.location.field;
    if (error.code === 'store' || error.code === 'internal') log(`${error.code}: ${error.message}`);
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds; // a saturated store (StoreBusyError)
    if (typeof retryAfter === 'number') c.header('retry-after', String(retryAfter));
    return c.json(body, STATUS_OF[error.code]);
  }
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const body: ErrorBody = {
      error: { code: 'bad_input', message: `${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid request'}` },
    };
    if (field !== '') body.error.field = field;
    return c.json(body, 422);
  }
  log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return c.json({ error: { code: 'internal', message: 'internal error; see the server log' } } satisfies ErrorBody, 500);
}
