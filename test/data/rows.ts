// Test helper: the rows of a (features x m) matrix as plain arrays, and one example's column.

import type { Matrix } from '../../src/nn/matrix.js';

export function rowsOf(x: Matrix): number[][] {
  return Array.from({ length: x.rows }, (_, r) => Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)));
}

export function columnOf(x: Matrix, i: number): number[] {
  return Array.from({ length: x.rows }, (_, r) => x.data[r * x.cols + i]);
}
