// The source text of an unrolled training loop for one small network shape (see unrolled.ts).
//
// Every weight, bias, input, target, activation and gradient is a scalar local variable: no call
// per node, no loop and no allocation inside the epoch loop; memory is touched only to read the
// parameters at the start of an epoch, write them in the update, and record. Each scalar is
// computed with the same operations in the same order as the generic kernels (matrix.ts,
// activations.ts, losses.ts), so every result is bit for bit the same; that is what the kernels'
// comments on summation order are for. In the generic kernels:
//   Z = W·A + b       z[i][j] = ((w[i][0]*a[0][j] + w[i][1]*a[1][j]) + ...) + b[i]
//   dA = Wᵀ·dZ        da[k][j] = (w[0][k]*dz[0][j] + w[1][k]*dz[1][j]) + ...
//   dW = dZ·Aᵀ        dw[i][k] = (dz[i][0]*a[k][0] + dz[i][1]*a[k][1]) + ...
//   db = rowSums(dZ)  db[i] = ((0 + dz[i][0]) + dz[i][1]) + ...
//   cost              s = 0; s += term, element by element in row order; cost = scale * s
// Names: x<row>_<example> inputs, y.. targets, w<layer>_<out>_<in> and b<layer>_<out> parameters
// (layer = index among the linear nodes), a<value>_<row>_<example> the output of node value-1
// (t.. for the test set), g<value>_.. gradients, dw.. and db.. parameter gradients.
//
// For the blog's XOR network (2 -> 3 sigmoid -> 1 sigmoid, squared error, 4 examples) the output
// is, shortened where "..." stands:
//
//   'use strict';
//   const { parameters, trainX, trainY, testX, testY, epochs, learningRate: lr, maxCost, recordEvery,
//     recordedEpochs, costs, testCosts, capacity, onFull, progressEvery, onProgress } = io;
//   const W0 = parameters[0], B0 = parameters[1];
//   const W1 = parameters[2], B1 = parameters[3];
//   const x0_0 = trainX[0], x0_1 = trainX[1], x0_2 = trainX[2], x0_3 = trainX[3];
//   ...
//   let recorded = 0, nextRecord = 0, divergedAt = -1;
//   let nextProgress = progressEvery > 0 ? progressEvery : -1;
//   const last = epochs - 1;
//   for (let e = 0; e < epochs; e++) {
//     const w0_0_0 = W0[0], w0_0_1 = W0[1];
//     ...
//     const a1_0_0 = w0_0_0 * x0_0 + w0_0_1 * x1_0 + b0_0;
//     ...
//     let ea2_0_0;
//     {
//       const x = -a1_0_0, ax = Math.abs(x);
//       ...                                     (exp as Math.exp computes it: see exp.ts)
//     }
//     const a2_0_0 = 1 / (1 + ea2_0_0);
//     ...
//     let costSum = 0;
//     costSum += (y0_0 - a4_0_0) * (y0_0 - a4_0_0);
//     ...
//     const cost = 0.125 * costSum;
//     const diverged = !(cost <= maxCost && cost > -Infinity && cost < Infinity);
//     if (e === nextRecord || e === last || diverged) {
//       if (recorded === capacity) {
//         onFull(recorded);
//         recorded = 0;
//       }
//       recordedEpochs[recorded] = e;
//       costs[recorded] = cost;
//       recorded++;
//       if (e === nextRecord) nextRecord += recordEvery;
//     }
//     if (diverged) {
//       divergedAt = e;
//       break;
//     }
//     const g4_0_0 = (-0.25) * (y0_0 - a4_0_0);
//     ...
//     const g3_0_0 = g4_0_0 * a4_0_0 * (1 - a4_0_0);
//     ...
//     const dw1_0_0 = g3_0_0 * a2_0_0 + g3_0_1 * a2_0_1 + g3_0_2 * a2_0_2 + g3_0_3 * a2_0_3;
//     ...
//     const db1_0 = 0 + g3_0_0 + g3_0_1 + g3_0_2 + g3_0_3;
//     const g2_0_0 = w1_0_0 * g3_0_0;
//     ...
//     W0[0] = w0_0_0 - lr * dw0_0_0;
//     ...
//     if (e + 1 === nextProgress) {
//       onProgress(e + 1, epochs);
//       nextProgress += progressEvery;
//     }
//   }
//   return { recorded, divergedAt };

