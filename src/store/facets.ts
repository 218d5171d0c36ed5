import { VigilError } from '../core/errors.js';
import type { Store } from './store.js';

/**
 * A part of a store kept in its own object (`accounts`, `watched`, `alerts`): the part, or a
 * VigilError('config') naming what this store lacks.
 */
export function facetOf<K extends string, T>(store: Store, key: K, what: string): T {
  const facet = (store as Store & Partial<Record<K, T>>)[key];
  if (facet === undefined) throw new VigilError('config', `the ${store.dialect} store has no ${what}`);
  return facet as T;
}
