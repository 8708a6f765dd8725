// Training semantics beyond the reference curves: recording, divergence, accuracy, minibatches,
// explicit weights, and the errors a bad spec gets.
import { describe, expect, it } from 'vitest';
import type { LayerSpec, TrainSpec } from '../../src/experiment/types.js';
import { ModelSpecError } from '../../src/nn/errors.js';
import { fromRows, type Matrix } from '../../src/nn/matrix.js';
import { buildNetwork } from '../../src/nn/network.js';
import { recordedPointCount } from '../../src/nn/recorded-points.js';
import { train, type RecordedPoints, type TrainData, type TrainOptions } from '../../src/nn/train.js';
import { prepareDataset } from '../../src/data/index.js';

// The builtin gate: rows (0,0), (0,1), (1,0), (1,1), as in the blog.
const XOR: TrainData = prepareDataset({ builtin: 'xor' });
const TWO_LAYER: LayerSpec[] = [{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'];

function spec(overrides: Partial<TrainSpec> = {}, trainSettings: Partial<TrainSpec['train']> = {}): TrainSpec {
  return {
    seed: 48,
    model: TWO_LAYER,
    loss: 'squared_error',
    divergence: { max_cost: 1e6 },
    ...overrides,
    train: { epochs: 50, learning_rate: 1, batch_size: 'full', record_every: 1, ...trainSettings },
  };
}

/** A linear regression that diverges: 1 feature, targets far from 0, a learning rate far too big. */
const REGRESSION: TrainData = {
  train: { x: fromRows([[1, 2, 3, 4, 5]]), y: fromRows([[2, 4.1, 5.9, 8.2, 10]]) },
};
const LINEAR_ONLY: LayerSpec[] = [{ linear: 1, init: 'xavier' }];

describe('recording', () => {
  it('records epochs 0, k, 2k, ... and always the last epoch, with the every-epoch values', () => {
    const every = train(spec({}, { epochs: 10 }), XOR);
    const cases: [number, number, number[]][] = [
      [10, 4, [0, 4, 8, 9]],
      [9, 4, [0, 4, 8]],
      [10, 25, [0, 9]],
      [1, 3, [0]],
    ];
    for (const [epochs, k, expected] of cases) {
      const r = train(spec({}, { epochs, record_every: k }), XOR);
      expect(Array.from(r.recordedEpochs)).toEqual(expected);
      expect(Array.from(r.costs)).toEqual(expected.map((e) => every.costs[e]));
      expect(r.finalCost).toBe(r.costs[r.costs.length - 1]);
      expect(r.epochsRun).toBe(epochs);
    }
  });

  it('epoch 0 is the cost of the initial weights; minCost is the smallest recorded cost', () => {
    const r = train(spec({}, { epochs: 200, record_every: 7 }), XOR);
    const net = buildNetwork(spec(), 2);
    const out = net.predict(XOR.train.x);
    const initial = out.reduce((s, a, i) => s + (XOR.train.y.data[i] - a) ** 2, 0) / 8;
    expect(r.costs[0]).toBeCloseTo(initial, 15);
    expect(r.minCost).toBe(Math.min(...r.costs));
  });

  it('test costs use the same weights as the training cost of each recorded epoch', () => {
    const r = train(spec({}, { epochs: 30, record_every: 4 }), { train: XOR.train, test: XOR.train });
    expect(Array.from(r.testCosts!)).toEqual(Array.from(r.costs));
    expect(r.testAccuracy).toBe(r.trainAccuracy);
  });

  it('reports progress', () => {
    const calls: number[] = [];
    train(spec({}, { epochs: 25 }), XOR, { onProgress: (done) => calls.push(done), progressEvery: 10 });
    expect(calls).toEqual([10, 20, 25]);
  });
});

/** Trains with the curve handed over in pieces of `chunk` points, and joins the pieces again. */
function streamed(trainSpec: TrainSpec, data: TrainData, chunk: number, options: TrainOptions = {}) {
  const epochs: number[] = [];
  const costs: number[] = [];
  const testCosts: number[] = [];
  const sizes: number[] = [];
  const sharpness: [number, number][] = [];
  const rates: number[] = [];
  const collect = (points: RecordedPoints) => {
    sizes.push(points.count);
    for (let i = 0; points.learningRates && i < points.count; i++) rates.push(points.learningRates[i]);
    const tracked = points.sharpness;
    for (let i = 0; tracked && i < tracked.count; i++) sharpness.push([tracked.epochs[i], tracked.values[i]]);
    for (let i = 0; i < points.count; i++) {
      epochs.push(points.epochs[i]);
      costs.push(points.costs[i]);
      if (points.testCosts) testCosts.push(points.testCosts[i]);
    }
  };
  const result = train(trainSpec, data, { ...options, onRecorded: collect, recordChunk: chunk });
  return { result, epochs, costs, testCosts, sizes, sharpness, rates };
}

describe('recording in pieces (onRecorded)', () => {
  const cases: [string, TrainSpec, TrainData][] = [
    ['unrolled, full batch', spec({}, { epochs: 103, record_every: 2 }), XOR],
    ['unrolled, with a test set', spec({}, { epochs: 40 }), { train: XOR.train, test: XOR.train }],
    ['generic loop (minibatches)', spec({}, { epochs: 57, batch_size: 3 }), XOR],
    ['diverging', spec({ model: LINEAR_ONLY }, { epochs: 100, learning_rate: 1 }), REGRESSION],
    ['tracking sharpness', spec({ track: { sharpness: { every: 3 } } }, { epochs: 40, record_every: 2 }), XOR],
    ['a schedule with warmup (rates recorded)', spec({}, { epochs: 45, record_every: 2, schedule: { name: 'cosine' }, warmup_epochs: 5 }), XOR],
  ];
  for (const [name, trainSpec, data] of cases) {
    it(`${name}: the pieces join into exactly the curve kept in memory`, () => {
      const whole = train(trainSpec, data);
      for (const chunk of [1, 4, 7, 10_000]) {
        for (const generic of [false, true]) {
          const parts = streamed(trainSpec, data, chunk, { generic });
          expect(parts.epochs).toEqual(Array.from(whole.recordedEpochs));
          expect(parts.costs).toEqual(Array.from(whole.costs));
          expect(parts.testCosts).toEqual(whole.testCosts ? Array.from(whole.testCosts) : []);
          expect(parts.sizes.every((size) => size >= 1 && size <= chunk)).toBe(true);
          const { result } = parts;
          expect(result.recordedPoints).toBe(whole.recordedPoints);
          expect(result.recordedPoints).toBe(whole.costs.length);
          expect(result.costs.length + result.recordedEpochs.length).toBe(0);
          expect(Object.is(result.finalCost, whole.finalCost)).toBe(true);
          expect(Object.is(result.minCost, whole.minCost)).toBe(true);
          expect(result.parameters).toEqual(whole.parameters);
          expect(result.status).toBe(whole.status);
          const wholeSharpness = whole.sharpness ? Array.from(whole.sharpness.epochs, (e, i) => [e, whole.sharpness!.values[i]]) : [];
          expect(parts.sharpness).toEqual(wholeSharpness);
          expect(result.sharpness?.values.length ?? 0).toBe(0);
          expect(parts.rates).toEqual(whole.learningRates ? Array.from(whole.learningRates) : []);
        }
      }
    });
  }

  it('recordedPointCount is the number of points a run records', () => {
    for (const [epochs, k] of [[10, 4], [9, 4], [10, 25], [1, 3], [5000, 1], [5000, 7]]) {
      expect(recordedPointCount(epochs, k), `${epochs}/${k}`).toBe(train(spec({}, { epochs, record_every: k }), XOR).recordedPoints);
    }
  });
});

describe('divergence', () => {
  it('stops at the first epoch whose cost exceeds max_cost, after recording it', () => {
    const unbounded = train(
      spec({ model: LINEAR_ONLY, divergence: { max_cost: Infinity } }, { epochs: 12, learning_rate: 1 }),
      REGRESSION,
    );
    const first = unbounded.costs.findIndex((c) => c > 1e6);
    expect(first).toBeGreaterThan(1);
    const r = train(spec({ model: LINEAR_ONLY }, { epochs: 100, learning_rate: 1, record_every: 50 }), REGRESSION);
    expect(r.status).toBe('diverged');
    expect(r.divergedAtEpoch).toBe(first);
    expect(r.epochsRun).toBe(first + 1);
    expect(Array.from(r.recordedEpochs)).toEqual([0, first]);
    expect(r.finalCost).toBe(unbounded.costs[first]);
    expect(r.minCost).toBe(unbounded.costs[0]);
    expect(r.trainAccuracy).toBeNull();
  });

  it('a cost that is exactly max_cost does not diverge', () => {
    const first = train(spec({}, { epochs: 1 }), XOR).costs[0];
    const r = train(spec({ divergence: { max_cost: first } }, { epochs: 1 }), XOR);
    expect(r.status).toBe('finished');
  });

  it('NaN and Infinity never throw: they mark the run diverged', () => {
    // Weights so large that the output is Infinity - Infinity = NaN at epoch 0.
    const nanModel: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[1e308, -1e308]], bias: [[0]] }, 'identity'];
    const data: TrainData = { train: { x: fromRows([[2], [2]]), y: fromRows([[1]]) } };
    const r = train(spec({ model: nanModel, divergence: { max_cost: Infinity } }), data);
    expect(r.status).toBe('diverged');
    expect(r.divergedAtEpoch).toBe(0);
    expect(r.epochsRun).toBe(1);
    expect(r.finalCost).toBeNaN();
    expect(r.minCost).toBeNaN();
    expect(r.trainAccuracy).toBe(0);

    // Infinity itself, even with max_cost: Infinity.
    const infModel: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[1e308, 1e308]], bias: [[0]] }];
    const inf = train(spec({ model: infModel, divergence: { max_cost: Infinity } }), data);
    expect(inf.status).toBe('diverged');
    expect(inf.finalCost).toBe(Infinity);

    // NaN given as a starting weight (a diverged run rebuilt) trains without throwing.
    const given: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[NaN, 1]] }, 'sigmoid'];
    const withNaN = train(spec({ model: given, loss: 'bce' }), XOR);
    expect(withNaN.status).toBe('diverged');
    expect(withNaN.parameters[0].weights[0][0]).toBeNaN();
  });
});

