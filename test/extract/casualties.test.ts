import { describe, expect, it } from 'vitest';
import { extractCasualties, parseNumber } from '../../src/extract/index.js';

const best = (text: string) => {
  const c = extractCasualties(text);
  return { killed: c.killed?.value, wounded: c.wounded?.value, attackers: c.perpetratorsKilled?.value };
};

describe('numbers', () => {
  it('reads digits, words and vague quantities', () => {
    expect(parseNumber('1,200')).toEqual({ value: 1200, vague: false });
    expect(parseNumber('twenty-five')).toEqual({ value: 25, vague: false });
    expect(parseNumber('two hundred and ten')).toEqual({ value: 210, vague: false });
    expect(parseNumber('dozens')).toEqual({ value: 24, vague: true });
    expect(parseNumber('banana')).toBeNull();
  });
});

describe('casualty patterns', () => {
  it('reads passive figures with qualifiers', () => {
    expect(best('At least 12 people were killed in the blast.').killed).toEqual({ low: 12, best: 12, high: null, kind: 'reported' });
    expect(best('Nearly 40 people were wounded.').wounded).toEqual({ low: null, best: 40, high: 40, kind: 'reported' });
    expect(best('Two soldiers were wounded when the mine exploded.').wounded).toEqual({ low: 2, best: 2, high: 2, kind: 'reported' });
  });

  it('reads active figures', () => {
    const c = best('Gunmen killed five villagers and wounded three others.');
    expect(c.killed?.best).toBe(5);
    expect(c.wounded?.best).toBe(3);
    expect(best('The bomb exploded in a market, killing at least 23 people.').killed).toEqual({ low: 23, best: 23, high: null, kind: 'reported' });
  });

  it('sums coordinated figures', () => {
    expect(best('Two soldiers and a civilian were killed.').killed?.best).toBe(3);
  });

  it('keeps vague figures as lower bounds', () => {
    expect(best('Dozens of people were injured.').wounded).toEqual({ low: 24, best: null, high: null, kind: 'reported' });
    expect(best('The blast left dozens dead.').killed).toEqual({ low: 24, best: null, high: null, kind: 'reported' });
  });

  it('reads "dead" and the death toll', () => {
    expect(best('At least 8 dead after gunmen stormed the hotel.').killed?.best).toBe(8);
    expect(best('The death toll rose to 31 on Sunday.').killed?.best).toBe(31);
  });

  it('reads a single named victim', () => {
    expect(best('Assailants shot the mayor; he was killed on the spot.').killed?.best).toBe(1);
    expect(best('Assailants shot and killed a police officer.').killed?.best).toBe(1);
  });

  it('reads explicit zeros', () => {
    const c = best('The grenade missed its target and did not cause any casualties.');
    expect(c.killed?.best).toBe(0);
    expect(c.wounded?.best).toBe(0);
    expect(best('No one was injured in the arson.').wounded?.best).toBe(0);
  });

  it('keeps attackers apart from victims', () => {
    const c = best('Six people, including the bomber, were killed and 14 others were wounded.');
    expect(c.killed?.best).toBe(5);
    expect(c.attackers?.best).toBe(1);
    expect(c.wounded?.best).toBe(14);
    const d = best('Three militants were killed in the ensuing clash.');
    expect(d.killed).toBeUndefined();
    expect(d.attackers?.best).toBe(3);
  });

  it('gives evidence spans that cover the figure', () => {
    const text = 'On Tuesday, four policemen were killed near the border.';
    const c = extractCasualties(text);
    const span = c.killed?.evidence[0];
    expect(span).toBeDefined();
    if (span !== undefined) expect(text.slice(span.start, span.end)).toContain('four policemen were killed');
    expect(c.victims[0]?.value.text).toBe('four policemen');
  });
});

describe('victim phrases', () => {
  it('covers the whole noun phrase after the verb', () => {
    const c = extractCasualties('Gunmen killed two police officers in the market.');
    expect(c.killed?.value.best).toBe(2);
    expect(c.victims[0]?.value.text).toBe('two police officers');
  });
});

describe('casualty phrasing (synthetic texts)', () => {
  const killedOf = (text: string) => {
    const c = extractCasualties(text);
    return (c.killed?.value.best ?? 0) + (c.perpetratorsKilled?.value.best ?? 0);
  };
  it('reads "an unknown number" as no figure', () => {
    expect(killedOf('In addition to an unknown number of assailant casualties, at least one soldier was killed in the clash.')).toBe(1);
  });
  it('reads "was shot and killed" as one death', () => {
    expect(killedOf('The attacker was shot and killed by a guard.')).toBe(1);
  });
  it('reads a group name in parentheses inside the victims phrase', () => {
    expect(killedOf('At least six Village Defence Force (VDF) members were killed in the raid.')).toBe(6);
  });
});

describe('more casualty phrasing (synthetic texts)', () => {
  const total = (text: string) => {
    const c = extractCasualties(text);
    return [c.killed?.value.best ?? 0, c.perpetratorsKilled?.value.best ?? 0];
  };
  it('counts the attacker set apart by "in addition to"', () => {
    expect(total('A suicide bomber struck a checkpoint. In addition to the bomber, at least three police officers were killed.')).toEqual([3, 1]);
  });
  it('counts a named victim', () => {
    expect(total('Gunmen shot and killed Maria Santos, a village councillor, in Iloilo.')).toEqual([1, 0]);
    expect(total('Gunmen shot and killed former councillor Pedro Reyes in Iloilo.')).toEqual([1, 0]);
  });
  it('does not count a place or a weekday as a victim', () => {
    expect(total('Gunmen killed villagers in Borno on Monday.')).toEqual([0, 0]);
  });
  it('adds a victim the report says was also killed', () => {
    expect(total('Gunmen shot and killed a police officer in Kandahar. A passer-by was also killed.')).toEqual([2, 0]);
  });
  it('reads "both" as two and a named person before "and N others"', () => {
    expect(total('Both brothers were killed in the attack.')).toEqual([2, 0]);
    expect(total('Karimi and two other passengers were killed when gunmen fired on the car.')).toEqual([3, 0]);
  });
});

describe('attackers and articles (synthetic texts)', () => {
  const both = (text: string) => {
    const c = extractCasualties(text);
    return [c.killed?.value.best ?? 0, c.perpetratorsKilled?.value.best ?? 0];
  };
  it('does not read the "a" of "and" as one more victim', () => {
    expect(both('Six attackers were killed and four others were wounded.')).toEqual([0, 6]);
  });
  it('does not count the attackers of "in addition to" twice', () => {
    expect(both('In addition to the five assailants, two police officers were killed.')).toEqual([2, 5]);
  });
});

describe('named and related victims (synthetic texts)', () => {
  const k = (text: string) => extractCasualties(text).killed?.value.best ?? 0;
  it('a named victim after a title', () => {
    expect(k('Gunmen shot and killed former Iloilo town councillor Pedro Reyes in Iloilo.')).toBe(1);
  });
  it('an office holder with the definite article', () => {
    expect(k('Gunmen shot and killed the former district governor in Kandahar.')).toBe(1);
  });
  it('a person and his relatives', () => {
    expect(k('The shopkeeper and his two sons were killed in the attack.')).toBe(3);
    expect(k('The militia member and his mother were killed in the attack.')).toBe(2);
  });
  it('no victim from soldiers in a town', () => {
    expect(k('The army said it killed Taliban fighters in Kunduz, officials said.')).toBe(0);
  });
});
