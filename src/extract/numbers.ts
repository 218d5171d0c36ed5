/**
 * Numbers as news reports write them: digits ("1,200"), number words up to the hundreds
 * ("twenty-five", "two hundred and ten"), and vague quantities ("dozens", "hundreds"), with the
 * qualifiers that make a figure a range ("at least", "nearly").
 */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, a: 1, an: 1, single: 1, dozen: 12, 'a dozen': 12, couple: 2, 'a couple of': 2,
};
const TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
/** Vague quantities: a lower bound and no best figure. */
const VAGUE: Readonly<Record<string, number>> = { dozens: 24, hundreds: 200, scores: 40, several: 3, many: 2, thousands: 2000 };

const UNIT_WORDS = 'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TEN_WORDS = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const BELOW_HUNDRED = `(?:(?:${TEN_WORDS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|${UNIT_WORDS})`;

/** A regular-expression source matching one number (not anchored, no capture groups). */
export const NUMBER_SOURCE =
  `(?:\\d{1,3}(?:,\\d{3})+|\\d+|(?:(?:a|one|two|three|four|five|six|seven|eight|nine)\\s+hundred(?:\\s+(?:and\\s+)?${BELOW_HUNDRED})?)` +
  `|${BELOW_HUNDRED}|a\\s+dozen|dozens|hundreds|thousands|scores|several)`;

/** A regular-expression source for the qualifiers before a number (no capture groups). */
export const QUALIFIER_SOURCE =
  '(?:at\\s+least|no\\s+(?:fewer|less)\\s+than|more\\s+than|over|upwards\\s+of|nearly|almost|close\\s+to|about|around|approximately|roughly|some|an\\s+estimated|up\\s+to|as\\s+many\\s+as|fewer\\s+than|less\\s+than|at\\s+most)';

/** A figure read from text. */
export interface Figure {
  readonly low: number | null;
  readonly best: number | null;
  readonly high: number | null;
}

/** The value of a number phrase without qualifier, or null; vague quantities return `vague: true`. */
export function parseNumber(phrase: string): { value: number; vague: boolean } | null {
  const p = phrase.toLowerCase().replace(/\s+/g, ' ').trim();
  if (/^\d{1,3}(?:,\d{3})+$|^\d+$/.test(p)) return { value: Number(p.replace(/,/g, '')), vague: false };
  const vague = VAGUE[p];
  if (vague !== undefined) return { value: vague, vague: true };
  const hundred = /^(\w+) hundred(?: (?:and )?(.+))?$/.exec(p);
  if (hundred !== null) {
    const head = UNITS[hundred[1] ?? ''];
    const tail = hundred[2] === undefined ? 0 : belowHundred(hundred[2]);
    return head === undefined || tail === null ? null : { value: head * 100 + tail, vague: false };
  }
  const below = belowHundred(p);
  return below === null ? null : { value: below, vague: false };
}

function belowHundred(p: string): number | null {
  const unit = UNITS[p];
  if (unit !== undefined) return unit;
  const [ten, one] = p.split(/[- ]/);
  const tens = TENS[ten ?? ''];
  if (tens === undefined) return null;
  if (one === undefined) return tens;
  const ones = UNITS[one];
  return ones === undefined || ones > 9 ? null : tens + ones;
}

/**
 * A figure from a number and its qualifier, following the extraction contract: "at least 139" is
 * low 139, best 139, high null; "nearly 350" is best 350, high 350; "about 40" is best 40; a vague
 * quantity ("dozens") is only a lower bound.
 */
export function toFigure(value: number, vague: boolean, qualifier: string | null | undefined): Figure {
  if (vague) return { low: value, best: null, high: null };
  const q = (qualifier ?? '').toLowerCase().replace(/\s+/g, ' ');
  if (q === '') return { low: value, best: value, high: value };
  if (/^(?:at least|no (?:fewer|less) than|more than|over|upwards of)$/.test(q)) return { low: value, best: value, high: null };
  if (/^(?:nearly|almost|close to|up to|as many as|fewer than|less than|at most)$/.test(q)) return { low: null, best: value, high: value };
  return { low: null, best: value, high: null };
}
