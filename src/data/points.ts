// The data points of a prepared dataset over its two raw input features, train and test, for the
// report's decision-boundary panels. Other shapes have no such picture.

import type { PreparedData } from './types.js';

export interface ScatterPoints {
  x: number[][];
  y: number[];
  /** The two features' names: the axes of the decision-boundary panels. */
  features: [string, string];
  /** What targets 0 and 1 stand for, when they come from class labels. */
  classes?: [string, string];
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
      y.push(part.y.data[i]);
    }
  }
  const features: [string, string] = [data.featureNames[0], data.featureNames[1]];
  return { x, y, features, ...(data.classNames === undefined ? {} : { classes: data.classNames }) };
}
