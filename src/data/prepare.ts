// From a dataset setting to the matrices a run trains on:
//   load (builtin or CSV) -> feature_crosses -> shuffle -> test_fraction split.

import { isAbsolute, resolve } from 'node:path';
import type { DatasetSpec } from './spec.js';
import { applyFeatureCrosses, crossedFeatureNames, validateFeatureCrosses } from './crosses.js';
import { withClassTargets } from './classes.js';
import { loadCsvDataset } from './csv.js';
import { DatasetError } from './errors.js';
import { BUILTIN_DATASET_NAMES, BUILTIN_DATASETS, isBuiltinDatasetName, type SourceSetting } from './registry.js';
import { checkSeed, shuffleExamples, splitTrainTest } from './shuffle-split.js';
import { didYouMean } from './suggest.js';
import type { DataSplit, LabelledData, PreparedData } from './types.js';

export interface PrepareOptions {
  /** Folder that a relative `csv` path is resolved against (the experiment file's folder); default: the working directory. */
  baseDir?: string;
  /** The CSV file's bytes, already read (then the file is not opened). */
  csvBytes?: Uint8Array;
  /**
   * One-hot class targets (classes.ts), for a model with one output per class: labelled data
   * without `positive` (iris, CSV labels, the 0/1 labels of the other builtins) becomes k classes.
   */
  classes?: boolean;
}

const CSV_SETTINGS: readonly SourceSetting[] = ['features', 'target', 'positive'];
const SOURCE_SETTINGS: readonly SourceSetting[] = ['features', 'target', 'positive', 'samples', 'noise', 'seed'];

export function prepareDataset(spec: DatasetSpec, options: PrepareOptions = {}): PreparedData {
  const classes = options.classes === true;
  if (classes && spec.positive !== undefined) {
    throw new DatasetError('`positive` makes one-vs-rest 0/1 targets; class targets (one output per class) need the labels themselves: remove `positive`');
  }
  const source = loadSource(spec, options);
  const loaded = classes ? withClassTargets(source) : source;
  const inputFeatureCount = loaded.x.rows;

  const crosses = spec.feature_crosses ?? [];
  validateFeatureCrosses(crosses, inputFeatureCount);
  let examples: DataSplit = { x: applyFeatureCrosses(loaded.x, crosses), y: loaded.y };
  const featureNames = crossedFeatureNames(loaded.featureNames, crosses);

  if (spec.shuffle !== undefined) examples = shuffleExamples(examples, spec.shuffle);

  const { train, test } =
    spec.test_fraction === undefined ? { train: examples, test: null } : splitTrainTest(examples, spec.test_fraction);

  return {
    train,
    test,
    featureNames,
    inputFeatureCount,
    binaryTargets: examples.y.data.every((v) => v === 0 || v === 1),
    classes: classes ? [...(loaded.classNames ?? [])] : null,
  };
}

function loadSource(spec: DatasetSpec, options: PrepareOptions): LabelledData {
  const { baseDir, csvBytes } = options;
  if (spec.builtin !== undefined && spec.csv !== undefined) {
    throw new DatasetError('the dataset sets both `builtin` and `csv`; choose one');
  }
  if (spec.csv !== undefined) {
    rejectSettings(spec, CSV_SETTINGS, 'a CSV dataset');
    const file = isAbsolute(spec.csv) ? spec.csv : resolve(baseDir ?? process.cwd(), spec.csv);
    return loadCsvDataset(
      file,
      { features: spec.features, target: spec.target, positive: spec.positive, classes: options.classes === true },
      csvBytes,
    );
  }
  if (spec.builtin === undefined) {
    throw new DatasetError('the dataset needs `builtin` (a named dataset) or `csv` (a file)');
  }
  const name: string = spec.builtin;
  if (!isBuiltinDatasetName(name)) {
    throw new DatasetError(
      `unknown builtin dataset "${name}"${didYouMean(name, BUILTIN_DATASET_NAMES)}; ` +
        `the builtins are ${BUILTIN_DATASET_NAMES.join(', ')}`,
    );
  }
  const dataset = BUILTIN_DATASETS[name];
  rejectSettings(spec, dataset.settings, `the builtin dataset "${name}"`);
  checkGeneratorSettings(spec);
  return dataset.load(spec);
}

/** A setting that does nothing for this source is most likely a mistake: say so. */
function rejectSettings(spec: DatasetSpec, accepted: readonly SourceSetting[], source: string): void {
  for (const setting of SOURCE_SETTINGS) {
    if (spec[setting] !== undefined && !accepted.includes(setting)) {
      const allowed = accepted.length > 0 ? ` (it accepts ${accepted.map((s) => `\`${s}\``).join(', ')})` : '';
      throw new DatasetError(`\`${setting}\` does not apply to ${source}${allowed}`);
    }
  }
}

function checkGeneratorSettings({ samples, noise, seed }: DatasetSpec): void {
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1)) {
    throw new DatasetError(`samples must be a positive integer, got ${samples}`);
  }
  if (noise !== undefined && !(Number.isFinite(noise) && noise >= 0)) {
    throw new DatasetError(`noise must be a finite number >= 0, got ${noise}`);
  }
  if (seed !== undefined) checkSeed(seed, 'dataset seed');
}
