import { z } from 'zod';
import {
  AttackTypeSchema,
  AttributionSchema,
  DATE_PRECISIONS,
  PLACE_PRECISIONS,
  TargetTypeSchema,
  WeaponTypeSchema,
} from './codebook.js';

/*
 * The domain model of DESIGN.md as runtime-validated schemas. Types are inferred from the schemas,
 * so what is validated at the edges is exactly what the code works with.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const isoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date or date-time');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code in capitals');

/** A half-open character range [start, end) in UTF-16 code units, as JavaScript counts. */
export const SpanSchema = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(0) })
  .refine((s) => s.end > s.start, 'span end must be after its start');
export type Span = z.infer<typeof SpanSchema>;

/** A date range with its precision: `start` and `end` bound the range, both inclusive. */
export const DateRangeSchema = z.object({
  start: isoDate,
  end: isoDate,
  precision: z.enum(DATE_PRECISIONS),
});
export type DateRange = z.infer<typeof DateRangeSchema>;

/** Where something happened, with honest precision: a province-level place has no city point. */
export const PlaceRefSchema = z.object({
  name: z.string().nullable().optional(),
  admin1: z.string().nullable().optional(),
  country: countryCode.nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lon: z.number().min(-180).max(180).nullable().optional(),
  precision: z.enum(PLACE_PRECISIONS),
  /** Radius in kilometres within which the event is believed to lie. */
  radiusKm: z.number().min(0).nullable().optional(),
  /** GeoNames id (or another gazetteer id) of the place, when it was resolved to one. */
  placeId: z.string().nullable().optional(),
});
export type PlaceRef = z.infer<typeof PlaceRefSchema>;

/** Who did it and who says so; `actorId` is set when the name resolved to the actor registry. */
export const PerpetratorSchema = z.object({
  name: z.string().min(1),
  actorId: z.string().nullable().optional(),
  attribution: AttributionSchema,
  /** Who makes the attribution: the group itself, "officials", a named outlet. */
  attributedBy: z.string().nullable().optional(),
});
export type Perpetrator = z.infer<typeof PerpetratorSchema>;

/**
 * A casualty figure as a range. "At least 139" is low 139, best 139, high null; "nearly 350" is
 * best 350, high 350. `kind` keeps the group's own claim apart from independent reports.
 */
export const CountSchema = z
  .object({
    low: z.number().int().min(0).nullable(),
    best: z.number().int().min(0).nullable(),
    high: z.number().int().min(0).nullable(),
    kind: z.enum(['reported', 'claimed']),
  })
  .refine((c) => c.low === null || c.best === null || c.low <= c.best, 'low must not exceed best')
  .refine((c) => c.best === null || c.high === null || c.best <= c.high, 'best must not exceed high');
export type Count = z.infer<typeof CountSchema>;

/** A text span naming a participant or object of the attack, with its codebook type if known. */
export const TypedTextSchema = z.object({ text: z.string(), type: z.string().nullable().optional() });
export type TypedText = z.infer<typeof TypedTextSchema>;

/** One extracted value, the spans of the document that support it, and how sure the extractor is. */
export function fieldSchema<T extends z.ZodType>(value: T) {
  return z.object({
    value,
    evidence: z.array(SpanSchema),
    confidence: z.number().min(0).max(1),
  });
}
export interface Field<T> {
  value: T;
  evidence: Span[];
  confidence: number;
}

export const MentionFieldsSchema = z.object({
  date: fieldSchema(DateRangeSchema).optional(),
  location: fieldSchema(PlaceRefSchema).optional(),
  perpetrators: z.array(fieldSchema(PerpetratorSchema)),
  attackTypes: z.array(fieldSchema(AttackTypeSchema)),
  targetTypes: z.array(fieldSchema(TargetTypeSchema)),
  weaponTypes: z.array(fieldSchema(WeaponTypeSchema)),
  suicide: fieldSchema(z.boolean()).optional(),
  killed: fieldSchema(CountSchema).optional(),
  wounded: fieldSchema(CountSchema).optional(),
  perpetratorsKilled: fieldSchema(CountSchema).optional(),
  hostages: fieldSchema(CountSchema).optional(),
  victims: z.array(fieldSchema(TypedTextSchema)),
  targets: z.array(fieldSchema(TypedTextSchema)),
  weapons: z.array(fieldSchema(TypedTextSchema)),
  perpetratorMentions: z.array(fieldSchema(TypedTextSchema)),
});
export type MentionFields = z.infer<typeof MentionFieldsSchema>;

