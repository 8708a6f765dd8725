// A network is the model's nodes in order, its loss, and the buffers a pass needs. Buffers live in a
// Workspace built once per batch size (number of example columns), so forward and backward passes
// allocate nothing. values[0] is the input, values[i + 1] the output of node i; grads[i] is the
// gradient of the cost with respect to values[i].
//
// Once a workspace's products are big enough for the WebAssembly kernels to pay, the network moves
// into an Arena (wasm/arena.ts): its parameters and every workspace buffer from then on live in one
// WebAssembly memory, where the matrix products and sigmoids run as SIMD kernels. The results are
// the same either way, bit for bit; only the speed differs. Moving and growing the arena give the
// matrices new Float64Array views, so read `matrix.data` again after workspace() or predict().

import type { LayerSpec, LinearLayerSpec, TrainSpec } from './spec.js';
import { activations, isActivationName } from './activations.js';
import { ModelSpecError } from './errors.js';
import { initialWeights, initializerNames, isInitName } from './init.js';
import { ActivationNode, Linear, type ModelNode } from './layers.js';
import { isLossName, type Loss, losses, lossNames } from './losses.js';
import { type Matrix, toRows, zeros } from './matrix.js';
import { RandomState } from './rng.js';
import { SOFTMAX, SoftmaxNode } from './softmax.js';
import { type Arena, createArena, WASM_MIN_MULTIPLY_ADDS } from './wasm/arena.js';

export interface Workspace {
  /** Number of examples (columns) this workspace holds. */
  readonly m: number;
  readonly values: Matrix[];
  readonly grads: Matrix[];
  /**
   * Whether backward writes the gradient of every value after the first Linear node (the
   * R-operator passes of hessian-vector.ts read them). Without, a Linear node whose input is a
   * sigmoid's output goes back through that sigmoid in one step, and the gradient with respect to
   * the sigmoid's output is neither kept nor written: the parameters' gradients are the same, bit
   * for bit, one pass over the memory sooner.
   */
  readonly everyGradient: boolean;
}

export interface WorkspaceOptions {
  /** See Workspace.everyGradient; true by default. */
  everyGradient?: boolean;
}

export interface LayerParameters {
  weights: number[][];
  bias: number[][];
}

const EMPTY: Matrix = zeros(0, 0);

export class Network {
  readonly nodes: readonly ModelNode[];
  /** The Linear nodes, in model order. */
  readonly linears: readonly Linear[];
  /** Index in `nodes` of each Linear node (its index in the model list). */
  readonly linearPositions: readonly number[];
  readonly loss: Loss;
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** Rows of values[i], for i = 0..nodes.length. */
  private readonly valueRows: readonly number[];
  /** Backpropagation stops at the first Linear node: nothing before it has parameters. */
  private readonly firstLinear: number;
  /**
   * throughSigmoid[i]: node i is a Linear node whose input is the output of a sigmoid node after the
   * first Linear node; its backward step then goes through that sigmoid in one pass (see backward).
   */
  private readonly throughSigmoid: readonly boolean[];
  /** The most weights (n_out x n_in) of any Linear node. */
  private readonly largestLayer: number;
  /** Where the buffers live once the nodes use the wasm kernels (the nodes are attached to it). */
  private arena: Arena | null = null;

  constructor(nodes: ModelNode[], loss: Loss, nFeatures: number) {
    this.nodes = nodes;
    this.loss = loss;
    this.nFeatures = nFeatures;
    const rows = [nFeatures];
    for (const node of nodes) rows.push(node.outputRows(rows[rows.length - 1]));
    this.valueRows = rows;
    this.nOutputs = rows[rows.length - 1];
    this.linears = nodes.filter((n): n is Linear => n instanceof Linear);
    this.linearPositions = nodes.flatMap((n, i) => (n instanceof Linear ? [i] : []));
    this.firstLinear = this.linearPositions[0];
    this.throughSigmoid = nodes.map((node, i) => {
      const before = nodes[i - 1];
      return (
        node instanceof Linear &&
        i - 1 > this.firstLinear &&
        before instanceof ActivationNode &&
        before.activation.name === 'sigmoid'
      );
    });
    this.largestLayer = Math.max(...this.linears.map((l) => l.nIn * l.nOut));
  }

