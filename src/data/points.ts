// The data points of a prepared dataset over its two raw input features, train and test, for the
// report's decision-boundary panels. Other shapes have no such picture. With one-hot class targets
// a point's y is its class index.

import type { PreparedData } from './types.js';

export interface ScatterPoints {
  x: number[][];
  y: number[];
  /** The two features' names: the axes of the decision-boundary panels. */
  features: [string, string];
  /** What the targets 0..k-1 stand for, when they are classes with names (labels, iris). */
  classes?: string[];
}

export function scatterPoints(data: PreparedData): ScatterPoints | undefined {
  if (data.inputFeatureCount !== 2) return undefined;
  const x: number[][] = [];
  const y: number[] = [];
  for (const part of [data.train, data.test]) {
    if (!part) continue;
    const m = part.x.cols;
    for (let i = 0; i < m; i++) {
      x.push([part.x.data[i], part.x.data[m + i]]);
      y.push(data.classes === null ? part.y.data[i] : classOf(part.y.data, part.y.rows, m, i));
    }
  }
  const features: [string, string] = [data.featureNames[0], data.featureNames[1]];
  return { x, y, features, ...(data.classNames === undefined ? {} : { classes: [...data.classNames] }) };
}

/** The row holding the 1 of example i's one-hot column: its class index. */
function classOf(y: Float64Array, k: number, m: number, i: number): number {
  for (let c = 0; c < k; c++) if (y[c * m + i] === 1) return c;
  return -1;
}
