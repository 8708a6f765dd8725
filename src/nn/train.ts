// Training: gradient descent on a network built from a TrainSpec, recording the cost curve.
//
// Full batch (batch_size: full), epoch e is exactly the documented order (docs/experiment-format.md): forward pass over the
// training set, cost (recorded for epoch e, so epoch 0 is the cost of the initial weights),
// backward pass, update of every layer (with plain sgd: W -= lr*dW; b -= lr*db).
//
// Minibatches (batch_size: k, a whole number below the number of examples m): each epoch first
// takes the cost of the whole training set at the weights the epoch starts with (the recorded cost,
// the same definition as full batch), then walks the training set in consecutive slices of k
// examples (columns [0, k), [k, 2k), ...; the last slice holds the remaining m mod k examples when
// k does not divide m), one step per slice, each slice's cost averaged over its own examples.
// Without train.shuffle the order is the training set's own (`dataset.shuffle` mixes it once);
// with it, before every epoch the examples are permuted by perm = gen.permutation(m), gen being
// one generator of its own, np.random.RandomState(train.shuffle_seed, default: seed), drawn anew
// each epoch, and the slices are taken from the permuted examples (full batch: one slice of all).
// batch_size >= m is one slice of everything: full batch.
//
// The step: the learning rate of the epoch (schedules.ts: schedule and warmup), the penalties on
// the weights (penalties.ts), the optimizer's rule (optimizers.ts); updater.ts applies them.
//
// Recording: epochs 0, k, 2k, ... for record_every k, and always the last epoch run; with a
// schedule or warmup, the learning rate of each recorded epoch too. The points go into the result,
// or (onRecorded) out in fixed-size pieces while the run goes on.
// Divergence: a cost that is NaN, +-Infinity or above divergence.max_cost stops the run at that
// epoch, after recording its cost (epochsRun = that epoch + 1); no update follows it.
// Small networks trained full batch by plain gradient descent take unrolled.ts's path: the same
// loop generated as one function per network shape, with identical results (bit for bit);
// everything else takes the generic loop below, over the network's passes.
// Accuracy (after the last update): for one output, prediction = output > 0.5, percent correct,
// null unless every target is 0 or 1; for k outputs, the class of the largest output (ties to the
// lowest index) against the one-hot target, null unless every target column is one-hot. With
// test data, the test cost is recorded at each recorded epoch with the same weights as the
// training cost of that epoch.
// Sharpness (spec.track.sharpness, sharpness.ts): at every recorded epoch e with e mod every = 0,
// with the same weights as that epoch's cost, before its update; not at an epoch whose cost
// diverged (no update follows it). Tracking takes the generic loop, whose results are the same.

import type { TrainSpec } from './spec.js';
import { ModelSpecError } from './errors.js';
import { isPlainGradientDescent, resolveDynamics } from './dynamics.js';
import { type Matrix, copyColumns, copyColumnsInOrder, zeros } from './matrix.js';
import { buildNetwork, type LayerParameters, type Network, type Workspace } from './network.js';
import { RandomState } from './rng.js';
import { EpochRates, rateVaries } from './schedules.js';
import { SharpnessTracker, sharpnessOptions } from './sharpness.js';
import { ParameterUpdate } from './updater.js';
import { parameterArrays, type UnrolledTraining, unrolledShape, unrolledTraining } from './unrolled.js';

export interface TrainData {
  train: { x: Matrix; y: Matrix };
  test?: { x: Matrix; y: Matrix } | null;
}

export interface TrainOptions {
  /**
   * Always run the generic epoch loop, never the unrolled one of a small full-batch network. The
   * results are the same bit for bit either way; this exists to test exactly that.
   */
  generic?: boolean;
  /** Called every `progressEvery` epochs (and once at the end) with the epochs done so far. */
  onProgress?: (epochsDone: number, epochs: number) => void;
  /** Epochs between progress calls; default 1000. */
  progressEvery?: number;
  /**
   * Receives the recorded curve in pieces of at most `recordChunk` points while training runs,
   * instead of keeping all of it: the memory a run needs then stays the same whatever its epochs
   * and record_every. The arrays are reused once the call returns (copy or write out what you
   * keep). The result's recordedEpochs, costs, testCosts and sharpness series are then empty;
   * recordedPoints, finalCost and minCost still describe the whole curve.
   */
  onRecorded?: (points: RecordedPoints) => void;
  /** Points per onRecorded call; default RECORD_CHUNK. */
  recordChunk?: number;
}

