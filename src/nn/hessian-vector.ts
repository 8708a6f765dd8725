// Exact Hessian-vector products H·v of the data loss over every example of a workspace, with
// respect to every weight and bias, by Pearlmutter's R-operator (forward-over-reverse, 1994).
//
// For a direction v in parameter space, R{x} is the derivative of a quantity x of the forward and
// backward passes along v. The R-forward pass carries R{Z}, R{A} through the nodes (the data does
// not depend on the parameters: R{X} = 0); the loss turns R{output} into the R of its gradient; the
// R-backward pass differentiates every node's backward. What the Linear nodes' R-backward writes
// for R{dW}, R{db} is exactly H·v, because dW, db are the gradient. Each node's two passes sit
// beside its forward and backward (layers.ts, activations.ts, softmax.ts, losses.ts); every node a
// network holds has them (layers.ts, ModelNode). One product costs about two forward-and-backward
// passes, and nothing here allocates after construction.
//
// Parameter order of v and H·v, used everywhere a parameter vector is flat: Linear nodes in model
// order, each its weights row by row (n_out x n_in, as W is stored) and then its biases.

import { type LinearPart, Linear } from './layers.js';
import type { Matrix } from './matrix.js';
import type { Network, Workspace } from './network.js';

/** A symmetric linear map on flat parameter vectors (what Lanczos needs). */
export interface SymmetricOperator {
  /** Length of the vectors it maps. */
  readonly size: number;
  /** out = H·v; `out` and `v` are distinct arrays of length `size`. */
  apply(v: Float64Array, out: Float64Array): void;
}

interface LinearBuffers {
  /** The node's part of v. */
  v: LinearPart;
  /** The node's part of H·v. */
  hv: LinearPart;
  /** n_out x m: W·R{A} in R-forward. */
  scratchOut: Matrix;
  /** n_out x n_in: dZ·R{A}ᵀ in R-backward. */
  scratchW: Matrix;
  /** n_in x m: V_Wᵀ·dZ in R-backward (unused by the first Linear node, which passes nothing back). */
  scratchIn: Matrix;
  /** Offset of the node's weights in a flat parameter vector. */
  offset: number;
}

/** Number of weights and biases of a network: the length of its flat parameter vectors. */
export function parameterCount(net: Network): number {
  return net.linears.reduce((total, l) => total + l.nOut * l.nIn + l.nOut, 0);
}

/** Copies the network's current parameters into `out` (flat order above). */
export function readParameters(net: Network, out: Float64Array): void {
  let at = 0;
  for (const layer of net.linears) {
    out.set(layer.W.data, at);
    at += layer.W.data.length;
    out.set(layer.b.data, at);
    at += layer.b.data.length;
  }
}

/** Sets the network's parameters from `values` (flat order above). */
export function writeParameters(net: Network, values: Float64Array): void {
  let at = 0;
  for (const layer of net.linears) {
    const w = layer.W.data.length;
    layer.W.data.set(values.subarray(at, at + w));
    at += w;
    const b = layer.b.data.length;
    layer.b.data.set(values.subarray(at, at + b));
    at += b;
  }
}

/**
 * H·v for the loss of `net` on the examples of `ws` against targets `y`, at the network's
 * parameters as of the last `prepare()`.
 */
export class HessianVectorProduct implements SymmetricOperator {
  readonly size: number;
  private readonly net: Network;
  private readonly ws: Workspace;
  private readonly y: Matrix;
  private readonly first: number;
  /** Per node: its Linear buffers, or null for a node without parameters. */
  private readonly linearBuffers: (LinearBuffers | null)[];
  /** R{values[i]}; null where nothing depends on the parameters (i <= the first Linear node). */
  private readonly rValues: (Matrix | null)[];
  /** R{grads[i]}; null where no gradient is propagated (i <= the first Linear node). */
  private readonly rGrads: (Matrix | null)[];

