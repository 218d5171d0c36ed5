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
