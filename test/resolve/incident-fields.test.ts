import { describe, expect, it } from 'vitest';
import { fieldsFromMention, incidentTitle } from '../../src/resolve/incident-fields.js';
import { noFields } from '../helpers/records.js';

const span = [{ start: 0, end: 4 }];

describe('fieldsFromMention', () => {
  it("keeps a group's claimed toll apart from reported figures", () => {
    const fields = noFields();
    fields.killed = { value: { low: 20, best: 20, high: null, kind: 'claimed' }, evidence: span, confidence: 0.7 };
    fields.wounded = { value: { low: 3, best: 3, high: 3, kind: 'reported' }, evidence: span, confidence: 0.9 };
    const result = fieldsFromMention(fields);
    expect(result.killed).toBeNull();
    expect(result.claimedKilled).toEqual({ low: 20, best: 20, high: null });
    expect(result.wounded).toEqual({ low: 3, best: 3, high: 3 });
    expect(result.claimedWounded).toBeNull();
  });

  it('keeps each attribution of a group once, and different attributions apart', () => {
    const fields = noFields();
    const claimed = { name: 'Al-Shabaab', actorId: 'al-shabaab', attribution: 'claimed' as const };
    const attributed = { ...claimed, attribution: 'attributed' as const };
    fields.perpetrators = [claimed, claimed, attributed].map((value) => ({ value, evidence: span, confidence: 0.8 }));
    fields.attackTypes = [
      { value: 'bombing', evidence: span, confidence: 0.9 },
      { value: 'bombing', evidence: span, confidence: 0.6 },
    ];
    const result = fieldsFromMention(fields);
    expect(result.perpetrators).toEqual([claimed, attributed]);
    expect(result.attackTypes).toEqual(['bombing']);
  });
});

describe('incidentTitle', () => {
  it('names the attack type and the place with its country', () => {
    expect(incidentTitle({ attackTypes: ['bombing'], location: { name: 'Kismayo', admin1: 'Lower Juba', country: 'SO', precision: 'city' } })).toBe(
      'Bombing in Kismayo, Lower Juba, Somalia',
    );
    expect(incidentTitle({ attackTypes: [], location: { country: 'NE', precision: 'country' } })).toBe('Attack in Niger');
    expect(incidentTitle({ attackTypes: ['unknown'], location: null })).toBe('Attack');
  });
});