  constructor(net: Network, ws: Workspace, y: Matrix) {
    if (!ws.everyGradient) {
      throw new RangeError('a Hessian-vector product needs a workspace that keeps every gradient (everyGradient: true)');
    }
    if (y.rows !== net.nOutputs || y.cols !== ws.m) {
      throw new RangeError(`targets are ${y.rows} x ${y.cols}, expected ${net.nOutputs} x ${ws.m}`);
    }
    this.net = net;
    this.ws = ws;
    this.y = y;
    this.size = parameterCount(net);
    this.first = net.linearPositions[0];
    const m = ws.m;
    const alloc = (rows: number, cols: number) => net.allocate(rows, cols);
    this.rValues = ws.values.map((value, i) => (i <= this.first ? null : alloc(value.rows, m)));
    this.rGrads = ws.values.map((value, i) => (i <= this.first ? null : alloc(value.rows, m)));
    let offset = 0;
    this.linearBuffers = net.nodes.map((node, i) => {
      if (!(node instanceof Linear)) return null;
      const buffers: LinearBuffers = {
        v: { W: alloc(node.nOut, node.nIn), b: alloc(node.nOut, 1) },
        hv: { W: alloc(node.nOut, node.nIn), b: alloc(node.nOut, 1) },
        scratchOut: alloc(node.nOut, m),
        scratchW: alloc(node.nOut, node.nIn),
        scratchIn: i === this.first ? alloc(0, 0) : alloc(node.nIn, m),
        offset,
      };
      offset += node.nOut * node.nIn + node.nOut;
      return buffers;
    });
  }

  /** Forward and backward passes at the current parameters; call again whenever they change. */
  prepare(): void {
    this.net.forward(this.ws);
    this.net.backward(this.ws, this.y);
  }

  apply(v: Float64Array, out: Float64Array): void {
    const nodes = this.net.nodes;
    const values = this.ws.values;
    const grads = this.ws.grads;
    const rValues = this.rValues;
    const rGrads = this.rGrads;
    const buffers = this.linearBuffers;
    const first = this.first;
    const L = nodes.length;

    // The direction, node by node (`.data` is read afresh: an arena may have renewed the views).
    for (let i = first; i < L; i++) {
      const b = buffers[i];
      if (b !== null) scatter(v, b.offset, b.v);
    }

    // R-forward from the first Linear node, whose input (the data, or what an activation made of
    // it) does not depend on the parameters.
    for (let i = first; i < L; i++) {
      const node = nodes[i];
      if (node instanceof Linear) {
        const b = buffers[i]!;
        node.rForward(values[i], i === first ? null : rValues[i], b.v, rValues[i + 1]!, b.scratchOut);
      } else {
        node.rForward(values[i], values[i + 1], rValues[i]!, rValues[i + 1]!);
      }
    }

    // The loss: R of the gradient it hands to backpropagation (w.r.t. the input of the final
    // sigmoid or softmax for a fused loss, whose backward the final node then skips, as in
    // Network.backward; that node's R-forward has made R{output}, which the loss reads).
    const loss = this.net.loss;
    const start = loss.fusedWith !== null ? L - 1 : L;
    const output = values[L].data;
    loss.rGradient(output, rValues[L]!.data, rGrads[start]!.data, output.length, this.ws.m);

    // R-backward, down to the first Linear node.
    for (let i = start - 1; i >= first; i--) {
      const node = nodes[i];
      if (node instanceof Linear) {
        const b = buffers[i]!;
        node.rBackward(
          values[i],
          i === first ? null : rValues[i],
          grads[i + 1],
          rGrads[i + 1]!,
          b.v,
          b.hv,
          i === first ? null : rGrads[i],
          b.scratchW,
          b.scratchIn,
        );
      } else {
        node.rBackward(values[i], values[i + 1], grads[i + 1], rGrads[i + 1]!, rValues[i]!, rGrads[i]!);
      }
    }

    for (let i = first; i < L; i++) {
      const b = buffers[i];
      if (b !== null) gather(b.hv, out, b.offset);
    }
  }
}

/** A node's part of a flat vector, from `offset` on, into its W and b. */
function scatter(flat: Float64Array, offset: number, part: LinearPart): void {
  const w = part.W.data;
  const b = part.b.data;
  let at = offset;
  for (let i = 0; i < w.length; i++) w[i] = flat[at++];
  for (let i = 0; i < b.length; i++) b[i] = flat[at++];
}

/** A node's W and b into a flat vector, from `offset` on. */
function gather(part: LinearPart, flat: Float64Array, offset: number): void {
  const w = part.W.data;
  const b = part.b.data;
  let at = offset;
  for (let i = 0; i < w.length; i++) flat[at++] = w[i];
  for (let i = 0; i < b.length; i++) flat[at++] = b[i];
}