/** The first `count` entries of each array are the recorded points, in epoch order. */
export interface RecordedPoints {
  count: number;
  epochs: Int32Array;
  costs: Float64Array;
  testCosts: Float64Array | null;
  /** With a schedule or warmup: the learning rate of each of these epochs. */
  learningRates: Float64Array | null;
  /** With spec.track.sharpness: the sharpness computed at some of these epochs (its first `count` entries). */
  sharpness: (SharpnessSeries & { count: number }) | null;
}

/** Recorded points handed to onRecorded at a time: 16 384 points are 320 KB of arrays. */
export const RECORD_CHUNK = 16_384;

export interface TrainResult {
  status: 'finished' | 'diverged';
  epochsRun: number;
  /** Points recorded over the whole run (also when they went to onRecorded). */
  recordedPoints: number;
  recordedEpochs: Int32Array;
  costs: Float64Array;
  testCosts: Float64Array | null;
  /** The learning rate of each recorded epoch, when a schedule or warmup makes it vary; else null. */
  learningRates: Float64Array | null;
  divergedAtEpoch: number | null;
  /** The last recorded cost. */
  finalCost: number;
  /** The smallest recorded cost (NaN only when every recorded cost is NaN). */
  minCost: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  parameters: LayerParameters[];
  /**
   * With spec.track.sharpness: the epochs it was computed at (a subset of recordedEpochs), in order
   * (empty with onRecorded: the values went out with the recorded points).
   */
  sharpness: SharpnessSeries | null;
}

export interface SharpnessSeries {
  epochs: Int32Array;
  values: Float64Array;
  /** Lanczos steps (Hessian-vector products) each value took. */
  iterations: Int32Array;
}

export function train(spec: TrainSpec, data: TrainData, options: TrainOptions = {}): TrainResult {
  const { epochs, learning_rate: lr, record_every: recordEvery, batch_size: batchSize } = spec.train;
  checkSettings(spec);
  const dynamics = resolveDynamics(spec);
  const { x, y } = data.train;
  const test = data.test ?? null;
  const net = buildNetwork(spec, x.rows);
  checkData(net, x, y, 'train');
  if (test !== null) {
    if (test.x.rows !== x.rows) {
      throw new ModelSpecError('dataset', `test data has ${test.x.rows} features, training data ${x.rows}`);
    }
    checkData(net, test.x, test.y, 'test');
  }

  const m = x.cols;
  // Every gradient is kept only for the sharpness tracker's Hessian-vector products.
  const full = net.workspace(m, x, { everyGradient: spec.track?.sharpness !== undefined });
  const testWs = test === null ? null : net.workspace(test.x.cols, test.x);
  const fullBatch = batchSize === 'full' || batchSize >= m;
  // Reshuffled full batch is one slice of all m examples in the epoch's order.
  const batches = fullBatch && !dynamics.shuffle ? null : minibatches(net, x, y, fullBatch ? m : batchSize);
  const order = dynamics.shuffle ? { rng: new RandomState(dynamics.shuffleSeed), perm: new Int32Array(m) } : null;
  const varies = rateVaries(dynamics.schedule, dynamics.warmupEpochs);

  const everything = Math.floor((epochs - 1) / recordEvery) + 2;
  const onRecorded = options.onRecorded;
  const chunk = Math.max(1, Math.floor(options.recordChunk ?? RECORD_CHUNK));
  const capacity = onRecorded ? Math.min(everything, chunk) : everything;
  const recording: Recording = {
    recordedEpochs: new Int32Array(capacity),
    costs: new Float64Array(capacity),
    testCosts: test === null ? null : new Float64Array(capacity),
    learningRates: varies ? new Float64Array(capacity) : null,
  };
  const sharpness = sharpnessTracking(spec, net, full, y, capacity);
  // Streaming: a full recording goes out (with the sharpness computed at its epochs), and what the
  // result says of the curve is kept here.
  const streamed = { points: 0, minCost: NaN, lastCost: NaN };
  const handOver = (count: number) => {
    if (!onRecorded || count === 0) return;
    streamed.points += count;
    streamed.minCost = minIgnoringNaN(recording.costs, count, streamed.minCost);
    streamed.lastCost = recording.costs[count - 1];
    onRecorded({
      count,
      epochs: recording.recordedEpochs,
      costs: recording.costs,
      testCosts: recording.testCosts,
      learningRates: recording.learningRates,
      sharpness: sharpness === null ? null : { ...sharpness, count: sharpness.count },
    });
    if (sharpness !== null) sharpness.count = 0;
  };
  const progressEvery = options.onProgress ? Math.max(1, Math.floor(options.progressEvery ?? 1000)) : 0;
  const maxCost = spec.divergence.max_cost;
  const loop: Loop = {
    epochs,
    lr,
    rate: varies ? new EpochRates(lr, epochs, dynamics.schedule, dynamics.warmupEpochs) : null,
    recordEvery,
    maxCost,
    progressEvery,
    onProgress: options.onProgress,
    onFull: handOver,
  };

  // A small network trained full batch by plain gradient descent runs as one generated function;
  // the results are the same.
  const unrolled = batches === null && sharpness === null && isPlainGradientDescent(dynamics) && options.generic !== true;
  const shape = unrolled ? unrolledShape(net, m, test === null ? 0 : test.x.cols) : null;
  const run = shape === null ? null : unrolledTraining(shape, epochs);
  const testPass = testWs === null || test === null ? null : { ws: testWs, y: test.y };
  const update = new ParameterUpdate(net.linears, dynamics.optimizer, dynamics.penalties);
  const { recorded, divergedAtEpoch } =
    run === null
      ? genericEpochs(net, update, loop, recording, { ws: full, x, y, batches, order }, testPass, sharpness)
      : unrolledEpochs(net, run, loop, recording, data.train, test);

  const epochsRun = divergedAtEpoch === null ? epochs : divergedAtEpoch + 1;
  if (options.onProgress && epochsRun % progressEvery !== 0) options.onProgress(epochsRun, epochs);

  const { recordedEpochs, costs, testCosts, learningRates } = recording;
  handOver(recorded);
  const kept = onRecorded ? 0 : recorded;
  const finalCosts = costs.slice(0, kept);
  return {
    status: divergedAtEpoch === null ? 'finished' : 'diverged',
    epochsRun,
    recordedPoints: onRecorded ? streamed.points : recorded,
    recordedEpochs: recordedEpochs.slice(0, kept),
    costs: finalCosts,
    testCosts: testCosts === null ? null : testCosts.slice(0, kept),
    learningRates: learningRates === null ? null : learningRates.slice(0, kept),
    divergedAtEpoch,
    finalCost: onRecorded ? streamed.lastCost : finalCosts[recorded - 1],
    minCost: onRecorded ? streamed.minCost : minIgnoringNaN(finalCosts, recorded, NaN),
    trainAccuracy: accuracy(net, full, y),
    testAccuracy: testWs === null || test === null ? null : accuracy(net, testWs, test.y),
    parameters: net.getParameters(),
    sharpness:
      sharpness === null
        ? null
        : {
            epochs: sharpness.epochs.slice(0, onRecorded ? 0 : sharpness.count),
            values: sharpness.values.slice(0, onRecorded ? 0 : sharpness.count),
            iterations: sharpness.iterations.slice(0, onRecorded ? 0 : sharpness.count),
          },
  };
}

