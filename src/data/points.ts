// The data points of a prepared dataset over its two raw input features, train and test, for the
// report's decision-boundary panels. Other shapes have no such picture.

import type { PreparedData } from './types.js';

export interface ScatterPoints {
  x: number[][];
  y: number[];
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
  return { x, y };
}
