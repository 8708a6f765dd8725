// The fast path for small full-batch networks (the blog's XOR network and its like): the whole epoch
// loop of train.ts as one generated function (unrolled-source.ts), with every weight, activation
// and gradient in a local variable. For such networks the generic path spends its time on calls,
// loop set-up and typed-array traffic, not on arithmetic.
//
// The generated loop computes every number exactly as the generic path does (test/nn/unrolled.test.ts
// trains random networks both ways and compares every result bit for bit), so which path a run
// takes is invisible in its results and ENGINE_VERSION does not depend on it.
//
// One function is generated and compiled per shape (layers, activations, loss, numbers of training
// and test examples) and form of exp (written out for long runs, see INLINE_EXP_MIN_EPOCHS) and kept
// in a small cache; the learning rate, the epochs and the recording settings are arguments, so a
// sweep over them compiles once or twice per worker thread.

import type { Network } from './network.js';
import { ActivationNode, Linear } from './layers.js';
import { POW2, POW2_NAME } from './exp.js';
import { isUnrolledLoss, unrolledTrainingSource, type UnrolledLossName, type UnrolledNode, type UnrolledShape } from './unrolled-source.js';

/**
 * The most multiply-adds of one unrolled forward pass (the number of weights times the examples,
 * for the training set and, separately, the test set). The code grows with it: up to here it runs
 * about twice as fast as the generic kernels for the blog's networks and still 1.5 times as fast at
 * the limit; past a few hundred the gain is gone, and past about 600 V8 no longer optimises the
 * function at all (it then runs in the interpreter, tens of times slower).
 */
export const UNROLL_MAX_MULTIPLY_ADDS = 256;

/**
 * A second guard on the same risk, on the generated text itself: V8 optimises no function with
 * more than 60 KB of bytecode, which this source reached between 62 000 and 66 000 characters.
 * Some shapes within the multiply-add budget still make long code (many examples through a layer
 * of one weight, long chains of activations, a test set as large as the training set): those take
 * the generic loop.
 */
export const UNROLL_MAX_SOURCE_CHARS = 40_000;

/** Keeps the cache small: a sweep over shapes rarely needs more than a few at a time. */
const CACHE_LIMIT = 32;

export interface UnrolledIO {
  /** [W0, b0, W1, b1, ...]: each Linear node's weights (row-major) and biases, updated in place. */
  parameters: Float64Array[];
  trainX: Float64Array;
  trainY: Float64Array;
  testX: Float64Array | null;
  testY: Float64Array | null;
  epochs: number;
  learningRate: number;
  maxCost: number;
  recordEvery: number;
  recordedEpochs: Int32Array;
  costs: Float64Array;
  testCosts: Float64Array | null;
  /** Entries the recording holds; when it is full, onFull(capacity) empties it before the next point. */
  capacity: number;
  onFull: (recorded: number) => void;
  /** 0 for no progress calls. */
  progressEvery: number;
  onProgress: (epochsDone: number, epochs: number) => void;
}

export interface UnrolledOutcome {
  /** Entries written to recordedEpochs, costs and testCosts. */
  recorded: number;
  /** The epoch whose cost diverged, or -1. */
  divergedAt: number;
}

export type UnrolledTraining = (io: UnrolledIO) => UnrolledOutcome;

/** The shape of `net` trained full batch on m examples (mTest test examples, or 0), or null when too big. */
export function unrolledShape(net: Network, m: number, mTest: number): UnrolledShape | null {
  if (!isUnrolledLoss(net.loss.name)) return null;
  const weights = net.linears.reduce((total, l) => total + l.nIn * l.nOut, 0);
  if (weights * Math.max(m, mTest) > UNROLL_MAX_MULTIPLY_ADDS) return null;
  const nodes: UnrolledNode[] = [];
  for (const node of net.nodes) {
    if (node instanceof Linear) nodes.push({ kind: 'linear', nIn: node.nIn, nOut: node.nOut });
    else if (node instanceof ActivationNode) nodes.push({ kind: 'activation', activation: node.activation.name });
    else return null;
  }
  return { nFeatures: net.nFeatures, nodes, loss: net.loss.name as UnrolledLossName, m, mTest };
}

const cache = new Map<string, UnrolledTraining | null>();

/**
 * The compiled training loop for `shape` to train `epochs` epochs (see INLINE_EXP_MIN_EPOCHS), from
 * the cache when it was compiled before; null when its source is too long to be optimised, or when
 * the process forbids compiling code from strings (node --disallow-code-generation-from-strings):
 * the generic loop then does the work.
 */
export function unrolledTraining(shape: UnrolledShape, epochs: number): UnrolledTraining | null {
  const key = `${writesExpOut(shape, epochs)} ${JSON.stringify(shape)}`;
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = compile(shape, unrolledSource(shape, epochs));
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, fn);
  }
  return fn;
}

/**
 * The most sigmoid values in one training pass (rows times examples) for which the sigmoids' exp is
 * written out (exp.ts). Up to here it trains 10 to 25% faster than with Math.exp (the blog's
 * network has 16); from about 30 on the gain is gone, and some shapes even lose a little.
 */
export const INLINE_EXP_MAX_SIGMOIDS = 24;