/** Sharpness tracking during the epoch loop: the tracker, its period and what it has computed. */
interface SharpnessRecording extends SharpnessSeries {
  tracker: SharpnessTracker;
  every: number;
  count: number;
}

function sharpnessTracking(spec: TrainSpec, net: Network, ws: Workspace, y: Matrix, capacity: number): SharpnessRecording | null {
  const tracking = spec.track?.sharpness;
  if (tracking === undefined) return null;
  const every = tracking.every;
  if (!Number.isInteger(every) || every < 1) {
    throw new ModelSpecError('track.sharpness.every', `expected a whole number >= 1, got ${every}`);
  }
  return {
    tracker: new SharpnessTracker(net, ws, y, sharpnessOptions(tracking)),
    every,
    count: 0,
    epochs: new Int32Array(capacity),
    values: new Float64Array(capacity),
    iterations: new Int32Array(capacity),
  };
}

interface Recording {
  recordedEpochs: Int32Array;
  costs: Float64Array;
  testCosts: Float64Array | null;
  learningRates: Float64Array | null;
}

/** The settings of the epoch loop, shared by both ways of running it. */
interface Loop {
  epochs: number;
  /** The base learning rate. */
  lr: number;
  /** How the rate varies by epoch, or null for a constant rate. */
  rate: EpochRates | null;
  recordEvery: number;
  maxCost: number;
  /** 0 for no progress calls. */
  progressEvery: number;
  onProgress: TrainOptions['onProgress'];
  /** Called with the recording's length when it is full and another point comes (streaming only). */
  onFull: (recorded: number) => void;
}

interface LoopOutcome {
  /** Entries written into the recording. */
  recorded: number;
  divergedAtEpoch: number | null;
}

