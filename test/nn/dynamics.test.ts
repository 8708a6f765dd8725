// The training dynamics in the engine, beyond the NumPy curves of test/cli/numpy-dynamics.test.ts:
// one optimizer step against its formula, the schedules' rates, the defaults, which path a run
// takes, the state and step counting, softmax, class accuracy, and the epoch loop's memory.
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { prepareDataset } from '../../src/data/index.js';
import type { LayerSpec, TrainSpec } from '../../src/experiment/types.js';
import { isPlainGradientDescent, resolveDynamics } from '../../src/nn/dynamics.js';
import { fromRows } from '../../src/nn/matrix.js';
import { optimizerNames, optimizers, resolveOptimizer, type OptimizerSpec } from '../../src/nn/optimizers.js';
import { learningRateAt, rateVaries, resolveSchedule } from '../../src/nn/schedules.js';
import { SoftmaxNode, softmaxColumns } from '../../src/nn/softmax.js';
import { train, type TrainData } from '../../src/nn/train.js';

const XOR: TrainData = prepareDataset({ builtin: 'xor' });
const TWO_LAYER: LayerSpec[] = [{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'];

function spec(trainSettings: Partial<TrainSpec['train']> = {}, overrides: Partial<TrainSpec> = {}): TrainSpec {
  return {
    seed: 48,
    model: TWO_LAYER,
    loss: 'squared_error',
    divergence: { max_cost: 1e6 },
    ...overrides,
    train: { epochs: 40, learning_rate: 0.5, batch_size: 'full', record_every: 1, ...trainSettings },
  };
}

/** One step of `spec` from theta with gradient g, `t` the step number, through the registry. */
function oneStep(optimizer: OptimizerSpec, theta: number[], g: number[], lr: number, t: number, state?: Float64Array[]): number[] {
  const rule = optimizers[optimizer.name];
  const p = Float64Array.from(theta);
  const slots = state ?? Array.from({ length: rule.slots }, () => new Float64Array(theta.length));
  rule.step(p, Float64Array.from(g), slots, p.length, Float64Array.of(lr, t, 0), optimizer);
  return Array.from(p);
}

describe('optimizers', () => {
  const theta = [0.5, -1.25, 2];
  const g = [0.1, -0.3, 0];

  it('take one step as their formula says, from zero state', () => {
    const lr = 0.1;
    const expected: Record<string, number[]> = {
      sgd: theta.map((p, i) => p - lr * g[i]),
      momentum: theta.map((p, i) => p - lr * g[i]), // v = g
      nesterov: theta.map((p, i) => p - lr * (g[i] + 0.9 * g[i])),
      rmsprop: theta.map((p, i) => p - (lr * g[i]) / (Math.sqrt(0.01 * g[i] * g[i]) + 1e-8)),
      adagrad: theta.map((p, i) => p - (lr * g[i]) / (Math.abs(g[i]) + 1e-10)),
      // m̂ = g and v̂ = g² after one step: about lr·sign(g)
      adam: theta.map((p, i) => p - (lr * g[i]) / (Math.abs(g[i]) + 1e-8)),
      adamw: theta.map((p, i) => p - (lr * g[i]) / (Math.abs(g[i]) + 1e-8)),
    };
    for (const name of optimizerNames) {
      const actual = oneStep(resolveOptimizer(name), theta, g, lr, 1);
      actual.forEach((value, i) => expect(value, `${name} [${i}]`).toBeCloseTo(expected[name][i], 12));
    }
  });

  it('carry their state from step to step (momentum accumulates, adam corrects its bias by t)', () => {
    const momentum = resolveOptimizer({ name: 'momentum', beta: 0.5 });
    const state = [new Float64Array(1)];
    const first = oneStep(momentum, [1], [2], 0.1, 1, state);
    expect(first[0]).toBeCloseTo(1 - 0.1 * 2, 15);
    const second = oneStep(momentum, first, [2], 0.1, 2, state);
    expect(second[0]).toBeCloseTo(first[0] - 0.1 * (0.5 * 2 + 2), 15);

    const adam = resolveOptimizer({ name: 'adam', beta1: 0.5, beta2: 0.75, epsilon: 1e-3 });
    const moments = [new Float64Array(1), new Float64Array(1)];
    oneStep(adam, [0], [1], 0.1, 1, moments);
    const after = oneStep(adam, [0], [3], 0.1, 2, moments);
    const m = 0.5 * 0.5 + 0.5 * 3;
    const v = 0.75 * 0.25 + 0.25 * 9;
    expect(after[0]).toBeCloseTo(-(0.1 * (m / (1 - 0.25))) / (Math.sqrt(v / (1 - 0.5625)) + 1e-3), 15);
  });

  it('resolve a name or { name, ...fields } over their defaults, and refuse a field of another optimizer', () => {
    expect(resolveOptimizer(undefined)).toEqual({ name: 'sgd' });
    expect(resolveOptimizer('adam')).toEqual({ name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(resolveOptimizer({ name: 'adam', beta2: 0.99 })).toEqual({ name: 'adam', beta1: 0.9, beta2: 0.99, epsilon: 1e-8 });
    expect(resolveOptimizer({ name: 'rmsprop' })).toEqual({ name: 'rmsprop', rho: 0.99, epsilon: 1e-8 });
    expect(resolveOptimizer('adagrad')).toEqual({ name: 'adagrad', epsilon: 1e-10 });
    expect(resolveOptimizer('nesterov')).toEqual({ name: 'nesterov', beta: 0.9 });
    expect(() => resolveOptimizer({ name: 'sgd', beta: 0.9 })).toThrow(/^train\.optimizer\.beta: sgd takes no beta; it has no settings/);
    expect(() => resolveOptimizer({ name: 'momentum', beta: 1 })).toThrow(/^train\.optimizer\.beta: expected a number in \[0, 1\)/);
  });

  it('count every minibatch step in t (adam with 2 slices of 2 differs from full batch)', () => {
    const adam = { optimizer: 'adam' as const, learning_rate: 0.05, epochs: 30 };
    const full = train(spec(adam), XOR);
    const halves = train(spec({ ...adam, batch_size: 2 }), XOR);
    // Over the same examples a step on each half differs from one on all four; both are well defined.
    expect(halves.finalCost).not.toBe(full.finalCost);
    expect(halves.costs[0]).toBe(full.costs[0]);
  });
});

describe('schedules and warmup', () => {
  it('give each epoch its rate as the formulas say', () => {
    const step = resolveSchedule({ name: 'step', every: 10, factor: 0.5 });
    expect([0, 9, 10, 25].map((e) => learningRateAt(2, e, 100, step, 0))).toEqual([2, 2, 1, 0.5]);
    const exponential = resolveSchedule({ name: 'exponential', gamma: 0.9 });
    expect(learningRateAt(2, 3, 100, exponential, 0)).toBeCloseTo(2 * 0.9 ** 3, 15);
    const inverse = resolveSchedule({ name: 'inverse_time', decay: 0.5 });
    expect(learningRateAt(3, 4, 100, inverse, 0)).toBe(1);
    const cosine = resolveSchedule({ name: 'cosine', min_learning_rate: 0.1 });
    expect(learningRateAt(1, 0, 10, cosine, 0)).toBe(1);
    expect(learningRateAt(1, 5, 10, cosine, 0)).toBeCloseTo(0.55, 15);
    expect(learningRateAt(1, 5, 10, resolveSchedule('cosine'), 0)).toBeCloseTo(0.5, 15);
    // Warmup multiplies the scheduled rate by (e + 1)/w for e < w.
    expect([0, 1, 3, 4, 9].map((e) => learningRateAt(2, e, 100, resolveSchedule('constant'), 4))).toEqual([0.5, 1, 2, 2, 2]);
    expect(learningRateAt(2, 1, 100, step, 4)).toBe(1);
  });

  it('need their settings, and vary only with a schedule or warmup', () => {
    expect(() => resolveSchedule('step')).toThrow(/^train\.schedule\.every: the step schedule needs every/);
    expect(() => resolveSchedule({ name: 'exponential' })).toThrow(/needs gamma/);
    expect(resolveSchedule({ name: 'cosine' })).toEqual({ name: 'cosine', min_learning_rate: 0 });
    expect(rateVaries(resolveSchedule(undefined), 0)).toBe(false);
    expect(rateVaries(resolveSchedule(undefined), 3)).toBe(true);
    expect(rateVaries(resolveSchedule('cosine'), 0)).toBe(true);
  });

  it('are recorded beside the cost, and only when the rate varies', () => {
    expect(train(spec(), XOR).learningRates).toBeNull();
    const result = train(spec({ epochs: 10, record_every: 3, schedule: { name: 'step', every: 4, factor: 0.5 }, warmup_epochs: 2 }), XOR);
    expect(Array.from(result.recordedEpochs)).toEqual([0, 3, 6, 9]);
    expect(Array.from(result.learningRates!)).toEqual([0.25, 0.5, 0.25, 0.125]);
  });
});

describe('defaults and the fast path', () => {
  it('left out or written out, the defaults train exactly as plain gradient descent', () => {
    const plain = train(spec(), XOR);
    const written = train(
      spec({ optimizer: { name: 'sgd' }, schedule: 'constant', warmup_epochs: 0, weight_decay: 0, l1: 0, shuffle: false }),
      XOR,
    );
    expect(Array.from(written.costs)).toEqual(Array.from(plain.costs));
    expect(written.parameters).toEqual(plain.parameters);
    expect(isPlainGradientDescent(resolveDynamics(spec({ optimizer: 'sgd' })))).toBe(true);
    for (const settings of [{ optimizer: 'momentum' as const }, { schedule: 'cosine' as const }, { warmup_epochs: 1 }, { weight_decay: 0.1 }, { l1: 0.1 }, { shuffle: true }]) {
      expect(isPlainGradientDescent(resolveDynamics(spec(settings))), JSON.stringify(settings)).toBe(false);
    }
  });

  it('the generic loop with the optimizer registry equals the unrolled plain loop bit for bit', () => {
    const unrolled = train(spec({ epochs: 300 }), XOR);
    const generic = train(spec({ epochs: 300 }), XOR, { generic: true });
    expect(Array.from(generic.costs)).toEqual(Array.from(unrolled.costs));
    expect(generic.parameters).toEqual(unrolled.parameters);
  });

  it('weight decay and l1 change only the step, never the recorded cost of the same weights', () => {
    const plain = train(spec({ epochs: 20 }), XOR);
    const decayed = train(spec({ epochs: 20, weight_decay: 0.1, l1: 0.01 }), XOR);
    expect(decayed.costs[0]).toBe(plain.costs[0]);
    expect(decayed.costs[19]).not.toBe(plain.costs[19]);
  });

  it('reshuffling draws a new order every epoch from its own generator (shuffle_seed, default seed)', () => {
    const settings = { epochs: 30, batch_size: 2, shuffle: true, learning_rate: 2 };
    const bySeed = train(spec(settings), XOR);
    const explicitSeed = train(spec({ ...settings, shuffle_seed: 48 }), XOR);
    const otherSeed = train(spec({ ...settings, shuffle_seed: 49 }), XOR);
    const fixedOrder = train(spec({ ...settings, shuffle: false }), XOR);
    expect(Array.from(explicitSeed.costs)).toEqual(Array.from(bySeed.costs));
    expect(Array.from(otherSeed.costs)).not.toEqual(Array.from(bySeed.costs));
    expect(Array.from(fixedOrder.costs)).not.toEqual(Array.from(bySeed.costs));
    // The weights start the same: the reshuffling generator is not the initialisation's.
    expect(otherSeed.costs[0]).toBe(bySeed.costs[0]);
  });
});

describe('softmax and class accuracy', () => {
  it('softmax subtracts the column maximum (no overflow) and its backward is the Jacobian product', () => {
    const z = Float64Array.of(1000, 0, 1001, 0); // 2 classes x 2 examples, column-wise
    const a = new Float64Array(4);
    softmaxColumns(z, a, 2, 2);
    expect(a[0]).toBeCloseTo(1 / (1 + Math.exp(1)), 15);
    expect(a[2]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(a[1]).toBe(0.5);
    // d/dz of sum(a * u) by central differences equals the node's backward.
    const node = new SoftmaxNode();
    const zs = fromRows([[0.3, -1], [1.2, 0.4], [-0.5, 2]]);
    const u = fromRows([[1, -2], [0.5, 3], [2, 1]]);
    const out = fromRows([[0, 0], [0, 0], [0, 0]]);
    node.forward(zs, out);
    const down = fromRows([[0, 0], [0, 0], [0, 0]]);
    node.backward(zs, out, u, down);
    const objective = (values: Float64Array) => {
      const o = new Float64Array(6);
      softmaxColumns(values, o, 3, 2);
      return o.reduce((s, v, i) => s + v * u.data[i], 0);
    };
    for (let i = 0; i < 6; i++) {
      const plus = zs.data.slice();
      const minus = zs.data.slice();
      plus[i] += 1e-6;
      minus[i] -= 1e-6;
      expect(down.data[i]).toBeCloseTo((objective(plus) - objective(minus)) / 2e-6, 8);
    }
  });

  it('accuracy of k outputs is the largest output against the one-hot target', () => {
    const iris = prepareDataset({ builtin: 'iris', features: ['petal_length', 'petal_width'] }, { classes: true });
    expect(iris.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    const result = train(
      {
        seed: 1,
        model: [{ linear: 3, init: 'xavier' }, 'softmax'],
        loss: 'cross_entropy',
        train: { epochs: 300, learning_rate: 0.05, batch_size: 'full', record_every: 300, optimizer: 'adam' },
        divergence: { max_cost: 1e6 },
      },
      { train: iris.train },
    );
    expect(result.trainAccuracy).toBeGreaterThan(90);
    expect(result.costs[result.costs.length - 1]).toBeLessThan(result.costs[0]);
    expect(() =>
      train({ ...spec({}, { loss: 'cross_entropy', model: [{ linear: 2, init: 'xavier' }, 'softmax'] }) }, {
        train: { x: XOR.train.x, y: fromRows([[0, 1, 1, 0], [0, 0, 0, 1]]) },
      }),
    ).toThrow(/cross_entropy needs one-hot class targets/);
  });
});

describe('sharpness', () => {
  it('is tracked on a softmax model, and changes none of its costs or weights', () => {
    const iris = prepareDataset({ builtin: 'iris', features: ['petal_length', 'petal_width'] }, { classes: true });
    const spec = (track: TrainSpec['track']): TrainSpec => ({
      seed: 1,
      model: [{ linear: 4, init: 'xavier' }, 'tanh', { linear: 3, init: 'xavier' }, 'softmax'],
      loss: 'cross_entropy',
      train: { epochs: 40, learning_rate: 0.05, batch_size: 'full', record_every: 2, optimizer: 'momentum' },
      divergence: { max_cost: 1e6 },
      ...(track ? { track } : {}),
    });
    const plain = train(spec(undefined), { train: iris.train });
    const tracked = train(spec({ sharpness: { every: 10 } }), { train: iris.train });
    expect(tracked.costs).toEqual(plain.costs);
    expect(tracked.parameters).toEqual(plain.parameters);
    expect(Array.from(tracked.sharpness!.epochs)).toEqual([0, 10, 20, 30]);
    for (const value of tracked.sharpness!.values) expect(value).toBeGreaterThan(0);
  });
});

describe('memory', () => {
  it('collects no garbage in the epoch loop with an optimizer, a schedule, warmup, penalties and reshuffling', async () => {
    const collections: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
    const data: TrainData = { train: { x: fromRows([[0.3, -0.7]]), y: fromRows([[1, 0]]) } };
    const counts: number[] = [];
    for (const optimizer of ['adamw'] as const) {
      for (let run = 0; run < 3; run++) {
        const times: number[] = [];
        train(
          {
            seed: 1,
            model: [{ linear: 1, init: 'xavier' }, 'sigmoid'],
            loss: 'bce',
            train: {
              epochs: 150_000,
              learning_rate: 0.01,
              batch_size: 'full',
              record_every: 150_000,
              optimizer,
              schedule: 'cosine',
              warmup_epochs: 10,
              weight_decay: 0.001,
              l1: 0.001,
              shuffle: true,
            },
            divergence: { max_cost: 1e6 },
          },
          data,
          { onProgress: () => times.push(performance.now()), progressEvery: 30_000 },
        );
        await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries arrive asynchronously
        // The later runs, once V8 has optimised the loop: between the second and the last progress call.
        if (run > 0) counts.push(collections.filter((c) => c.startTime >= times[1] && c.startTime <= times[4]).length);
      }
    }
    observer.disconnect();
    // An array allocated per step (a state or a permutation) would take several collections over these 90 000 epochs.
    expect(Math.max(...counts)).toBeLessThanOrEqual(1);
  });
});