describe('accuracy', () => {
  it('is the percent of outputs on the right side of 0.5', () => {
    // Output sigmoid(x1 * 10 - 5): right for 3 of the 4 XOR rows with targets 0, 1, 1, 0.
    const model: LayerSpec[] = [{ linear: 1, init: 'zeros', weights: [[10, 0]], bias: [[-5]] }, 'sigmoid'];
    const data: TrainData = { train: { x: XOR.train.x, y: fromRows([[0, 0, 1, 0]]) } };
    const r = train(spec({ model }, { epochs: 1, learning_rate: 0 }), data);
    expect(r.trainAccuracy).toBe(75);
  });

  it('is null unless every target is 0 or 1, for train and test alike', () => {
    const r = train(spec({ model: LINEAR_ONLY }, { epochs: 5, learning_rate: 0.01 }), {
      train: REGRESSION.train,
      test: REGRESSION.train,
    });
    expect(r.trainAccuracy).toBeNull();
    expect(r.testAccuracy).toBeNull();
    const binaryTrainOnly = train(spec({}, { epochs: 5 }), {
      train: XOR.train,
      test: { x: XOR.train.x, y: fromRows([[0, 0.5, 1, 0]]) },
    });
    expect(binaryTrainOnly.trainAccuracy).not.toBeNull();
    expect(binaryTrainOnly.testAccuracy).toBeNull();
  });
});

