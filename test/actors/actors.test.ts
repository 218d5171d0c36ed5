import { describe, expect, it } from 'vitest';
import { ActorSchema } from '../../src/core/model.js';
import { ACTORS, findActors, getActor } from '../../src/actors/index.js';

describe('actor registry', () => {
  it('holds valid actors with unique ids and known parents', () => {
    const ids = new Set<string>();
    for (const actor of ACTORS) {
      expect(() => ActorSchema.parse(actor)).not.toThrow();
      expect(ids.has(actor.id)).toBe(false);
      ids.add(actor.id);
    }
    for (const actor of ACTORS) if (actor.parentId !== null) expect(ids.has(actor.parentId)).toBe(true);
    for (const id of ['is-khorasan', 'is-west-africa', 'is-sahel', 'is-somalia', 'is-mozambique', 'is-central-africa', 'is-sinai', 'is-pakistan', 'is-hind', 'jnim', 'aqap', 'aqim', 'al-shabaab', 'taliban', 'ttp', 'boko-haram', 'houthis', 'hamas', 'hezbollah', 'pkk', 'eln', 'farc-dissidents', 'npa', 'cpi-maoist', 'adf']) {
      expect(getActor(id)?.id).toBe(id);
    }
    expect(getActor('is-khorasan')?.parentId).toBe('islamic-state');
  });
});

describe('findActors', () => {
  it('finds province aliases and returns exact spans', () => {
    const text = 'Officials blamed ISIS-K for the blast, and ISKP later issued a statement.';
    const found = findActors(text);
    expect(found.map((f) => f.actorId)).toEqual(['is-khorasan', 'is-khorasan']);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it('lets the longest match win', () => {
    const found = findActors('The Islamic State Khorasan Province said it carried out the attack.');
    expect(found).toHaveLength(1);
    expect(found[0]?.actorId).toBe('is-khorasan');
    expect(found[0]?.text).toBe('Islamic State Khorasan Province');
  });

  it('matches at word boundaries, acronyms only in capitals', () => {
    expect(findActors('This is a thistle; let it be.')).toEqual([]);
    expect(findActors('Fighters of the ADF raided the village.')[0]?.actorId).toBe('adf');
    expect(findActors('Militants from LeT were blamed.')[0]?.actorId).toBe('let');
  });

  it('tolerates spelling variants and Arabic script', () => {
    expect(findActors('Al Shabaab fighters')[0]?.actorId).toBe('al-shabaab');
    expect(findActors('al-Shabab militants')[0]?.actorId).toBe('al-shabaab');
    expect(findActors("Kurdistan Workers’ Party militants")[0]?.actorId).toBe('pkk');
    expect(findActors('أعلن تنظيم داعش مسؤوليته')[0]?.actorId).toBe('islamic-state');
    expect(findActors('Houthi rebels fired a missile')[0]?.actorId).toBe('houthis');
  });
});
