// Sharpness (the top Hessian eigenvalue): Lanczos on matrices with known spectra, linear
// regression against λmax((1/m)·X̃X̃ᵀ) computed here, sigmoid and softmax networks against the
// NumPy reference Hessians, the warm start, and how tracking sits in training.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrainSpec } from '../../src/nn/spec.js';
import { prepareDataset } from '../../src/data/index.js';
import { ModelSpecError } from '../../src/nn/errors.js';
import type { SymmetricOperator } from '../../src/nn/hessian-vector.js';
import { LanczosTopEigen } from '../../src/nn/lanczos.js';
import { fromRows, type Matrix } from '../../src/nn/matrix.js';
import { buildNetwork } from '../../src/nn/network.js';
import { RandomState } from '../../src/nn/rng.js';
import { SharpnessTracker, sharpnessOf } from '../../src/nn/sharpness.js';
import { train } from '../../src/nn/train.js';
import { jacobiEigenvalues, readFixture, relativeDifference } from './helpers.js';

/** Q·diag(eigenvalues)·Qᵀ with a random orthogonal Q (Gram-Schmidt of normal draws). */
function matrixWithSpectrum(eigenvalues: number[], seed: number): number[][] {
  const n = eigenvalues.length;
  const rs = new RandomState(seed);
  const q: number[][] = [];
  for (let i = 0; i < n; i++) {
    const v = Array.from({ length: n }, () => rs.randn());
    for (const u of q) {
      const d = u.reduce((s, ui, k) => s + ui * v[k], 0);
      for (let k = 0; k < n; k++) v[k] -= d * u[k];
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: n }, (_, c) => eigenvalues.reduce((s, l, k) => s + q[k][r] * l * q[k][c], 0)),
  );
}

function denseOperator(a: number[][]): SymmetricOperator & { products: number } {
  return {
    size: a.length,
    products: 0,
    apply(v, out) {
      this.products++;
      for (let r = 0; r < a.length; r++) out[r] = a[r].reduce((s, arc, c) => s + arc * v[c], 0);
    },
  };
}

describe('Lanczos', () => {
  it('finds the largest algebraic eigenvalue, not the largest in magnitude', () => {
    const spectrum = [-50, -3, 0.5, 2, 6.9, 7];
    const op = denseOperator(matrixWithSpectrum(spectrum, 1));
    const lanczos = new LanczosTopEigen(6, 100, 1e-12);
    const result = lanczos.run(op, new RandomState(3).fillRandn(new Float64Array(6)));
    expect(relativeDifference(result.value, 7)).toBeLessThan(1e-12);
    expect(result.converged).toBe(true);
    // Its vector is the eigenvector: ||Av - 7v|| small.
    const av = new Float64Array(6);
    op.apply(lanczos.vector, av);
    expect(Math.hypot(...av.map((x, i) => x - 7 * lanczos.vector[i]))).toBeLessThan(1e-9);
    expect(Math.hypot(...lanczos.vector)).toBeCloseTo(1, 14);
  });

  it('finds the least negative eigenvalue of a negative definite matrix', () => {
    const op = denseOperator(matrixWithSpectrum([-9, -4, -2.5, -0.75], 2));
    const result = new LanczosTopEigen(4, 100, 1e-12).run(op, Float64Array.from([1, 1, 1, 1]));
    expect(relativeDifference(result.value, -0.75)).toBeLessThan(1e-12);
  });

  it('stops on the relative change, and after max_iterations without converging', () => {
    const spectrum = Array.from({ length: 60 }, (_, i) => 1 + i / 59);
    const op = denseOperator(matrixWithSpectrum(spectrum, 4));
    const start = new RandomState(5).fillRandn(new Float64Array(60));
    const short = new LanczosTopEigen(60, 3, 1e-12).run(op, start);
    expect(short).toMatchObject({ iterations: 3, converged: false });
    expect(short.value).toBeLessThan(2);
    op.products = 0;
    const loose = new LanczosTopEigen(60, 100, 1e-3).run(op, start);
    expect(loose.converged).toBe(true);
    expect(op.products).toBe(loose.iterations);
    const tight = new LanczosTopEigen(60, 100, 1e-12).run(op, start);
    expect(loose.iterations).toBeLessThan(tight.iterations);
    expect(relativeDifference(tight.value, 2)).toBeLessThan(1e-10);
    expect(Math.abs(loose.value - 2)).toBeLessThan(0.1);
  });

  it('ends at once from an exact eigenvector', () => {
    const a = [
      [2, 0, 0],
      [0, 5, 0],
      [0, 0, 1],
    ];
    const result = new LanczosTopEigen(3, 100, 1e-6).run(denseOperator(a), Float64Array.from([0, 3, 0]));
    expect(result).toEqual({ value: 5, iterations: 1, converged: true });
  });

  it('reports NaN when the products are not numbers', () => {
    const op: SymmetricOperator = { size: 3, apply: (_v, out) => out.fill(NaN) };
    const lanczos = new LanczosTopEigen(3, 10, 1e-6);
    expect(lanczos.run(op, Float64Array.from([1, 2, 3]))).toMatchObject({ value: NaN, converged: false });
    expect(() => lanczos.run(op, new Float64Array(3))).toThrow(RangeError);
  });
});