describe('minibatches', () => {
  it('batch_size >= m is full batch, number for number', () => {
    const full = train(spec({}, { epochs: 300 }), XOR);
    for (const batch of [4, 10]) {
      const r = train(spec({}, { epochs: 300, batch_size: batch }), XOR);
      expect(Array.from(r.costs)).toEqual(Array.from(full.costs));
      expect(r.parameters).toEqual(full.parameters);
    }
  });

  it('each consecutive slice is one step; the recorded cost is the whole set at the start of the epoch', () => {
    const r = train(spec({}, { epochs: 2, batch_size: 3 }), XOR);
    const full = train(spec({}, { epochs: 1 }), XOR);
    expect(r.costs[0]).toBe(full.costs[0]);
    // By hand: step on examples 0-2, then on example 3, from the same initial weights.
    const slice = (m: Matrix, from: number, to: number) => fromRows(Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols + from, r * m.cols + to))));
    const first = train(spec({}, { epochs: 1 }), { train: { x: slice(XOR.train.x, 0, 3), y: slice(XOR.train.y, 0, 3) } });
    const model = TWO_LAYER.map((n) => n);
    let l = 0;
    const withParams = model.map((n) => (typeof n === 'string' ? n : { ...n, ...first.parameters[l++] }));
    const second = train(spec({ model: withParams }, { epochs: 1 }), { train: { x: slice(XOR.train.x, 3, 4), y: slice(XOR.train.y, 3, 4) } });
    const net = buildNetwork(spec({ model: withParams }), 2);
    net.setParameters(second.parameters);
    const out = net.predict(XOR.train.x);
    const expectedCost = out.reduce((s, a, i) => s + (XOR.train.y.data[i] - a) ** 2, 0) / 8;
    expect(r.costs[1]).toBeCloseTo(expectedCost, 15);
  });
});

