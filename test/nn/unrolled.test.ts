// The unrolled path for small full-batch networks (src/nn/unrolled.ts) against the generic loop:
// random networks of every activation, loss and initialiser, with explicit weights, special values,
// divergence, test data and progress calls, trained both ways, must agree in every number, bit for
// bit (Object.is: NaN equals NaN, 0 and -0 differ).
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationName, LayerSpec, LinearLayerSpec, LossName, TrainSpec } from '../../src/experiment/types.js';
import { activationNames } from '../../src/nn/activations.js';
import { initializerNames } from '../../src/nn/init.js';
import { lossNames } from '../../src/nn/losses.js';
import { fromRows, type Matrix } from '../../src/nn/matrix.js';
import { buildNetwork } from '../../src/nn/network.js';
import { RandomState } from '../../src/nn/rng.js';
import { train, type TrainData, type TrainResult } from '../../src/nn/train.js';
import { expStatements, POW2_NAME } from '../../src/nn/exp.js';
import { literal, unrolledTrainingSource } from '../../src/nn/unrolled-source.js';
import { prepareDataset } from '../../src/data/index.js';
import {
  INLINE_EXP_MAX_SIGMOIDS,
  INLINE_EXP_MIN_EPOCHS,
  setInlineExpMinEpochs,
  UNROLL_MAX_MULTIPLY_ADDS,
  UNROLL_MAX_SOURCE_CHARS,
  unrolledShape,
  unrolledSource,
  unrolledTraining,
} from '../../src/nn/unrolled.js';

// Exp written out whatever the epochs: the short runs here check that form against the generic
// loop (a run as long as INLINE_EXP_MIN_EPOCHS would take too long); Math.exp's form is checked
// where exp written out is not chosen, and in "chooses Math.exp for a short run" below.
beforeAll(() => setInlineExpMinEpochs(0));
afterAll(() => setInlineExpMinEpochs(INLINE_EXP_MIN_EPOCHS));

/** Trains both ways (with progress calls) and returns both results and both progress logs. */
function trainBothWays(spec: TrainSpec, data: TrainData, progressEvery = 7) {
  const unrolledCalls: number[] = [];
  const genericCalls: number[] = [];
  const unrolled = train(spec, data, { onProgress: (done) => unrolledCalls.push(done), progressEvery });
  const generic = train(spec, data, { onProgress: (done) => genericCalls.push(done), progressEvery, generic: true });
  return { unrolled, generic, unrolledCalls, genericCalls };
}

/** Whether train() takes the unrolled path for this spec and data. */
function takesUnrolledPath(spec: TrainSpec, data: TrainData): boolean {
  const net = buildNetwork(spec, data.train.x.rows);
  const shape = unrolledShape(net, data.train.x.cols, data.test ? data.test.x.cols : 0);
  return shape !== null && unrolledTraining(shape, spec.train.epochs) !== null;
}

