import type { Context } from 'hono';
import type { z } from 'zod';
import { VigilError } from '../../core/errors.js';

/**
 * The JSON body of a request, checked by `schema`. A body that is not `application/json` (which a
 * form on another site cannot send without the browser asking first) or not JSON is a 422.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new VigilError('bad_input', 'send the body as JSON with Content-Type: application/json', { location: { field: 'content-type' } });
  }
  let value: unknown;
  try {
    value = await c.req.json();
  } catch (error) {
    throw new VigilError('bad_input', 'the body is not valid JSON', { cause: error, location: { field: 'body' } });
  }
  return schema.parse(value) as z.infer<S>;
}
