import { csvLine } from '../../src/export/csv.js';

/*
 * Invented dataset rows in the GTD and ACLED column layouts (no row of either dataset is copied):
 * each exercises one rule of the importers' crosswalks that the exporters must invert.
 */

/** A CSV file from a header and rows given by column name (absent columns are empty). */
export function csvFile(header: readonly string[], rows: ReadonlyArray<Record<string, string | number>>): string {
  return [csvLine(header, false), ...rows.map((row) => csvLine(header.map((c) => row[c] ?? null), false))].join('');
}

export const GTD_HEADER = [
  'eventid', 'iyear', 'imonth', 'iday', 'approxdate', 'extended', 'resolution', 'country', 'country_txt', 'region_txt',
  'provstate', 'city', 'latitude', 'longitude', 'specificity', 'vicinity', 'summary', 'suicide',
  'attacktype1', 'attacktype1_txt', 'attacktype2', 'attacktype2_txt',
  'targtype1', 'targtype1_txt', 'corp1', 'target1', 'targtype2', 'targtype2_txt', 'corp2', 'target2', 'targtype3', 'targtype3_txt', 'corp3', 'target3',
  'gname', 'gname2', 'gname3', 'guncertain1', 'guncertain2', 'guncertain3', 'claimed', 'claim2', 'claim3',
  'weaptype1', 'weaptype1_txt', 'weapsubtype1_txt', 'weaptype2', 'weaptype2_txt', 'weapsubtype2_txt',
  'nkill', 'nkillter', 'nwound', 'nwoundte', 'ishostkid', 'nhostkid', 'dbsource',
] as const;

export const GTD_ROWS: ReadonlyArray<Record<string, string | number>> = [
  {
    // A day, a city, a claimed registry group, two attack types, a repeated target type, two weapons with sub-types.
    eventid: '203101020001', iyear: 2031, imonth: 1, iday: 2, extended: 0, country: 4, country_txt: 'Afghanistan', region_txt: 'South Asia',
    provstate: 'Nangarhar', city: 'Jalalabad', latitude: '34.4265', longitude: '70.4515', specificity: 1, vicinity: 0,
    summary: '01/02/2031: An invented "test" bomber struck a checkpoint, then gunmen fired on passers-by,\nkilling four; the bomber died.',
    suicide: 1, attacktype1: 3, attacktype1_txt: 'Bombing/Explosion', attacktype2: 2, attacktype2_txt: 'Armed Assault',
    targtype1: 4, targtype1_txt: 'Military', corp1: 'Invented Army', target1: 'Checkpoint',
    targtype2: 14, targtype2_txt: 'Private Citizens & Property', target2: 'Passers-by',
    targtype3: 14, targtype3_txt: 'Private Citizens & Property', corp3: 'Unknown', target3: 'Shopkeepers',
    gname: 'Islamic State Khorasan Province', guncertain1: 0, claimed: 1,
    weaptype1: 6, weaptype1_txt: 'Explosives', weapsubtype1_txt: 'Suicide (carried bodily by human being)', weaptype2: 5, weaptype2_txt: 'Firearms', weapsubtype2_txt: 'Automatic or Semi-Automatic Rifle',
    nkill: 5, nkillter: 1, nwound: 7, nwoundte: 0, ishostkid: 0, dbsource: 'Synthetic',
  },
  {
    // An approximate day (a week), extended to a later resolution day, an admin-1 place, two groups, hostages.
    eventid: '203102150002', iyear: 2031, imonth: 2, iday: 15, approxdate: 'mid-February 2031', extended: 1, resolution: '2031-03-20',
    country_txt: 'Nigeria', provstate: 'Borno', city: 'Unknown', latitude: '11.8333', longitude: '13.15', specificity: 4,
    summary: '02/15/2031: Invented assailants abducted farmers; released weeks later.',
    suicide: 0, attacktype1: 6, attacktype1_txt: 'Hostage Taking (Kidnapping)', targtype1: 14, targtype1_txt: 'Private Citizens & Property', target1: 'Farmers',
    gname: 'Boko Haram', gname2: 'Invented Bandit Gang', guncertain1: 1, guncertain2: 0, claimed: 0, claim2: 0,
    weaptype1: 13, weaptype1_txt: 'Unknown', nkill: 0, nwound: 0, ishostkid: 1, nhostkid: 12,
  },
  {
    // A month, a country centroid (the point is dropped), nobody known, unknown counts.
    eventid: '203103000003', iyear: 2031, imonth: 3, iday: 0, extended: 0, country_txt: 'Mali', latitude: '17.57', longitude: '-3.99', specificity: 5,
    suicide: 0, attacktype1: 9, attacktype1_txt: 'Unknown', targtype1: 20, targtype1_txt: 'Unknown', gname: 'Unknown', nkill: -99, nwound: -99,
  },
  {
    // A year, no country (international waters), labels only (no code columns filled).
    eventid: '203100000004', iyear: 2031, imonth: 0, iday: 0, extended: 0, country_txt: 'International',
    summary: '-- 2031: an invented hijacking at sea; note the leading dashes.', suicide: 0,
    attacktype1_txt: 'Hijacking', targtype1_txt: 'Maritime', target1: 'Cargo ship', gname: 'Invented Pirates', guncertain1: 1, claimed: 0,
    weaptype1_txt: 'Firearms', nkill: 0, nwound: 2, ishostkid: 1, nhostkid: -99,
  },
  {
    // A historical country name, an admin-2 place, two attributed groups of the registry.
    eventid: '203104050005', iyear: 2031, imonth: 4, iday: 5, extended: 0, country_txt: 'West Bank and Gaza Strip', provstate: 'Gaza', city: 'Khan Yunis',
    latitude: '31.3462', longitude: '34.3063', specificity: 2, suicide: 0, attacktype1: 7, attacktype1_txt: 'Facility/Infrastructure Attack',
    targtype1: 21, targtype1_txt: 'Utilities', corp1: 'Invented Water Board', target1: 'Pumping station',
    gname: 'Hamas', gname2: 'Palestinian Islamic Jihad', guncertain1: 0, guncertain2: 0, claimed: 0, claim2: 0,
    weaptype1: 8, weaptype1_txt: 'Incendiary', nkill: '', nkillter: 0, nwound: 1,
  },
];