function sameNumbers(a: ArrayLike<number> | null, b: ArrayLike<number> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The first field in which two results differ, or null when they are the same bit for bit. */
function firstDifference(a: TrainResult, b: TrainResult): string | null {
  const scalars = ['status', 'epochsRun', 'divergedAtEpoch', 'finalCost', 'minCost', 'trainAccuracy', 'testAccuracy'] as const;
  for (const key of scalars) if (!Object.is(a[key], b[key])) return `${key}: ${a[key]} vs ${b[key]}`;
  if (!sameNumbers(a.recordedEpochs, b.recordedEpochs)) return 'recordedEpochs';
  if (!sameNumbers(a.costs, b.costs)) return 'costs';
  if (!sameNumbers(a.testCosts, b.testCosts)) return 'testCosts';
  if (a.parameters.length !== b.parameters.length) return 'number of layers';
  for (let l = 0; l < a.parameters.length; l++) {
    if (!sameNumbers(a.parameters[l].weights.flat(), b.parameters[l].weights.flat())) return `layer ${l} weights`;
    if (!sameNumbers(a.parameters[l].bias.flat(), b.parameters[l].bias.flat())) return `layer ${l} bias`;
  }
  return null;
}

function expectSame(spec: TrainSpec, data: TrainData, progressEvery?: number): TrainResult {
  const { unrolled, generic, unrolledCalls, genericCalls } = trainBothWays(spec, data, progressEvery);
  expect(firstDifference(unrolled, generic)).toBeNull();
  expect(unrolledCalls).toEqual(genericCalls);
  return unrolled;
}

function spec(model: LayerSpec[], loss: LossName, train: Partial<TrainSpec['train']> = {}, maxCost = 1e6): TrainSpec {
  return {
    seed: 48,
    model,
    loss,
    train: { epochs: 40, learning_rate: 1, batch_size: 'full', record_every: 1, ...train },
    divergence: { max_cost: maxCost },
  };
}

// The builtin gate: rows (0,0), (0,1), (1,0), (1,1), as in the blog.
const XOR: TrainData = prepareDataset({ builtin: 'xor' });
const BLOG: LayerSpec[] = [{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'];

// ---- random networks ----

/** Mostly ordinary numbers, sometimes the ones that break arithmetic. */
const value = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 50, -50, 1e300, -1e300, NaN, Infinity, -Infinity) },
);

const hiddenLayer = fc.record({
  width: fc.integer({ min: 1, max: 4 }),
  init: fc.constantFrom(...initializerNames),
  explicit: fc.boolean(),
  activations: fc.array(fc.constantFrom(...activationNames), { maxLength: 2 }),
});

const randomCase = fc.record({
  seed: fc.nat(10_000),
  nFeatures: fc.integer({ min: 1, max: 4 }),
  lead: fc.option(fc.constantFrom(...activationNames), { freq: 4 }),
  hidden: fc.array(hiddenLayer, { maxLength: 2 }),
  outputs: fc.integer({ min: 1, max: 2 }),
  output: hiddenLayer,
  // cross_entropy needs the softmax node, which the unrolled path does not generate.
  loss: fc.constantFrom(...lossNames.filter((name) => name !== 'cross_entropy')),
  m: fc.integer({ min: 1, max: 6 }),
  mTest: fc.constantFrom(0, 0, 1, 3, 6),
  binaryTargets: fc.boolean(),
  dataScale: fc.constantFrom(0.1, 1, 10),
  specials: fc.array(value, { minLength: 64, maxLength: 64 }),
  specialData: fc.boolean(),
  epochs: fc.integer({ min: 1, max: 60 }),
  learningRate: fc.constantFrom(0, 0.01, 0.5, 1, 3, 40, -0.5),
  recordEvery: fc.integer({ min: 1, max: 9 }),
  maxCost: fc.constantFrom(1e6, Infinity, 0.3, 0.05, 5),
  batchSize: fc.constantFrom<'full' | 'm' | 'more'>('full', 'm', 'more'),
  progressEvery: fc.integer({ min: 1, max: 20 }),
});

type RandomCase = typeof randomCase extends fc.Arbitrary<infer T> ? T : never;

/** A (rows x cols) matrix of draws from `rs`, with some of the special values mixed in when asked. */
function randomMatrix(rs: RandomState, rows: number, cols: number, scale: number, specials: number[] | null): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    data[i] = specials !== null && rs.randomSample() < 0.15 ? specials[i % specials.length] : rs.randn() * scale;
  }
  return { rows, cols, data };
}

function randomTargets(rs: RandomState, rows: number, cols: number, binary: boolean): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = binary ? (rs.randomSample() < 0.5 ? 0 : 1) : rs.randn();
  return { rows, cols, data };
}

