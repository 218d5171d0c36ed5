// A synthetic GTD-shaped CSV for the import benchmark and the crash test: the full 135-column
// layout, invented rows (no GTD data), deterministic (the same file on every run).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The header of GTD's full 135-column CSV layout. */
export const HEADER = 'eventid,iyear,imonth,iday,approxdate,extended,resolution,country,country_txt,region,region_txt,provstate,city,latitude,longitude,specificity,vicinity,location,summary,crit1,crit2,crit3,doubtterr,alternative,alternative_txt,multiple,success,suicide,attacktype1,attacktype1_txt,attacktype2,attacktype2_txt,attacktype3,attacktype3_txt,targtype1,targtype1_txt,targsubtype1,targsubtype1_txt,corp1,target1,natlty1,natlty1_txt,targtype2,targtype2_txt,targsubtype2,targsubtype2_txt,corp2,target2,natlty2,natlty2_txt,targtype3,targtype3_txt,targsubtype3,targsubtype3_txt,corp3,target3,natlty3,natlty3_txt,gname,gsubname,gname2,gsubname2,gname3,gsubname3,motive,guncertain1,guncertain2,guncertain3,individual,nperps,nperpcap,claimed,claimmode,claimmode_txt,claim2,claimmode2,claimmode2_txt,claim3,claimmode3,claimmode3_txt,compclaim,weaptype1,weaptype1_txt,weapsubtype1,weapsubtype1_txt,weaptype2,weaptype2_txt,weapsubtype2,weapsubtype2_txt,weaptype3,weaptype3_txt,weapsubtype3,weapsubtype3_txt,weaptype4,weaptype4_txt,weapsubtype4,weapsubtype4_txt,weapdetail,nkill,nkillus,nkillter,nwound,nwoundus,nwoundte,property,propextent,propextent_txt,propvalue,propcomment,ishostkid,nhostkid,nhostkidus,nhours,ndays,divert,kidhijcountry,ransom,ransomamt,ransomamtus,ransompaid,ransompaidus,ransomnote,hostkidoutcome,hostkidoutcome_txt,nreleased,addnotes,scite1,scite2,scite3,dbsource,INT_LOG,INT_IDEO,INT_MISC,INT_ANY,related';

const columns = HEADER.split(',');

/** A small deterministic PRNG (mulberry32), so every run imports the same file. */
function prng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let random = prng(42);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const COUNTRIES = [
  ['Afghanistan', 'South Asia', 'Kabul', 34.5, 69.2],
  ['Nigeria', 'Sub-Saharan Africa', 'Borno', 11.8, 13.1],
  ['Iraq', 'Middle East & North Africa', 'Nineveh', 36.3, 43.1],
  ['Somalia', 'Sub-Saharan Africa', 'Banaadir', 2.0, 45.3],
  ['India', 'South Asia', 'Jammu and Kashmir', 34.1, 74.8],
  ['Colombia', 'South America', 'Cauca', 2.4, -76.6],
  ['Philippines', 'Southeast Asia', 'Maguindanao', 7.1, 124.3],
  ['West Bank and Gaza Strip', 'Middle East & North Africa', 'Gaza', 31.5, 34.45],
];
const GROUPS = ['Unknown', 'Unknown', 'Taliban', 'Boko Haram', 'Al-Shabaab', 'Islamic State of Iraq and the Levant (ISIL)', 'Invented Front of the North', 'Maoists'];
const ATTACKS = ['Assassination', 'Armed Assault', 'Bombing/Explosion', 'Hijacking', 'Hostage Taking (Barricade Incident)', 'Hostage Taking (Kidnapping)', 'Facility/Infrastructure Attack', 'Unarmed Assault', 'Unknown'];
const TARGETS = ['Business', 'Government (General)', 'Police', 'Military', 'Private Citizens & Property', 'Religious Figures/Institutions', 'Educational Institution', 'Transportation'];
const TARGET_CODES = [1, 2, 3, 4, 14, 15, 8, 19];
const WEAPONS = [[5, 'Firearms'], [6, 'Explosives'], [8, 'Incendiary'], [9, 'Melee'], [13, 'Unknown']];

function csvField(value) {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Row n of the synthetic file (1-based), as one CSV line without its terminator. */
export function syntheticRow(n) {
  const [country, region, province, lat, lon] = pick(COUNTRIES);
  const month = int(1, 12);
  const day = int(0, 28);
  const attack = int(1, 9);
  const target = int(0, TARGETS.length - 1);
  const [weapon, weaponLabel] = pick(WEAPONS);
  const nkill = int(0, 12);
  const nkillter = int(0, Math.min(nkill, 2));
  const nwound = int(0, 30);
  const group = pick(GROUPS);
  const city = `Town ${int(1, 5000)}`;
  const v = {
    eventid: String(203001010000 + n),
    iyear: '2030',
    imonth: String(month),
    iday: String(day),
    extended: '0',
    country_txt: country,
    region_txt: region,
    provstate: province,
    city,
    latitude: (lat + random() - 0.5).toFixed(6),
    longitude: (lon + random() - 0.5).toFixed(6),
    specificity: String(int(1, 5)),
    vicinity: '0',
    summary: `Synthetic event ${n}: assailants carried out a ${ATTACKS[attack - 1].toLowerCase()} against ${TARGETS[target].toLowerCase()} in ${city}, ${province}, ${country}. ${nkill} people were killed and ${nwound} were injured, according to an invented report.`,
    crit1: '1', crit2: '1', crit3: '1', doubtterr: '0', multiple: '0', success: '1', suicide: String(int(0, 20) === 0 ? 1 : 0),
    attacktype1: String(attack), attacktype1_txt: ATTACKS[attack - 1],
    targtype1: String(TARGET_CODES[target]), targtype1_txt: TARGETS[target], corp1: 'Invented Corporation', target1: 'Invented target',
    gname: group, guncertain1: '0', individual: '0', nperps: '-99', nperpcap: '0', claimed: String(group === 'Unknown' ? 0 : int(0, 1)),
    weaptype1: String(weapon), weaptype1_txt: weaponLabel,
    nkill: String(nkill), nkillus: '0', nkillter: String(nkillter), nwound: String(nwound), nwoundus: '0', nwoundte: '0',
    property: '-9', ishostkid: '0',
    scite1: '"Invented headline," Invented Daily, January 1, 2030.',
    dbsource: 'Synthetic', INT_LOG: '-9', INT_IDEO: '-9', INT_MISC: '0', INT_ANY: '-9',
  };
  return columns.map((c) => csvField(v[c] ?? '')).join(',');
}

/** Writes the header and `rows` synthetic rows to `file`. */
export async function writeSyntheticGtd(file, rows) {
  random = prng(42);
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  for (let n = 1; n <= rows; n += 1) if (!out.write(`${syntheticRow(n)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