import type { ActivationName, LossName } from './spec.js';
import { LEAKY_RELU_SLOPE } from './activations.js';
import { expStatements } from './exp.js';
import { KERAS_EPSILON, losses } from './losses.js';

export type UnrolledNode =
  | { readonly kind: 'linear'; readonly nIn: number; readonly nOut: number }
  | { readonly kind: 'activation'; readonly activation: ActivationName };

/** The losses the generated code knows (cross_entropy's softmax is no element-wise node). */
export type UnrolledLossName = Exclude<LossName, 'cross_entropy'>;

export function isUnrolledLoss(name: LossName): name is UnrolledLossName {
  return Object.hasOwn(lossSources, name);
}

/** Everything the generated code depends on (and nothing it receives as an argument). */
export interface UnrolledShape {
  readonly nFeatures: number;
  readonly nodes: readonly UnrolledNode[];
  readonly loss: UnrolledLossName;
  /** Training examples. */
  readonly m: number;
  /** Test examples; 0 without test data. */
  readonly mTest: number;
}

/** The name of each scalar of one buffer: names[row][example]. */
type Block = readonly (readonly string[])[];

/** The lines of the function body; `emit` indents by the current depth. */
class Source {
  private readonly lines: string[] = [];
  private depth = 0;

  emit(line: string): void {
    this.lines.push('  '.repeat(this.depth) + line);
  }

  /** Lines between `open` and `}` one level deeper. */
  block(open: string, body: () => void): void {
    this.emit(open);
    this.depth++;
    body();
    this.depth--;
    this.emit('}');
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** A number as JavaScript source that reads back as exactly the same double. */
export function literal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (Object.is(v, -0)) return '(-0)';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  return v < 0 ? `(${String(v)})` : String(v); // String() of a double round-trips exactly
}

function names(prefix: string, rows: number, cols: number): string[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, j) => `${prefix}${r}_${j}`));
}

/** `a + b + c` summed left to right, as the kernels' loops do. */
function sum(terms: readonly string[]): string {
  return terms.join(' + ');
}

// ---- activations: the expressions of activations.ts, element by element ----

interface ActivationSource {
  /** Statements that declare `const <a> = f(z)`; exp written out (see ExpStyle) or Math.exp. */
  forward(z: string, a: string, exp: ExpStyle): string[];
  /** dZ = dA * der(z, a). */
  backward(dA: string, z: string, a: string): string;
}

const LEAKY = literal(LEAKY_RELU_SLOPE);

const activationSources: Readonly<Record<ActivationName, ActivationSource | null>> = {
  sigmoid: {
    forward: (z, a, exp) =>
      exp === 'inline'
        ? [...expStatements(`-${z}`, `e${a}`), `const ${a} = 1 / (1 + e${a});`]
        : [`const ${a} = 1 / (1 + Math.exp(-${z}));`],
    backward: (dA, _z, a) => `${dA} * ${a} * (1 - ${a})`,
  },
  tanh: {
    forward: (z, a) => [`const ${a} = Math.tanh(${z});`],
    backward: (dA, _z, a) => `${dA} * (1 - ${a} * ${a})`,
  },
  relu: {
    forward: (z, a) => [`const ${a} = ${z} <= 0 ? 0 : ${z};`],
    backward: (dA, z) => `${dA} * (${z} > 0 ? 1 : 0)`,
  },
  leaky_relu: {
    forward: (z, a) => [`const ${a} = ${z} > 0 ? ${z} : ${LEAKY} * ${z};`],
    backward: (dA, z) => `${dA} * (${z} > 0 ? 1 : ${LEAKY})`,
  },
  // The identity's output and gradient are its input's: no code, the names are shared.
  identity: null,
};

// ---- losses: the expressions of losses.ts, element by element ----

interface LossSource {
  /** Multiplies the sum of the terms: cost = scale * s. */
  scale(m: number): number;
  /** Adds one element's term to `s` (with any temporaries it needs, named after `id`). */
  addTerm(out: Source, s: string, z: string, a: string, y: string, id: string): void;
  /** The gradient of one element (w.r.t. a, or w.r.t. z when fused with the final sigmoid). */
  gradient(z: string, a: string, y: string, m: number): string;
}

const KERAS_LOW = literal(KERAS_EPSILON);
const KERAS_HIGH = literal(1 - KERAS_EPSILON);

