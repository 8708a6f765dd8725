// Feature crosses: extra rows of X that are products of existing ones, like the Playground's
// x1*x2 input. Indices refer to the features before crossing; crosses are appended in order.

import { throwProblems, type DatasetProblem } from './errors.js';
import type { Matrix } from './types.js';

/** Throws a DatasetError unless every cross lists at least two integer indices below featureCount. */
export function validateFeatureCrosses(crosses: readonly (readonly number[])[], featureCount: number): void {
  throwProblems(featureCrossProblems(crosses, featureCount));
}

/**
 * Every problem of `feature_crosses`: crosses with fewer than two indices, and (when the number of
 * features is known) indices that name no feature.
 */
export function featureCrossProblems(crosses: readonly (readonly number[])[], featureCount?: number): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  crosses.forEach((cross, c) => {
    const where = `feature_crosses[${c}]`;
    if (!Array.isArray(cross) || cross.length < 2) {
      problems.push({ problem: `${where} must list at least two feature indices, e.g. [0, 1]`, setting: ['feature_crosses', c] });
      return;
    }
    cross.forEach((index, k) => {
      if (!Number.isInteger(index) || index < 0) {
        problems.push({ problem: `${where} refers to feature ${index}; indices are whole numbers from 0`, setting: ['feature_crosses', c, k] });
      } else if (featureCount !== undefined && index >= featureCount) {
        problems.push({
          problem: `${where} refers to feature ${index}, but the features before crossing are numbered 0 to ${featureCount - 1}`,
          setting: ['feature_crosses', c, k],
        });
      }
    });
  });
  return problems;
}

/**
 * X with one row appended per cross: the product of the selected rows, multiplied left to right
 * (as X[i] * X[j] * ... in NumPy). Works on any (features x m) matrix, e.g. a grid of points.
 */
export function applyFeatureCrosses(x: Matrix, crosses: readonly (readonly number[])[]): Matrix {
  validateFeatureCrosses(crosses, x.rows);
  const m = x.cols;
  const rows = x.rows + crosses.length;
  const data = new Float64Array(rows * m);
  data.set(x.data.subarray(0, x.rows * m));
  crosses.forEach((cross, c) => {
    const out = (x.rows + c) * m;
    for (let i = 0; i < m; i++) {
      let product = x.data[cross[0] * m + i];
      for (let k = 1; k < cross.length; k++) product *= x.data[cross[k] * m + i];
      data[out + i] = product;
    }
  });
  return { rows, cols: m, data };
}

/** Names of the crossed features: the factors' names joined by "*" (e.g. "x1*x2"). */
export function crossedFeatureNames(names: readonly string[], crosses: readonly (readonly number[])[]): string[] {
  return [...names, ...crosses.map((cross) => cross.map((i) => names[i]).join('*'))];
}