describe('explicit starting weights', () => {
  it('replace the drawn values but the draws still happen', () => {
    const drawn = buildNetwork(spec(), 2).getParameters();
    const explicit = buildNetwork(
      spec({
        model: [
          { linear: 3, init: 'he', weights: [[1, 2], [3, 4], [5, 6]], bias: [[7], [8], [9]] },
          'sigmoid',
          { linear: 1, init: 'xavier' },
          'sigmoid',
        ],
      }),
      2,
    ).getParameters();
    expect(explicit[0]).toEqual({ weights: [[1, 2], [3, 4], [5, 6]], bias: [[7], [8], [9]] });
    expect(explicit[1]).toEqual(drawn[1]);
    expect(drawn[0].bias).toEqual([[0], [0], [0]]);
  });

  it('get a clear error when their shape is wrong', () => {
    const attempt = (layer: Record<string, unknown>, index = 0) => {
      const model = [...TWO_LAYER] as LayerSpec[];
      model[index] = { ...(model[index] as object), ...layer } as unknown as LayerSpec;
      return () => buildNetwork(spec({ model }), 2);
    };
    expect(attempt({ weights: [[1, 2]] })).toThrow(/model\.0\.weights: expected 3 rows of 2 numbers \(n_out x n_in\), got 1 row/);
    expect(attempt({ weights: [[1, 2], [3, 4], [5]] })).toThrow(/model\.0\.weights: .*row 2 has 1 number/);
    expect(attempt({ weights: [[1, 2]] }, 2)).toThrow(/model\.2\.weights: expected 1 row of 3 numbers \(n_out x n_in\), but row 0 has 2 numbers/);
    expect(attempt({ weights: [[1, 2, 3]] }, 2)).not.toThrow();
    expect(attempt({ bias: [0, 0, 0] })).toThrow(/model\.0\.bias: expected 3 rows of 1 number \(n_out x 1\), but row 0 has number/);
    expect(attempt({ weights: 'big' })).toThrow(/model\.0\.weights: expected .* got string/);
    expect(attempt({ weights: [[1, 'x'], [1, 1], [1, 1]] })).toThrow(/row 0, column 1 must be a number/);
    try {
      attempt({ bias: [[0]] })();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModelSpecError);
      expect((error as ModelSpecError).path).toBe('model.0.bias');
    }
  });
});

