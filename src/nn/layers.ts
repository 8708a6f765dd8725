// The nodes of the computational graph. Each node maps an input buffer to an output buffer in the
// forward pass, and in the backward pass turns the gradient of the cost with respect to its output
// (the upstream gradient) into the gradient with respect to its input: local gradient times upstream.
// Buffers belong to a Workspace (see network.ts); nodes only own their parameters and gradients.

import type { Activation } from './activations.js';
import {
  type Matrix,
  linearForward,
  matmulTransposeA,
  matmulTransposeB,
  rowSums,
  zeros,
} from './matrix.js';
import type { Arena } from './wasm/arena.js';

export interface GraphNode {
  /** Rows of the output for an input of `inputRows` rows. */
  outputRows(inputRows: number): number;
  forward(input: Matrix, output: Matrix): void;
  /** Writes dCost/d(input) into `downstream` (skipped when it is null) from dCost/d(output). */
  backward(input: Matrix, output: Matrix, upstream: Matrix, downstream: Matrix | null): void;
  /** From now on, work with the network's buffers in `arena` (see network.ts). */
  attach(arena: Arena): void;
}

/**
 * Z = W·A_prev + b, with W (n_out x n_in) and b (n_out x 1). Attached to an arena
 * (wasm/arena.ts), the parameters move into it and the products go to its kernels.
 */
export class Linear implements GraphNode {
  readonly nIn: number;
  readonly nOut: number;
  readonly W: Matrix;
  readonly b: Matrix;
  readonly dW: Matrix;
  readonly db: Matrix;
  private arena: Arena | null = null;

  constructor(nIn: number, nOut: number, weights: Float64Array, bias: Float64Array) {
    if (weights.length !== nOut * nIn || bias.length !== nOut) {
      throw new RangeError(`Linear ${nIn}->${nOut}: got ${weights.length} weights and ${bias.length} biases`);
    }
    this.nIn = nIn;
    this.nOut = nOut;
    this.W = { rows: nOut, cols: nIn, data: weights };
    this.b = { rows: nOut, cols: 1, data: bias };
    this.dW = zeros(nOut, nIn);
    this.db = zeros(nOut, 1);
  }

  attach(arena: Arena): void {
    for (const m of [this.W, this.b, this.dW, this.db]) arena.adopt(m);
    this.arena = arena;
  }

  outputRows(): number {
    return this.nOut;
  }

  forward(input: Matrix, output: Matrix): void {
    const arena = this.arena;
    if (arena === null) linearForward(this.W, input, this.b, output);
    else arena.linearForward(this.W, input, this.b, output);
  }

  /** dW = dZ·A_prevᵀ, db = row sums of dZ, dA_prev = Wᵀ·dZ (with W before its update). */
  backward(input: Matrix, _output: Matrix, upstream: Matrix, downstream: Matrix | null): void {
    const arena = this.arena;
    if (arena === null) matmulTransposeB(upstream, input, this.dW);
    else arena.matmulTransposeB(upstream, input, this.dW);
    rowSums(upstream, this.db);
    if (downstream === null) return;
    if (arena === null) matmulTransposeA(this.W, upstream, downstream);
    else arena.matmulTransposeA(this.W, upstream, downstream);
  }

  /** Gradient descent step: W -= lr*dW; b -= lr*db. */
  update(learningRate: number): void {
    const w = this.W.data;
    const dw = this.dW.data;
    for (let i = 0; i < w.length; i++) w[i] -= learningRate * dw[i];
    const b = this.b.data;
    const db = this.db.data;
    for (let i = 0; i < b.length; i++) b[i] -= learningRate * db[i];
  }
}

/**
 * An element-wise activation node (sigmoid, tanh, ...), shape-preserving. Attached to an arena, a
 * sigmoid node runs its loops as wasm kernels (the same numbers: exp there is Math.exp's algorithm).
 */
export class ActivationNode implements GraphNode {
  readonly activation: Activation;
  /** The arena whose sigmoid kernels this node uses, or null. */
  private sigmoidArena: Arena | null = null;

  constructor(activation: Activation) {
    this.activation = activation;
  }

  attach(arena: Arena): void {
    if (this.activation.name === 'sigmoid') this.sigmoidArena = arena;
  }

  outputRows(inputRows: number): number {
    return inputRows;
  }

  forward(input: Matrix, output: Matrix): void {
    const arena = this.sigmoidArena;
    if (arena === null) this.activation.forward(input.data, output.data, input.data.length);
    else arena.sigmoidForward(input, output);
  }

  backward(input: Matrix, output: Matrix, upstream: Matrix, downstream: Matrix | null): void {
    if (downstream === null) return;
    const arena = this.sigmoidArena;
    if (arena === null) {
      this.activation.backward(upstream.data, input.data, output.data, downstream.data, upstream.data.length);
    } else {
      arena.sigmoidBackward(upstream, output, downstream);
    }
  }
}
