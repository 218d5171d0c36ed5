import { describe, expect, it } from 'vitest';
import { MentionFieldsSchema, type Span } from '../../src/core/model.js';
import { createExtractor, splitSentences, toContractIncident, type ExtractedIncident } from '../../src/extract/index.js';
import { contractErrors } from './contract-validator.js';

const extractor = createExtractor();

/** Synthetic reports written for these tests. */
const REPORTS = {
  bombing:
    'A suicide bomber detonated an explosive vest near a police checkpoint in Maiduguri, Borno, Nigeria, on Friday. At least 12 people were killed and 20 others were wounded. ISWAP claimed responsibility for the attack.',
  shooting:
    'Gunmen opened fire on a minibus carrying villagers near Kabul, Afghanistan. Three passengers were killed. No group claimed responsibility for the incident.',
  kidnapping: 'Suspected al-Shabaab militants abducted two aid workers in Mogadishu, Somalia, on Sept 5. The workers remain missing.',
  arson: 'Unidentified assailants set fire to a school in Gao, Mali. No one was injured in the arson.',
  statistics:
    'More than 1,100 attacks were recorded in the region in the past 12 months, according to a report by a research group. Analysts warned that violence could spread further south.',
  plot: 'Police said they foiled a plot to bomb a shopping centre and arrested three suspects.',
};

function run(text: string, published = '2024-03-11'): ExtractedIncident[] {
  return extractor.extract({ text, published });
}

function fieldSpans(incident: ExtractedIncident): Span[] {
  const f = incident.fields;
  const single = [f.date, f.location, f.suicide, f.killed, f.wounded, f.perpetratorsKilled, f.hostages].filter((x) => x !== undefined);
  const lists = [f.perpetrators, f.attackTypes, f.targetTypes, f.weaponTypes, f.victims, f.targets, f.weapons, f.perpetratorMentions].flat();
  return [...single, ...lists].flatMap((x) => x.evidence);
}

