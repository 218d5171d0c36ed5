import { describe, expect, it } from 'vitest';
import { createExtractor, toContractIncident } from '../../src/extract/index.js';

const extractor = createExtractor();
const one = (text: string, published = '2024-06-10') => {
  const found = extractor.extract({ text, published });
  return found.length === 0 ? undefined : toContractIncident(found[0]!);
};

/** Synthetic reports written for these tests. */
describe('incident gate: attempted and intercepted attacks', () => {
  it('counts a defused roadside device as an attempted bombing', () => {
    const inc = one('Soldiers found and defused a roadside explosive device on the highway near Dori, Burkina Faso. Nobody was hurt.');
    expect(inc?.attack_types[0]).toBe('bombing');
    expect(inc?.weapon_types[0]).toBe('explosives');
  });
  it('counts an intercepted missile as an attack', () => {
    const inc = one('A missile fired at the city of Jizan, Saudi Arabia, was intercepted by air defences on Tuesday.');
    expect(inc).toBeDefined();
  });
});

describe('implied weapons', () => {
  it('reads an unspecified assault as a firearms attack, with low confidence', () => {
    const inc = one('Assailants attacked a police post in Mopti, Mali. Two officers were killed.');
    expect(inc?.attack_types[0]).toBe('armed_assault');
    expect(inc?.weapon_types).toEqual(['firearms']);
    expect(inc?.evidence.some((e) => e.field === 'weapon_types')).toBe(true);
  });
});

describe('assassination: an attack aimed at a particular person', () => {
  it('reads a shooting of a named official as an assassination', () => {
    const inc = one('Gunmen shot and killed Ramon Dela Pena, a village councillor, outside his home in Iloilo, Philippines.');
    expect(inc?.attack_types[0]).toBe('assassination');
  });
  it('reads a bomb on the vehicle of a named person as an assassination', () => {
    const inc = one('A sticky bomb detonated targeting the vehicle of Sayed Karim Hashimi in Herat, Afghanistan. Hashimi was unhurt.');
    expect(inc?.attack_types[0]).toBe('assassination');
    expect(inc?.weapon_types[0]).toBe('explosives');
  });
  it('keeps an attack on unnamed civilians an armed assault', () => {
    const inc = one('Gunmen opened fire on villagers in a market in Mopti, Mali, killing four.');
    expect(inc?.attack_types[0]).toBe('armed_assault');
  });
  it('keeps the abduction of an official a kidnapping', () => {
    const inc = one('Gunmen abducted a district judge, Moses Okafor, on the road to Owerri, Nigeria.');
    expect(inc?.attack_types[0]).toBe('kidnapping');
  });
});

describe('incident gate: what is not an incident', () => {
  const none = (text: string) => extractor.extract({ text, published: '2024-06-10' });
  it('a foiled plot with arrests', () => {
    expect(
      none(
        'LISBON, June 10 (Test Wire) — Police arrested four men in Porto on suspicion of planning a bomb attack on a concert, the interior ministry said. No attack took place and no explosives were found. Officers seized phones and a knife during searches.',
      ),
    ).toEqual([]);
  });
  it('a statistics piece', () => {
    expect(
      none(
        'Armed groups carried out more than 900 attacks in the country over the past year, a research centre said in its annual report. More than 1,400 people were killed in the violence, the report said. Attacks on schools have risen sharply.',
      ),
    ).toEqual([]);
  });
  it('an anniversary', () => {
    expect(none('Hundreds gathered on Sunday to commemorate the victims of the 2015 theatre attack, ten years after gunmen killed 90 people.')).toEqual([]);
  });
  it('a counter-terrorism raid', () => {
    expect(none('Three suspected militants were killed in a U.S. raid on a compound in the north, officials said.')).toEqual([]);
  });
  it('still reads the attack in a report that also gives statistics, without the statistics as casualties', () => {
    const text =
      'Gunmen killed five farmers in a village near Mokwa, Nigeria, on Saturday, police said. More than 1,900 people were killed in attacks in the state in 2024, according to a research group.';
    const inc = one(text);
    expect(inc?.killed?.best).toBe(5);
  });
});

describe('markup in a report', () => {
  const texts = [
    'KANO, Nigeria, March 3 (Test Wire) — Gunmen <img src=x onerror="alert(\'They could not. Would you?\')"> stormed a market in Kano on Sunday, killing six traders, police said.',
    'Gunmen stormed a market in Kano, Nigeria, on Sunday, killing six traders.<script>var plot = "arrested";</script> Police said the attackers fled.',
    'Gunmen stormed a market in Kano, Nigeria, on Sunday, killing six traders. <!-- planned --> A page showed <img src=x onerror="window.x=1"> instead of a statement.',
  ];
  it.each(texts)('keeps the incident and its fields: %s', (text) => {
    const found = extractor.extract({ text, published: '2024-03-04' });
    expect(found).toHaveLength(1);
    const inc = toContractIncident(found[0]!);
    expect(inc.killed?.best).toBe(6);
    expect(inc.location?.country).toBe('NG');
    for (const e of inc.evidence) expect(e.end).toBeLessThanOrEqual(text.length);
    expect(JSON.stringify(inc)).not.toContain('onerror');
  });
});

