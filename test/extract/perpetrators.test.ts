import { describe, expect, it } from 'vitest';
import { extractPerpetrators, splitSentences } from '../../src/extract/index.js';

const attributions = (text: string) =>
  extractPerpetrators(text, splitSentences(text)).perpetrators.map((p) => [p.value.actorId, p.value.attribution]);

describe('perpetrator attribution', () => {
  it('claimed when the group said it did it', () => {
    expect(attributions('A roadside bomb hit a convoy. Al-Shabaab claimed responsibility for the attack.')).toEqual([['al-shabaab', 'claimed']]);
    expect(attributions('ISWAP later claimed the attack in a statement.')).toEqual([['is-west-africa', 'claimed']]);
  });

  it('suspected for "suspected" and "believed to be"', () => {
    expect(attributions('Suspected Boko Haram fighters raided the village.')).toEqual([['boko-haram', 'suspected']]);
    expect(attributions('The attackers were believed to be members of the ADF.')).toEqual([['adf', 'suspected']]);
  });

  it('attributed when officials or the report name the group', () => {
    expect(attributions('Police said Taliban fighters attacked the checkpoint.')).toEqual([['taliban', 'attributed']]);
  });

  it('"no group claimed" is no claim, and a denial is kept apart', () => {
    const text =
      'A rocket hit a wedding hall. No group claimed responsibility; however, officials attributed the attack to the Houthis. The Houthis denied responsibility.';
    expect(attributions(text)).toEqual([
      ['houthis', 'attributed'],
      ['houthis', 'denied'],
    ]);
    expect(attributions('No group claimed responsibility for the blast.')).toEqual([]);
  });

  it('an actor named as the target is no perpetrator', () => {
    const found = extractPerpetrators('Gunmen ambushed Taliban fighters near the river.', splitSentences('Gunmen ambushed Taliban fighters near the river.'));
    expect(found.perpetrators).toEqual([]);
    expect(found.targetedActors.map((a) => a.actorId)).toEqual(['taliban']);
    expect(found.mentions.map((m) => m.value.text)).toEqual(['Gunmen']);
  });
});

describe('perpetrators only from attribution contexts (synthetic texts)', () => {
  it('does not make a government named in the report a perpetrator', () => {
    const text =
      'A suicide bomber struck a wedding hall in Jalalabad, killing nine people, a Taliban police spokesman said. ISKP claimed responsibility in a statement. The Taliban government condemned the bombing.';
    expect(attributions(text)).toEqual([['is-khorasan', 'claimed']]);
  });

  it('ignores a group mentioned only as background', () => {
    const text =
      'Gunmen torched six houses in a village near Macomia, Mozambique, on Monday. No group has claimed the attack. In Somalia, al-Shabaab has carried out a string of bombings in recent years.';
    expect(attributions(text)).toEqual([]);
  });

  it('ignores a group named as the victim inside a claim', () => {
    const text = 'Islamic State claimed the raid, saying its fighters had "killed four elements of the PKK militia".';
    expect(attributions(text)).toEqual([['islamic-state', 'claimed']]);
  });

  it('keeps the branch and drops its parent named in apposition', () => {
    const text = 'ISWAP, the West African branch of the Islamic State group, claimed responsibility for the raid on the base.';
    expect(attributions(text)).toEqual([['is-west-africa', 'claimed']]);
  });

  it('reads a group as the one that acted in the event sentence', () => {
    expect(attributions("Fighters of the New People's Army ambushed a patrol in Samar, killing two soldiers.")).toEqual([['npa', 'attributed']]);
  });

  it('keeps claimed and suspected apart only when both are said', () => {
    const both = 'Police said they suspected JNIM fighters. Two days later JNIM claimed responsibility for the ambush in a statement.';
    const one = 'JNIM claimed responsibility for the ambush on the convoy.';
    expect(attributions(one)).toEqual([['jnim', 'claimed']]);
    expect(attributions(both).map((x) => x[1])).toContain('suspected');
  });

  it('keeps a group the registry does not know, by name', () => {
    const text = 'A bomb exploded outside a bank. No group claimed responsibility; however, sources attributed the attack to the Red Hand Commandos.';
    const found = extractPerpetrators(text, splitSentences(text)).perpetrators.map((p) => [p.value.name, p.value.actorId, p.value.attribution]);
    expect(found).toEqual([['Red Hand Commandos', null, 'attributed']]);
  });

  it('does not attribute an earlier attack mentioned in the same report', () => {
    const text =
      'A roadside bomb hit a police car near Bannu on Monday, killing two officers. No group has claimed it. The blast came three days after a similar bombing in Tank, an attack claimed by the TTP.';
    expect(attributions(text)).toEqual([]);
  });
});

describe('unregistered groups in attribution phrases (synthetic texts)', () => {
  const named = (text: string) => extractPerpetrators(text, splitSentences(text)).perpetrators.map((p) => [p.value.name, p.value.attribution]);
  it('a described group as the subject of a claim', () => {
    expect(named('Anti-mining activists claimed responsibility for the fire at the depot.')).toEqual([['Anti-mining activists', 'claimed']]);
  });
  it('"suspected that ... carried out by" is a suspicion, once', () => {
    expect(named('No group claimed it; however, police suspected that the arson may have been carried out by animal rights extremists.')).toEqual([
      ['animal rights extremists', 'suspected'],
    ]);
  });
  it('stops the name before "and" starting a new clause, and drops the article', () => {
    expect(named('Sources attributed the attack to an Iran-aligned militia and police arrested a suspect.')).toEqual([['Iran-aligned militia', 'attributed']]);
  });
});