/**
 * The fewest epochs of a run for which exp is written out. The longer source takes V8 longer to
 * optimise: a worker's first run of the blog's network (5 000 epochs) took 40 to 60 ms with it
 * against 20 to 30 ms with Math.exp, and xor-lr's sweep about 50 ms longer, for a gain of at most
 * a tenth of 0.25 µs per epoch once optimised: it pays from a few hundred thousand epochs.
 */
export const INLINE_EXP_MIN_EPOCHS = 200_000;

let inlineExpMinEpochs = INLINE_EXP_MIN_EPOCHS;

/** Sets the fewest epochs for which exp is written out (0: always); for tests of both forms. */
export function setInlineExpMinEpochs(epochs: number): void {
  inlineExpMinEpochs = epochs;
}

/** Whether exp is to be written out (where that is not too long) for training `shape` `epochs` epochs. */
function writesExpOut(shape: UnrolledShape, epochs: number): boolean {
  return epochs >= inlineExpMinEpochs && sigmoidValues(shape) <= INLINE_EXP_MAX_SIGMOIDS;
}

/** The sigmoid values of one training pass. */
function sigmoidValues(shape: UnrolledShape): number {
  let rows = shape.nFeatures;
  let count = 0;
  for (const node of shape.nodes) {
    if (node.kind === 'linear') rows = node.nOut;
    else if (node.activation === 'sigmoid') count += rows * shape.m;
  }
  return count;
}

/** The source with exp written out for a few sigmoids over many epochs, else (or where that is too long) Math.exp. */
export function unrolledSource(shape: UnrolledShape, epochs: number): string {
  if (writesExpOut(shape, epochs)) {
    const inline = unrolledTrainingSource(shape, 'inline');
    if (inline.length <= UNROLL_MAX_SOURCE_CHARS) return inline;
  }
  return unrolledTrainingSource(shape, 'call');
}

function compile(shape: UnrolledShape, source: string): UnrolledTraining | null {
  if (source.length > UNROLL_MAX_SOURCE_CHARS) return null;
  let fn: UnrolledTraining;
  try {
    // The source holds only fixed names and numbers written by literal(): nothing from the user's
    // text. The function is made inside another that hands it exp's table of powers of two.
    const make = new Function(POW2_NAME, `return function (io) {\n${source}\n};`) as (pow2: Float64Array) => UnrolledTraining;
    fn = make(POW2);
  } catch (error) {
    if (error instanceof EvalError) return null;
    throw error;
  }
  warmUp(fn, shape);
  return fn;
}

/**
 * Runs a new loop a few epochs on made-up numbers, through every branch (recording, test cost,
 * progress, divergence), so that V8 has seen every operation of it before it optimises it during a
 * real run. Otherwise the first recording after that (the last epoch, when only the first and the
 * last are recorded) meets code V8 had not seen run, and V8 throws the optimised code away: the
 * next run would start over in the interpreter. Fractions, not integers, so V8 expects doubles.
 * Then a few epochs with every weight and bias huge, tiny, small and near 1, of both signs, so that
 * every sigmoid has run each branch of its exp (exp.ts) too.
 */
function warmUp(fn: UnrolledTraining, shape: UnrolledShape): void {
  const { m, mTest } = shape;
  const nOutputs = shape.nodes.reduce((rows, node) => (node.kind === 'linear' ? node.nOut : rows), shape.nFeatures);
  const filled = (n: number, v: number) => new Float64Array(n).fill(v);
  const parameters = (w: number, b: number) => (n: UnrolledNode) =>
    n.kind === 'linear' ? [filled(n.nIn * n.nOut, w), filled(n.nOut, b)] : [];
  const runs = [
    { w: 0.37, b: 0.21, maxCost: Infinity, epochs: 24 },
    { w: 0.37, b: 0.21, maxCost: -Infinity, epochs: 24 },
    ...[1e3, 1e-12, 1e-4, 1].flatMap((v) => [v, -v]).map((v) => ({ w: v, b: v, maxCost: Infinity, epochs: 2 })),
  ];
  for (const { w, b, maxCost, epochs } of runs) {
    fn({
      parameters: shape.nodes.flatMap(parameters(w, b)),
      trainX: filled(shape.nFeatures * m, 0.61),
      trainY: filled(nOutputs * m, 0.29),
      testX: mTest === 0 ? null : filled(shape.nFeatures * mTest, 0.61),
      testY: mTest === 0 ? null : filled(nOutputs * mTest, 0.29),
      epochs,
      learningRate: 0.5,
      maxCost,
      recordEvery: 1,
      recordedEpochs: new Int32Array(epochs + 1),
      costs: new Float64Array(epochs + 1),
      testCosts: mTest === 0 ? null : new Float64Array(epochs + 1),
      // A small capacity on the long runs: the recording fills up and is handed over, as when streaming.
      capacity: epochs > 2 ? 5 : epochs + 1,
      onFull: ignoreProgress,
      progressEvery: 1,
      onProgress: ignoreProgress,
    });
  }
}

function ignoreProgress(): void {}

/** Each Linear node's current weight and bias arrays, in the order the generated code expects. */
export function parameterArrays(net: Network): Float64Array[] {
  return net.linears.flatMap((l) => [l.W.data, l.b.data]);
}