describe('extractor', () => {
  it('is named and versioned', () => {
    expect(extractor.name).toBe('vigil-rules@0.1.0');
  });

  it('reads a bombing report', () => {
    const [incident, ...rest] = run(REPORTS.bombing);
    expect(rest).toEqual([]);
    expect(incident).toBeDefined();
    if (incident === undefined) return;
    const f = incident.fields;
    expect(() => MentionFieldsSchema.parse(f)).not.toThrow();
    expect(f.date?.value).toEqual({ start: '2024-03-08', end: '2024-03-08', precision: 'day' });
    expect(f.location?.value).toMatchObject({ name: 'Maiduguri', admin1: 'Borno', country: 'NG', precision: 'city' });
    expect(f.location?.value.lat).toBeCloseTo(11.85, 0);
    expect(f.attackTypes[0]?.value).toBe('bombing');
    expect(f.weaponTypes[0]?.value).toBe('explosives');
    expect(f.targetTypes[0]?.value).toBe('police');
    expect(f.suicide?.value).toBe(true);
    expect(f.killed?.value).toMatchObject({ low: 12, best: 12, high: null });
    expect(f.wounded?.value.best).toBe(20);
    expect(f.perpetrators.map((p) => [p.value.actorId, p.value.attribution])).toEqual([['is-west-africa', 'claimed']]);
  });

  it('reads a shooting with no claim and a city-country pair', () => {
    const [incident] = run(REPORTS.shooting);
    const f = incident?.fields;
    expect(f?.attackTypes[0]?.value).toBe('armed_assault');
    expect(f?.weaponTypes[0]?.value).toBe('firearms');
    expect(f?.location?.value).toMatchObject({ name: 'Kabul', country: 'AF', precision: 'city' });
    expect(f?.killed?.value.best).toBe(3);
    expect(f?.perpetrators).toEqual([]);
    expect(f?.suicide?.value).toBe(false);
  });

  it('reads a kidnapping with a suspected group and a month-day date', () => {
    const [incident] = run(REPORTS.kidnapping, '2024-01-20');
    const f = incident?.fields;
    expect(f?.attackTypes[0]?.value).toBe('kidnapping');
    expect(f?.targetTypes.map((t) => t.value)).toContain('ngo');
    expect(f?.location?.value.country).toBe('SO');
    expect(f?.date?.value.start).toBe('2023-09-05');
    expect(f?.perpetrators.map((p) => p.value.attribution)).toEqual(['suspected']);
  });

  it('reads an arson with zero casualties', () => {
    const [incident] = run(REPORTS.arson);
    const f = incident?.fields;
    expect(f?.attackTypes[0]?.value).toBe('facility_attack');
    expect(f?.weaponTypes[0]?.value).toBe('incendiary');
    expect(f?.targetTypes[0]?.value).toBe('educational');
    expect(f?.wounded?.value.best).toBe(0);
    expect(f?.location?.value.country).toBe('ML');
  });

  it('finds no incident in statistics or foiled plots', () => {
    expect(run(REPORTS.statistics)).toEqual([]);
    expect(run(REPORTS.plot)).toEqual([]);
    expect(run('   ')).toEqual([]);
  });

  it('gives every field evidence spans inside the text', () => {
    for (const text of Object.values(REPORTS)) {
      for (const incident of run(text)) {
        expect(incident.span).toEqual({ start: 0, end: text.length });
        const f = incident.fields;
        const fieldsWithValues = [f.date, f.location, f.suicide, f.killed, f.wounded, ...f.perpetrators, ...f.attackTypes, ...f.targetTypes, ...f.weaponTypes].filter((x) => x !== undefined);
        for (const field of fieldsWithValues) expect(field.evidence.length).toBeGreaterThan(0);
        for (const span of fieldSpans(incident)) {
          expect(Number.isInteger(span.start) && Number.isInteger(span.end)).toBe(true);
          expect(span.start).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeGreaterThan(span.start);
          expect(span.end).toBeLessThanOrEqual(text.length);
        }
        expect(incident.confidence).toBeGreaterThan(0);
        expect(incident.confidence).toBeLessThanOrEqual(1);
      }
    }
  });

  it('counts offsets in UTF-16 code units', () => {
    const text = '🔥 Breaking: gunmen killed 4 people in Kabul, Afghanistan.';
    const [incident] = run(text);
    const span = incident?.fields.location?.evidence[0];
    expect(span && text.slice(span.start, span.end)).toBe('Kabul');
  });

  it('maps to the contract shape without schema errors', () => {
    for (const text of Object.values(REPORTS)) {
      const line = { id: 'x', incidents: run(text).map(toContractIncident) };
      expect(contractErrors(JSON.parse(JSON.stringify(line)), text.length)).toEqual([]);
    }
    const [incident] = run(REPORTS.bombing);
    if (incident === undefined) throw new Error('no incident');
    const c = toContractIncident(incident);
    expect(c.location).toMatchObject({ name: 'Maiduguri', country: 'NG', precision: 'city' });
    expect(c.perpetrators).toEqual([{ name: 'Islamic State West Africa Province', actor_id: 'is-west-africa', attribution: 'claimed' }]);
    expect(c.killed).toEqual({ low: 12, best: 12, high: null });
    expect(c.attack_types[0]).toBe('bombing');
    expect(new Set(c.evidence.map((e) => e.field))).toEqual(
      new Set(['date', 'location', 'perpetrators', 'attack_types', 'target_types', 'weapon_types', 'suicide', 'killed', 'wounded', 'targets', 'victims', 'weapons', 'perpetrator_mentions']),
    );
  });

  it('the contract validator catches what the scorer rejects', () => {
    const bad = { id: 'x', incidents: [{ location: { country: 'ng', lat: 1, precision: 'city' }, killed: { low: 5, best: 2, high: null }, attack_types: ['bomb'], evidence: [{ field: 'k', start: 3, end: 99 }] }] };
    expect(contractErrors(bad, 10).length).toBeGreaterThanOrEqual(5);
  });
});

describe('sentences', () => {
  it('splits at sentence ends, not at abbreviations or initials', () => {
    const text = 'Gen. Smith said the U.S. embassy was hit. Two guards died! Was it ISIS? Officials did not say.';
    const parts = splitSentences(text).map((s) => text.slice(s.start, s.end));
    expect(parts).toEqual(['Gen. Smith said the U.S. embassy was hit.', 'Two guards died!', 'Was it ISIS?', 'Officials did not say.']);
  });
});