export const SOURCE_KINDS = ['file', 'folder', 'feed', 'telegram', 'gtd', 'acled', 'ucdp', 'batch'] as const;
export const SourceSchema = z.object({
  id: z.string(),
  kind: z.enum(SOURCE_KINDS),
  /** A path, URL or dataset name: where the reports come from. */
  locator: z.string(),
  name: z.string(),
  createdAt: isoDateTime,
});
export type Source = z.infer<typeof SourceSchema>;

export const DOCUMENT_KINDS = ['article', 'claim', 'channel_post', 'dataset_row'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** One report, immutable once stored. Its id is the SHA-256 of its normalised text. */
export const DocumentSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  sourceId: z.string(),
  /** The id the report had where it came from (a JSON line's `id`, a file name). */
  externalId: z.string().nullable(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  text: z.string().min(1),
  language: z.string().nullable(),
  publishedAt: isoDateTime.nullable(),
  fetchedAt: isoDateTime,
  kind: z.enum(DOCUMENT_KINDS),
  /** Where the original bytes are (file path and line), for re-extraction. */
  raw: z.string().nullable(),
});
export type Document = z.infer<typeof DocumentSchema>;

/** What extraction found in one document about one incident. Never edited. */
export const MentionSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  /** name@version of the extractor that produced it. */
  extractor: z.string(),
  /** The part of the document that this mention was read from. */
  span: SpanSchema,
  fields: MentionFieldsSchema,
  confidence: z.number().min(0).max(1),
  createdAt: isoDateTime,
});
export type Mention = z.infer<typeof MentionSchema>;

/** A casualty range reconciled across reports. */
export const RangeSchema = z.object({
  low: z.number().int().min(0).nullable(),
  best: z.number().int().min(0).nullable(),
  high: z.number().int().min(0).nullable(),
});
export type Range = z.infer<typeof RangeSchema>;

/**
 * One figure as one report gives it, with where it comes from: reconciled incidents keep every
 * report's figure beside the reconciled range, claimed figures apart from reported ones.
 */
export const SourcedFigureSchema = z.object({
  field: z.enum(['killed', 'wounded', 'perpetratorsKilled', 'hostages']),
  kind: z.enum(['reported', 'claimed']),
  low: z.number().int().min(0).nullable(),
  best: z.number().int().min(0).nullable(),
  high: z.number().int().min(0).nullable(),
  mentionId: z.string(),
  documentId: z.string(),
  /** The source the report came from (a dataset release or a report batch). */
  sourceId: z.string().nullable(),
  /** When the report was published, if known. */
  reportedAt: z.string().nullable(),
});
export type SourcedFigure = z.infer<typeof SourcedFigureSchema>;

/** One attribution as one report makes it, with the report it comes from. */
export const SourcedAttributionSchema = PerpetratorSchema.extend({
  mentionId: z.string(),
  documentId: z.string(),
  sourceId: z.string().nullable(),
});
export type SourcedAttribution = z.infer<typeof SourcedAttributionSchema>;