const lossSources: Readonly<Record<UnrolledLossName, LossSource>> = {
  squared_error: {
    scale: (m) => 1 / (2 * m),
    // d = y - a; s += d * d
    addTerm: (out, s, _z, a, y) => out.emit(`${s} += (${y} - ${a}) * (${y} - ${a});`),
    gradient: (_z, a, y, m) => `${literal(-1 / m)} * (${y} - ${a})`,
  },
  bce: {
    scale: (m) => 1 / m,
    addTerm: (out, s, z, _a, y) =>
      out.emit(`${s} += Math.max(${z}, 0) - ${z} * ${y} + Math.log(1 + Math.exp(-Math.abs(${z})));`),
    gradient: (_z, a, y, m) => `${literal(1 / m)} * (${a} - ${y})`,
  },
  bce_keras: {
    scale: (m) => 1 / m,
    addTerm(out, s, _z, a, y, id) {
      out.emit(`const p${id} = Math.min(Math.max(${a}, ${KERAS_LOW}), ${KERAS_HIGH});`);
      out.emit(`const l${id} = Math.log(p${id} / (1 - p${id}));`);
      out.emit(`${s} += Math.max(l${id}, 0) - l${id} * ${y} + Math.log(1 + Math.exp(-Math.abs(l${id})));`);
    },
    gradient: (_z, a, y, m) =>
      `${literal(1 / m)} * (${a} - ${y}) * (${a} >= ${KERAS_LOW} && ${a} <= ${KERAS_HIGH} ? 1 : 0)`,
  },
};

// ---- the passes ----

/** The linear nodes' indices among all nodes, and each node's layer number (or -1). */
function layerNumbers(nodes: readonly UnrolledNode[]): number[] {
  let layer = 0;
  return nodes.map((n) => (n.kind === 'linear' ? layer++ : -1));
}

/** Emits the forward pass from `input`; returns the block of every value (values[0] = input). */
function emitForward(out: Source, shape: UnrolledShape, input: Block, prefix: string, m: number, exp: ExpStyle): Block[] {
  const layers = layerNumbers(shape.nodes);
  const values: Block[] = [input];
  shape.nodes.forEach((node, i) => {
    const from = values[i];
    if (node.kind === 'linear') {
      const l = layers[i];
      const to = names(`${prefix}${i + 1}_`, node.nOut, m);
      for (let r = 0; r < node.nOut; r++) {
        for (let j = 0; j < m; j++) {
          const products = from.map((row, k) => `w${l}_${r}_${k} * ${row[j]}`);
          out.emit(`const ${to[r][j]} = ${sum(products)} + b${l}_${r};`);
        }
      }
      values.push(to);
      return;
    }
    const source = activationSources[node.activation];
    if (source === null) {
      values.push(from);
      return;
    }
    const to = names(`${prefix}${i + 1}_`, from.length, m);
    from.forEach((row, r) => row.forEach((z, j) => source.forward(z, to[r][j], exp).forEach((line) => out.emit(line))));
    values.push(to);
  });
  return values;
}

/**
 * The input of the final sigmoid, for the losses fused with it. The other losses never read it
 * (and the last node may be a linear one, whose input has other rows): they get the output.
 */
function logits(shape: UnrolledShape, values: Block[]): Block {
  const L = shape.nodes.length;
  return losses[shape.loss].fusedWith === 'sigmoid' ? values[L - 1] : values[L];
}

/** Emits `const <name> = scale * s` for the loss of the last forward pass. */
function emitCost(out: Source, shape: UnrolledShape, values: Block[], targets: Block, m: number, name: string): void {
  const loss = lossSources[shape.loss];
  const z = logits(shape, values);
  const a = values[shape.nodes.length];
  const s = `${name}Sum`;
  out.emit(`let ${s} = 0;`);
  a.forEach((row, r) =>
    row.forEach((_, j) => loss.addTerm(out, s, z[r][j], a[r][j], targets[r][j], `${name}${r}_${j}`)),
  );
  out.emit(`const ${name} = ${literal(loss.scale(m))} * ${s};`);
}