describe('spec errors', () => {
  it('bce and bce_keras need the model to end with a sigmoid', () => {
    for (const loss of ['bce', 'bce_keras'] as const) {
      expect(() => train(spec({ loss, model: TWO_LAYER.slice(0, 3) }), XOR)).toThrow(
        /loss: .*must end with a sigmoid node \(it ends with a linear layer \(linear: 1\)\)/,
      );
      expect(() => train(spec({ loss, model: [...TWO_LAYER.slice(0, 3), 'tanh'] }), XOR)).toThrow(/ends with tanh/);
    }
  });

  it('names the bad setting', () => {
    const bad: [Partial<TrainSpec>, Partial<TrainSpec['train']>, RegExp][] = [
      [{ model: ['sigmoid'] }, {}, /^model: the model needs at least one linear layer/],
      [{ model: [{ linear: 3, init: 'glorot' as 'he' }] }, {}, /^model\.0\.init: unknown init "glorot"/],
      [{ model: [{ linear: 0, init: 'he' }] }, {}, /^model\.0\.linear:/],
      [{ model: [{ linear: 1, init: 'he' }, 'swish' as 'tanh'] }, {}, /^model\.1: unknown activation "swish"/],
      [{ model: [{ linear: 1, init: 'he' }, 'softmax'] }, {}, /^model\.1: softmax goes with the loss cross_entropy/],
      [{ model: [{ linear: 2, init: 'he' }, 'softmax', { linear: 1, init: 'he' }, 'sigmoid'] }, {}, /^model\.1: softmax can only be the last node/],
      [{ loss: 'cross_entropy' }, {}, /^loss: cross_entropy works on the logits of a final softmax/],
      [{}, { optimizer: 'adamm' as 'adam' }, /^train\.optimizer: unknown optimizer "adamm"/],
      [{}, { optimizer: { name: 'momentum', beta1: 0.9 } }, /^train\.optimizer\.beta1: momentum takes no beta1; its settings are beta/],
      [{}, { optimizer: { name: 'adam', beta2: 1 } }, /^train\.optimizer\.beta2: expected a number in \[0, 1\)/],
      [{}, { schedule: 'step' }, /^train\.schedule\.every: the step schedule needs every/],
      [{}, { schedule: { name: 'cosine', gamma: 0.5 } }, /^train\.schedule\.gamma: the cosine schedule takes no gamma/],
      [{}, { warmup_epochs: -1 }, /^train\.warmup_epochs:/],
      [{}, { weight_decay: -0.1 }, /^train\.weight_decay:/],
      [{}, { l1: NaN }, /^train\.l1:/],
      [{}, { shuffle_seed: 2 ** 32 }, /^train\.shuffle_seed:/],
      [{ loss: 'hinge' as 'bce' }, {}, /^loss: unknown loss "hinge"/],
      [{}, { epochs: 0 }, /^train\.epochs:/],
      [{}, { record_every: 0 }, /^train\.record_every:/],
      [{}, { batch_size: 2.5 }, /^train\.batch_size:/],
      [{}, { learning_rate: NaN }, /^train\.learning_rate:/],
    ];
    for (const [overrides, settings, message] of bad) {
      expect(() => train(spec(overrides, settings), XOR)).toThrow(message);
    }
  });

  it('checks the data against the model', () => {
    expect(() => train(spec(), { train: { x: XOR.train.x, y: fromRows([[0, 1, 1]]) } })).toThrow(/targets have 3 examples, inputs 4/);
    expect(() => train(spec(), { train: { x: XOR.train.x, y: fromRows([[0, 1, 1, 0], [1, 0, 0, 1]]) } })).toThrow(
      /the model outputs 1 value per example, but the train targets have 2 rows/,
    );
    expect(() => train(spec(), { train: XOR.train, test: { x: fromRows([[0, 1]]), y: fromRows([[0, 1]]) } })).toThrow(
      /test data has 1 features, training data 2/,
    );
  });
});

describe('network', () => {
  it('predict gives the output per example; setParameters rebuilds a trained network', () => {
    const r = train(spec({}, { epochs: 3000 }), XOR);
    const net = buildNetwork(spec(), 2);
    net.setParameters(r.parameters);
    const out = net.predict(XOR.train.x);
    expect(out).toHaveLength(4);
    expect(Array.from(out, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    expect(net.getParameters()).toEqual(r.parameters);
    expect(() => net.setParameters(r.parameters.slice(1))).toThrow(/expected parameters for 2 linear layers, got 1/);
  });
});