const HOUSES = fileURLToPath(new URL('../../experiments/data/houses.csv', import.meta.url));

function regressionSpec(lr: number, epochs: number, every: number): TrainSpec {
  return {
    seed: 0,
    model: [{ linear: 1, init: 'zeros' }, 'identity'],
    loss: 'squared_error',
    train: { epochs, learning_rate: lr, batch_size: 'full', record_every: 1 },
    divergence: { max_cost: 1e6 },
    track: { sharpness: { every } },
  };
}

/** λmax((1/m)·X̃X̃ᵀ), X̃ = the features with a row of ones, by Jacobi rotations. */
function regressionLambdaMax(x: Matrix): number {
  const m = x.cols;
  const rows = [...Array.from({ length: x.rows }, (_, r) => Array.from(x.data.subarray(r * m, (r + 1) * m))), new Array(m).fill(1)];
  const gram = rows.map((a) => rows.map((b) => a.reduce((s, ai, j) => s + ai * b[j], 0) / m));
  return Math.max(...jacobiEigenvalues(gram));
}

describe('sharpness of linear regression', () => {
  const data = prepareDataset({ csv: HOUSES, features: ['size', 'age'], target: 'price' });
  const lambdaMax = regressionLambdaMax(data.train.x);

  it('is λmax((1/m)·X̃X̃ᵀ) at every computed epoch, stable or not', () => {
    expect(lambdaMax).toBeGreaterThan(9);
    for (const lr of [0.1, 0.23]) {
      const result = train(regressionSpec(lr, 200, 7), data);
      const { epochs, values } = result.sharpness!;
      const expected = Array.from(result.recordedEpochs).filter((e) => e % 7 === 0 && e < (result.divergedAtEpoch ?? Infinity));
      expect(Array.from(epochs)).toEqual(expected);
      expect(epochs.length).toBeGreaterThan(3);
      for (const value of values) expect(relativeDifference(value, lambdaMax)).toBeLessThan(1e-6);
      // 0.23 is past 2/λmax (about 0.216): that run blows up; 0.1 is below it and does not.
      expect(result.status).toBe(lr < 2 / lambdaMax ? 'finished' : 'diverged');
    }
  });
});

interface HessianCase {
  name: string;
  spec: TrainSpec;
  data: { x: number[][]; y: number[][] };
  /** Where the reference also has a closed-form Hessian (a linear layer into softmax). */
  curve: { epoch: number; sharpness: number; smallest: number; parameters: number; exact_sharpness?: number }[];
}

/** The engine's sharpness at each epoch of a reference case (every epoch of its curve computed). */
function sharpnessAtReferenceEpochs(c: HessianCase): Map<number, number> {
  const data = { train: { x: fromRows(c.data.x), y: fromRows(c.data.y) } };
  const last = Math.max(...c.curve.map((point) => point.epoch));
  const spec: TrainSpec = { ...c.spec, train: { ...c.spec.train, epochs: last + 1 }, track: { sharpness: { every: 1 } } };
  const result = train(spec, data);
  expect(result.status).not.toBe('diverged');
  return new Map(Array.from(result.sharpness!.epochs, (e, i) => [e, result.sharpness!.values[i]]));
}

describe('sharpness of sigmoid networks against the NumPy reference Hessian', () => {
  const { cases } = JSON.parse(readFixture('numpy/hessian-cases.json')) as { cases: HessianCase[] };

  for (const c of cases) {
    it(c.name, () => {
      const at = sharpnessAtReferenceEpochs(c);
      for (const point of c.curve) {
        expect(relativeDifference(at.get(point.epoch)!, point.sharpness), `epoch ${point.epoch}`).toBeLessThan(1e-5);
      }
      // Not a trivially positive spectrum: the Hessian has negative eigenvalues somewhere.
      expect(c.curve.some((point) => point.smallest < 0)).toBe(true);
    });
  }
});

describe('sharpness of softmax networks (cross_entropy) against the NumPy reference Hessian', () => {
  const { cases } = JSON.parse(readFixture('numpy/hessian-softmax-cases.json')) as { cases: HessianCase[] };

  it('covers hidden layers with negative curvature and the convex case with its closed form', () => {
    expect(cases.map((c) => c.spec.model[c.spec.model.length - 1])).toEqual(cases.map(() => 'softmax'));
    expect(cases.filter((c) => c.curve.some((point) => point.smallest < -1e-6 * point.sharpness)).length).toBeGreaterThanOrEqual(2);
    expect(cases.some((c) => c.curve.every((point) => point.exact_sharpness !== undefined))).toBe(true);
  });

  for (const c of cases) {
    it(c.name, () => {
      const at = sharpnessAtReferenceEpochs(c);
      for (const point of c.curve) {
        expect(relativeDifference(at.get(point.epoch)!, point.sharpness), `epoch ${point.epoch}`).toBeLessThan(1e-5);
        if (point.exact_sharpness !== undefined) {
          expect(relativeDifference(at.get(point.epoch)!, point.exact_sharpness), `epoch ${point.epoch}, closed form`).toBeLessThan(1e-5);
        }
      }
    });
  }
});

