import { ActorSchema, type Actor } from '../core/model.js';

type AliasSpec = string | { name: string; language: string };

function actor(id: string, name: string, kind: Actor['kind'], parentId: string | null, aliases: AliasSpec[]): Actor {
  return ActorSchema.parse({
    id,
    name,
    kind,
    parentId,
    aliases: aliases.map((a) => (typeof a === 'string' ? { name: a, language: 'en' } : a)),
  });
}

const ar = (name: string): AliasSpec => ({ name, language: 'ar' });

/**
 * The actor registry: groups, their branches and their names in Latin and Arabic script. Names
 * in all capitals are matched case-sensitively (acronyms); all others case-insensitively.
 */
const BASE_ACTORS: readonly Actor[] = [
  actor('islamic-state', 'Islamic State', 'group', null, [
    'Islamic State',
    'IS',
    'ISIS',
    'ISIL',
    'Daesh',
    'Daish',
    'Islamic State of Iraq and the Levant',
    'Islamic State of Iraq and Syria',
    'Islamic State of Iraq and al-Sham',
    ar('الدولة الإسلامية'),
    ar('داعش'),
  ]),
  actor('is-khorasan', 'Islamic State Khorasan Province', 'branch', 'islamic-state', [
    'ISIS-K',
    'ISKP',
    'IS-K',
    'ISIL-K',
    'Islamic State Khorasan',
    'Islamic State Khorasan Province',
    'Islamic State-Khorasan',
    'Islamic State in Khorasan',
    'Khorasan Province',
    'Khorasan Chapter of the Islamic State',
    ar('ولاية خراسان'),
  ]),
  actor('is-west-africa', 'Islamic State West Africa Province', 'branch', 'islamic-state', [
    'ISWAP',
    'Islamic State West Africa Province',
    'Islamic State West Africa',
    'Islamic State in West Africa',
    'West Africa Province',
    ar('ولاية غرب أفريقيا'),
  ]),
  actor('is-sahel', 'Islamic State in the Greater Sahara', 'branch', 'islamic-state', [
    'ISGS',
    'IS-Sahel',
    'Islamic State in the Greater Sahara',
    'Islamic State Greater Sahara',
    'Islamic State Sahel Province',
    'Islamic State in the Sahel',
    'Sahel Province',
    ar('ولاية الساحل'),
  ]),
  actor('is-somalia', 'Islamic State Somalia Province', 'branch', 'islamic-state', [
    'ISS',
    'Islamic State Somalia Province',
    'Islamic State in Somalia',
    'Islamic State Somalia',
    'Somalia Province',
    ar('ولاية الصومال'),
  ]),
  actor('is-mozambique', 'Islamic State Mozambique Province', 'branch', 'islamic-state', [
    'ISM',
    'Islamic State Mozambique Province',
    'Islamic State Mozambique',
    'Islamic State in Mozambique',
    'Mozambique Province',
    'Ansar al-Sunna',
    'Ahlu Sunnah wal Jamaah',
    'Ahl al-Sunna wal Jamaa',
    ar('ولاية موزمبيق'),
  ]),
  actor('is-central-africa', 'Islamic State Central Africa Province', 'branch', 'islamic-state', [
    'ISCAP',
    'Islamic State Central Africa Province',
    'Islamic State Central Africa',
    'Central Africa Province',
    'Central Africa Province of the Islamic State',
    ar('ولاية وسط أفريقيا'),
  ]),
  actor('is-sinai', 'Islamic State Sinai Province', 'branch', 'islamic-state', [
    'Islamic State Sinai Province',
    'Sinai Province',
    'Wilayat Sinai',
    'Ansar Bait al-Maqdis',
    'Ansar Beit al-Maqdis',
    'Sinai Province of the Islamic State',
    ar('ولاية سيناء'),
  ]),
  actor('is-pakistan', 'Islamic State Pakistan Province', 'branch', 'islamic-state', [
    'ISPP',
    'Islamic State Pakistan Province',
    'Pakistan Province of the Islamic State',
    ar('ولاية باكستان'),
  ]),
  actor('is-hind', 'Islamic State Hind Province', 'branch', 'islamic-state', [
    'Islamic State Hind Province',
    'Hind Province',
    'Hind Province of the Islamic State',
    'Wilayat al-Hind',
    ar('ولاية الهند'),
  ]),
  actor('al-qaeda', 'al-Qaeda', 'group', null, [
    'al-Qaeda',
    'al-Qaida',
    'al-Qa\u2019ida',
    "al-Qa'ida",
    'Al Qaeda',
    'AQ',
    ar('القاعدة'),
  ]),
  actor('jnim', 'Jamaat Nusrat al-Islam wal Muslimin', 'branch', 'al-qaeda', [
    'JNIM',
    'GSIM',
    'Jamaat Nusrat al-Islam wal Muslimin',
    "Jama'at Nusrat al-Islam wal-Muslimin",
    'Jamaat Nusrat al-Islam wal-Muslimeen',
    'Group for the Support of Islam and Muslims',
    'Support Group for Islam and Muslims',
    ar('جماعة نصرة الإسلام والمسلمين'),
  ]),
  actor('aqap', 'Al-Qaida in the Arabian Peninsula', 'branch', 'al-qaeda', [
    'AQAP',
    'al-Qaeda in the Arabian Peninsula',
    'al-Qaida in the Arabian Peninsula',
    'Ansar al-Sharia in Yemen',
    ar('تنظيم القاعدة في جزيرة العرب'),
  ]),
  actor('aqim', 'Al-Qaida in the Islamic Maghreb', 'branch', 'al-qaeda', [
    'AQIM',
    'al-Qaeda in the Islamic Maghreb',
    'al-Qaida in the Islamic Maghreb',
    ar('تنظيم القاعدة في بلاد المغرب الإسلامي'),
  ]),
  actor('al-shabaab', 'Al-Shabaab', 'branch', 'al-qaeda', [
    'al-Shabaab',
    'al-Shabab',
    'al-Shebab',
    'Shabaab',
    'Harakat al-Shabaab al-Mujahideen',
    ar('حركة الشباب المجاهدين'),
  ]),
  actor('hts', "Hay'at Tahrir al-Sham", 'group', null, [
    "Hay'at Tahrir al-Sham",
    'Hayat Tahrir al-Sham',
    'HTS',
    'Tahrir al-Sham',
    'Jabhat al-Nusra',
    'Nusra Front',
    'al-Nusra Front',
    ar('هيئة تحرير الشام'),
    ar('جبهة النصرة'),
  ]),
  actor('taliban', 'Taliban', 'movement', null, ['Taliban', 'Taleban', 'Islamic Emirate of Afghanistan', ar('طالبان'), ar('الإمارة الإسلامية')]),
  actor('ttp', 'Tehrik-i-Taliban Pakistan', 'group', null, [
    'TTP',
    'Tehrik-i-Taliban Pakistan',
    'Tehrik-e-Taliban Pakistan',
    'Tehreek-e-Taliban Pakistan',
    'Pakistani Taliban',
  ]),
  actor('boko-haram', 'Boko Haram', 'group', null, [
    'Boko Haram',
    'JAS',
    "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad",
    'Jamaatu Ahlis Sunna Liddaawati wal-Jihad',
    'Shekau faction',
    ar('جماعة أهل السنة للدعوة والجهاد'),
  ]),
  actor('houthis', 'Houthi extremists (Ansar Allah)', 'movement', null, [
    'Houthi',
    'Houthis',
    'Huthi',
    'Huthis',
    'Ansar Allah',
    'Ansarallah',
    ar('أنصار الله'),
    ar('الحوثيون'),
    ar('الحوثي'),
  ]),
  actor('hamas', 'Hamas', 'group', null, ['Hamas', 'Islamic Resistance Movement', 'Izz ad-Din al-Qassam Brigades', 'Qassam Brigades', ar('حماس'), ar('حركة المقاومة الإسلامية')]),
  actor('pij', 'Palestinian Islamic Jihad', 'group', null, ['Palestinian Islamic Jihad', 'PIJ', 'Islamic Jihad', 'al-Quds Brigades', ar('الجهاد الإسلامي')]),
  actor('hezbollah', 'Hezbollah', 'group', null, ['Hezbollah', 'Hizbollah', 'Hizballah', 'Hizbullah', ar('حزب الله')]),
  actor('kataib-hezbollah', "Kata'ib Hezbollah", 'group', null, ["Kata'ib Hezbollah", 'Kataib Hezbollah', 'Kataib Hizballah', ar('كتائب حزب الله')]),
  actor('asaib-ahl-al-haq', "Asa'ib Ahl al-Haqq", 'group', null, ["Asa'ib Ahl al-Haqq", 'Asaib Ahl al-Haq', ar('عصائب أهل الحق')]),
  actor('pkk', "Kurdistan Workers' Party", 'group', null, ['PKK', "Kurdistan Workers' Party", 'Kurdistan Workers Party']),
  actor('ypg', "People's Protection Units", 'group', null, ['YPG', "People's Protection Units", 'People’s Protection Units']),
  actor('eln', 'National Liberation Army of Colombia', 'group', null, ['ELN', 'National Liberation Army', 'Ejército de Liberación Nacional']),
  actor('farc-dissidents', 'FARC dissidents', 'group', null, ['FARC dissidents', 'FARC dissident', 'dissidents of the FARC', 'FARC-EP dissidents', 'Segunda Marquetalia']),
  actor('npa', "New People's Army", 'group', null, ['NPA', "New People's Army", 'New People’s Army', 'New Peoples Army']),
  actor('cpi-maoist', 'Communist Party of India (Maoist)', 'group', null, [
    'CPI-Maoist',
    'CPI (Maoist)',
    'Communist Party of India (Maoist)',
    'Communist Party of India-Maoist',
    'Naxalites',
    'Naxals',
    'Maoists',
    'Maoist',
  ]),
  actor('adf', 'Allied Democratic Forces', 'group', null, ['ADF', 'Allied Democratic Forces', 'ADF-NALU']),
  actor('ipob', 'Indigenous People of Biafra', 'group', null, ['IPOB', 'Indigenous People of Biafra', 'Eastern Security Network', 'ESN']),
  actor('codeco', 'CODECO', 'group', null, ['CODECO', 'Cooperative for the Development of the Congo']),
  actor('let', 'Lashkar-e-Taiba', 'group', null, ['Lashkar-e-Taiba', 'Lashkar-e-Tayyiba', 'LeT', 'The Resistance Front', 'TRF']),
  actor('jem', 'Jaish-e-Mohammad', 'group', null, ['Jaish-e-Mohammad', 'Jaish-e-Mohammed', 'JeM']),
  actor('hizbul-mujahideen', 'Hizbul Mujahideen', 'group', null, ['Hizbul Mujahideen', 'Hizb-ul-Mujahideen']),
  actor('bla', 'Baloch Liberation Army', 'group', null, ['BLA', 'Baloch Liberation Army', 'Balochistan Liberation Army']),
  actor('blf', 'Baloch Liberation Front', 'group', null, ['BLF', 'Baloch Liberation Front', 'Balochistan Liberation Front']),
  actor('abu-sayyaf', 'Abu Sayyaf Group', 'group', null, ['Abu Sayyaf', 'Abu Sayyaf Group', 'ASG']),
  actor('biff', 'Bangsamoro Islamic Freedom Fighters', 'group', null, ['BIFF', 'BIFM', 'Bangsamoro Islamic Freedom Fighters', 'Bangsamoro Islamic Freedom Movement']),
  actor('arakan-army', 'Arakan Army', 'group', null, ['Arakan Army']),
  actor('kia', 'Kachin Independence Army', 'group', null, ['KIA', 'Kachin Independence Army']),
  actor('shining-path', 'Shining Path', 'group', null, ['Shining Path', 'Sendero Luminoso']),
  actor('opm', 'Free Papua Movement', 'group', null, ['OPM', 'Free Papua Movement', 'Organisasi Papua Merdeka', 'West Papua National Liberation Army', 'TPNPB']),
  actor('ambazonia-separatists', 'Ambazonian separatists', 'movement', null, ['Ambazonia Defence Forces', 'Ambazonia Restoration Forces', 'Ambazonian separatists', 'Amba Boys']),
  actor('ulfa', 'United Liberation Front of Assam', 'group', null, ['ULFA', 'ULFA-I', 'United Liberation Front of Assam']),
  actor('new-ira', 'New Irish Republican Army', 'group', null, ['New IRA', 'New Irish Republican Army']),
  actor('al-mourabitoun', 'Al-Mourabitoun', 'group', 'al-qaeda', ['al-Mourabitoun', 'al-Murabitun']),
  actor('ansarul-islam', 'Ansarul Islam', 'group', null, ['Ansarul Islam', 'Ansar ul Islam']),
  actor('katiba-macina', 'Macina Liberation Front', 'group', 'jnim', ['Katiba Macina', 'Macina Liberation Front', 'FLM']),
  actor('mit', 'Mujahidin Indonesia Timur', 'group', null, ['Mujahidin Indonesia Timur', 'East Indonesia Mujahideen']),
  actor('jad', 'Jamaah Ansharut Daulah', 'group', null, ['Jamaah Ansharut Daulah', 'JAD']),
];