  /** The arena, after moving into one if passes over `m` examples are big enough to need it. */
  private arenaFor(m: number): Arena | null {
    if (this.arena === null && this.largestLayer * m >= WASM_MIN_MULTIPLY_ADDS) {
      const arena = createArena();
      if (arena !== null) {
        for (const node of this.nodes) node.attach(arena);
        this.arena = arena;
      }
    }
    return this.arena;
  }

  /**
   * Buffers for passes over `m` examples. With `input` (features x m), the workspace reads it in
   * place (or, with an arena, a copy of it taken now); otherwise it owns an input buffer (values[0])
   * for the caller to fill.
   */
  workspace(m: number, input?: Matrix, options: WorkspaceOptions = {}): Workspace {
    const everyGradient = options.everyGradient ?? true;
    if (input !== undefined && (input.rows !== this.nFeatures || input.cols !== m)) {
      throw new RangeError(`input is ${input.rows} x ${input.cols}, expected ${this.nFeatures} x ${m}`);
    }
    const arena = this.arenaFor(m);
    if (arena !== null) {
      const mark = arena.mark();
      try {
        // dW = dZ·Aᵀ transposes A (n_in x m), and Wᵀ·dZ transposes W, into the arena's scratch space.
        arena.reserveScratch(Math.max(...this.linears.map((l) => l.nIn * Math.max(m, l.nOut))));
        const inArena = (rows: number, cols: number) => arena.zeros(rows, cols);
        return this.allocateWorkspace(m, input, everyGradient, inArena, (x) => arena.copyOf(x.rows, x.cols, x.data));
      } catch (error) {
        // Past the 4 GiB a WebAssembly memory can hold: the kernels run in JavaScript on this one.
        if (!(error instanceof RangeError)) throw error;
        arena.release(mark);
      }
    }
    return this.allocateWorkspace(m, input, everyGradient, zeros, (x) => x);
  }

  private allocateWorkspace(
    m: number,
    input: Matrix | undefined,
    everyGradient: boolean,
    alloc: (rows: number, cols: number) => Matrix,
    place: (input: Matrix) => Matrix,
  ): Workspace {
    const values = this.valueRows.map((r, i) => (i === 0 && input !== undefined ? place(input) : alloc(r, m)));
    // No gradient is needed for the input, nor for anything before the first Linear node.
    // Nor, unless every gradient is wanted, for the output of a sigmoid that a Linear node's
    // backward step goes through (see backward).
    const grads = this.valueRows.map((r, i) =>
      i <= this.firstLinear || (!everyGradient && this.throughSigmoid[i]) ? EMPTY : alloc(r, m),
    );
    return { m, values, grads, everyGradient };
  }

  /**
   * A zero matrix where this network's buffers live: in its arena once it has moved into one, so
   * that the wasm kernels serve extra passes over its workspaces too (hessian-vector.ts). Call it
   * after `workspace`, which decides whether the network moves.
   */
  allocate(rows: number, cols: number): Matrix {
    const arena = this.arena;
    if (arena === null) return zeros(rows, cols);
    try {
      return arena.zeros(rows, cols);
    } catch (error) {
      // Past what a WebAssembly memory can hold: a plain buffer, which the kernels run in JavaScript.
      if (!(error instanceof RangeError)) throw error;
      return zeros(rows, cols);
    }
  }

  forward(ws: Workspace): void {
    const nodes = this.nodes;
    const values = ws.values;
    for (let i = 0; i < nodes.length; i++) nodes[i].forward(values[i], values[i + 1]);
  }

  /** The cost of the last forward pass of `ws` against targets `y` (nOutputs x m). */
  cost(ws: Workspace, y: Matrix): number {
    const L = this.nodes.length;
    const out = ws.values[L];
    return this.loss.cost(ws.values[L - 1].data, out.data, y.data, out.data.length, ws.m);
  }