function buildCase(c: RandomCase): { spec: TrainSpec; data: TrainData } {
  const rs = new RandomState(c.seed);
  let special = 0;
  const explicitValues = (rows: number, cols: number) =>
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => c.specials[special++ % c.specials.length]));
  const model: LayerSpec[] = c.lead === null ? [] : [c.lead];
  let nIn = c.nFeatures;
  const layers = [...c.hidden, { ...c.output, width: c.outputs }];
  layers.forEach((layer, i) => {
    const linear: LinearLayerSpec = { linear: layer.width, init: layer.init };
    if (layer.explicit) {
      linear.weights = explicitValues(layer.width, nIn);
      linear.bias = explicitValues(layer.width, 1);
    }
    model.push(linear, ...layer.activations);
    nIn = layer.width;
    // The binary cross-entropies need a final sigmoid.
    if (i === layers.length - 1 && c.loss !== 'squared_error') model.push('sigmoid');
  });
  const specials = c.specialData ? c.specials : null;
  const data: TrainData = {
    train: {
      x: randomMatrix(rs, c.nFeatures, c.m, c.dataScale, specials),
      y: randomTargets(rs, c.outputs, c.m, c.binaryTargets),
    },
    test:
      c.mTest === 0
        ? null
        : {
            x: randomMatrix(rs, c.nFeatures, c.mTest, c.dataScale, specials),
            y: randomTargets(rs, c.outputs, c.mTest, c.binaryTargets),
          },
  };
  const batchSize = c.batchSize === 'full' ? 'full' : c.batchSize === 'm' ? c.m : c.m + 3;
  return {
    spec: {
      seed: c.seed,
      model,
      loss: c.loss,
      train: { epochs: c.epochs, learning_rate: c.learningRate, batch_size: batchSize, record_every: c.recordEvery },
      divergence: { max_cost: c.maxCost },
    },
    data,
  };
}