/** Emits the gradients of every parameter (dw.., db..), backpropagating from the loss. */
function emitBackward(out: Source, shape: UnrolledShape, values: Block[], targets: Block): void {
  const { nodes, m } = shape;
  const layers = layerNumbers(nodes);
  const L = nodes.length;
  const first = nodes.findIndex((n) => n.kind === 'linear');
  const fused = losses[shape.loss].fusedWith === 'sigmoid';
  const start = fused ? L - 1 : L;
  const loss = lossSources[shape.loss];
  const grads: Block[] = [];
  const z = logits(shape, values);
  const top = names(`g${start}_`, values[start].length, m);
  top.forEach((row, r) =>
    row.forEach((g, j) => out.emit(`const ${g} = ${loss.gradient(z[r][j], values[L][r][j], targets[r][j], m)};`)),
  );
  grads[start] = top;
  for (let i = start - 1; i >= first; i--) {
    const node = nodes[i];
    const upstream = grads[i + 1];
    if (node.kind === 'linear') {
      emitLinearBackward(out, layers[i], values[i], upstream, m);
      if (i !== first) grads[i] = emitInputGradient(out, layers[i], node.nIn, upstream, `g${i}_`, m);
      continue;
    }
    const source = activationSources[node.activation];
    if (source === null) {
      grads[i] = upstream;
      continue;
    }
    const down = names(`g${i}_`, upstream.length, m);
    upstream.forEach((row, r) =>
      row.forEach((dA, j) => {
        out.emit(`const ${down[r][j]} = ${source.backward(dA, values[i][r][j], values[i + 1][r][j])};`);
      }),
    );
    grads[i] = down;
  }
}

/** dW = dZ·Aᵀ and db = row sums of dZ for layer `l`. */
function emitLinearBackward(out: Source, l: number, input: Block, upstream: Block, m: number): void {
  upstream.forEach((dz, r) => {
    input.forEach((a, k) => {
      const products = Array.from({ length: m }, (_, j) => `${dz[j]} * ${a[j]}`);
      out.emit(`const dw${l}_${r}_${k} = ${sum(products)};`);
    });
  });
  upstream.forEach((dz, r) => out.emit(`const db${l}_${r} = ${sum(['0', ...dz])};`));
}

/** dA_prev = Wᵀ·dZ for layer `l` (with W before its update). */
function emitInputGradient(out: Source, l: number, nIn: number, upstream: Block, prefix: string, m: number): Block {
  const down = names(prefix, nIn, m);
  for (let k = 0; k < nIn; k++) {
    for (let j = 0; j < m; j++) {
      const products = upstream.map((dz, r) => `w${l}_${r}_${k} * ${dz[j]}`);
      out.emit(`const ${down[k][j]} = ${sum(products)};`);
    }
  }
  return down;
}

/** W -= lr*dW; b -= lr*db for every layer, into the parameter arrays. */
function emitUpdate(out: Source, shape: UnrolledShape): void {
  forEachLayer(shape, (l, nIn, nOut) => {
    for (let r = 0; r < nOut; r++) {
      for (let k = 0; k < nIn; k++) out.emit(`W${l}[${r * nIn + k}] = w${l}_${r}_${k} - lr * dw${l}_${r}_${k};`);
    }
    for (let r = 0; r < nOut; r++) out.emit(`B${l}[${r}] = b${l}_${r} - lr * db${l}_${r};`);
  });
}

function forEachLayer(shape: UnrolledShape, body: (l: number, nIn: number, nOut: number) => void): void {
  let l = 0;
  for (const node of shape.nodes) if (node.kind === 'linear') body(l++, node.nIn, node.nOut);
}

// ---- loading and storing ----

/** The parameter arrays: parameters[2l] is layer l's W (row-major), parameters[2l + 1] its b. */
function emitParameterArrays(out: Source, shape: UnrolledShape): void {
  forEachLayer(shape, (l) => out.emit(`const W${l} = parameters[${2 * l}], B${l} = parameters[${2 * l + 1}];`));
}

/**
 * The parameters into locals, at the start of each epoch. They go back to their arrays in the
 * update rather than living in loop variables across epochs: V8 keeps loop variables that enter
 * optimised code in the middle of the loop (on-stack replacement, how a single long call gets
 * optimised) as boxed numbers, and would allocate a new box for every parameter every epoch.
 */
function emitLoadParameters(out: Source, shape: UnrolledShape): void {
  forEachLayer(shape, (l, nIn, nOut) => {
    for (let r = 0; r < nOut; r++) {
      const ws = Array.from({ length: nIn }, (_, k) => `w${l}_${r}_${k} = W${l}[${r * nIn + k}]`);
      out.emit(`const ${ws.join(', ')};`);
    }
    out.emit(`const ${Array.from({ length: nOut }, (_, r) => `b${l}_${r} = B${l}[${r}]`).join(', ')};`);
  });
}

