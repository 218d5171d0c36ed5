import type { AttackType } from '../../src/core/codebook.js';
import { emptyMentionFields, type DocumentKind, type MentionFields, type Perpetrator } from '../../src/core/model.js';
import type { ExtractedIncident, Extractor } from '../../src/pipeline/ingest.js';
import type { ReportInput } from '../../src/sources/report.js';

/*
 * Our own linking fixture, written for Vigil: several reports of the same attack told with other
 * words, figures, spellings and dates (wires, later updates, the group's claim), next to
 * look-alikes that are different attacks (same country and week, a nearby town, another day).
 * Each report carries the fields an extractor would find in it, so that linking is tested alone.
 */

/** One report of the fixture: its text, when it was published, what it says, and the attack it is about. */
export interface FixtureReport {
  /** The attack it reports; reports of one attack share it. */
  attack: string;
  id: string;
  text: string;
  published: string;
  kind?: DocumentKind;
  date: string;
  place: { name: string; admin1: string; country: string; lat: number; lon: number };
  attackType: AttackType;
  perpetrator?: Perpetrator;
  killed?: [number, number | null, 'reported' | 'claimed'];
  wounded?: number;
}

const whole = (text: string) => [{ start: 0, end: Math.min(text.length, 10) }];

/** The fields an extractor would read from a fixture report. */
export function fieldsOf(report: FixtureReport): MentionFields {
  const fields = emptyMentionFields();
  const evidence = whole(report.text);
  fields.date = { value: { start: report.date, end: report.date, precision: 'day' }, evidence, confidence: 0.9 };
  fields.location = { value: { ...report.place, precision: 'city', radiusKm: 10 }, evidence, confidence: 0.85 };
  fields.attackTypes = [{ value: report.attackType, evidence, confidence: 0.8 }];
  if (report.perpetrator !== undefined) fields.perpetrators = [{ value: report.perpetrator, evidence, confidence: 0.8 }];
  if (report.killed !== undefined) {
    const [low, high, kind] = report.killed;
    fields.killed = { value: { low, best: low, high, kind }, evidence, confidence: 0.85 };
  }
  if (report.wounded !== undefined) fields.wounded = { value: { low: report.wounded, best: report.wounded, high: report.wounded, kind: 'reported' }, evidence, confidence: 0.8 };
  return fields;
}

/** An extractor that gives each fixture report's fields (one mention covering the whole text). */
export function fixtureExtractor(reports: readonly FixtureReport[]): Extractor {
  const byText = new Map(reports.map((r) => [r.text, r]));
  return {
    name: 'linking-fixture@1',
    extract: ({ text }): ExtractedIncident[] => {
      const report = byText.get(text);
      return report === undefined ? [] : [{ span: { start: 0, end: text.length }, fields: fieldsOf(report), confidence: 0.9 }];
    },
  };
}

/** A fixture report as an ingest input. */
export function asInput(report: FixtureReport): ReportInput {
  return { id: report.id, text: report.text, published: report.published, kind: report.kind ?? 'article' };
}

const ISWAP: Perpetrator = { name: 'Islamic State West Africa Province', actorId: 'is-west-africa', attribution: 'claimed', attributedBy: 'the group' };
const ISWAP_SUSPECTED: Perpetrator = { name: 'Islamic State West Africa Province', actorId: 'is-west-africa', attribution: 'suspected', attributedBy: 'officials' };
const SHABAAB: Perpetrator = { name: 'al-Shabaab', actorId: 'al-shabaab', attribution: 'claimed', attributedBy: 'the group' };
const TTP: Perpetrator = { name: 'Tehrik-e-Taliban Pakistan', actorId: 'ttp', attribution: 'claimed', attributedBy: 'the group' };
const TTP_SUSPECTED: Perpetrator = { name: 'Pakistani Taliban', actorId: 'ttp', attribution: 'suspected', attributedBy: 'police' };
const ISK: Perpetrator = { name: 'Islamic State Khorasan Province', actorId: 'is-khorasan', attribution: 'claimed', attributedBy: 'the group' };
const ISM: Perpetrator = { name: 'Islamic State Mozambique Province', actorId: 'is-mozambique', attribution: 'claimed', attributedBy: 'the group' };
const JNIM: Perpetrator = { name: 'JNIM', actorId: 'jnim', attribution: 'suspected', attributedBy: 'security sources' };

