import { findActors } from '../actors/index.js';
import type { Attribution } from '../core/codebook.js';
import type { Field, Perpetrator } from '../core/model.js';
import { coded } from './values.js';

/**
 * Actor names as the datasets write them that the registry's name matcher would resolve to a
 * parent or not at all: ACLED's "Group (Region)" forms, UCDP's short names. Values are registry ids.
 */
export const DATASET_ACTOR_ALIASES: Readonly<Record<string, string>> = {
  'Islamic State (West Africa)': 'is-west-africa',
  'Islamic State (West Africa) - Lake Chad Faction': 'is-west-africa',
  'Islamic State (Greater Sahara)': 'is-sahel',
  'Islamic State (Sahel)': 'is-sahel',
  'Islamic State (Somalia)': 'is-somalia',
  'Islamic State (Mozambique)': 'is-mozambique',
  'Islamic State (Central Africa)': 'is-central-africa',
  'Islamic State (Sinai)': 'is-sinai',
  'Islamic State (Afghanistan)': 'is-khorasan',
  'Islamic State (Khorasan)': 'is-khorasan',
  'Islamic State (Pakistan)': 'is-pakistan',
  'IS - Khorasan': 'is-khorasan',
  'JNIM: Group for Support of Islam and Muslims': 'jnim',
  'Al Shabaab': 'al-shabaab',
  'AQAP: Al Qaeda in the Arabian Peninsula': 'aqap',
  'AQIM: Al Qaeda in the Islamic Maghreb': 'aqim',
  'HTS: Hayat Tahrir al Sham': 'hts',
  'Military Forces of Yemen (2016-) Supreme Political Council': 'houthis',
};

/** Names that mean "nobody known": no perpetrator is recorded for them. */
const UNKNOWN = new Set(['unknown', 'unidentified', 'none', '']);

const cache = new Map<string, string | null>();

/**
 * The registry id of an actor as a dataset names it, or null: the alias table first, then the
 * registry's name matcher over the whole name (the longest match wins).
 */
export function datasetActorId(name: string): string | null {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  let id: string | null = DATASET_ACTOR_ALIASES[name] ?? null;
  if (id === null) {
    const matches = findActors(name);
    let best = matches[0];
    for (const m of matches) if (best !== undefined && m.end - m.start > best.end - best.start) best = m;
    id = best?.actorId ?? null;
  }
  cache.set(name, id);
  return id;
}

/** A perpetrator field for a dataset's actor name, or null for "Unknown". */
export function perpetratorField(name: string | null, attribution: Attribution, attributedBy: string): Field<Perpetrator> | null {
  if (name === null || UNKNOWN.has(name.trim().toLowerCase())) return null;
  return coded({ name, actorId: datasetActorId(name), attribution, attributedBy });
}
