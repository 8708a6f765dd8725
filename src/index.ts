// gradgrid's library API: train one network from TypeScript (no YAML needed), prepare the
// built-in and CSV datasets, and load, validate and expand experiment files.

export * from './nn/index.js';
export { prepareDataset, applyFeatureCrosses, DatasetError, BUILTIN_DATASET_NAMES } from './data/index.js';
export type { PreparedData } from './data/index.js';
export { loadExperimentFile, parseExperiment, expandGrid, ExperimentError, formatIssues } from './experiment/index.js';
export type { ValidationIssue } from './experiment/index.js';
export type * from './experiment/types.js';