describe('place names and datelines', () => {
  it('writes the gazetteer name, not the dateline capitals', () => {
    const inc = one('KISMAYO, Somalia, June 9 (Test Wire) — A bomb exploded at a checkpoint in Kismayo on Sunday, killing two soldiers, police said.');
    expect(inc?.location?.name).toBe('Kismayo');
  });
  it('title-cases a dateline place in capitals when the text spells it another way', () => {
    const inc = one('DAVAO CITY, Philippines, June 9 (Test Wire) — Gunmen shot dead a village chief in DAVAO CITY, police said.');
    expect(inc?.location?.name).not.toMatch(/^[A-Z ]+$/);
  });
  it('prefers the place of the attack to the dateline city where the report was filed', () => {
    const inc = one(
      'MAIDUGURI, Nigeria, June 9 (Test Wire) — Militants attacked an army post in the town of Dikwa in Borno state on Sunday, killing four soldiers, officials said. Dikwa lies east of Maiduguri, the state capital.',
    );
    expect(inc?.location?.name).toBe('Dikwa');
  });
  it('places a neighbourhood of a capital at the capital', () => {
    const inc = one('A sticky bomb exploded under a car in Shahr-e Naw neighborhood, Kabul, Afghanistan. One civilian was wounded.');
    expect(inc?.location?.country).toBe('AF');
    expect(inc?.location?.lat).toBeCloseTo(34.5, 0);
  });
});

describe('target types', () => {
  it('codes the owner of a house, not the house', () => {
    const inc = one('A grenade was thrown at the residence of a provincial council member in Gardez, Afghanistan. Nobody was hurt.');
    expect(inc?.target_types[0]).toBe('government');
  });
  it('does not take the security forces who defused a bomb for its target', () => {
    const inc = one('Security forces defused an explosive device planted outside a school in Kirkuk, Iraq.');
    expect(inc?.target_types[0]).toBe('educational');
  });
  it('codes a town attacked as a whole as private citizens', () => {
    const inc = one('Assailants shelled Hays, Al Hudaydah, Yemen. Casualties are unknown.');
    expect(inc?.target_types[0]).toBe('private_citizens');
  });
  it('codes a supply convoy of a military coalition as military', () => {
    const inc = one('A roadside bomb hit a logistical convoy near Hillah, Iraq. There were no casualties.');
    expect(inc?.target_types[0]).toBe('military');
  });
});

describe('attack then arrest, possessives, background statistics', () => {
  it('keeps an attack whose sentence ends with the attacker being detained', () => {
    const inc = one(
      'LILLE, France, June 9 (Test Wire) — A man armed with a knife attacked shoppers at a market near Lille\'s main station on Sunday, killing one person and wounding three before he was detained, police said.',
    );
    expect(inc?.attack_types[0]).toBe('armed_assault');
    expect(inc?.weapon_types[0]).toBe('melee');
    expect(inc?.location?.name).toBe('Lille');
    expect(inc?.killed?.best).toBe(1);
  });
  it('does not read a conflict-wide toll as the attack\'s casualties', () => {
    const inc = one(
      'At least five soldiers were killed in an attack on an army post in Mueda, Mozambique, on Tuesday. The insurgency in the province has killed thousands of people since 2017.',
    );
    expect(inc?.killed?.best).toBe(5);
  });
});

describe('court words that are not a trial', () => {
  it('keeps the killing of a court employee', () => {
    const inc = one('Gunmen shot and killed a provincial court employee in Ghazni, Afghanistan.');
    expect(inc?.killed?.best).toBe(1);
  });
  it('still rejects a trial report', () => {
    expect(extractor.extract({ text: 'Two men went on trial in Paris for the 2016 church attack that killed a priest.', published: '2024-06-10' })).toEqual([]);
  });
});

describe('targets named after the attack sentence', () => {
  it('takes the role of the person whose vehicle was targeted from the next sentence', () => {
    const inc = one('A bomb exploded targeting the vehicle of Ali Warsame in Hodan neighborhood, Mogadishu, Somalia. Warsame, a member of the regional parliament, was wounded.');
    expect(inc?.target_types[0]).toBe('government');
  });
  it('codes a town hall as government', () => {
    expect(one('Assailants threw petrol bombs at the town hall in Patras, Greece. Nobody was hurt.')?.target_types[0]).toBe('government');
  });
  it('codes a neighbourhood attacked as a whole as private citizens', () => {
    expect(one('Assailants attacked Hodan neighborhood, Mogadishu, Somalia. Two people were killed.')?.target_types[0]).toBe('private_citizens');
  });
});

describe('attacks on things', () => {
  it('codes an attack on a power line with nobody hurt as a facility attack', () => {
    expect(one('Assailants attacked a power line in Kirkuk, Iraq. No casualties were reported.')?.attack_types[0]).toBe('facility_attack');
  });
  it('keeps an attack on an office that killed people an armed assault', () => {
    expect(one('Assailants attacked a district office in Ghor, Afghanistan. Two guards were killed.')?.attack_types[0]).toBe('armed_assault');
  });
  it('reads "suicide bombers attacked" as a bombing', () => {
    expect(one('Three suicide bombers attacked a police post in Khost, Afghanistan, killing two officers.')?.attack_types[0]).toBe('bombing');
  });
});
