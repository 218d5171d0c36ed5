import { numberTable } from './numerals.js';
import type { LanguageRules } from './rules.js';

const SUFFIX = /(?:даги|dagi|даги|да|da|та|ta|га|ga|ка|ka|дан|dan|тан|tan|нинг|ning|ни|ni|лик|lik)$/u;

/** An Uzbek word without its case suffix: "Кобулда" -> Кобул, "Toshkentda" -> Toshkent, "Kobul-da" -> Kobul. */
export function uzbekForms(word: string): string[] {
  const unhyphen = word.replace(/[-‐](?:\p{L}+)$/u, '');
  const bare = word.replace(SUFFIX, '');
  return [...new Set([word, unhyphen, bare, bare.replace(SUFFIX, '')])].filter((w) => w.length >= 3);
}

export const UZBEK: LanguageRules = {
  code: 'uz',
  numbers: numberTable({
    бир: 1, икки: 2, уч: 3, тўрт: 4, беш: 5, олти: 6, етти: 7, саккиз: 8, тўққиз: 9, ўн: 10,
    йигирма: 20, ўттиз: 30, қирқ: 40, эллик: 50, олтмиш: 60, етмиш: 70, саксон: 80, тўқсон: 90, юз: 100,
    bir: 1, ikki: 2, uch: 3, "to'rt": 4, besh: 5, olti: 6, yetti: 7, sakkiz: 8, "to'qqiz": 9, "o'n": 10,
    yigirma: 20, "o'ttiz": 30, qirq: 40, ellik: 50, oltmish: 60, yetmish: 70, sakson: 80, "to'qson": 90, yuz: 100,
  }),
  vague: numberTable({ ўнлаб: 24, юзлаб: 200, "o'nlab": 24, yuzlab: 200 }),
  numberForms: (w) => [w, w.replace(/(?:нафар|nafar|киши|kishi)$/u, '')],
  atLeast: /(?:камида|kamida|камида\s+|kamida\s+|дан\s+ортиқ|dan\s+ortiq)\s*$/iu,
  about: /(?:тахминан|taxminan|қарийб|qariyb|салкам|salkam)\s*$/iu,
  killed: [{ pattern: "ҳалок\\s+(?:бўлди|бўлган|бўлдилар)|ўлдирилди|halok\\s+(?:bo['ʻʼ‘’]ldi|bo['ʻʼ‘’]lgan|bo['ʻʼ‘’]ldilar)|o['ʻʼ‘’]ldirildi|ҳалок|halok", numberFirst: 'before' }],
  wounded: [{ pattern: "яраланди|яраланган|ярадор\\s+бўлди|жароҳат\\s+олди|yaralandi|yaralangan|yarador\\s+bo['ʻʼ‘’]ldi|jarohat\\s+oldi", numberFirst: 'before' }],
  clauseBreak: /^(?:ва|va|ҳамда|hamda|шунингдек|shuningdek)$/iu,
  attack: /(?:ҳужум|hujum|портла|portla|отишма|otishma|теракт|terakt|ҳалок|halok|яралан|yaralan)/iu,
  bombing: /(?:портла|portla|бомба|bomba|мина|mina|худкуш|xudkush)/iu,
  assault: /(?:отишма|otishma|ўқ\s+уз|o['ʻʼ‘’]q\s+uz|қуролли|qurolli)/iu,
  months: [
    ['январ\\p{L}?|yanvar', 1], ['феврал\\p{L}?|fevral', 2], ['март|mart', 3], ['апрел\\p{L}?|aprel', 4],
    ['май|may', 5], ['июн\\p{L}?|iyun', 6], ['июл\\p{L}?|iyul', 7], ['август|avgust', 8],
    ['сент[яа]бр\\p{L}?|sent[ya]{1,2}br', 9], ['окт[яа]бр\\p{L}?|okt[ya]{1,2}br', 10], ['ноябр\\p{L}?|noyabr', 11], ['декабр\\p{L}?|dekabr', 12],
  ],
  yearWord: '(?:-?йил|-?yil)(?:нинг|ning|и|i)?',
  relative: [['кеча', -1], ['kecha', -1], ['бугун', 0], ['bugun', 0]],
  weekdays: [['якшанба', 0], ['yakshanba', 0], ['душанба', 1], ['dushanba', 1], ['сешанба', 2], ['seshanba', 2], ['чоршанба', 3], ['chorshanba', 3], ['пайшанба', 4], ['payshanba', 4], ['жума', 5], ['juma', 5], ['шанба', 6], ['shanba', 6]],
  placeIntro: /(?:^|\s)$/u,
  regionWord: /^(?:вилоятида|вилояти|вилоятидаги|viloyatida|viloyati|viloyatidagi|провинциясида|provinsiyasida)$/iu,
  townWord: /^(?:шаҳрида|шаҳри|туманида|тумани|қишлоғида|shahrida|shahri|tumanida|tumani|qishlog['ʻʼ‘’]ida)$/iu,
  placeForms: uzbekForms,
  cased: true,
  claimVerb: /(?:масъулиятни|mas['ʻʼ‘’]uliyatni)[^.!?\n]{0,40}?(?:олди|oldi|ўз\s+зиммасига|o['ʻʼ‘’]z\s+zimmasiga)/iu,
  blameVerb: /(?:айблади|айблаб|гумон|ayblab|aybladi|gumon)/iu,
};
