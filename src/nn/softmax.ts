// The softmax node: each example's k outputs (a column of the (k x m) buffer) turned into
// probabilities, with the column maximum subtracted first so that exp never overflows:
//   a_c = exp(z_c − max_j z_j) / Σ_j exp(z_j − max_j z_j)
// It is the last node of a model trained with cross_entropy, which is fused with it (losses.ts):
// the loss hands backpropagation dZ = (P − Y)/m directly and this node's own backward is skipped,
// just as bce skips the final sigmoid's. The backward below is the softmax's own Jacobian product
// (used only if it ever stood elsewhere), dz_c = a_c·(da_c − Σ_j a_j·da_j).
//
// Beside them, the node's two R-operator passes (Pearlmutter 1994; see activations.ts and
// hessian-vector.ts), R{x} being the derivative of x along a direction v in parameter space. Per
// example, with s = Σ_j a_j·R{z_j} and t = Σ_j a_j·da_j:
//   R-forward:  R{a_c}  = a_c·(R{z_c} − s)                  (the Jacobian diag(a) − a·aᵀ times R{z})
//   R-backward: R{dz_c} = R{a_c}·(da_c − t) + a_c·(R{da_c} − R{t}),
//               R{t}    = Σ_j (R{a_j}·da_j + a_j·R{da_j}).
// With cross_entropy only the R-forward runs: the loss's R-gradient is R{a}/m (losses.ts), and the
// R-backward is skipped like the backward. R{a} is recomputed in the R-backward from a and R{z}
// (k numbers per example) rather than kept, so the pass has the same inputs as an activation's.

import type { ParameterFreeNode } from './layers.js';
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

/** R-forward over the columns: ra = (diag(a) − a·aᵀ)·rz for each example (k x m, row-major). */
export function softmaxRForward(a: Float64Array, rz: Float64Array, ra: Float64Array, k: number, m: number): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += a[c * m + i] * rz[c * m + i];
    for (let c = 0; c < k; c++) ra[c * m + i] = a[c * m + i] * (rz[c * m + i] - s);
  }
}

/** R-backward over the columns: the derivative of the backward's dz along v, into rdz. */
export function softmaxRBackward(
  a: Float64Array,
  da: Float64Array,
  rda: Float64Array,
  rz: Float64Array,
  rdz: Float64Array,
  k: number,
  m: number,
): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    let t = 0;
    for (let c = 0; c < k; c++) {
      const ac = a[c * m + i];
      s += ac * rz[c * m + i];
      t += ac * da[c * m + i];
    }
    let rt = 0;
    for (let c = 0; c < k; c++) {
      const ac = a[c * m + i];
      rt += ac * (rz[c * m + i] - s) * da[c * m + i] + ac * rda[c * m + i];
    }
    for (let c = 0; c < k; c++) {
      const at = c * m + i;
      const ac = a[at];
      rdz[at] = ac * (rz[at] - s) * (da[at] - t) + ac * (rda[at] - rt);
    }
  }
}

export class SoftmaxNode implements ParameterFreeNode {
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

  /** R-forward: R{a} = (diag(a) − a·aᵀ)·R{z}, example by example. */
  rForward(_input: Matrix, output: Matrix, rInput: Matrix, rOutput: Matrix): void {
    softmaxRForward(output.data, rInput.data, rOutput.data, output.rows, output.cols);
  }

  /** R-backward: the derivative of backward's dz along v (see the top of the file). */
  rBackward(_input: Matrix, output: Matrix, upstream: Matrix, rUpstream: Matrix, rInput: Matrix, rDownstream: Matrix): void {
    softmaxRBackward(output.data, upstream.data, rUpstream.data, rInput.data, rDownstream.data, output.rows, output.cols);
  }
}
