import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/core/model.js';
import { createExtractor, toContractIncident, type ExtractedIncident } from '../../src/extract/index.js';
import { contractErrors } from './contract-validator.js';

const extractor = createExtractor();

/** Synthetic wire-style reports written for these tests. */
const REPORTS = {
  background:
    'Gunmen attacked a military post in Pemba, Mozambique, on Sunday, killing five soldiers and wounding three others, officials said.\n\n' +
    'In October 2023, gunmen killed 12 people in Mocímboa da Praia, about 300 km to the north. Eight others were wounded in that attack.',
  twoCities:
    'A car bomb exploded near a market in Baghdad, Iraq, on Tuesday, killing seven people and wounding 15. A second bomb exploded hours later in Kirkuk, killing two.',
  updatedToll:
    'A suicide bomber blew himself up at a mosque in Peshawar, Pakistan, on Friday, killing 20 people. Later on Friday, officials said the death toll had risen to 32 and that 50 people were wounded.\n\n' +
    'The Islamic State claimed responsibility for the bombing in Peshawar in a statement on its Amaq news agency.',
  statistic:
    'Militants ambushed a police convoy near Tillaberi, Niger, on Monday, killing 10 officers. More than 1,100 attacks were recorded in the region in the past year, according to a report by a research group.',
};

function run(text: string): ExtractedIncident[] {
  return extractor.extract({ text, published: '2025-03-11' });
}

function inside(span: Span, outer: Span): boolean {
  return span.start >= outer.start && span.end <= outer.end;
}

function evidence(incident: ExtractedIncident): Span[] {
  const f = incident.fields;
  const single = [f.date, f.location, f.suicide, f.killed, f.wounded, f.perpetratorsKilled, f.hostages].filter((x) => x !== undefined);
  const lists = [f.perpetrators, f.attackTypes, f.targetTypes, f.weaponTypes, f.victims, f.targets, f.weapons, f.perpetratorMentions].flat();
  return [...single, ...lists].flatMap((x) => x.evidence);
}

describe('several incidents in one report', () => {
  it('reads a background paragraph about an earlier attack as its own incident', () => {
    const text = REPORTS.background;
    const incidents = run(text);
    expect(incidents).toHaveLength(2);
    const [main, earlier] = incidents as [ExtractedIncident, ExtractedIncident];
    expect(main.fields.date?.value).toEqual({ start: '2025-03-09', end: '2025-03-09', precision: 'day' });
    expect(main.fields.location?.value.country).toBe('MZ');
    expect(main.fields.killed?.value.best).toBe(5);
    expect(main.fields.wounded?.value.best).toBe(3);
    expect(earlier.fields.date?.value).toEqual({ start: '2023-10-01', end: '2023-10-31', precision: 'month' });
    expect(earlier.fields.location?.value.name).toMatch(/^Moc[ií]mboa/);
    expect(earlier.fields.killed?.value.best).toBe(12);
    expect(earlier.fields.wounded?.value.best).toBe(8);
    expect(text.slice(earlier.span.start, earlier.span.end)).toMatch(/^In October 2023.*that attack\.$/s);
    // the earlier attack's fields cite only its own sentences, and the main one's never cite them
    for (const e of evidence(earlier)) expect(inside(e, earlier.span)).toBe(true);
    for (const e of evidence(main)) expect(e.end <= earlier.span.start).toBe(true);
    const line = { id: 'x', incidents: incidents.map(toContractIncident) };
    expect(contractErrors(JSON.parse(JSON.stringify(line)), text.length)).toEqual([]);
  });

  it('reads two bombs in two cities on the same day as two incidents', () => {
    const text = REPORTS.twoCities;
    const incidents = run(text);
    expect(incidents).toHaveLength(2);
    const [baghdad, kirkuk] = incidents as [ExtractedIncident, ExtractedIncident];
    expect(baghdad.fields.location?.value.name).toBe('Baghdad');
    expect(baghdad.fields.killed?.value.best).toBe(7);
    expect(baghdad.fields.wounded?.value.best).toBe(15);
    expect(baghdad.fields.attackTypes[0]?.value).toBe('bombing');
    expect(kirkuk.fields.location?.value.name).toBe('Kirkuk');
    expect(kirkuk.fields.killed?.value.best).toBe(2);
    expect(kirkuk.fields.wounded).toBeUndefined();
    expect(kirkuk.fields.attackTypes[0]?.value).toBe('bombing');
    expect(text.slice(kirkuk.span.start, kirkuk.span.end)).toBe('A second bomb exploded hours later in Kirkuk, killing two.');
    for (const e of evidence(kirkuk)) expect(inside(e, kirkuk.span)).toBe(true);
    for (const e of evidence(baghdad)) expect(e.end <= kirkuk.span.start).toBe(true);
  });

  it('does not split an updated toll or a claim paragraph into another incident', () => {
    const incidents = run(REPORTS.updatedToll);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.fields.killed?.value.best).toBe(32);
    expect(incidents[0]?.fields.perpetrators.map((p) => p.value.attribution)).toContain('claimed');
  });

  it('never makes an incident of a statistic', () => {
    const incidents = run(REPORTS.statistic);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.fields.killed?.value.best).toBe(10);
  });

  it('gives an earlier attack in another place no date of its own when the text gives none', () => {
    const text =
      'A roadside bomb hit a police vehicle in Bannu, Pakistan, on Wednesday, killing two policemen.\n\nThe blast came two days after three policemen were killed when a bomb hit their van in Lakki Marwat, an attack claimed by the TTP.';
    const incidents = extractor.extract({ text, published: '2026-02-11' });
    expect(incidents).toHaveLength(2);
    expect(incidents[0]?.fields.killed?.value.best).toBe(2);
    expect(incidents[1]?.fields.location?.value.name).toBe('Lakki Marwat');
    expect(incidents[1]?.fields.killed?.value.best).toBe(3);
    expect(incidents[1]?.fields.date).toBeUndefined();
  });

  it('keeps a background attack without its own date or place out of the output', () => {
    const text = 'Gunmen shot dead a police officer in Kano, Nigeria, on Monday. The killing came two days after a previous attack on a checkpoint.';
    expect(run(text)).toHaveLength(1);
  });
});