const DIKWA = { name: 'Dikwa', admin1: 'Borno', country: 'NG', lat: 12.0361, lon: 13.9169 };
const GWOZA = { name: 'Gwoza', admin1: 'Borno', country: 'NG', lat: 11.0833, lon: 13.6953 };
const MOGADISHU = { name: 'Mogadishu', admin1: 'Banaadir', country: 'SO', lat: 2.0371, lon: 45.3438 };
const LAKKI = { name: 'Lakki Marwat', admin1: 'Khyber Pakhtunkhwa', country: 'PK', lat: 32.6072, lon: 70.9123 };
const BANNU = { name: 'Bannu', admin1: 'Khyber Pakhtunkhwa', country: 'PK', lat: 32.9853, lon: 70.604 };
const KABUL = { name: 'Kabul', admin1: 'Kabul', country: 'AF', lat: 34.5253, lon: 69.1783 };
const DJIBO = { name: 'Djibo', admin1: 'Sahel', country: 'BF', lat: 14.1022, lon: -1.6306 };
const DIAPAGA = { name: 'Diapaga', admin1: 'Est', country: 'BF', lat: 12.0708, lon: 1.7889 };
const MOCIMBOA = { name: 'Mocímboa da Praia', admin1: 'Cabo Delgado', country: 'MZ', lat: -11.3167, lon: 40.35 };
const LYON = { name: 'Lyon', admin1: 'Auvergne-Rhône-Alpes', country: 'FR', lat: 45.748, lon: 4.8467 };
const BAGHDAD = { name: 'Baghdad', admin1: 'Baghdad', country: 'IQ', lat: 33.3406, lon: 44.4009 };
const KIRKUK = { name: 'Kirkuk', admin1: 'Kirkuk', country: 'IQ', lat: 35.4681, lon: 44.3922 };

