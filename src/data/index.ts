// Public surface of src/data.

export { datasetSettingProblems, prepareDataset, type PrepareOptions } from './prepare.js';
export { applyFeatureCrosses, crossedFeatureNames } from './crosses.js';
export { DatasetError, formatProblem, type DatasetErrorLocation, type DatasetProblem } from './errors.js';
export { BUILTIN_DATASETS, BUILTIN_DATASET_NAMES, isBuiltinDatasetName, type BuiltinDataset } from './registry.js';
export { GENERATOR_DEFAULTS, generateDataset, type GeneratorName, type GeneratorOptions } from './generators.js';
export { IRIS_CLASSES, IRIS_FEATURES, irisData } from './iris.js';
export { loadCsvDataset } from './csv.js';
export { contentDigest, DataFiles, readDataFile, type DataFile } from './data-files.js';
export { scatterPoints, type ScatterPoints } from './points.js';
export type { BuiltinDatasetName, DatasetSpec } from './spec.js';
export { GATE_NAMES, type GateName } from './gates.js';
export { shuffleExamples, splitTrainTest, testSize, TEST_FRACTION_RANGE } from './shuffle-split.js';
export type { Matrix, DataSplit, LabelledData, PreparedData } from './types.js';
