// The softmax node: each example's k outputs (a column of the (k x m) buffer) turned into
// probabilities, with the column maximum subtracted first so that exp never overflows:
//   a_c = exp(z_c − max_j z_j) / Σ_j exp(z_j − max_j z_j)
// It is the last node of a model trained with cross_entropy, which is fused with it (losses.ts):
// the loss hands backpropagation dZ = (P − Y)/m directly and this node's own backward is skipped,
// just as bce skips the final sigmoid's. The backward below is the softmax's own Jacobian product
// (used only if it ever stood elsewhere), dz_c = a_c·(da_c − Σ_j a_j·da_j).

import type { GraphNode } from './layers.js';
import type { Matrix } from './matrix.js';

/** The node's name in YAML. */
export const SOFTMAX = 'softmax';
export type SoftmaxName = typeof SOFTMAX;

/** Softmax over the columns of z (k x m, row-major) into a. */
export function softmaxColumns(z: Float64Array, a: Float64Array, k: number, m: number): void {
  for (let i = 0; i < m; i++) {
    let max = z[i];
    for (let c = 1; c < k; c++) {
      const v = z[c * m + i];
      if (v > max || Number.isNaN(v)) max = v;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(z[c * m + i] - max);
      a[c * m + i] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) a[c * m + i] /= sum;
  }
}

export class SoftmaxNode implements GraphNode {
  readonly name = SOFTMAX;

  attach(): void {
    // Plain loops over the arena's views: k is small and the matrix products dominate.
  }

  outputRows(inputRows: number): number {
    return inputRows;
  }

  forward(input: Matrix, output: Matrix): void {
    softmaxColumns(input.data, output.data, input.rows, input.cols);
  }

  backward(_input: Matrix, output: Matrix, upstream: Matrix, downstream: Matrix | null): void {
    if (downstream === null) return;
    const k = output.rows;
    const m = output.cols;
    const a = output.data;
    const da = upstream.data;
    const dz = downstream.data;
    for (let i = 0; i < m; i++) {
      let dot = 0;
      for (let c = 0; c < k; c++) dot += a[c * m + i] * da[c * m + i];
      for (let c = 0; c < k; c++) dz[c * m + i] = a[c * m + i] * (da[c * m + i] - dot);
    }
  }
}