  /** Gradients of every parameter from the last forward pass of `ws` (no update). */
  backward(ws: Workspace, y: Matrix): void {
    const nodes = this.nodes;
    const values = ws.values;
    const grads = ws.grads;
    const L = nodes.length;
    const out = values[L];
    // A fused loss hands over dZ of the final sigmoid's (or softmax's) input; otherwise dA of the output.
    const start = this.loss.fusedWith !== null ? L - 1 : L;
    this.loss.gradient(values[L - 1].data, out.data, y.data, grads[start].data, out.data.length, ws.m);
    const first = this.firstLinear;
    const throughSigmoid = this.throughSigmoid;
    const fuse = !ws.everyGradient;
    for (let i = start - 1; i >= first; i--) {
      if (fuse && throughSigmoid[i]) {
        // The Linear node and the sigmoid before it in one step: the gradient with respect to the
        // sigmoid's output (grads[i]) is never written, only the one with respect to its input.
        (nodes[i] as Linear).backwardThroughSigmoid(values[i], grads[i + 1], grads[i - 1]);
        i--;
      } else {
        nodes[i].backward(values[i], values[i + 1], grads[i + 1], i === first ? null : grads[i]);
      }
    }
  }

  update(learningRate: number): void {
    const linears = this.linears;
    for (let i = 0; i < linears.length; i++) linears[i].update(learningRate);
  }

  /** The network's output for each example (column) of x, as (nOutputs x m) in row order. */
  predict(x: Matrix): Float64Array {
    const arena = this.arenaFor(x.cols); // before the mark: moving in must outlast this call
    const mark = arena?.mark();
    try {
      const ws = this.workspace(x.cols, x);
      this.forward(ws);
      // A copy: the workspace's space in the arena is handed back below.
      return ws.values[this.nodes.length].data.slice();
    } finally {
      if (arena !== null && mark !== undefined) arena.release(mark);
    }
  }

  /** Copies of the current weights and biases, one entry per Linear node. */
  getParameters(): LayerParameters[] {
    return this.linears.map((l) => ({ weights: toRows(l.W), bias: toRows(l.b) }));
  }

  /** Replaces every Linear node's weights and biases (e.g. with a trained run's `parameters`). */
  setParameters(parameters: readonly LayerParameters[]): void {
    if (parameters.length !== this.linears.length) {
      throw new RangeError(`expected parameters for ${this.linears.length} linear layers, got ${parameters.length}`);
    }
    parameters.forEach((p, i) => {
      const layer = this.linears[i];
      const path = `model.${this.linearPositions[i]}`;
      layer.W.data.set(checkedValues(`${path}.weights`, p.weights, layer.nOut, layer.nIn));
      layer.b.data.set(checkedValues(`${path}.bias`, p.bias, layer.nOut, 1));
    });
  }
}

/**
 * Builds the network of `spec.model` for inputs with `nFeatures` features: seeds the generator with
 * `spec.seed`, then initialises the Linear layers first to last (explicit weights and biases replace
 * the drawn values, but the draws still happen). Throws ModelSpecError for an invalid model.
 */