/** The epoch loop on the network's passes: any model, full batch or minibatches, any optimizer. */
function genericEpochs(
  net: Network,
  update: ParameterUpdate,
  loop: Loop,
  recording: Recording,
  train: { ws: Workspace; y: Matrix; x: Matrix; batches: Minibatch[] | null; order: { rng: RandomState; perm: Int32Array } | null },
  test: { ws: Workspace; y: Matrix } | null,
  sharpness: SharpnessRecording | null,
): LoopOutcome {
  const { epochs, lr: baseRate, rate, recordEvery, maxCost, progressEvery, onProgress, onFull } = loop;
  const { recordedEpochs, costs, testCosts, learningRates } = recording;
  const capacity = recordedEpochs.length;
  const { ws: full, y, x, batches, order } = train;
  let recorded = 0;
  let nextRecord = 0;
  let nextProgress = progressEvery > 0 ? progressEvery : -1;
  let divergedAtEpoch: number | null = null;
  const last = epochs - 1;

  const step = update.numbers;
  step[0] = baseRate;
  for (let e = 0; e < epochs; e++) {
    if (rate !== null) rate.write(step, e);
    net.forward(full);
    const cost = net.cost(full, y);
    const diverged = !(cost <= maxCost && cost > -Infinity && cost < Infinity);
    if (e === nextRecord || e === last || diverged) {
      if (recorded === capacity) {
        onFull(recorded);
        recorded = 0;
      }
      recordedEpochs[recorded] = e;
      costs[recorded] = cost;
      if (learningRates !== null) learningRates[recorded] = step[0];
      if (testCosts !== null && test !== null) {
        net.forward(test.ws);
        testCosts[recorded] = net.cost(test.ws, test.y);
      }
      recorded++;
      if (e === nextRecord) nextRecord += recordEvery;
      if (sharpness !== null && !diverged && e % sharpness.every === 0) {
        const { value, iterations } = sharpness.tracker.compute();
        const k = sharpness.count++;
        sharpness.epochs[k] = e;
        sharpness.values[k] = value;
        sharpness.iterations[k] = iterations;
      }
    }
    if (diverged) {
      divergedAtEpoch = e;
      break;
    }
    if (batches === null) {
      net.backward(full, y);
      update.apply();
    } else {
      if (order !== null) order.rng.permutationInto(order.perm);
      for (let k = 0; k < batches.length; k++) {
        const batch = batches[k];
        if (order === null) {
          copyColumns(x, batch.start, batch.ws.values[0]);
          copyColumns(y, batch.start, batch.y);
        } else {
          copyColumnsInOrder(x, order.perm, batch.start, batch.ws.values[0]);
          copyColumnsInOrder(y, order.perm, batch.start, batch.y);
        }
        net.forward(batch.ws);
        net.backward(batch.ws, batch.y);
        update.apply();
      }
    }
    if (e + 1 === nextProgress) {
      onProgress?.(e + 1, epochs);
      nextProgress += progressEvery;
    }
  }
  return { recorded, divergedAtEpoch };
}

/** The same loop, full batch, as the generated function for the network's shape (unrolled.ts). */
function unrolledEpochs(
  net: Network,
  run: UnrolledTraining,
  loop: Loop,
  recording: Recording,
  train: { x: Matrix; y: Matrix },
  test: { x: Matrix; y: Matrix } | null,
): LoopOutcome {
  const { recorded, divergedAt } = run({
    // Read now: an arena (network.ts) may have given the parameters new views since they were built.
    parameters: parameterArrays(net),
    trainX: train.x.data,
    trainY: train.y.data,
    testX: test === null ? null : test.x.data,
    testY: test === null ? null : test.y.data,
    epochs: loop.epochs,
    learningRate: loop.lr,
    maxCost: loop.maxCost,
    recordEvery: loop.recordEvery,
    recordedEpochs: recording.recordedEpochs,
    costs: recording.costs,
    testCosts: recording.testCosts,
    capacity: recording.recordedEpochs.length,
    onFull: loop.onFull,
    progressEvery: loop.progressEvery,
    onProgress: loop.onProgress ?? noProgress,
  });
  return { recorded, divergedAtEpoch: divergedAt < 0 ? null : divergedAt };
}

function noProgress(): void {}

/**
 * Percent of examples classified right, or null when the targets are no classes. One output: the
 * output > 0.5 against 0/1 targets. k outputs: the largest output (the first of equals; NaN counts
 * as largest, as in NumPy's argmax) against one-hot target columns.
 */
