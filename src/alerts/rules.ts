import { z } from 'zod';
import { ACTORS } from '../actors/index.js';

/**
 * What an analyst can ask to be told about:
 * - `new_area`: an actor (with its sub-groups) active in a country it had no incident in for N months;
 * - `surge`: more incidents in the last period than in the one before (by `increasePct`, with at least `minCount`);
 * - `casualties`: an incident whose killed + wounded (best) reaches a threshold;
 * - `claim`: a new claim by a watched actor (or its sub-groups).
 */
export const ALERT_KINDS = ['new_area', 'surge', 'casualties', 'claim'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')
  .transform((s) => s.toUpperCase());
const actorId = z.string().refine((id) => ACTORS.some((a) => a.id === id), 'is not an actor of the registry (see GET /api/openapi.json or docs)');

/** A rule as an analyst writes it. Fields a kind does not use are ignored. */
export const AlertRuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(ALERT_KINDS),
    actorId: actorId.nullable().optional(),
    country: country.nullable().optional(),
    /** new_area: how long the actor must have been absent from the country. */
    months: z.number().int().min(1).max(120).optional(),
    /** surge: the length of each of the two periods compared. */
    periodDays: z.number().int().min(1).max(366).optional(),
    /** surge: the least count in the latest period for a surge to count. */
    minCount: z.number().int().min(1).max(100_000).optional(),
    /** surge: the rise over the previous period, in percent (ACLED's Trendfinder uses 25). */
    increasePct: z.number().min(1).max(10_000).optional(),
    /** casualties: killed + wounded (best figures) at or above which an incident is reported. */
    minCasualties: z.number().int().min(1).max(1_000_000).optional(),
    /** Where to POST each alert (signed); null for alerts listed in the API only. */
    webhookUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if ((rule.kind === 'new_area' || rule.kind === 'claim') && (rule.actorId === undefined || rule.actorId === null)) {
      ctx.addIssue({ code: 'custom', path: ['actorId'], message: `a ${rule.kind} rule needs an actor` });
    }
  });
export type AlertRuleInput = z.input<typeof AlertRuleInputSchema>;

/** A stored rule, with its defaults filled in. */
export interface AlertRule {
  id: string;
  name: string;
  kind: AlertKind;
  actorId: string | null;
  country: string | null;
  months: number;
  periodDays: number;
  minCount: number;
  increasePct: number;
  minCasualties: number;
  webhookUrl: string | null;
  /** The HMAC key of the webhook's signature; shown once when the rule is made. */
  secret: string | null;
  enabled: boolean;
  createdAt: string;
}

/** A validated rule with the defaults a rule of its kind gets. */
export function ruleFromInput(input: unknown, id: string, secret: string | null, createdAt: string): AlertRule {
  const r = AlertRuleInputSchema.parse(input);
  return {
    id,
    name: r.name,
    kind: r.kind,
    actorId: r.actorId ?? null,
    country: r.country ?? null,
    months: r.months ?? 12,
    periodDays: r.periodDays ?? 30,
    minCount: r.minCount ?? 5,
    increasePct: r.increasePct ?? 25,
    minCasualties: r.minCasualties ?? 10,
    webhookUrl: r.webhookUrl ?? null,
    secret: r.webhookUrl === undefined || r.webhookUrl === null ? null : secret,
    enabled: true,
    createdAt,
  };
}

/** An actor and all its sub-groups (the Islamic State and its provinces). */
export function actorFamily(id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const a of ACTORS) if (a.parentId === out[i] && !out.includes(a.id)) out.push(a.id);
  return out;
}

/** One alert: a rule fired for an event, once. */
export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  /** What makes this alert the same event: the same key never fires twice for a rule. */
  key: string;
  firedAt: string;
  incidentId: string | null;
  title: string;
  detail: Record<string, unknown>;
}