describe('the unrolled path', () => {
  it('equals the generic loop bit for bit on random small networks', () => {
    const seen = { diverged: 0, finished: 0, nanCost: 0, withTest: 0, accuracy: 0 };
    fc.assert(
      fc.property(randomCase, (c) => {
        const { spec, data } = buildCase(c);
        if (!takesUnrolledPath(spec, data)) return false;
        const { unrolled, generic, unrolledCalls, genericCalls } = trainBothWays(spec, data, c.progressEvery);
        const difference = firstDifference(unrolled, generic);
        if (difference !== null) throw new Error(`${difference}\n${JSON.stringify(spec)}`);
        if (!sameNumbers(unrolledCalls, genericCalls)) throw new Error(`progress ${unrolledCalls} vs ${genericCalls}`);
        seen[unrolled.status]++;
        if (unrolled.costs.some(Number.isNaN)) seen.nanCost++;
        if (unrolled.testCosts !== null) seen.withTest++;
        if (unrolled.trainAccuracy !== null) seen.accuracy++;
        return true;
      }),
      { seed: 20261125, numRuns: 600 },
    );
    // The random cases reach every kind of ending, not only the easy ones.
    expect(seen.diverged).toBeGreaterThan(50);
    expect(seen.finished).toBeGreaterThan(50);
    expect(seen.nanCost).toBeGreaterThan(10);
    expect(seen.withTest).toBeGreaterThan(100);
    expect(seen.accuracy).toBeGreaterThan(50);
  });

  it('equals it too over runs long enough for V8 to optimise the generated code', () => {
    const longRuns = randomCase.map((c) => ({ ...c, epochs: 3000 + c.epochs, recordEvery: 50 * c.recordEvery }));
    fc.assert(
      fc.property(longRuns, (c) => {
        const { spec, data } = buildCase(c);
        const { unrolled, generic } = trainBothWays(spec, data, 500);
        const difference = firstDifference(unrolled, generic);
        if (difference !== null) throw new Error(`${difference}\n${JSON.stringify(spec)}`);
        return takesUnrolledPath(spec, data);
      }),
      { seed: 7, numRuns: 40 },
    );
  });

  it('trains the blog network as the generic loop does, every epoch recorded, with test data', () => {
    const data: TrainData = { train: XOR.train, test: { x: XOR.train.x, y: fromRows([[0, 1, 1, 1]]) } };
    expect(takesUnrolledPath(spec(BLOG, 'squared_error'), data)).toBe(true);
    const r = expectSame(spec(BLOG, 'squared_error', { epochs: 3000 }), data, 1000);
    expect(r.epochsRun).toBe(3000);
    expect(r.trainAccuracy).toBe(100);
    expect(r.testAccuracy).toBe(75);
    for (const loss of ['bce', 'bce_keras'] as const) expectSame(spec(BLOG, loss, { epochs: 2000, record_every: 9 }), XOR);
  });

  it('takes every activation in every position, stacked linear layers and a leading activation', () => {
    const shapes: [LayerSpec[], LossName][] = activationNames.flatMap((act: ActivationName): [LayerSpec[], LossName][] => [
      [[act, { linear: 3, init: 'he' }, act, { linear: 1, init: 'xavier' }, act], 'squared_error'],
      [[{ linear: 4, init: 'plain' }, act, act, { linear: 1, init: 'xavier' }, 'sigmoid'], 'bce'],
      [[{ linear: 2, init: 'xavier' }, { linear: 3, init: 'he' }, act, { linear: 1, init: 'he' }, 'sigmoid'], 'bce_keras'],
    ]);
    for (const [model, loss] of shapes) {
      expect(takesUnrolledPath(spec(model, loss), XOR)).toBe(true);
      for (const lr of [0.1, 2, 30]) expectSame(spec(model, loss, { epochs: 1500, learning_rate: lr, record_every: 7 }), XOR);
    }
  });

  it('stops where the generic loop stops: NaN, Infinity and max_cost', () => {
    const data: TrainData = { train: { x: fromRows([[2], [2]]), y: fromRows([[1]]) } };
    const nan: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[1e308, -1e308]], bias: [[0]] }, 'identity'];
    const inf: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[1e308, 1e308]], bias: [[0]] }];
    const given: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[NaN, 1]] }, 'sigmoid'];
    expect(expectSame(spec(nan, 'squared_error', {}, Infinity), data).divergedAtEpoch).toBe(0);
    expect(expectSame(spec(inf, 'squared_error', {}, Infinity), data).finalCost).toBe(Infinity);
    expect(expectSame(spec(given, 'bce'), XOR).status).toBe('diverged');
    // A learning rate far too big: the cost grows past max_cost after a few epochs.
    const growing = expectSame(spec([{ linear: 1, init: 'he' }], 'squared_error', { epochs: 500, learning_rate: 3, record_every: 50 }, 1e4), {
      train: { x: fromRows([[1, 2, 3, 4, 5]]), y: fromRows([[2, 4.1, 5.9, 8.2, 10]]) },
    });
    expect(growing.status).toBe('diverged');
    expect(growing.divergedAtEpoch).toBeGreaterThan(0);
    // A cost exactly at max_cost is not a divergence, in either path.
    const first = train(spec(BLOG, 'squared_error', { epochs: 1 }), XOR).costs[0];
    expect(expectSame(spec(BLOG, 'squared_error', { epochs: 5 }, first), XOR).status).toBe('finished');
  });

  it('is left to the generic loop for minibatches and for networks past its size', () => {
    const net = buildNetwork(spec(BLOG, 'squared_error'), 2);
    expect(unrolledShape(net, 4, 0)).not.toBeNull();
    // 9 weights: 28 examples is the most within the budget, for the training and the test set alike.
    expect(Math.floor(UNROLL_MAX_MULTIPLY_ADDS / 9)).toBe(28);
    expect(unrolledShape(net, 28, 28)).not.toBeNull();
    expect(unrolledShape(net, 29, 0)).toBeNull();
    expect(unrolledShape(net, 4, 29)).toBeNull();
    const big = buildNetwork(spec([{ linear: 64, init: 'he' }, 'sigmoid', { linear: 1, init: 'he' }, 'sigmoid'], 'bce'), 2);
    expect(unrolledShape(big, 4, 0)).toBeNull();
    // Within the multiply-add budget but too long as code: one weight and 200 examples.
    const line = buildNetwork(spec([{ linear: 1, init: 'he' }], 'squared_error'), 1);
    const longShape = unrolledShape(line, 200, 0)!;
    expect(longShape).not.toBeNull();
    expect(unrolledTrainingSource(longShape).length).toBeGreaterThan(UNROLL_MAX_SOURCE_CHARS);
    expect(unrolledTraining(longShape, 40)).toBeNull();
    // Minibatches go the generic way; they agree with full batch only through it (see train.test.ts).
    const r = expectSame(spec(BLOG, 'squared_error', { epochs: 30, batch_size: 3 }), XOR);
    expect(r.epochsRun).toBe(30);
  });
});

