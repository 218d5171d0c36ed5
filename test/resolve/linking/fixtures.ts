import type { LinkRecord } from '../../../src/resolve/linking/index.js';

/** A fixture record and the attack it reports (the answer the linker must find). */
export interface Fixture {
  readonly attack: string;
  readonly record: LinkRecord;
}

function rec(attack: string, partial: Partial<LinkRecord> & Pick<LinkRecord, 'id' | 'source'>): Fixture {
  return {
    attack,
    record: {
      date: null,
      country: null,
      admin1: null,
      place: null,
      point: null,
      actors: [],
      attackTypes: [],
      killed: null,
      wounded: null,
      text: null,
      ...partial,
    },
  };
}

const day = (d: string) => ({ start: d, end: d, precision: 'day' as const });
const n = (v: number) => ({ low: v, best: v, high: v });

/**
 * Short invented reports of invented attacks. Each attack is told by two to four sources with
 * other spellings, tolls, one-day-off dates and province instead of city; look-alikes (same day
 * and country, other place or toll) are other attacks; two bombs in two cities on the same day,
 * coded by one dataset as two rows, are two attacks.
 */
export const FIXTURES: readonly Fixture[] = [
  // A: a suicide bombing in Puli Alam, told three ways.
  rec('A', { id: 'wire-1', source: 'wire', date: day('2017-03-10'), country: 'AF', place: 'Pul-e-Alam', actors: ['taliban'], attackTypes: ['bombing'], killed: n(12), wounded: n(20), text: 'A suicide bomber struck a police checkpoint in Pul-e-Alam, the capital of Logar province, killing 12.' }),
  rec('A', { id: 'db-1', source: 'dataset', date: day('2017-03-10'), country: 'AF', admin1: 'Logar', place: 'Puli Alam', actors: ['taliban'], attackTypes: ['bombing'], killed: n(13), killedPerpetrators: 1, wounded: n(21), text: 'Bombing/Explosion; target: Police; suicide attack' }),
  rec('A', { id: 'local-1', source: 'local', date: day('2017-03-11'), country: 'AF', place: 'Logar Province', actors: ['taliban'], attackTypes: ['bombing'], killed: n(14), wounded: null, text: 'Fourteen people died in yesterday\'s suicide attack on police in Logar province.' }),
  // A look-alike the same day elsewhere: another attack.
  rec('B', { id: 'db-2', source: 'dataset', date: day('2017-03-10'), country: 'AF', admin1: 'Kandahar', place: 'Maywand district', actors: ['taliban'], attackTypes: ['armed_assault'], killed: n(3), wounded: n(0), text: 'Armed Assault; target: Police' }),
  rec('B', { id: 'wire-2', source: 'wire', date: day('2017-03-10'), country: 'AF', place: 'Maiwand District', actors: ['taliban'], attackTypes: ['armed_assault'], killed: n(3), wounded: null, text: 'Gunmen killed three policemen in Maiwand district of Kandahar.' }),
  // C: a shooting in Dih Yak, named Deh Yak elsewhere, with the IS province and IS.
  rec('C', { id: 'wire-3', source: 'wire', date: day('2018-02-22'), country: 'AF', place: 'Deh Yak District', actors: ['islamic-state'], attackTypes: ['armed_assault'], killed: n(8), wounded: n(3), text: 'Militants of the Islamic State shot dead eight villagers in Deh Yak district, Ghazni.' }),
  rec('C', { id: 'db-3', source: 'dataset', date: day('2018-02-21'), country: 'AF', admin1: 'Ghazni', place: 'Dih Yak district', actors: ['is-khorasan'], attackTypes: ['assassination'], killed: n(8), wounded: n(3), text: 'Assassination; target: Private Citizens & Property' }),
  // D and E: two bombs in two cities the same day, coded by the dataset as two rows; the wire tells only the first.
  rec('D', { id: 'db-4', source: 'dataset', date: day('2016-07-23'), country: 'CM', admin1: 'Far North', place: 'Kolofata', actors: ['boko-haram'], attackTypes: ['bombing'], killed: n(5), wounded: n(10), text: 'Bombing/Explosion; target: Private Citizens & Property; suicide attack' }),
  rec('E', { id: 'db-5', source: 'dataset', date: day('2016-07-23'), country: 'CM', admin1: 'Far North', place: 'Mora', actors: ['boko-haram'], attackTypes: ['bombing'], killed: n(5), wounded: n(10), text: 'Bombing/Explosion; target: Private Citizens & Property; suicide attack' }),
  rec('D', { id: 'wire-4', source: 'wire', date: day('2016-07-23'), country: 'CM', place: 'Kolofata', actors: ['boko-haram'], attackTypes: ['bombing'], killed: n(5), wounded: n(9), text: 'A female suicide bomber blew herself up at a market in Kolofata, Far North Region, killing five.' }),
  // F: a kidnapping, then a higher toll a day later.
  rec('F', { id: 'wire-5', source: 'wire', date: day('2018-05-03'), country: 'BF', place: 'Djibo', actors: ['ansarul-islam'], attackTypes: ['kidnapping'], killed: n(1), wounded: null, text: 'Gunmen abducted a teacher and killed a guard near Djibo.' }),
  rec('F', { id: 'local-2', source: 'local', date: day('2018-05-04'), country: 'BF', place: 'Djibo', actors: ['name:ansar ul islam'], attackTypes: ['kidnapping', 'armed_assault'], killed: n(2), wounded: null, text: 'A teacher kidnapped in Djibo; two guards were killed in the attack.' }),
  rec('F', { id: 'db-6', source: 'dataset', date: day('2018-05-03'), country: 'BF', admin1: 'Sahel', place: 'Djibo', actors: [], attackTypes: ['kidnapping'], killed: n(2), wounded: n(0), text: 'Hostage Taking (Kidnapping); target: Educational Institution' }),
  // G: a different attack in the same town a week later.
  rec('G', { id: 'wire-6', source: 'wire', date: day('2018-05-11'), country: 'BF', place: 'Djibo', actors: [], attackTypes: ['bombing'], killed: n(4), wounded: n(2), text: 'A roadside bomb killed four soldiers outside Djibo.' }),
  // H: two attacks the same day in Kabul with different tolls and targets.
  rec('H', { id: 'wire-7', source: 'wire', date: day('2017-05-31'), country: 'AF', place: 'Kabul', actors: [], attackTypes: ['bombing'], killed: n(90), wounded: n(400), text: 'A truck bomb in the diplomatic quarter of Kabul killed 90 people and wounded about 400.' }),
  rec('H', { id: 'db-7', source: 'dataset', date: day('2017-05-31'), country: 'AF', admin1: 'Kabul', place: 'Kabul', actors: [], attackTypes: ['bombing'], killed: n(92), wounded: n(413), text: 'Bombing/Explosion; target: Diplomatic; weapon: Explosives' }),
  rec('I', { id: 'db-8', source: 'dataset', date: day('2017-05-31'), country: 'AF', admin1: 'Kabul', place: 'Kabul', actors: ['taliban'], attackTypes: ['armed_assault'], killed: n(1), wounded: n(0), text: 'Armed Assault; target: Government (General)' }),
  rec('I', { id: 'local-3', source: 'local', date: day('2017-06-01'), country: 'AF', place: 'Kabul', actors: ['taliban'], attackTypes: ['assassination'], killed: n(1), wounded: null, text: 'A government official was shot dead in Kabul by Taliban gunmen.' }),
  // J: Chile, an arson told with another group spelling; K: another arson the same day elsewhere.
  rec('J', { id: 'wire-8', source: 'wire', date: day('2018-01-12'), country: 'CL', place: 'Ercilla', actors: ['name:coordinadora arauco malleco'], attackTypes: ['facility_attack'], killed: n(0), wounded: n(0), text: 'Trucks were set on fire near Ercilla, Araucania; the Coordinadora Arauco-Malleco was blamed.' }),
  rec('J', { id: 'db-9', source: 'dataset', date: day('2018-01-12'), country: 'CL', admin1: 'Araucania', place: 'Ercilla', actors: ['name:coordinadora arauco malleco cam'], attackTypes: ['facility_attack'], killed: n(0), wounded: n(0), text: 'Facility/Infrastructure Attack; target: Business' }),
  rec('K', { id: 'db-10', source: 'dataset', date: day('2018-01-12'), country: 'CL', admin1: 'Biobio', place: 'Tirua', actors: ['name:weichan auka mapu'], attackTypes: ['facility_attack'], killed: n(0), wounded: n(0), text: 'Facility/Infrastructure Attack; target: Religious Figures/Institutions' }),
  // L: a lone report that matches nothing.
  rec('L', { id: 'local-4', source: 'local', date: day('2016-09-05'), country: 'BI', place: 'Bujumbura', actors: [], attackTypes: ['bombing'], killed: n(0), wounded: n(4), text: 'A grenade thrown at a bar in Bujumbura wounded four people.' }),
];

/** Pairwise precision, recall and F1 of a clustering against the fixtures' attacks. */
export function pairwiseScore(fixtures: readonly Fixture[], clusterOf: ReadonlyMap<string, string>): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < fixtures.length; i++) {
    for (let j = i + 1; j < fixtures.length; j++) {
      const a = fixtures[i] as Fixture;
      const b = fixtures[j] as Fixture;
      const same = a.attack === b.attack;
      const linked = clusterOf.get(a.record.id) === clusterOf.get(b.record.id);
      if (same && linked) tp++;
      else if (linked) fp++;
      else if (same) fn++;
    }
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}
