// The experiment file layer: load and validate a YAML experiment, expand its sweep into runs.
export { loadExperimentFile, parseExperiment } from './load.js';
export { expandGrid, MAX_RUNS, runProblemIssue, type ExpandGridOptions } from './grid.js';
export type { Problem } from './problem.js';
export { ExperimentError, formatIssue, formatIssues, type ValidationIssue } from './errors.js';
export { MAX_FILE_BYTES, MAX_ALIAS_COUNT, MAX_NESTING_DEPTH } from './yaml-source.js';
export { logspace, linspace } from './sweep-axes.js';
export { canonicalJson, runHash } from './hash.js';
export { damerauLevenshtein, suggest } from '../text/suggest.js';
export {
  ACTIVATION_NAMES,
  BUILTIN_DATASET_NAMES,
  INIT_NAMES,
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  SCHEDULE_NAMES,
  SCHEMA_PATH,
  experimentSchema,
} from './schema.js';
export type * from './types.js';