export function buildNetwork(spec: Pick<TrainSpec, 'seed' | 'model' | 'loss'>, nFeatures: number): Network {
  if (!Number.isInteger(nFeatures) || nFeatures < 1) {
    throw new ModelSpecError('dataset', `the data must have at least one feature, got ${nFeatures}`);
  }
  if (!isLossName(spec.loss)) {
    throw new ModelSpecError('loss', `unknown loss ${JSON.stringify(spec.loss)}; expected one of ${lossNames.join(', ')}`);
  }
  const model = spec.model;
  if (!Array.isArray(model) || !model.some((n) => typeof n === 'object' && n !== null)) {
    throw new ModelSpecError('model', 'the model needs at least one linear layer');
  }
  const loss = losses[spec.loss];
  const last = model[model.length - 1];
  if (loss.fusedWith !== null && last !== loss.fusedWith) {
    throw new ModelSpecError(
      'loss',
      `${spec.loss} works on the logits of a final ${loss.fusedWith}, so the model must end with a ${loss.fusedWith} node ` +
        `(it ends with ${describeNode(last)}); ${loss.fusedWith === 'sigmoid' ? 'use squared_error otherwise' : 'add softmax after the last linear layer'}`,
    );
  }
  const softmaxAt = model.indexOf(SOFTMAX);
  if (softmaxAt >= 0 && (softmaxAt !== model.length - 1 || loss.fusedWith !== 'softmax')) {
    throw new ModelSpecError(
      `model.${softmaxAt}`,
      softmaxAt !== model.length - 1
        ? 'softmax can only be the last node of the model'
        : `softmax goes with the loss cross_entropy, which is fused with it; the loss is ${spec.loss}`,
    );
  }
  const rng = new RandomState(spec.seed);
  const nodes: ModelNode[] = [];
  let nIn = nFeatures;
  model.forEach((node, index) => {
    if (node === SOFTMAX) {
      nodes.push(new SoftmaxNode());
      return;
    }
    if (typeof node === 'string') {
      if (!isActivationName(node)) {
        throw new ModelSpecError(`model.${index}`, `unknown activation ${JSON.stringify(node)}`);
      }
      nodes.push(new ActivationNode(activations[node]));
      return;
    }
    const layer = buildLinear(node, index, nIn, rng);
    nodes.push(layer);
    nIn = layer.nOut;
  });
  return new Network(nodes, loss, nFeatures);
}

function buildLinear(spec: LinearLayerSpec, index: number, nIn: number, rng: RandomState): Linear {
  const path = `model.${index}`;
  const nOut = spec.linear;
  if (!Number.isInteger(nOut) || nOut < 1) {
    throw new ModelSpecError(`${path}.linear`, `a linear layer needs a positive whole number of outputs, got ${nOut}`);
  }
  if (!isInitName(spec.init)) {
    throw new ModelSpecError(
      `${path}.init`,
      `unknown init ${JSON.stringify(spec.init)}; expected one of ${initializerNames.join(', ')}`,
    );
  }
  // Draw first, always, so the generator advances the same way with or without explicit weights.
  let weights: Float64Array = initialWeights(rng, spec.init, nOut, nIn);
  let bias: Float64Array = new Float64Array(nOut);
  if (spec.weights !== undefined) weights = checkedValues(`${path}.weights`, spec.weights, nOut, nIn);
  if (spec.bias !== undefined) bias = checkedValues(`${path}.bias`, spec.bias, nOut, 1);
  return new Linear(nIn, nOut, weights, bias);
}

/** The values of a `rows x cols` nested list, row by row, or a ModelSpecError naming the shape. */
function checkedValues(path: string, value: unknown, rows: number, cols: number): Float64Array {
  const expected = `${rows} row${rows === 1 ? '' : 's'} of ${cols} number${cols === 1 ? '' : 's'} (n_out x ${
    path.endsWith('bias') ? '1' : 'n_in'
  })`;
  if (!Array.isArray(value)) throw new ModelSpecError(path, `expected ${expected}, got ${typeof value}`);
  const found = `${value.length} row${value.length === 1 ? '' : 's'}`;
  if (value.length !== rows) throw new ModelSpecError(path, `expected ${expected}, got ${found}`);
  const out = new Float64Array(rows * cols);
  value.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== cols) {
      const got = Array.isArray(row) ? `${row.length} number${row.length === 1 ? '' : 's'}` : typeof row;
      throw new ModelSpecError(path, `expected ${expected}, but row ${r} has ${got}`);
    }
    row.forEach((v: unknown, c) => {
      // Any number goes, NaN and Infinity included (a diverged run's weights can be rebuilt).
      if (typeof v !== 'number') {
        throw new ModelSpecError(path, `row ${r}, column ${c} must be a number, got ${JSON.stringify(v)}`);
      }
      out[r * cols + c] = v;
    });
  });
  return out;
}

function describeNode(node: LayerSpec | undefined): string {
  if (node === undefined) return 'nothing';
  return typeof node === 'string' ? node : `a linear layer (linear: ${node.linear})`;
}