export function accuracy(net: Network, ws: Workspace, y: Matrix): number | null {
  const target = y.data;
  if (target.length === 0) return null;
  if (y.rows > 1) return oneHotClasses(y) ? argmaxAccuracy(net, ws, y) : null;
  for (let i = 0; i < target.length; i++) if (target[i] !== 0 && target[i] !== 1) return null;
  net.forward(ws);
  const out = ws.values[ws.values.length - 1].data;
  let correct = 0;
  for (let i = 0; i < target.length; i++) if ((out[i] > 0.5 ? 1 : 0) === target[i]) correct++;
  return (100 * correct) / target.length;
}

function argmaxAccuracy(net: Network, ws: Workspace, y: Matrix): number {
  net.forward(ws);
  const out = ws.values[ws.values.length - 1].data;
  const { rows: k, cols: m, data: target } = y;
  let correct = 0;
  for (let i = 0; i < m; i++) {
    let best = 0;
    for (let c = 1; c < k && !Number.isNaN(out[best * m + i]); c++) {
      const v = out[c * m + i];
      if (v > out[best * m + i] || Number.isNaN(v)) best = c;
    }
    if (target[best * m + i] === 1) correct++;
  }
  return (100 * correct) / m;
}

/** Every column of y holds one 1 and otherwise zeros. */
export function oneHotClasses(y: Matrix): boolean {
  const { rows: k, cols: m, data } = y;
  for (let i = 0; i < m; i++) {
    let ones = 0;
    for (let c = 0; c < k; c++) {
      const v = data[c * m + i];
      if (v === 1) ones++;
      else if (v !== 0) return false;
    }
    if (ones !== 1) return false;
  }
  return true;
}

interface Minibatch {
  start: number;
  ws: Workspace;
  y: Matrix;
}

/** Consecutive slices of k examples; slices of the same size share their buffers. */
function minibatches(net: Network, x: Matrix, y: Matrix, k: number): Minibatch[] {
  const m = x.cols;
  const buffers = new Map<number, { ws: Workspace; y: Matrix }>();
  const out: Minibatch[] = [];
  for (let start = 0; start < m; start += k) {
    const size = Math.min(k, m - start);
    let b = buffers.get(size);
    if (b === undefined) {
      b = { ws: net.workspace(size, undefined, { everyGradient: false }), y: zeros(y.rows, size) };
      buffers.set(size, b);
    }
    out.push({ start, ...b });
  }
  return out;
}

/** The smallest of the first `count` values and `min` (NaN for none yet), ignoring NaN. */
function minIgnoringNaN(values: Float64Array, count: number, min: number): number {
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (!Number.isNaN(v) && !(v >= min)) min = v;
  }
  return min;
}

function checkSettings(spec: TrainSpec): void {
  const { epochs, learning_rate: lr, record_every: recordEvery, batch_size: batchSize } = spec.train;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new ModelSpecError('train.epochs', `expected a whole number >= 1, got ${epochs}`);
  }
  if (typeof lr !== 'number' || !Number.isFinite(lr)) {
    throw new ModelSpecError('train.learning_rate', `expected a finite number, got ${lr}`);
  }
  if (!Number.isInteger(recordEvery) || recordEvery < 1) {
    throw new ModelSpecError('train.record_every', `expected a whole number >= 1, got ${recordEvery}`);
  }
  if (batchSize !== 'full' && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new ModelSpecError('train.batch_size', `expected 'full' or a whole number >= 1, got ${batchSize}`);
  }
  const maxCost = spec.divergence.max_cost;
  if (typeof maxCost !== 'number' || Number.isNaN(maxCost)) {
    throw new ModelSpecError('divergence.max_cost', `expected a number, got ${maxCost}`);
  }
}

function checkData(net: Network, x: Matrix, y: Matrix, which: 'train' | 'test'): void {
  if (x.cols < 1) throw new ModelSpecError('dataset', `the ${which} data has no examples`);
  if (y.cols !== x.cols) {
    throw new ModelSpecError('dataset', `${which} targets have ${y.cols} examples, inputs ${x.cols}`);
  }
  if (y.rows !== net.nOutputs) {
    throw new ModelSpecError(
      'model',
      `the model outputs ${net.nOutputs} value${net.nOutputs === 1 ? '' : 's'} per example, ` +
        `but the ${which} targets have ${y.rows} row${y.rows === 1 ? '' : 's'}`,
    );
  }
  if (net.loss.fusedWith === 'softmax' && !oneHotClasses(y)) {
    throw new ModelSpecError(
      'loss',
      `${net.loss.name} needs one-hot class targets (one 1 per example, zeros elsewhere), and the ${which} targets are not; ` +
        'class-labelled data without `positive` is turned into one-hot targets',
    );
  }
}
