import { describe, expect, it } from 'vitest';
import { extractLowercaseRoles, isCaseless } from '../../src/extract/lowercase-roles.js';

const texts = (fields: readonly { value: { text: string } }[]): string[] => fields.map((f) => f.value.text);

describe('caseless role fillers', () => {
  it('only applies to text without capitals', () => {
    expect(isCaseless('urban guerrillas bombed a bank.')).toBe(true);
    expect(isCaseless('Urban guerrillas bombed a bank.')).toBe(false);
  });

  it('reads groups, attackers, targets and weapons from a lower-case report', () => {
    const text = 'urban guerrillas of the shining path set off a powerful bomb at the state bank branch in the town. police said no one was hurt.';
    const r = extractLowercaseRoles(text);
    expect(r.attack).toBe(true);
    expect(r.perpetrators.map((p) => p.value.name)).toEqual(['shining path']);
    expect(texts(r.perpetratorMentions)).toContain('urban guerrillas');
    expect(texts(r.weapons)).toContain('bomb');
    expect(texts(r.targets)).toContain('state bank');
    for (const f of [...r.perpetratorMentions, ...r.weapons, ...r.targets]) {
      const e = f.evidence[0];
      expect(e).toBeDefined();
      if (e !== undefined) expect(text.slice(e.start, e.end)).toBe(f.value.text);
    }
  });

  it('keeps the "of" complement of a target and reads no soldiers as attackers', () => {
    const text = 'terrorists dynamited the offices of the labor unions in the capital. soldiers attacked the house.';
    const r = extractLowercaseRoles(text);
    expect(texts(r.targets)).toContain('offices of the labor unions');
    expect(texts(r.perpetratorMentions)).not.toContain('soldiers');
    for (const f of r.targets) {
      const e = f.evidence[0];
      if (e !== undefined) expect(text.slice(e.start, e.end)).toBe(f.value.text);
    }
  });

  it('reads no weapons from sentences about arms seized or found', () => {
    const r = extractLowercaseRoles('guerrillas killed two peasants with rifles. troops later seized rifles and grenades that the guerrillas had hidden after the attack.');
    expect(texts(r.weapons)).toEqual(['rifles']);
  });

  it('reads no vague target head on its own', () => {
    const r = extractLowercaseRoles('guerrillas bombed the headquarters and the party headquarters in the town.');
    expect(texts(r.targets)).toEqual(['party headquarters']);
  });

  it('reads a named victim after a title, without the title', () => {
    const r = extractLowercaseRoles('gunmen murdered judge pedro ramirez soto in front of his home yesterday.');
    expect(texts(r.victims)).toContain('pedro ramirez soto');
    expect(texts(r.perpetratorMentions)).toContain('gunmen');
  });

  it('finds nothing in a text without an attack', () => {
    const r = extractLowercaseRoles('the minister met the ambassador of the fmln delegation to discuss the peace talks.');
    expect(r.attack).toBe(false);
    expect(r.perpetrators).toEqual([]);
  });
  it('names a group only where it acts: claimed, attributed, "by the x", "x guerrillas"', () => {
    const names = (t: string): string[] => extractLowercaseRoles(t).perpetrators.map((p) => p.value.name);
    expect(names('a bomb exploded at the bank. the fmln has called for talks with the government.')).toEqual([]);
    expect(names('a bomb exploded at the bank. the attack was attributed to the fmln.')).toEqual(['fmln']);
    expect(names('fmln urban commandos dynamited a power pylon in the capital.')).toEqual(['fmln']);
    expect(names('the bank was bombed by the shining path last night.')).toEqual(['shining path']);
  });

  it('reads state forces as perpetrators when they act', () => {
    const r = extractLowercaseRoles('the peasants said the air force bombed their village and killed two children.');
    expect(r.perpetrators.map((p) => p.value.name)).toEqual(['air force']);
  });

  it('reads a victim named after a harm verb without the title', () => {
    const r = extractLowercaseRoles('the murder of senator luis perez gomez in the capital was condemned.');
    expect(texts(r.victims)).toEqual(['luis perez gomez']);
  });
  it('reads bystander-prone attackers only where they act, never soldiers, and skips sentences about battles', () => {
    expect(texts(extractLowercaseRoles('drug traffickers killed two peasants near the village.').perpetratorMentions)).toEqual(['drug traffickers']);
    expect(texts(extractLowercaseRoles('soldiers killed two peasants near the village.').perpetratorMentions)).toEqual([]);
    expect(texts(extractLowercaseRoles('the rebels killed two soldiers near the village.').perpetratorMentions)).toEqual(['rebels']);
    expect(extractLowercaseRoles('guerrillas and soldiers clashed near the village; two were killed.').perpetratorMentions).toEqual([]);
  });

  it('reads a victim before a possessive harm noun', () => {
    expect(texts(extractLowercaseRoles("police are investigating luis perez gomez's murder.").victims)).toEqual(['luis perez gomez']);
  });
  it('cuts verbs from target modifiers and descriptions from victim names', () => {
    const r = extractLowercaseRoles('guerrillas dynamited the police station and looted stores. they killed liberal leader jose perez gomez in the town.');
    expect(texts(r.targets)).toEqual(expect.arrayContaining(['police station', 'stores']));
    expect(texts(r.victims)).toEqual(['jose perez gomez']);
  });
});