export const ACLED_HEADER = [
  'data_id', 'iso', 'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type',
  'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting',
  'region', 'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude', 'geo_precision',
  'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
] as const;

export const ACLED_ROWS: ReadonlyArray<Record<string, string | number>> = [
  {
    data_id: 8100001, iso: 566, event_id_cnty: 'NIG81001', event_date: '2031-05-12', year: 2031, time_precision: 1,
    event_type: 'Explosions/Remote violence', sub_event_type: 'Suicide bomb', actor1: 'Islamic State (West Africa)', inter1: 2,
    actor2: 'Civilians (Nigeria)', inter2: 7, interaction: 27, country: 'Nigeria', admin1: 'Borno', admin2: 'Konduga', location: 'Konduga',
    latitude: '11.6526', longitude: '13.4179', geo_precision: 1, source: 'Invented Times',
    notes: 'On 12 May 2031, an invented suicide bomber detonated explosives at a market, killing 5 "civilians".', fatalities: 5, timestamp: 1936000000,
  },
  {
    data_id: 8100002, iso: 887, event_id_cnty: 'YEM81002', event_date: '13-May-31', year: 2031, time_precision: 2,
    event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike', actor1: 'Military Forces of Yemen (2016-) Supreme Political Council', inter1: 1,
    actor2: 'Military Forces of Invented Land', inter2: 8, interaction: 18, country: 'Yemen', admin1: "Ma'rib", location: 'Sirwah',
    latitude: '15.45', longitude: '45.02', geo_precision: 2, notes: 'Invented: a drone struck a position.', fatalities: 0, timestamp: 1936000100,
  },
  {
    data_id: 8100003, iso: 0, event_id_cnty: 'XKX81003', event_date: '14 May 2031', year: 2031, time_precision: 3,
    event_type: 'Protests', sub_event_type: 'Peaceful protest', actor1: 'Protesters (Kosovo)', inter1: 6, inter2: 0, interaction: 60,
    country: 'Kosovo', admin1: 'Pristina', location: 'Pristina', latitude: '42.6629', longitude: '21.1655', geo_precision: 3, fatalities: 0, timestamp: 1936000200,
  },
  {
    data_id: 8100004, iso: 466, event_id_cnty: 'MLI81004', event_date: '2031-05-15', year: 2031, time_precision: 1,
    event_type: 'Violence against civilians', sub_event_type: 'Attack', actor1: 'Unidentified Armed Group (Mali)', inter1: 3, inter2: 7,
    country: 'Mali', admin1: 'Mopti', location: 'Bandiagara', latitude: '14.35', longitude: '-3.61', geo_precision: 1,
    notes: '+ Invented: gunmen attacked a village.', fatalities: 3, timestamp: 1936000300,
  },
  {
    // No event_id_cnty: the row id is data_id-<data_id>.
    data_id: 8100005, iso: 120, event_date: '2031-05-16', year: 2031, time_precision: 1,
    event_type: 'Battles', sub_event_type: 'Armed clash', actor1: 'Invented Separatist Front', inter1: 2, actor2: 'Invented Militia', inter2: 3,
    country: 'Cameroon', admin1: 'North-West', location: 'Bamenda', latitude: '5.9631', longitude: '10.1591', geo_precision: 2, fatalities: 2, timestamp: 1936000400,
  },
  {
    data_id: 8100006, iso: 180, event_id_cnty: 'DRC81006', event_date: '2031-05-17', year: 2031, time_precision: 1,
    event_type: 'Violence against civilians', sub_event_type: 'Abduction/forced disappearance', actor1: 'CODECO', inter1: 4, actor2: 'Civilians (Democratic Republic of Congo)', inter2: 7,
    country: 'Democratic Republic of Congo', admin1: 'Ituri', location: 'Djugu', latitude: '1.9247', longitude: '30.5031', geo_precision: 1, fatalities: 0, timestamp: 1936000500,
  },
  {
    data_id: 8100007, iso: 706, event_id_cnty: 'SOM81007', event_date: '2031-05-18', year: 2031, time_precision: 1,
    event_type: 'Strategic developments', sub_event_type: 'Looting/property destruction', actor1: 'Al Shabaab', inter1: 2, actor2: 'Civilians (Somalia)', inter2: 7,
    country: 'Somalia', admin1: 'Lower Shabelle', location: 'Afgooye', latitude: '2.1381', longitude: '45.1212', geo_precision: 1, fatalities: 0, timestamp: 1936000600,
  },
];
