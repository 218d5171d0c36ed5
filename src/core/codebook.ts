import { z } from 'zod';

/**
 * The codebook of the extraction contract (../shared/eval/CONTRACT.md). The categories follow the
 * Global Terrorism Database codebook one for one, in GTD's own order, so that GTD data imports
 * without loss and results compare with it directly.
 */
export const ATTACK_TYPES = [
  'assassination',
  'armed_assault',
  'bombing',
  'hijacking',
  'hostage_barricade',
  'kidnapping',
  'facility_attack',
  'unarmed_assault',
  'unknown',
] as const;

export const TARGET_TYPES = [
  'business',
  'government',
  'police',
  'military',
  'abortion_related',
  'airports_aircraft',
  'diplomatic',
  'educational',
  'food_water',
  'journalists_media',
  'maritime',
  'ngo',
  'other',
  'private_citizens',
  'religious',
  'telecommunication',
  'terrorists_militia',
  'tourists',
  'transportation',
  'unknown',
  'utilities',
  'violent_political_party',
] as const;

export const WEAPON_TYPES = [
  'biological',
  'chemical',
  'radiological',
  'nuclear',
  'firearms',
  'explosives',
  'fake_weapons',
  'incendiary',
  'melee',
  'vehicle',
  'sabotage',
  'other',
  'unknown',
] as const;

export type AttackType = (typeof ATTACK_TYPES)[number];
export type TargetType = (typeof TARGET_TYPES)[number];
export type WeaponType = (typeof WEAPON_TYPES)[number];

export const AttackTypeSchema = z.enum(ATTACK_TYPES);
export const TargetTypeSchema = z.enum(TARGET_TYPES);
export const WeaponTypeSchema = z.enum(WEAPON_TYPES);

/** Attribution is a relation, not a name: who did it, and who says so. */
export const ATTRIBUTIONS = ['claimed', 'attributed', 'suspected', 'denied'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];
export const AttributionSchema = z.enum(ATTRIBUTIONS);

export const DATE_PRECISIONS = ['day', 'week', 'month', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export const PLACE_PRECISIONS = ['exact', 'city', 'admin2', 'admin1', 'country'] as const;
export type PlacePrecision = (typeof PLACE_PRECISIONS)[number];
