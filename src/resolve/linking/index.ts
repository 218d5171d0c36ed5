export { DEFAULT_LINK_OPTIONS, forEachCandidatePair, linkRecords, nearIdentical } from './link.js';
export { linkRecordFromEvalRecord, linkRecordFromIncidentFields, linkRecordFromMention, type RecordProblem } from './records.js';
export { attackTypesFromText, compareAttackTypes } from './attack-types.js';
export { compareActor, compareActors, resolveActorNames } from './actors.js';
export { prepareRecords, distanceKm, type Prepared } from './features.js';
export { scorePair, WEIGHTS, type ScoreContext } from './score.js';
export { nameKeysOf, textKeysOf } from './name-keys.js';
export type { FieldComparison, LinkCount, LinkExplanation, LinkOptions, LinkRecord, LinkResult, ScoredPair } from './types.js';