describe('the generated source', () => {
  const shape = unrolledShape(buildNetwork(spec(BLOG, 'squared_error'), 2), 4, 2)!;
  const source = unrolledTrainingSource(shape);
  const loop = source.slice(source.indexOf('for (let e = 0;'), source.lastIndexOf('\n}\n'));

  it('creates nothing in the epoch loop and touches memory only for the parameters and the recording', () => {
    expect(loop.length).toBeGreaterThan(1000);
    expect(loop).not.toMatch(/\bnew\b|=>|\bfunction\b|\{\s*\w+\s*[:,}]/);
    const arrayAccesses = loop.match(/\w+\[[^\]]*\]/g) ?? [];
    expect(new Set(arrayAccesses.map((a) => a.slice(0, a.indexOf('['))))).toEqual(
      new Set(['W0', 'B0', 'W1', 'B1', 'recordedEpochs', 'costs', 'testCosts', POW2_NAME]),
    );
  });

  it('collects no garbage while it trains, whichever way V8 optimised it', async () => {
    const collections: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
    const collectedBetween = (from: number, to: number) => collections.filter((c) => c.startTime >= from && c.startTime <= to).length;
    // A shape no other test compiles, so this is the generated function's first call: V8 optimises it
    // in the middle of the loop (on-stack replacement), where loop variables are easily boxed.
    const model: LayerSpec[] = [{ linear: 3, init: 'xavier' }, 'tanh', { linear: 1, init: 'xavier' }, 'sigmoid'];
    const first = spec(model, 'bce', { epochs: 1_200_000, record_every: 1_200_000, learning_rate: 0.1 });
    const progressTimes: number[] = [];
    train(first, XOR, { onProgress: () => progressTimes.push(performance.now()), progressEvery: 100_000 });
    // Later calls: V8 has optimised the whole function by the third.
    const later = spec(BLOG, 'squared_error', { epochs: 300_000, record_every: 300_000 });
    for (let i = 0; i < 3; i++) train(later, XOR);
    const start = performance.now();
    train(later, XOR);
    const end = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100)); // gc entries arrive asynchronously
    observer.disconnect();
    // An allocation per epoch (a boxed number per parameter, say) takes dozens of collections over
    // these epochs; the set-up of train() might take one.
    expect(collectedBetween(progressTimes[3], progressTimes[11])).toBeLessThanOrEqual(1);
    expect(collectedBetween(start, end)).toBeLessThanOrEqual(1);
  });

  it('has each sigmoid as 1/(1 + exp(-z)), exp written out, and the blog network within the source budget', () => {
    const unindented = (text: string) => text.replace(/\n\s*/g, '\n');
    expect(unindented(loop)).toContain(unindented(expStatements('-a1_0_0', 'ea2_0_0').join('\n')));
    expect(loop).toContain('const a2_0_0 = 1 / (1 + ea2_0_0);');
    expect(unindented(loop)).toContain(unindented(expStatements('-t3_0_1', 'et4_0_1').join('\n')));
    expect(loop).toContain('const t4_0_1 = 1 / (1 + et4_0_1);');
    expect(unrolledSource(shape, INLINE_EXP_MIN_EPOCHS)).toBe(source);
    expect(unrolledTraining(shape, INLINE_EXP_MIN_EPOCHS)).not.toBeNull();
  });

  it('chooses Math.exp for a run shorter than INLINE_EXP_MIN_EPOCHS, whose longer optimising would not pay', () => {
    setInlineExpMinEpochs(INLINE_EXP_MIN_EPOCHS);
    try {
      expect(unrolledSource(shape, INLINE_EXP_MIN_EPOCHS)).toBe(source);
      const short = unrolledSource(shape, INLINE_EXP_MIN_EPOCHS - 1);
      expect(short).toBe(unrolledTrainingSource(shape, 'call'));
      expect(short).toContain('Math.exp(');
      // Both forms compiled and kept apart; the short form trains as the generic loop does.
      expect(unrolledTraining(shape, 5000)).not.toBe(unrolledTraining(shape, INLINE_EXP_MIN_EPOCHS));
      expectSame(spec(BLOG, 'squared_error', { epochs: 300 }), XOR);
    } finally {
      setInlineExpMinEpochs(0);
    }
  });

  it('writes Math.exp instead for many sigmoid values, or where exp written out would be too long', () => {
    // 8 x 2 + 1 x 2 sigmoid values: exp written out; 8 x 3 + 1 x 3: Math.exp
    const wide: LayerSpec[] = [{ linear: 8, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'];
    const shapeFor = (model: LayerSpec[], m: number, mTest: number) =>
      unrolledShape(buildNetwork(spec(model, 'squared_error'), 2), m, mTest)!;
    expect(18).toBeLessThanOrEqual(INLINE_EXP_MAX_SIGMOIDS);
    expect(27).toBeGreaterThan(INLINE_EXP_MAX_SIGMOIDS);
    expect(unrolledSource(shapeFor(wide, 2, 0), INLINE_EXP_MIN_EPOCHS)).toBe(unrolledTrainingSource(shapeFor(wide, 2, 0), 'inline'));
    const many = unrolledSource(shapeFor(wide, 3, 0), INLINE_EXP_MIN_EPOCHS);
    expect(many).toBe(unrolledTrainingSource(shapeFor(wide, 3, 0), 'call'));
    expect(many).toContain('const a2_0_0 = 1 / (1 + Math.exp(-a1_0_0));');
    // 16 sigmoid values, but a tanh layer and a test set make the text too long with exp written out.
    const long = shapeFor([{ linear: 4, init: 'xavier' }, 'tanh', { linear: 1, init: 'xavier' }, 'sigmoid'], 16, 8);
    expect(unrolledTrainingSource(long, 'inline').length).toBeGreaterThan(UNROLL_MAX_SOURCE_CHARS);
    const chosen = unrolledSource(long, INLINE_EXP_MIN_EPOCHS);
    expect(chosen).toBe(unrolledTrainingSource(long, 'call'));
    expect(chosen.length).toBeLessThanOrEqual(UNROLL_MAX_SOURCE_CHARS);
  });

  it('writes numbers that read back as the same doubles', () => {
    const rs = new RandomState(3);
    const values = [0, -0, 1e-7, 1 - 1e-7, -1 / 3, 5e-324, -Number.MAX_VALUE, NaN, Infinity, -Infinity];
    for (let i = 0; i < 2000; i++) values.push(rs.randn() * 10 ** Math.floor(rs.randomSample() * 40 - 20));
    for (const v of values) expect(Object.is(new Function(`return ${literal(v)};`)(), v)).toBe(true);
  });
});