/** A (rows x m) row-major array into locals; returns their names. */
function emitLoadData(out: Source, array: string, prefix: string, rows: number, m: number): Block {
  const block = names(prefix, rows, m);
  block.forEach((row, r) => out.emit(`const ${row.map((name, j) => `${name} = ${array}[${r * m + j}]`).join(', ')};`));
  return block;
}

function outputRows(shape: UnrolledShape): number {
  let rows = shape.nFeatures;
  for (const node of shape.nodes) if (node.kind === 'linear') rows = node.nOut;
  return rows;
}

// ---- the function ----

/**
 * How the sigmoid's exp is written: 'inline' as the statements of exp.ts (the same numbers as
 * Math.exp, and TurboFan compiles them in line, where Math.exp is a call into C++), which read the
 * table POW2 as a free variable named POW2_NAME; or 'call', Math.exp, a twentieth of the text.
 * unrolled.ts chooses (inline pays for networks with few sigmoid values).
 */
export type ExpStyle = 'inline' | 'call';

/**
 * The body of `function (io)`: trains in place, the loop of train.ts with every pass unrolled.
 * io = { parameters, trainX, trainY, testX, testY, epochs, learningRate, maxCost, recordEvery,
 * recordedEpochs, costs, testCosts, capacity, onFull, progressEvery, onProgress }; returns
 * { recorded, divergedAt } (recorded: the entries since the recording was last handed to onFull).
 */
export function unrolledTrainingSource(shape: UnrolledShape, exp: ExpStyle = 'inline'): string {
  const out = new Source();
  const nOut = outputRows(shape);
  out.emit(`'use strict';`);
  out.emit('const { parameters, trainX, trainY, testX, testY, epochs, learningRate: lr, maxCost, recordEvery,');
  out.emit('  recordedEpochs, costs, testCosts, capacity, onFull, progressEvery, onProgress } = io;');
  emitParameterArrays(out, shape);
  const x = emitLoadData(out, 'trainX', 'x', shape.nFeatures, shape.m);
  const y = emitLoadData(out, 'trainY', 'y', nOut, shape.m);
  const hasTest = shape.mTest > 0;
  const xt = hasTest ? emitLoadData(out, 'testX', 'xt', shape.nFeatures, shape.mTest) : [];
  const yt = hasTest ? emitLoadData(out, 'testY', 'yt', nOut, shape.mTest) : [];
  out.emit('let recorded = 0, nextRecord = 0, divergedAt = -1;');
  out.emit('let nextProgress = progressEvery > 0 ? progressEvery : -1;');
  out.emit('const last = epochs - 1;');
  out.block('for (let e = 0; e < epochs; e++) {', () => {
    emitLoadParameters(out, shape);
    const values = emitForward(out, shape, x, 'a', shape.m, exp);
    emitCost(out, shape, values, y, shape.m, 'cost');
    out.emit('const diverged = !(cost <= maxCost && cost > -Infinity && cost < Infinity);');
    out.block('if (e === nextRecord || e === last || diverged) {', () => {
      out.block('if (recorded === capacity) {', () => {
        out.emit('onFull(recorded);');
        out.emit('recorded = 0;');
      });
      out.emit('recordedEpochs[recorded] = e;');
      out.emit('costs[recorded] = cost;');
      if (hasTest) {
        const testValues = emitForward(out, shape, xt, 't', shape.mTest, exp);
        emitCost(out, shape, testValues, yt, shape.mTest, 'testCost');
        out.emit('testCosts[recorded] = testCost;');
      }
      out.emit('recorded++;');
      out.emit('if (e === nextRecord) nextRecord += recordEvery;');
    });
    out.block('if (diverged) {', () => {
      out.emit('divergedAt = e;');
      out.emit('break;');
    });
    emitBackward(out, shape, values, y);
    emitUpdate(out, shape);
    out.block('if (e + 1 === nextProgress) {', () => {
      out.emit('onProgress(e + 1, epochs);');
      out.emit('nextProgress += progressEvery;');
    });
  });
  out.emit('return { recorded, divergedAt };');
  return out.text();
}
