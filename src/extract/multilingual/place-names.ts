/**
 * Names of provinces and towns where the gazetteer has no Cyrillic or Arabic-script name (its
 * regions have English names only): each entry maps the names as Russian, Arabic, Persian, Tajik
 * and Uzbek write them (nominative, without prefixes) to the English name the gazetteer knows.
 */
export interface PlaceAlias {
  readonly en: string;
  readonly country: string;
  readonly kind: 'region' | 'city';
  readonly names: readonly string[];
}

export const PLACE_ALIASES: readonly PlaceAlias[] = [
  { en: 'Kunar', country: 'AF', kind: 'region', names: ['Кунар', 'كونار', 'کنر', 'کونر', 'Кунар', 'Kunar'] },
  { en: 'Nangarhar', country: 'AF', kind: 'region', names: ['Нангархар', 'ننكرهار', 'ننگرهار', 'Нангаҳор', 'Nangarhor', 'Нангарҳор'] },
  { en: 'Helmand', country: 'AF', kind: 'region', names: ['Гильменд', 'Гельменд', 'هلمند', 'Ҳилманд', 'Hilmand'] },
  { en: 'Kunduz', country: 'AF', kind: 'region', names: ['Кундуз', 'قندوز', 'Кундуз', 'Қундуз', 'Qunduz'] },
  { en: 'Badakhshan', country: 'AF', kind: 'region', names: ['Бадахшан', 'بدخشان', 'Бадахшон', 'Badaxshon'] },
  { en: 'Balkh', country: 'AF', kind: 'region', names: ['Балх', 'بلخ', 'Balx'] },
  { en: 'Herat', country: 'AF', kind: 'city', names: ['Герат', 'هرات', 'Ҳирот', 'Hirot'] },
  { en: 'Kabul', country: 'AF', kind: 'city', names: ['Кобул', 'Kobul', 'Кабул'] },
  { en: 'Kandahar', country: 'AF', kind: 'city', names: ['Қандаҳор', 'Qandahor', 'Кандагар'] },
  { en: 'Jalalabad', country: 'AF', kind: 'city', names: ['Джелалабад', 'Джалалабад', 'جلال آباد', 'جلال‌آباد', 'Ҷалолобод', 'Жалолобод', 'Jalolobod'] },
  { en: 'Mazar-e Sharif', country: 'AF', kind: 'city', names: ['Мазари-Шариф', 'Мазари-Шарифе', 'مزار شریف', 'مزار الشريف', 'Мазори Шариф', 'Mozori Sharif', 'Мозори Шариф'] },
  { en: 'Tashkent', country: 'UZ', kind: 'city', names: ['Тошкент', 'Toshkent', 'Ташкент'] },
  { en: 'Dushanbe', country: 'TJ', kind: 'city', names: ['Душанбе', 'Dushanbe'] },
  { en: 'Borno', country: 'NG', kind: 'region', names: ['Борно', 'بورنو'] },
  { en: 'Yobe', country: 'NG', kind: 'region', names: ['Йобе', 'يوبي'] },
  { en: 'Nineveh', country: 'IQ', kind: 'region', names: ['Ниневия', 'نينوى', 'نینوا'] },
  { en: 'Anbar', country: 'IQ', kind: 'region', names: ['Анбар', 'الأنبار', 'الانبار', 'انبار'] },
  { en: 'Diyala', country: 'IQ', kind: 'region', names: ['Дияла', 'ديالى', 'دیالی'] },
  { en: 'Salah ad Din', country: 'IQ', kind: 'region', names: ['Салах-эд-Дин', 'صلاح الدين', 'صلاح‌الدین'] },
  { en: 'Kirkuk', country: 'IQ', kind: 'city', names: ['Киркук', 'كركوك', 'کرکوک'] },
  { en: 'Raqqa', country: 'SY', kind: 'city', names: ['Ракка', 'الرقة', 'رقه'] },
  { en: 'Deir ez-Zor', country: 'SY', kind: 'city', names: ['Дейр-эз-Зор', 'Дейр-эз-Зоре', 'دير الزور', 'دیرالزور'] },
  { en: 'Homs', country: 'SY', kind: 'city', names: ['Хомс', 'حمص'] },
  { en: 'Aleppo', country: 'SY', kind: 'city', names: ['Алеппо', 'حلب'] },
  { en: 'Al-Hasakah', country: 'SY', kind: 'city', names: ['Хасеке', 'الحسكة'] },
  { en: 'Dagestan', country: 'RU', kind: 'region', names: ['Дагестан'] },
  { en: 'Chechnya', country: 'RU', kind: 'region', names: ['Чечня', 'Чечне', 'Чечни'] },
  { en: 'Cabo Delgado', country: 'MZ', kind: 'region', names: ['Кабу-Делгаду', 'كابو ديلغادو'] },
  { en: 'North Sinai', country: 'EG', kind: 'region', names: ['Северный Синай', 'شمال سيناء'] },
  { en: 'Balochistan', country: 'PK', kind: 'region', names: ['Белуджистан', 'بلوشستان', 'بلوچستان'] },
  { en: 'Khyber Pakhtunkhwa', country: 'PK', kind: 'region', names: ['Хайбер-Пахтунхва', 'خيبر بختونخوا', 'خیبر پختونخوا'] },
  { en: 'Mogadishu', country: 'SO', kind: 'city', names: ['Могадишо', 'مقديشو'] },
  { en: 'Maiduguri', country: 'NG', kind: 'city', names: ['Майдугури', 'مايدوغوري'] },
];
