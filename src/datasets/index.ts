export { ACLED, ACLED_EVENT_TYPES, ACLED_INTER_TARGETS, ACLED_SUB_EVENT_TYPES, type AcledCrosswalk } from './acled.js';
export { DATASET_ACTOR_ALIASES, datasetActorId } from './actors.js';
export {
  DATASET_MAPPING_VERSION,
  datasetBundle,
  datasetDocumentKey,
  datasetDocumentText,
  datasetRaw,
  importExtractorName,
  renderCodedFields,
  rowFromRaw,
  type DatasetBundle,
  type DatasetDocumentKey,
} from './bundle.js';
export { DATASET_COUNTRY_ALIASES, countryFromNumeric, datasetCountry } from './countries.js';
export { decodeRecord, parseFields, splitRecords, type CsvEncoding, type FieldError, type RawRecord, type SplitOptions } from './csv.js';
export { GTD, GTD_ATTACK_LABELS, GTD_TARGET_LABELS, GTD_WEAPON_LABELS } from './gtd.js';
export { DATASET_SPECS, isXlsx, readDataset, readDatasetRecords, type ReadDatasetOptions } from './read.js';
export { excelSerialDate, xlsxRecords } from './xlsx.js';
export type { DatasetSpec, MappedRow } from './spec.js';
export { DATASET_KINDS, RowError, type DatasetItem, type DatasetKind, type DatasetRecord, type DatasetRejection } from './types.js';
export { UCDP, UCDP_DATE_PRECISION, UCDP_PLACE_PRECISION, UCDP_VIOLENCE_TYPES } from './ucdp.js';
