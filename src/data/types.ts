// Shapes produced by src/data. Matrices are the engine's Matrix (src/nn/matrix.ts): row-major
// storage of the (features x m) layout, element (f, i) at data[f * m + i].

import type { Matrix } from '../nn/matrix.js';

export type { Matrix };

/** A dataset before crosses, shuffling and splitting: X is (features x m), Y is (1 x m). */
export interface LabelledData {
  x: Matrix;
  y: Matrix;
  featureNames: string[];
  /** The column the targets were read from (CSV data). */
  targetName?: string;
  /**
   * Set when Y holds class indices 0..k-1 of these named classes (iris without `positive`, CSV
   * labels read as classes); with `positive`, the two classes 0 and 1: the other label (or
   * "not <positive>") and the positive one.
   */
  classNames?: readonly string[];
}

export interface DataSplit {
  x: Matrix;
  y: Matrix;
}

export interface PreparedData {
  train: DataSplit;
  /** Held-out examples when `test_fraction` is set, otherwise null. */
  test: DataSplit | null;
  /** Names of the rows of X, crosses included (e.g. "x1*x2"). */
  featureNames: string[];
  /** Number of features before `feature_crosses` were appended. */
  inputFeatureCount: number;
  /** True when every target (train and test) is exactly 0 or 1. */
  binaryTargets: boolean;
  /** The column the targets were read from (CSV data). */
  targetName?: string;
  /**
   * With `classes: true`: the class names in class order, Y being one-hot (k x m) with row c for
   * class c. Null otherwise.
   */
  classes: string[] | null;
  /** What the target values 0..k-1 stand for when the targets are classes (LabelledData.classNames). */
  classNames?: readonly string[];
}
