// From a dataset setting to the matrices a run trains on:
//   load (builtin or CSV) -> feature_crosses -> shuffle -> test_fraction split.
// Every problem found on the way is collected and thrown together, so a user fixes them in one go.

import { isAbsolute, resolve } from 'node:path';
import type { DatasetSpec } from './spec.js';
import { applyFeatureCrosses, crossedFeatureNames, featureCrossProblems } from './crosses.js';
import { withClassTargets } from './classes.js';
import { loadCsvDataset } from './csv.js';
import { collectProblems, DatasetError, throwProblems, type DatasetProblem } from './errors.js';
import { BUILTIN_DATASET_NAMES, BUILTIN_DATASETS, isBuiltinDatasetName, type SourceSetting } from './registry.js';
import { seedProblems, shuffleExamples, splitSizeProblems, splitTrainTest, testFractionProblems } from './shuffle-split.js';
import { didYouMean } from './suggest.js';
import type { DataSplit, LabelledData, PreparedData } from './types.js';

export interface PrepareOptions {
  /** Folder that a relative `csv` path is resolved against (the experiment file's folder); default: the working directory. */
  baseDir?: string;
  /** The CSV file's bytes, already read (then the file is not opened, and messages name it as written). */
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
  const problems = datasetSettingProblems(spec);
  if (classes && spec.positive !== undefined) {
    problems.push({
      problem: '`positive` makes one-vs-rest 0/1 targets; class targets (one output per class) need the labels themselves: remove `positive`',
      setting: ['positive'],
    });
  }
  const source = sourceProblem(spec);
  if (source !== null) throw new DatasetError([source]);

  // A builtin whose own settings are wrong cannot load; extra settings do not stop it.
  const loadable = spec.csv !== undefined || BUILTIN_DATASETS[spec.builtin!].settingProblems(spec).length === 0;
  const loaded = loadable ? collectProblems(problems, () => loadSource(spec, options)) : undefined;
  const crosses = spec.feature_crosses ?? [];
  if (loaded !== undefined) {
    problems.push(...featureCrossProblems(crosses, loaded.x.rows));
    if (spec.test_fraction !== undefined) problems.push(...splitSizeProblems(loaded.x.cols, spec.test_fraction));
  }
  throwProblems(problems);
  const data = classes ? withClassTargets(loaded!) : loaded!;

  const inputFeatureCount = data.x.rows;
  let examples: DataSplit = { x: applyFeatureCrosses(data.x, crosses), y: data.y };
  const featureNames = crossedFeatureNames(data.featureNames, crosses);

  if (spec.shuffle !== undefined) examples = shuffleExamples(examples, spec.shuffle);

  const { train, test } =
    spec.test_fraction === undefined ? { train: examples, test: null } : splitTrainTest(examples, spec.test_fraction);

  return {
    train,
    test,
    featureNames,
    inputFeatureCount,
    binaryTargets: examples.y.data.every((v) => v === 0 || v === 1),
    ...(data.targetName === undefined ? {} : { targetName: data.targetName }),
    classes: classes ? [...(data.classNames ?? [])] : null,
    ...(data.classNames === undefined ? {} : { classNames: data.classNames }),
  };
}

/**
 * Every problem with the dataset's settings that can be found without reading any data: settings
 * that do not apply to the source, out-of-range values, iris names, feature-cross indices of
 * builtins. prepareDataset reports these together with the problems of the data itself.
 */
export function datasetSettingProblems(spec: DatasetSpec): DatasetProblem[] {
  const source = sourceProblem(spec);
  if (source !== null) return [source];
  const problems: DatasetProblem[] = [];
  let featureCount: number | undefined;
  if (spec.csv !== undefined) {
    problems.push(...rejectedSettings(spec, CSV_SETTINGS, 'a CSV dataset'));
  } else {
    const name = spec.builtin!;
    const dataset = BUILTIN_DATASETS[name];
    problems.push(...rejectedSettings(spec, dataset.settings, `the builtin dataset "${name}"`));
    problems.push(...dataset.settingProblems(spec));
    featureCount = dataset.featureCount(spec);
  }
  if (spec.shuffle !== undefined) problems.push(...seedProblems(spec.shuffle, 'shuffle'));
  if (spec.test_fraction !== undefined) problems.push(...testFractionProblems(spec.test_fraction));
  problems.push(...featureCrossProblems(spec.feature_crosses ?? [], featureCount));
  return problems;
}

/** The dataset must name exactly one source, and a builtin must exist. */
function sourceProblem(spec: DatasetSpec): DatasetProblem | null {
  if (spec.builtin !== undefined && spec.csv !== undefined) {
    return { problem: 'the dataset sets both `builtin` and `csv`; choose one', setting: [] };
  }
  if (spec.csv !== undefined) return null;
  if (spec.builtin === undefined) return { problem: 'the dataset needs `builtin` (a named dataset) or `csv` (a file)', setting: [] };
  const name: string = spec.builtin;
  if (isBuiltinDatasetName(name)) return null;
  return {
    problem: `unknown builtin dataset "${name}"${didYouMean(name, BUILTIN_DATASET_NAMES)}; the builtins are ${BUILTIN_DATASET_NAMES.join(', ')}`,
    setting: ['builtin'],
  };
}

function loadSource(spec: DatasetSpec, options: PrepareOptions): LabelledData {
  const { baseDir, csvBytes } = options;
  if (spec.csv !== undefined) {
    // Bytes read by the caller are named as written (relative to the experiment file).
    const file = csvBytes !== undefined || isAbsolute(spec.csv) ? spec.csv : resolve(baseDir ?? process.cwd(), spec.csv);
    const selection = { features: spec.features, target: spec.target, positive: spec.positive, classes: options.classes === true };
    return loadCsvDataset(file, selection, csvBytes);
  }
  return BUILTIN_DATASETS[spec.builtin!].load(spec);
}

/** A setting that does nothing for this source is most likely a mistake: say so. */
function rejectedSettings(spec: DatasetSpec, accepted: readonly SourceSetting[], source: string): DatasetProblem[] {
  const allowed = accepted.length > 0 ? ` (it accepts ${accepted.map((s) => `\`${s}\``).join(', ')})` : '';
  return SOURCE_SETTINGS.filter((setting) => spec[setting] !== undefined && !accepted.includes(setting)).map((setting) => ({
    problem: `\`${setting}\` does not apply to ${source}${allowed}`,
    setting: [setting],
  }));
}
