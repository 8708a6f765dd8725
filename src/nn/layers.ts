// The nodes of the computational graph. Each node maps an input buffer to an output buffer in the
// forward pass, and in the backward pass turns the gradient of the cost with respect to its output
// (the upstream gradient) into the gradient with respect to its input: local gradient times upstream.
// Buffers belong to a Workspace (see network.ts); nodes only own their parameters and gradients.
//
// Each node also has its two R-operator passes (rForward, rBackward) beside forward and backward:
// the derivatives of both passes along a direction v in parameter space, from which
// hessian-vector.ts assembles exact Hessian-vector products (Pearlmutter 1994). R{x} names the
// derivative of x along v.

import { type Activation, activations } from './activations.js';
import {
  type Matrix,
  addInto,
  linearForward,
  matmul,
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
 * A node without parameters whose output has its input's shape (an activation, softmax), with its
 * two R-operator passes. R{input} is the derivative of its input along v, R{upstream} that of the
 * gradient with respect to its output.
 */
export interface ParameterFreeNode extends GraphNode {
  /** R-forward: writes R{output} from R{input}. */
  rForward(input: Matrix, output: Matrix, rInput: Matrix, rOutput: Matrix): void;
  /** R-backward: writes R{downstream}, the derivative of what backward writes, from R{upstream} and R{input}. */
  rBackward(input: Matrix, output: Matrix, upstream: Matrix, rUpstream: Matrix, rInput: Matrix, rDownstream: Matrix): void;
}

/** Every node a model is built of: Linear layers and parameter-free nodes, all with R-operator passes. */
export type ModelNode = Linear | ParameterFreeNode;

/** A value for each weight and bias of a Linear node: its part of a direction v, or of H·v. */
export interface LinearPart {
  readonly W: Matrix;
  readonly b: Matrix;
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
    this.parameterGradients(input, upstream);
    if (downstream === null) return;
    const arena = this.arena;
    if (arena === null) matmulTransposeA(this.W, upstream, downstream);
    else arena.matmulTransposeA(this.W, upstream, downstream);
  }

  /**
   * backward, then the backward step of the sigmoid whose output is this node's input: downstream
   * is dZ of that sigmoid, (Wᵀ·dZ) * A_prev * (1 - A_prev) element by element, exactly the numbers
   * of the two steps one after the other; with an arena, one pass over the memory instead of two.
   */
  backwardThroughSigmoid(input: Matrix, upstream: Matrix, downstream: Matrix): void {
    this.parameterGradients(input, upstream);
    const arena = this.arena;
    if (arena !== null) {
      arena.matmulTransposeA(this.W, upstream, downstream, input);
      return;
    }
    matmulTransposeA(this.W, upstream, downstream);
    const d = downstream.data;
    activations.sigmoid.backward(d, input.data, input.data, d, d.length);
  }

  private parameterGradients(input: Matrix, upstream: Matrix): void {
    const arena = this.arena;
    if (arena === null) {
      matmulTransposeB(upstream, input, this.dW);
      rowSums(upstream, this.db);
    } else {
      arena.matmulTransposeB(upstream, input, this.dW);
      arena.rowSums(upstream, this.db);
    }
  }

  /**
   * R-forward: R{Z} = V_W·A + V_b + W·R{A}, where v = (V_W, V_b) is this node's part of the
   * direction and R{A} the derivative of its input (null when the input is the data, which does not
   * depend on the parameters). `scratch` (n_out x m) holds W·R{A}.
   */
  rForward(input: Matrix, rInput: Matrix | null, v: LinearPart, rOutput: Matrix, scratch: Matrix): void {
    const arena = this.arena;
    if (arena === null) linearForward(v.W, input, v.b, rOutput);
    else arena.linearForward(v.W, input, v.b, rOutput);
    if (rInput === null) return;
    if (arena === null) matmul(this.W, rInput, scratch);
    else arena.matmul(this.W, rInput, scratch);
    addInto(rOutput, scratch);
  }

  /**
   * R-backward, the derivative of backward's three products along v:
   *   R{dW} = R{dZ}·Aᵀ + dZ·R{A}ᵀ,  R{db} = row sums of R{dZ},  R{dA_prev} = Wᵀ·R{dZ} + V_Wᵀ·dZ.
   * R{dW} and R{db} go into `rGrad`, which is this node's part of H·v. `scratchW` (n_out x n_in)
   * and `scratchIn` (n_in x m) hold the second terms.
   */
  rBackward(
    input: Matrix,
    rInput: Matrix | null,
    upstream: Matrix,
    rUpstream: Matrix,
    v: LinearPart,
    rGrad: LinearPart,
    rDownstream: Matrix | null,
    scratchW: Matrix,
    scratchIn: Matrix,
  ): void {
    const arena = this.arena;
    if (arena === null) matmulTransposeB(rUpstream, input, rGrad.W);
    else arena.matmulTransposeB(rUpstream, input, rGrad.W);
    if (rInput !== null) {
      if (arena === null) matmulTransposeB(upstream, rInput, scratchW);
      else arena.matmulTransposeB(upstream, rInput, scratchW);
      addInto(rGrad.W, scratchW);
    }
    rowSums(rUpstream, rGrad.b);
    if (rDownstream === null) return;
    if (arena === null) {
      matmulTransposeA(this.W, rUpstream, rDownstream);
      matmulTransposeA(v.W, upstream, scratchIn);
    } else {
      arena.matmulTransposeA(this.W, rUpstream, rDownstream);
      arena.matmulTransposeA(v.W, upstream, scratchIn);
    }
    addInto(rDownstream, scratchIn);
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
export class ActivationNode implements ParameterFreeNode {
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

  /** R-forward: R{a} = f'(z) R{z}. */
  rForward(input: Matrix, output: Matrix, rInput: Matrix, rOutput: Matrix): void {
    this.activation.rForward(input.data, output.data, rInput.data, rOutput.data, input.data.length);
  }

  /** R-backward: R{dZ} = R{dA} f'(z) + dA f''(z) R{z}. */
  rBackward(input: Matrix, output: Matrix, upstream: Matrix, rUpstream: Matrix, rInput: Matrix, rDownstream: Matrix): void {
    const n = upstream.data.length;
    this.activation.rBackward(upstream.data, rUpstream.data, input.data, output.data, rInput.data, rDownstream.data, n);
  }
}
