// Reordering and holding out examples (columns of X and Y).

import { RandomState } from '../nn/rng.js';
import { throwProblems, type DatasetProblem } from './errors.js';
import type { Matrix, DataSplit } from './types.js';

/** The columns of x in the given order: out[:, j] = x[:, order[j]]. */
export function takeColumns(x: Matrix, order: ArrayLike<number>): Matrix {
  const m = x.cols;
  const n = order.length;
  const data = new Float64Array(x.rows * n);
  for (let f = 0; f < x.rows; f++) {
    for (let j = 0; j < n; j++) data[f * n + j] = x.data[f * m + order[j]];
  }
  return { rows: x.rows, cols: n, data };
}

/**
 * The examples permuted exactly like
 *   np.random.seed(seed); p = np.random.permutation(m); X = X[:, p]; Y = Y[:, p]
 * with a fresh generator of its own (the weight seed is not touched).
 */
export function shuffleExamples(split: DataSplit, seed: number): DataSplit {
  throwProblems(seedProblems(seed, 'shuffle'));
  const order = new RandomState(seed).permutation(split.x.cols);
  return { x: takeColumns(split.x, order), y: takeColumns(split.y, order) };
}

/** Number of test examples for m examples: round(m * fraction), halves rounded up. */
export function testSize(m: number, fraction: number): number {
  return Math.round(m * fraction);
}

/**
 * Holds out the last round(m * fraction) examples as the test set; the first ones train
 * (X[:, :m - t] and X[:, m - t:] in NumPy). Both sides must be non-empty.
 */
export function splitTrainTest(split: DataSplit, fraction: number): { train: DataSplit; test: DataSplit } {
  throwProblems([...testFractionProblems(fraction), ...splitSizeProblems(split.x.cols, fraction)]);
  const m = split.x.cols;
  const nTrain = m - testSize(m, fraction);
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, k) => from + k);
  const trainOrder = range(0, nTrain);
  const testOrder = range(nTrain, m);
  return {
    train: { x: takeColumns(split.x, trainOrder), y: takeColumns(split.y, trainOrder) },
    test: { x: takeColumns(split.x, testOrder), y: takeColumns(split.y, testOrder) },
  };
}

/** What test_fraction accepts, in the words the experiment schema uses too. */
export const TEST_FRACTION_RANGE = 'a number between 0 and 1 (exclusive), e.g. 0.2';

export function testFractionProblems(fraction: number): DatasetProblem[] {
  if (typeof fraction === 'number' && fraction > 0 && fraction < 1) return [];
  return [{ problem: `test_fraction must be ${TEST_FRACTION_RANGE}; found ${fraction}`, setting: ['test_fraction'] }];
}

/** A valid fraction of m examples that would leave the training or the test set empty. */
export function splitSizeProblems(m: number, fraction: number): DatasetProblem[] {
  if (testFractionProblems(fraction).length > 0) return [];
  const nTest = testSize(m, fraction);
  if (nTest > 0 && nTest < m) return [];
  const empty = nTest === 0 ? 'test' : 'training';
  return [
    {
      problem: `test_fraction ${fraction} of ${m} examples leaves the ${empty} set empty (round(${m} * ${fraction}) = ${nTest} test examples)`,
      setting: ['test_fraction'],
    },
  ];
}

/** Seeds follow np.random.seed: integers in [0, 2^32 - 1]. `setting` names it inside the dataset spec. */
export function seedProblems(seed: number, setting: 'shuffle' | 'seed'): DatasetProblem[] {
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return [];
  const name = setting === 'seed' ? 'dataset seed' : setting;
  return [{ problem: `${name} must be an integer between 0 and 4294967295 (a NumPy seed), got ${seed}`, setting: [setting] }];
}