const ru = (...names: string[]): AliasSpec[] => names.map((name) => ({ name, language: 'ru' }));
const fa = (...names: string[]): AliasSpec[] => names.map((name) => ({ name, language: 'fa' }));
const tg = (...names: string[]): AliasSpec[] => names.map((name) => ({ name, language: 'tg' }));
const uz = (...names: string[]): AliasSpec[] => names.map((name) => ({ name, language: 'uz' }));
const ars = (...names: string[]): AliasSpec[] => names.map((name) => ({ name, language: 'ar' }));

/**
 * Names of the main actors as Russian, Persian (Farsi and Dari), Tajik and Uzbek (Cyrillic and
 * Latin) writers spell them, in the nominative: the multilingual reader matches their case forms.
 */
const MORE_ALIASES: Readonly<Record<string, AliasSpec[]>> = {
  'islamic-state': [...ru('Исламское государство', 'ИГИЛ', 'ИГ', 'Даиш', 'ДАИШ'), ...fa('دولت اسلامی', 'دولت اسلامی عراق و شام'), ...tg('Давлати исломӣ', 'ДИИШ'), ...uz('Ислом давлати', 'ИШИД', 'Islom davlati', 'IShID')],
  'is-khorasan': [...ru('Вилаят Хорасан', 'ИГИЛ-Хорасан', 'ИГ-Хорасан', 'Исламское государство Хорасан'), ...fa('ولایت خراسان', 'داعش خراسان'), ...tg('Вилояти Хуросон', 'ДИИШ-Хуросон'), ...uz('Хуросон вилояти', 'ИШИД-Хуросон', 'Xuroson viloyati')],
  'is-west-africa': [...ru('Вилаят Западная Африка', 'Исламское государство Западная Африка', 'ИГ Западная Африка'), ...fa('ولایت غرب آفریقا'), ...ars('داعش غرب أفريقيا')],
  'is-sahel': [...ru('Вилаят Сахель', 'Исламское государство Сахель')],
  'is-somalia': [...ru('Вилаят Сомали')],
  'is-mozambique': [...ru('Вилаят Мозамбик')],
  'is-central-africa': [...ru('Вилаят Центральная Африка')],
  'is-sinai': [...ru('Вилаят Синай', 'Исламское государство Синай'), ...fa('ولایت سینا')],
  'is-pakistan': [...ru('Вилаят Пакистан'), ...fa('ولایت پاکستان')],
  'al-qaeda': [...ru('Аль-Каида', 'Аль-Каеда'), ...fa('القاعده'), ...tg('Ал-Қоида', 'Алқоида'), ...uz('Ал-Қоида', 'Al-Qoida')],
  jnim: [...ru('Джамаат Нусрат аль-Ислам валь-Муслимин', 'ДжНИМ'), ...fa('جماعت نصرت اسلام و مسلمین')],
  aqap: [...ru('Аль-Каида на Аравийском полуострове', 'Аль-Каида Аравийского полуострова')],
  aqim: [...ru('Аль-Каида в странах исламского Магриба')],
  'al-shabaab': [...ru('Аш-Шабаб', 'Аль-Шабаб'), ...ars('حركة الشباب'), ...fa('الشباب'), ...uz('Аш-Шабоб', 'Ash-Shabob')],
  hts: [...ru('Хайят Тахрир аш-Шам', 'Хайат Тахрир аш-Шам', 'ХТШ', 'Джебхат ан-Нусра'), ...fa('هیئت تحریر الشام'), ...tg('Ҳайъат Таҳрир аш-Шом')],
  taliban: [...ru('Талибан', 'талибы', 'Движение Талибан'), ...fa('امارت اسلامی'), ...tg('Толибон', 'Ҳаракати Толибон'), ...uz('Толибон', 'толиблар', 'Tolibon', 'toliblar')],
  ttp: [...ru('Техрик-е Талибан Пакистан', 'Движение талибов Пакистана'), ...fa('تحریک طالبان پاکستان'), ...ars('حركة طالبان باكستان')],
  'boko-haram': [...ru('Боко Харам'), ...ars('بوكو حرام'), ...fa('بوکو حرام'), ...uz('Боко Ҳарам')],
  houthis: [...ru('хуситы', 'Ансар Аллах'), ...fa('حوثی‌ها', 'انصارالله')],
  hamas: [...ru('ХАМАС', 'Хамас')],
  hezbollah: [...ru('Хезболла', 'Хизбалла'), ...fa('حزب‌الله')],
  pkk: [...ru('Рабочая партия Курдистана', 'РПК'), ...ars('حزب العمال الكردستاني'), ...fa('حزب کارگران کردستان', 'پ‌ک‌ک')],
  ypg: [...ru('Отряды народной самообороны'), ...ars('وحدات حماية الشعب')],
  'hizbul-mujahideen': [...ru('Хизб-уль-Моджахедин')],
  let: [...ru('Лашкар-е-Тайба')],
  bla: [...ru('Армия освобождения Белуджистана'), ...fa('ارتش آزادی‌بخش بلوچستان')],
};

/** The registry: every actor with its names in all the languages Vigil reads. */
export const ACTORS: readonly Actor[] = BASE_ACTORS.map((a) => {
  const more = MORE_ALIASES[a.id];
  if (more === undefined) return a;
  const seen = new Set(a.aliases.map((x) => x.name));
  const added = more.filter((x) => typeof x !== 'string' && !seen.has(x.name)).map((x) => (typeof x === 'string' ? { name: x, language: 'en' } : x));
  return { ...a, aliases: [...a.aliases, ...added] };
});