describe('sharpness tracking', () => {
  const xor = prepareDataset({ builtin: 'xor' });
  const xorSpec = (lr: number, track: TrainSpec['track']): TrainSpec => ({
    seed: 48,
    model: [{ linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }, 'sigmoid'],
    loss: 'squared_error',
    train: { epochs: 1000, learning_rate: lr, batch_size: 'full', record_every: 3 },
    divergence: { max_cost: 1e6 },
    ...(track ? { track } : {}),
  });

  it('changes no cost or weight of the training, and gives the same bits twice', () => {
    const plain = train(xorSpec(10, undefined), xor);
    const tracked = train(xorSpec(10, { sharpness: { every: 2 } }), xor);
    expect(plain.sharpness).toBeNull();
    expect(tracked.costs).toEqual(plain.costs);
    expect(tracked.parameters).toEqual(plain.parameters);
    const again = train(xorSpec(10, { sharpness: { every: 2 } }), xor);
    expect(again.sharpness).toEqual(tracked.sharpness);
  });

  it('runs at recorded epochs e with e mod every = 0, the last epoch included when it qualifies', () => {
    const result = train(xorSpec(10, { sharpness: { every: 2 } }), xor);
    // Recorded: 0, 3, 6, ..., 999 (the last); of those, the even ones.
    const expected = Array.from(result.recordedEpochs).filter((e) => e % 2 === 0);
    expect(Array.from(result.sharpness!.epochs)).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual([0, 6, 12]);
    const lastEven = train({ ...xorSpec(10, { sharpness: { every: 5 } }), train: { ...xorSpec(10, undefined).train, epochs: 11 } }, xor);
    expect(Array.from(lastEven.sharpness!.epochs)).toEqual([0, 10]);
  });

  it('is not computed at the epoch where the run diverged', () => {
    const data = prepareDataset({ csv: HOUSES, features: ['size', 'age'], target: 'price' });
    const result = train(regressionSpec(0.5, 1000, 1), data);
    expect(result.status).toBe('diverged');
    const epochs = Array.from(result.sharpness!.epochs);
    expect(epochs[epochs.length - 1]).toBe(result.divergedAtEpoch! - 1);
  });

  it('warm-starts: later computations take fewer Lanczos steps than starting afresh, with the same result', () => {
    const data = prepareDataset({ builtin: 'circle', samples: 80, noise: 0.1, seed: 3 });
    const spec = {
      seed: 2,
      model: [{ linear: 8, init: 'xavier' as const }, 'tanh' as const, { linear: 8, init: 'xavier' as const }, 'tanh' as const, { linear: 1, init: 'xavier' as const }, 'sigmoid' as const],
      loss: 'bce' as const,
    };
    const net = buildNetwork(spec, 2);
    const ws = net.workspace(data.train.x.cols, data.train.x);
    const warm = new SharpnessTracker(net, ws, data.train.y);
    let warmSteps = 0;
    let coldSteps = 0;
    for (let e = 0; e <= 200; e++) {
      if (e % 20 === 0) {
        const w = warm.compute();
        const cold = new SharpnessTracker(net, ws, data.train.y).compute();
        expect(relativeDifference(w.value, cold.value)).toBeLessThan(1e-5);
        if (e > 0) {
          warmSteps += w.iterations;
          coldSteps += cold.iterations;
        }
      }
      net.forward(ws);
      net.backward(ws, data.train.y);
      net.update(0.5);
    }
    expect(warmSteps).toBeLessThan(coldSteps);
  });

  it('agrees with the one-shot sharpnessOf at the initial weights', () => {
    const result = train(xorSpec(1, { sharpness: { every: 1, tolerance: 1e-12 } }), xor);
    const once = sharpnessOf(xorSpec(1, undefined), xor.train, { tolerance: 1e-12 });
    expect(relativeDifference(result.sharpness!.values[0], once.value)).toBeLessThan(1e-12);
  });

  it('refuses settings it cannot use', () => {
    expect(() => train(xorSpec(1, { sharpness: { every: 0 } }), xor)).toThrow(ModelSpecError);
    expect(() => train(xorSpec(1, { sharpness: { every: 1, max_iterations: 0 } }), xor)).toThrow(/max_iterations/);
    expect(() => train(xorSpec(1, { sharpness: { every: 1, tolerance: -1 } }), xor)).toThrow(/tolerance/);
  });
});
