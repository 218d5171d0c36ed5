import type { Incident } from '../core/model.js';
import { actorFamily, type AlertRule } from './rules.js';

/** What evaluation needs to know beyond the incident at hand. */
export interface AlertData {
  /**
   * How many listed incidents (not merged away, not rejected) overlap the days `from`..`to`, by any
   * of `actorIds` (null: any actor) in `country` (null: anywhere), leaving out `excludeId`.
   * `atMost` lets the answer stop counting early.
   */
  countIncidents(query: { actorIds: readonly string[] | null; country: string | null; from: string; to: string; excludeId?: string; atMost?: number }): Promise<number>;
}

/** A rule's verdict on an event: what to record (once per key). */
export interface AlertCandidate {
  key: string;
  incidentId: string | null;
  title: string;
  detail: Record<string, unknown>;
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

function describe(incident: Incident): string {
  return incident.fields.title ?? `incident ${incident.id}`;
}

/** The incident's perpetrators that belong to the rule's actor family, with how they are linked to it. */
function familyPerpetrators(rule: AlertRule, incident: Incident): { actorId: string; attribution: string }[] {
  if (rule.actorId === null) return [];
  const family = new Set(actorFamily(rule.actorId));
  return incident.fields.perpetrators.filter((p) => p.actorId != null && family.has(p.actorId)).map((p) => ({ actorId: p.actorId as string, attribution: p.attribution }));
}

/**
 * Whether an incident fires a rule of an incident kind (new_area, casualties, claim). The key
 * is the incident's id (and, for new_area, the actor and country), so a duplicate report linked
 * into the incident never fires again; a duplicate that linking missed finds the first incident
 * as earlier activity and does not fire a new_area alert either.
 */
export async function evaluateIncident(rule: AlertRule, incident: Incident, data: AlertData): Promise<AlertCandidate | null> {
  if (!rule.enabled || incident.status === 'rejected' || incident.mergedInto !== undefined) return null;
  const place = incident.fields.location;
  const country = place?.country ?? null;
  if (rule.country !== null && country !== rule.country) return null;
  const day = incident.fields.date?.start ?? null;
  switch (rule.kind) {
    case 'casualties': {
      const killed = incident.fields.killed?.best ?? 0;
      const wounded = incident.fields.wounded?.best ?? 0;
      if (rule.actorId !== null && familyPerpetrators(rule, incident).length === 0) return null;
      if (killed + wounded < rule.minCasualties) return null;
      return { key: `incident:${incident.id}`, incidentId: incident.id, title: `${killed} killed and ${wounded} wounded: ${describe(incident)}`, detail: { killed, wounded, threshold: rule.minCasualties, country, date: day } };
    }
    case 'claim': {
      const claims = familyPerpetrators(rule, incident).filter((p) => p.attribution === 'claimed');
      if (claims.length === 0) return null;
      return { key: `incident:${incident.id}`, incidentId: incident.id, title: `Claimed by ${claims.map((c) => c.actorId).join(', ')}: ${describe(incident)}`, detail: { actors: claims.map((c) => c.actorId), country, date: day, claimedKilled: incident.fields.claimedKilled, claimedWounded: incident.fields.claimedWounded } };
    }
    case 'new_area': {
      const actors = familyPerpetrators(rule, incident).filter((p) => p.attribution !== 'denied');
      if (actors.length === 0 || country === null || day === null || rule.actorId === null) return null;
      const before = await data.countIncidents({ actorIds: actorFamily(rule.actorId), country, from: addMonths(day, -rule.months), to: addDays(day, -1), excludeId: incident.id, atMost: 1 });
      if (before > 0) return null;
      // The same day: only the first incident (by id) of the actor in the country fires.
      const sameDay = await data.countIncidents({ actorIds: actorFamily(rule.actorId), country, from: day, to: day, excludeId: incident.id, atMost: 50 });
      const key = `area:${rule.actorId}:${country}:${day.slice(0, 7)}`;
      return {
        key,
        incidentId: incident.id,
        title: `${rule.actorId} active in ${country}${place?.admin1 ? ` (${place.admin1})` : ''}, with no incident there in the ${rule.months} months before: ${describe(incident)}`,
        detail: { actorId: rule.actorId, country, admin1: place?.admin1 ?? null, date: day, monthsAbsent: rule.months, sameDayIncidents: sameDay + 1 },
      };
    }
    case 'surge':
      return null;
  }
}

/**
 * A surge rule as of a day: incidents in the `periodDays` ending that day against the period
 * before; fires when the latest count is at least `minCount` and above the previous one by more
 * than `increasePct` percent. Keyed by the period's last day, so one day fires at most once.
 */
export async function evaluateSurge(rule: AlertRule, asOf: string, data: AlertData): Promise<AlertCandidate | null> {
  if (!rule.enabled || rule.kind !== 'surge') return null;
  const actors = rule.actorId === null ? null : actorFamily(rule.actorId);
  const from = addDays(asOf, -(rule.periodDays - 1));
  const current = await data.countIncidents({ actorIds: actors, country: rule.country, from, to: asOf });
  if (current < rule.minCount) return null;
  const previous = await data.countIncidents({ actorIds: actors, country: rule.country, from: addDays(from, -rule.periodDays), to: addDays(from, -1) });
  const rise = previous === 0 ? Infinity : ((current - previous) / previous) * 100;
  if (rise <= rule.increasePct) return null;
  const scope = [rule.actorId ?? 'all actors', rule.country ?? 'everywhere'].join(' in ');
  return {
    key: `surge:${asOf}`,
    incidentId: null,
    title: `Surge: ${current} incidents (${scope}) in the ${rule.periodDays} days to ${asOf}, against ${previous} in the ${rule.periodDays} days before`,
    detail: { current, previous, risePct: Number.isFinite(rise) ? Math.round(rise) : null, periodDays: rule.periodDays, from, to: asOf, actorId: rule.actorId, country: rule.country },
  };
}