/** The fixture: 14 attacks told by 27 reports: 9 told by two or three, 5 look-alikes told once. */
export const LINKING_FIXTURE: readonly FixtureReport[] = [
  // An attack on an army base in Dikwa: first wire, updated toll, the group's own (higher) claim.
  { attack: 'dikwa', id: 'dikwa-1', published: '2025-05-14', date: '2025-05-13', place: DIKWA, attackType: 'armed_assault', perpetrator: ISWAP_SUSPECTED, killed: [9, null, 'reported'], wounded: 5,
    text: 'MAIDUGURI, May 14 (Lake Chad Wire) — Militants stormed an army base in Dikwa, Borno State, on Tuesday evening, killing at least nine soldiers, military sources said. Five soldiers were wounded.' },
  { attack: 'dikwa', id: 'dikwa-2', published: '2025-05-15', date: '2025-05-13', place: { ...DIKWA, name: 'Dikwa town' }, attackType: 'armed_assault', perpetrator: ISWAP_SUSPECTED, killed: [12, 12, 'reported'], wounded: 7,
    text: 'The toll of the assault on the military barracks in Dikwa town rose to 12 soldiers, officials said on Thursday; seven more were wounded when the insurgents overran the base on Tuesday.' },
  { attack: 'dikwa', id: 'dikwa-3', published: '2025-05-14', kind: 'claim', date: '2025-05-14', place: DIKWA, attackType: 'armed_assault', perpetrator: ISWAP, killed: [20, 20, 'claimed'],
    text: 'Statement: soldiers of the caliphate attacked a barracks of the Nigerian army in Dikwa, killing 20 apostate soldiers and seizing weapons. Praise be to God.' },
  // A look-alike the next day in Gwoza, 100 km south: other victims, other toll.
  { attack: 'gwoza', id: 'gwoza-1', published: '2025-05-15', date: '2025-05-14', place: GWOZA, attackType: 'armed_assault', perpetrator: ISWAP_SUSPECTED, killed: [3, 3, 'reported'],
    text: 'Gunmen on motorcycles killed three farmers outside Gwoza on Wednesday, residents said, the second raid on the area this month.' },

  // A car bomb at a Mogadishu restaurant: 7 then 8 killed, claimed by al-Shabaab.
  { attack: 'mogadishu', id: 'mogadishu-1', published: '2025-08-21', date: '2025-08-21', place: MOGADISHU, attackType: 'bombing', killed: [7, null, 'reported'], wounded: 15,
    text: 'MOGADISHU, Aug 21 — A car bomb exploded outside a busy seafront restaurant in Mogadishu on Thursday evening, killing at least seven people and wounding 15, police said.' },
  { attack: 'mogadishu', id: 'mogadishu-2', published: '2025-08-22', date: '2025-08-21', place: { ...MOGADISHU, name: 'Muqdisho' }, attackType: 'bombing', perpetrator: SHABAAB, killed: [8, 8, 'reported'], wounded: 17,
    text: 'Al-Shabaab said it carried out the restaurant bombing in Muqdisho that killed eight people on Thursday; hospital staff said 17 wounded were being treated.' },
  // Four days later, mortars on the same city: another attack.
  { attack: 'mogadishu-mortars', id: 'mortars-1', published: '2025-08-25', date: '2025-08-25', place: MOGADISHU, attackType: 'armed_assault', killed: [2, 2, 'reported'],
    text: 'Mortar shells fired at the presidential palace area in Mogadishu on Monday killed two guards, police said.' },

  // A roadside bomb on a police van in Lakki Marwat, claimed by the TTP.
  { attack: 'lakki', id: 'lakki-1', published: '2026-02-09', date: '2026-02-09', place: LAKKI, attackType: 'bombing', perpetrator: TTP, killed: [3, 3, 'reported'], wounded: 2,
    text: 'PESHAWAR, Feb 9 — A roadside bomb struck a police van in Lakki Marwat district on Monday, killing three policemen and wounding two; the TTP claimed the attack.' },
  { attack: 'lakki', id: 'lakki-2', published: '2026-02-10', date: '2026-02-09', place: { ...LAKKI, name: 'Lakki' }, attackType: 'bombing', perpetrator: TTP, killed: [3, 3, 'reported'], wounded: 2,
    text: 'Three police officers died when an improvised device hit their vehicle near Lakki on Monday, officials said. Tehrik-e-Taliban Pakistan said its fighters planted it.' },
  // Two days later a bomb on a patrol in Bannu, 50 km away, that recalls the Lakki Marwat attack.
  { attack: 'bannu', id: 'bannu-1', published: '2026-02-11', date: '2026-02-11', place: BANNU, attackType: 'bombing', perpetrator: TTP_SUSPECTED, killed: [2, 2, 'reported'], wounded: 4,
    text: 'A bomb exploded next to a police vehicle on the outskirts of Bannu on Wednesday, killing two policemen and wounding four. The blast came two days after three policemen died in Lakki Marwat.' },

  // A suicide bombing at a Kabul mosque: 12, then 14 killed, and the group's claim of 30.
  { attack: 'kabul', id: 'kabul-1', published: '2025-03-14', date: '2025-03-14', place: KABUL, attackType: 'bombing', killed: [12, 12, 'reported'], wounded: 30,
    text: 'KABUL, March 14 — A suicide bomber blew himself up inside a Shia mosque in western Kabul during Friday prayers, killing 12 worshippers and wounding about 30, the interior ministry said.' },
  { attack: 'kabul', id: 'kabul-2', published: '2025-03-15', date: '2025-03-14', place: KABUL, attackType: 'bombing', perpetrator: ISK, killed: [14, 14, 'reported'], wounded: 32,
    text: 'The death toll from Friday\'s mosque bombing in the Afghan capital rose to 14; Islamic State Khorasan Province claimed the attack on its channels.' },
  { attack: 'kabul', id: 'kabul-3', published: '2025-03-15', kind: 'claim', date: '2025-03-14', place: KABUL, attackType: 'bombing', perpetrator: ISK, killed: [30, 30, 'claimed'],
    text: 'A martyrdom seeker of the Islamic State detonated his explosive vest among the rafidah in their temple in Kabul, killing and wounding around 30.' },
  // Two days later in Kabul, gunmen shoot a judge: another attack.
  { attack: 'kabul-judge', id: 'judge-1', published: '2025-03-16', date: '2025-03-16', place: KABUL, attackType: 'assassination', killed: [1, 1, 'reported'],
    text: 'Gunmen shot dead a judge as he left his home in Kabul on Sunday morning, police said. No one claimed the killing.' },

  // A raid on Djibo: "dozens" killed, then a toll of 40, a day apart in the reports.
  { attack: 'djibo', id: 'djibo-1', published: '2025-09-16', date: '2025-09-15', place: DJIBO, attackType: 'armed_assault', perpetrator: JNIM, killed: [40, null, 'reported'],
    text: 'OUAGADOUGOU — Jihadists killed at least 40 soldiers and volunteer fighters in an attack on the northern town of Djibo on Monday, security sources said.' },
  { attack: 'djibo', id: 'djibo-2', published: '2025-09-17', date: '2025-09-16', place: DJIBO, attackType: 'armed_assault', perpetrator: JNIM, killed: [45, 45, 'reported'],
    text: 'Residents of Djibo buried 45 people killed when hundreds of fighters overran army positions in the town, a local official said on Wednesday.' },
  // Three days later, far away in the east: another attack.
  { attack: 'diapaga', id: 'diapaga-1', published: '2025-09-19', date: '2025-09-18', place: DIAPAGA, attackType: 'armed_assault', killed: [15, null, 'reported'],
    text: 'Gunmen killed at least 15 volunteer defence fighters near Diapaga in eastern Burkina Faso on Thursday.' },

  // An attack on an army post near Mocímboa da Praia: 4, the group's claim of 7, then 8.
  { attack: 'awasse', id: 'awasse-1', published: '2025-10-09', date: '2025-10-08', place: MOCIMBOA, attackType: 'armed_assault', killed: [4, 4, 'reported'],
    text: 'Insurgents attacked an army position in the village of Awasse, Mocímboa da Praia district, on Wednesday, killing four soldiers, local sources said.' },
  { attack: 'awasse', id: 'awasse-2', published: '2025-10-09', kind: 'claim', date: '2025-10-08', place: { ...MOCIMBOA, name: 'Mocimboa' }, attackType: 'armed_assault', perpetrator: ISM, killed: [7, 7, 'claimed'],
    text: 'The soldiers of the caliphate clashed with the crusader army in the village of Awasse in the Mocimboa area, killing 7 of them.' },
  { attack: 'awasse', id: 'awasse-3', published: '2025-10-11', date: '2025-10-08', place: MOCIMBOA, attackType: 'armed_assault', perpetrator: ISM, killed: [8, 8, 'reported'],
    text: 'Six soldiers and two civilians were killed in Wednesday\'s attack on troops in Awasse; earlier reports had put the toll at four.' },

  // A knife attack at a Lyon tram stop.
  { attack: 'lyon', id: 'lyon-1', published: '2026-03-12', date: '2026-03-12', place: LYON, attackType: 'armed_assault', killed: [1, 1, 'reported'], wounded: 2,
    text: 'One person was killed and two wounded in a knife attack at a tram stop in Lyon on Thursday; anti-terror prosecutors took over the case.' },
  { attack: 'lyon', id: 'lyon-2', published: '2026-03-13', date: '2026-03-12', place: LYON, attackType: 'armed_assault', killed: [1, 1, 'reported'], wounded: 2,
    text: 'The man arrested after Thursday\'s fatal stabbing at a Lyon tram stop had pledged allegiance to the Islamic State in a video, a source said.' },

  // Two bombs the same day in Baghdad and Kirkuk: parts of one campaign, two incidents.
  { attack: 'baghdad', id: 'baghdad-1', published: '2025-12-03', date: '2025-12-03', place: BAGHDAD, attackType: 'bombing', killed: [5, 5, 'reported'], wounded: 11,
    text: 'A car bomb killed five people at a market in eastern Baghdad on Wednesday, one of two blasts in Iraq that day.' },
  { attack: 'baghdad', id: 'baghdad-2', published: '2025-12-04', date: '2025-12-03', place: BAGHDAD, attackType: 'bombing', killed: [6, 6, 'reported'], wounded: 11,
    text: 'The toll of the Baghdad market car bombing rose to six, hospital sources said.' },
  { attack: 'kirkuk', id: 'kirkuk-1', published: '2025-12-03', date: '2025-12-03', place: KIRKUK, attackType: 'bombing', killed: [2, 2, 'reported'], wounded: 4,
    text: 'A roadside bomb killed two soldiers south of Kirkuk on Wednesday, hours before a car bomb hit Baghdad.' },
  { attack: 'kirkuk', id: 'kirkuk-2', published: '2025-12-04', date: '2025-12-03', place: KIRKUK, attackType: 'bombing', killed: [2, 2, 'reported'], wounded: 5,
    text: 'Two Iraqi soldiers were killed by an explosive device near Kirkuk, the army said.' },
];

/** Pairwise precision, recall and F1 of a clustering against the true attacks. */
export function pairwiseScores(truth: ReadonlyMap<string, string>, predicted: ReadonlyMap<string, string>): { precision: number; recall: number; f1: number; truePairs: number; predictedPairs: number } {
  const ids = [...truth.keys()];
  let tp = 0;
  let truePairs = 0;
  let predictedPairs = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i] as string;
      const b = ids[j] as string;
      const same = truth.get(a) === truth.get(b);
      const linked = predicted.get(a) !== undefined && predicted.get(a) === predicted.get(b);
      if (same) truePairs++;
      if (linked) predictedPairs++;
      if (same && linked) tp++;
    }
  }
  const precision = predictedPairs === 0 ? 1 : tp / predictedPairs;
  const recall = truePairs === 0 ? 1 : tp / truePairs;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), truePairs, predictedPairs };
}
