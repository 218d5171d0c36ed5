export { extractMultilingual, RULES } from './extract.js';
export { asClaim, claimedPerpetrator, isClaim } from './claims.js';
export { findActorsMultilingual } from './actors.js';
export { findDatesIn, solarToGregorian, type DateHit } from './dates.js';
export { foldDigits, readNumber } from './numerals.js';
export { isMultilingual, MULTILINGUAL_LANGUAGES, type LanguageRules, type MultilingualLanguage } from './rules.js';