/** The reconciled fields of an incident, as the analyst sees them. */
export const IncidentFieldsSchema = z.object({
  title: z.string().nullable(),
  date: DateRangeSchema.nullable(),
  location: PlaceRefSchema.nullable(),
  perpetrators: z.array(PerpetratorSchema),
  attackTypes: z.array(AttackTypeSchema),
  targetTypes: z.array(TargetTypeSchema),
  weaponTypes: z.array(WeaponTypeSchema),
  suicide: z.boolean().nullable(),
  killed: RangeSchema.nullable(),
  wounded: RangeSchema.nullable(),
  perpetratorsKilled: RangeSchema.nullable(),
  /** Figures claimed by the perpetrators themselves, kept apart from reported ones. */
  claimedKilled: RangeSchema.nullable(),
  claimedWounded: RangeSchema.nullable(),
  /** Every report's casualty figures with their sources (set once an incident is reconciled). */
  figures: z.array(SourcedFigureSchema).optional(),
  /** Every report's attribution with its source (set once an incident is reconciled). */
  attributions: z.array(SourcedAttributionSchema).optional(),
});
export type IncidentFields = z.infer<typeof IncidentFieldsSchema>;

export const INCIDENT_STATUSES = ['machine', 'reviewed', 'rejected'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The event itself, made by linking mentions. Every change to it is a Revision. */
export const IncidentSchema = z.object({
  id: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  fields: IncidentFieldsSchema,
  mentionIds: z.array(z.string()),
  relatedIncidentIds: z.array(z.string()),
  /** A counter for optimistic concurrency: the number of the latest revision. */
  revision: z.number().int().min(1),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** Set when an analyst merged this incident into another: the survivor's id. Its mentions moved there. */
  mergedInto: z.string().optional(),
  /** Fields an analyst set: reconciliation never overwrites them. */
  pinnedFields: z.array(z.string()).optional(),
  /** Incidents an analyst split this one from: linking never joins them again. */
  apartFrom: z.array(z.string()).optional(),
});
export type Incident = z.infer<typeof IncidentSchema>;

export const REVISION_ACTIONS = ['create', 'link', 'merge', 'split', 'edit', 'accept', 'reject', 'import', 'undo'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** One change to an incident: who, when, what and why. Any past state is the fold of these. */
export const RevisionSchema = z.object({
  incidentId: z.string(),
  revision: z.number().int().min(1),
  at: isoDateTime,
  /** A user name, or `system:<component>`. */
  by: z.string().min(1),
  action: z.enum(REVISION_ACTIONS),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
});
export type Revision = z.infer<typeof RevisionSchema>;

/** Why a mention belongs to an incident. A user's decision pins it. */
export const LinkSchema = z.object({
  mentionId: z.string(),
  incidentId: z.string(),
  score: z.number(),
  explanation: z.record(z.string(), z.unknown()),
  decidedBy: z.string(),
});
export type Link = z.infer<typeof LinkSchema>;

export const ACTOR_KINDS = ['group', 'branch', 'movement', 'state_force'] as const;
export const ActorSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'actor ids are lower-case slugs'),
  name: z.string(),
  aliases: z.array(z.object({ name: z.string(), language: z.string().nullable().optional() })),
  parentId: z.string().nullable(),
  kind: z.enum(ACTOR_KINDS),
  activeFrom: isoDate.nullable().optional(),
  activeTo: isoDate.nullable().optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

export const PLACE_FEATURE_CLASSES = ['city', 'region', 'country'] as const;
export const PlaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  alternateNames: z.array(z.string()),
  admin1: z.string().nullable(),
  country: countryCode,
  lat: z.number(),
  lon: z.number(),
  featureClass: z.enum(PLACE_FEATURE_CLASSES),
  population: z.number().int().min(0),
});
export type Place = z.infer<typeof PlaceSchema>;

/** Mention fields with nothing found yet. */
export function emptyMentionFields(): MentionFields {
  return {
    perpetrators: [],
    attackTypes: [],
    targetTypes: [],
    weaponTypes: [],
    victims: [],
    targets: [],
    weapons: [],
    perpetratorMentions: [],
  };
}

/** An empty set of incident fields, the start of every fold. */
export function emptyIncidentFields(): IncidentFields {
  return {
    title: null,
    date: null,
    location: null,
    perpetrators: [],
    attackTypes: [],
    targetTypes: [],
    weaponTypes: [],
    suicide: null,
    killed: null,
    wounded: null,
    perpetratorsKilled: null,
    claimedKilled: null,
    claimedWounded: null,
  };
}
