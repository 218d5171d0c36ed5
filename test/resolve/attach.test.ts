import { describe, expect, it } from 'vitest';
import { emptyIncidentFields, type Incident, type IncidentFields } from '../../src/core/model.js';
import { planAttachments, tellerKey, type KnownIncident, type NewIncident } from '../../src/resolve/attach.js';

function fields(day: string, place: { name: string; lat: number; lon: number }, killed: number | null, attack: 'bombing' | 'armed_assault' = 'bombing'): IncidentFields {
  return {
    ...emptyIncidentFields(),
    date: { start: day, end: day, precision: 'day' },
    location: { name: place.name, admin1: 'Nineveh', country: 'IQ', lat: place.lat, lon: place.lon, precision: 'city' },
    attackTypes: [attack],
    killed: killed === null ? null : { low: killed, best: killed, high: killed },
    title: `${attack} in ${place.name}`,
  };
}

function incident(id: string, f: IncidentFields, extra: Partial<Incident> = {}): Incident {
  return { id, status: 'machine', fields: f, mentionIds: [`m_${id}`], relatedIncidentIds: [], revision: 1, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', ...extra };
}

const MOSUL = { name: 'Mosul', lat: 36.335, lon: 43.119 };
const TAL_AFAR = { name: 'Tal Afar', lat: 36.376, lon: 42.449 };

const fresh = (id: string, f: IncidentFields, teller: string, order: number, text: string | null = null): NewIncident => ({ incident: incident(id, f), teller, text, reportedAt: null, order });
const known = (inc: Incident, tellers: string[]): KnownIncident => ({ incident: inc, tellers, text: null });

describe('planAttachments', () => {
  it('joins a new report to the stored incident of the same attack, with the explanation of the match', () => {
    const stored = incident('i_old', fields('2025-06-01', MOSUL, 7));
    const plan = planAttachments([fresh('i_new', fields('2025-06-02', MOSUL, 8), 'doc:b', 0)], [known(stored, ['doc:a'])]);
    const join = plan.joins.get('i_new');
    expect(join).toMatchObject({ incidentId: 'i_old', explanation: { comparedWith: 'i_old', agreed: expect.arrayContaining(['place', 'killed']), disagreed: [] } });
    expect(join?.score).toBeGreaterThanOrEqual(2.5);
    expect(plan.groups).toEqual([]);
  });

  it('never joins two stored incidents, even through a new report that matches both', () => {
    const a = incident('i_a', fields('2025-06-01', MOSUL, 7));
    const b = incident('i_b', fields('2025-06-01', MOSUL, 7));
    const plan = planAttachments([fresh('i_new', fields('2025-06-01', MOSUL, 7), 'doc:c', 0)], [known(a, ['doc:a']), known(b, ['doc:b'])]);
    expect(plan.joins.size).toBe(1);
    expect(['i_a', 'i_b']).toContain(plan.joins.get('i_new')?.incidentId);
  });

  it('groups new reports of one attack under the first of the batch, and keeps other attacks apart', () => {
    const plan = planAttachments(
      [
        fresh('i_2', fields('2025-06-01', MOSUL, 7), 'doc:b', 1),
        fresh('i_1', fields('2025-06-01', MOSUL, 7), 'doc:a', 0),
        fresh('i_3', fields('2025-06-05', TAL_AFAR, 1, 'armed_assault'), 'doc:c', 2),
      ],
      [],
    );
    expect(plan.joins.size).toBe(0);
    expect(plan.groups).toEqual([{ founder: 'i_1', members: [expect.objectContaining({ incidentId: 'i_2' })] }]);
  });

  it('keeps two rows of one dataset apart and leaves their relations to the dataset', () => {
    const gtd = tellerKey({ id: 'd1', sourceId: 's_gtd', kind: 'dataset_row', externalId: 'gtd:202101010001' });
    // Every release of a dataset is one teller: it codes each attack once.
    expect(tellerKey({ id: 'd2', sourceId: 's_gtd_2', kind: 'dataset_row', externalId: 'gtd:202101010002' })).toBe(gtd);
    expect(tellerKey({ id: 'd2', sourceId: 's_acled', kind: 'dataset_row', externalId: 'acled:IRQ123' })).not.toBe(gtd);
    expect(tellerKey({ id: 'd3', sourceId: 's_gtd', kind: 'article' })).toBe('doc:d3');
    const stored = incident('i_part1', fields('2025-06-01', MOSUL, 4));
    const plan = planAttachments([fresh('i_part2', fields('2025-06-01', MOSUL, 4), gtd, 0, 'one of twin blasts in Mosul')], [known(stored, [gtd])]);
    expect(plan.joins.size).toBe(0);
    expect(plan.related).toEqual([]);
    const twins = planAttachments(
      [fresh('i_new1', fields('2025-06-01', MOSUL, 4), gtd, 0, 'one of twin blasts in Mosul'), fresh('i_new2', fields('2025-06-01', MOSUL, 4), gtd, 1, 'the other twin blast in Mosul')],
      [],
    );
    expect(twins.groups).toEqual([]);
    expect(twins.related).toEqual([]);
  });

  it('joins the same attack when another report (not a row of the same dataset) tells it', () => {
    const stored = incident('i_part1', fields('2025-06-01', MOSUL, 4));
    const plan = planAttachments([fresh('i_part2', fields('2025-06-01', MOSUL, 4), 'doc:b', 0, 'a bomb in Mosul killed four')], [known(stored, ['dataset:gtd'])]);
    expect(plan.joins.get('i_part2')?.incidentId).toBe('i_part1');
  });

  it('respects an analyst split: a stored incident is never joined with one it was split from', () => {
    const a = incident('i_a', fields('2025-06-01', MOSUL, 7), { apartFrom: ['i_b'] });
    const plan = planAttachments([fresh('i_b', fields('2025-06-01', MOSUL, 7), 'doc:x', 0)], [known(a, ['doc:a'])]);
    expect(plan.joins.size).toBe(0);
  });
});
