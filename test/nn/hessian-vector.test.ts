// Hessian-vector products by the R-operator against finite differences of the backpropagated
// gradient, for every activation and every loss of the registries (softmax through
// cross_entropy), so that a new entry without a right R-operator fails here; each activation's
// R-loops against its scalar formulas (and its f'' against a difference of f'); the softmax node's
// R-passes against differences of its forward and backward; the wasm kernels give the same bits.
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivationName, LayerSpec, LossName } from '../../src/nn/spec.js';
import { activationNames, activations } from '../../src/nn/activations.js';
import {
  HessianVectorProduct,
  parameterCount,
  readParameters,
  writeParameters,
} from '../../src/nn/hessian-vector.js';
import { ActivationNode } from '../../src/nn/layers.js';
import { losses, lossNames } from '../../src/nn/losses.js';
import { fromRows, type Matrix } from '../../src/nn/matrix.js';
import { buildNetwork, type Network, type Workspace } from '../../src/nn/network.js';
import { RandomState } from '../../src/nn/rng.js';
import { SOFTMAX, SoftmaxNode, softmaxColumns } from '../../src/nn/softmax.js';
import { ACTIVATION_NAMES } from '../../src/experiment/schema.js';
import { setWasmKernels, wasmKernelsEnabled } from '../../src/nn/wasm/arena.js';

afterEach(() => setWasmKernels(true));

const KINKED: ActivationName[] = ['relu', 'leaky_relu'];
/** Inputs of relu / leaky_relu stay this far from 0, so no probe crosses a kink. */
const KINK_MARGIN = 0.05;
const STEP = 1e-4;

/** Classes of the one-hot targets in the cases of a loss over classes. */
const CLASSES = 3;

/** Outputs of the model for a loss: one per class for a loss over one-hot classes, else one. */
function outputsFor(loss: LossName): number {
  return losses[loss].targets === 'one-hot' ? CLASSES : 1;
}

/** Random features, and targets a loss can learn from: 0/1 alternating, or classes in turn, one-hot. */
function randomData(seed: number, features: number, m: number, loss: LossName = 'bce'): { x: Matrix; y: Matrix } {
  const rs = new RandomState(seed);
  const x = Array.from({ length: features }, () => Array.from({ length: m }, () => rs.randn()));
  const k = outputsFor(loss);
  const y =
    k === 1
      ? [Array.from({ length: m }, (_, i) => i % 2)]
      : Array.from({ length: k }, (_, c) => Array.from({ length: m }, (_, i) => (i % k === c ? 1 : 0)));
  return { x: fromRows(x), y: fromRows(y) };
}

function unitVector(seed: number, n: number): Float64Array {
  const v = new RandomState(seed).fillRandn(new Float64Array(n));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** The gradient of the loss at the network's current parameters, flat (hessian-vector.ts order). */
function gradientAt(net: Network, ws: Workspace, y: Matrix): Float64Array {
  net.forward(ws);
  net.backward(ws, y);
  const out = new Float64Array(parameterCount(net));
  let at = 0;
  for (const layer of net.linears) {
    out.set(layer.dW.data, at);
    at += layer.dW.data.length;
    out.set(layer.db.data, at);
    at += layer.db.data.length;
  }
  return out;
}

/** H·v by a fourth-order central difference of the gradient along v. */
function numericalHv(net: Network, ws: Workspace, y: Matrix, v: Float64Array): Float64Array {
  const p = new Float64Array(v.length);
  readParameters(net, p);
  const g = (t: number) => {
    writeParameters(net, p.map((pi, i) => pi + t * v[i]));
    return gradientAt(net, ws, y);
  };
  const [gp, gm, gp2, gm2] = [g(STEP), g(-STEP), g(2 * STEP), g(-2 * STEP)];
  writeParameters(net, p);
  return gp.map((_, i) => (8 * (gp[i] - gm[i]) - (gp2[i] - gm2[i])) / (12 * STEP));
}

function closestToKink(net: Network, ws: Workspace): number {
  net.forward(ws);
  let closest = Infinity;
  net.nodes.forEach((node, i) => {
    if (node instanceof ActivationNode && KINKED.includes(node.activation.name)) {
      for (const z of ws.values[i].data) closest = Math.min(closest, Math.abs(z));
    }
  });
  return closest;
}

/** Two hidden layers of `hidden`, then the loss's fused node (sigmoid, softmax) or `hidden` again. */
function modelFor(hidden: ActivationName, loss: LossName): LayerSpec[] {
  const last = losses[loss].fusedWith ?? hidden;
  return [{ linear: 4, init: 'he' }, hidden, { linear: 3, init: 'he' }, hidden, { linear: outputsFor(loss), init: 'xavier' }, last];
}

/** max |analytic - numeric| over the largest |numeric| (both vectors). */
/** `net`'s Hessian-vector product on `data`, prepared at its current weights, and the workspace it uses. */
function preparedProduct(net: Network, data: { x: Matrix; y: Matrix }): { ws: Workspace; hvp: HessianVectorProduct } {
  const ws = net.workspace(data.x.cols, data.x);
  const hvp = new HessianVectorProduct(net, ws, data.y);
  hvp.prepare();
  return { ws, hvp };
}

function relativeError(analytic: Float64Array, numeric: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < analytic.length; i++) {
    diff = Math.max(diff, Math.abs(analytic[i] - numeric[i]));
    scale = Math.max(scale, Math.abs(numeric[i]));
  }
  return diff / scale;
}

describe('activation R-passes', () => {
  const z = Float64Array.from([-3.1, -0.7, -0.02, 0.03, 0.4, 1.9, 5.5]);
  for (const name of activationNames) {
    it(`${name}: loops equal the scalar formulas, f'' equals a difference of f'`, () => {
      const act = activations[name];
      const n = z.length;
      const a = z.map((zi) => act.output(zi));
      const rz = Float64Array.from([0.3, -1.2, 0.8, 2.0, -0.5, 0.1, 1.7]);
      const dA = Float64Array.from([1.1, -0.4, 0.25, -2.0, 0.9, 0.6, -0.3]);
      const rdA = Float64Array.from([-0.2, 0.7, 1.5, 0.05, -1.3, 0.4, 0.9]);
      const ra = new Float64Array(n);
      const rdZ = new Float64Array(n);
      act.rForward(z, a, rz, ra, n);
      act.rBackward(dA, rdA, z, a, rz, rdZ, n);
      for (let i = 0; i < n; i++) {
        const d1 = act.der(z[i], a[i]);
        const d2 = act.der2(z[i], a[i]);
        expect(ra[i]).toBeCloseTo(d1 * rz[i], 14);
        expect(rdZ[i]).toBeCloseTo(rdA[i] * d1 + dA[i] * d2 * rz[i], 14);
        const h = 1e-5;
        const numeric = (act.der(z[i] + h, act.output(z[i] + h)) - act.der(z[i] - h, act.output(z[i] - h))) / (2 * h);
        expect(Math.abs(d2 - numeric)).toBeLessThan(1e-8);
      }
    });
  }
});

describe('softmax R-passes', () => {
  // Three examples of four classes, column by column (k x m, row-major), one of them far apart.
  const k = 4;
  const m = 3;
  const z = Float64Array.from([0.3, -1.2, 4.0, 1.1, 0.5, -3.0, -0.4, 2.2, 0.9, 0.0, -0.7, 6.5]);
  const rz = Float64Array.from([0.8, -0.3, 1.4, -1.1, 0.6, 0.2, 0.35, -0.9, -0.25, 1.3, 0.7, -0.45]);
  const da = Float64Array.from([0.4, -1.5, 0.9, 0.1, 0.3, -0.6, -0.8, 1.2, 0.05, 1.0, -0.2, 0.45]);
  const rda = Float64Array.from([-0.6, 0.25, 1.1, 0.9, -0.35, 0.5, 0.15, -1.4, 0.8, -0.1, 0.65, 0.3]);
  const node = new SoftmaxNode();
  const matrix = (data: Float64Array): Matrix => ({ rows: k, cols: m, data });
  const forward = (t: number): Float64Array => {
    const a = new Float64Array(k * m);
    softmaxColumns(z.map((zi, i) => zi + t * rz[i]), a, k, m);
    return a;
  };
  const backward = (t: number): Float64Array => {
    const dz = new Float64Array(k * m);
    node.backward(matrix(new Float64Array(k * m)), matrix(forward(t)), matrix(da.map((d, i) => d + t * rda[i])), matrix(dz));
    return dz;
  };
  /** The derivative at t = 0 of a function of t, by a fourth-order central difference. */
  const derivative = (f: (t: number) => Float64Array): Float64Array => {
    const [p, q, p2, q2] = [f(STEP), f(-STEP), f(2 * STEP), f(-2 * STEP)];
    return p.map((_, i) => (8 * (p[i] - q[i]) - (p2[i] - q2[i])) / (12 * STEP));
  };

  it('R-forward is the derivative of the forward pass along R{z}', () => {
    const ra = new Float64Array(k * m);
    node.rForward(matrix(z), matrix(forward(0)), matrix(rz), matrix(ra));
    expect(relativeError(ra, derivative(forward))).toBeLessThan(1e-9);
    // Each example's R{a} sums to 0: the probabilities keep summing to 1.
    for (let i = 0; i < m; i++) expect(Math.abs(ra[i] + ra[m + i] + ra[2 * m + i] + ra[3 * m + i])).toBeLessThan(1e-15);
  });

  it('R-backward is the derivative of the backward pass along (R{z}, R{da})', () => {
    const rdz = new Float64Array(k * m);
    node.rBackward(matrix(z), matrix(forward(0)), matrix(da), matrix(rda), matrix(rz), matrix(rdz));
    expect(relativeError(rdz, derivative(backward))).toBeLessThan(1e-9);
  });
});

describe('Hessian-vector products against finite differences of the gradient', () => {
  it('every graph node the YAML names is among the cases below: an activation, or a loss\'s fused node', () => {
    const covered = new Set<string>([...activationNames, ...lossNames.flatMap((loss) => losses[loss].fusedWith ?? [])]);
    expect([...ACTIVATION_NAMES].filter((name) => !covered.has(name))).toEqual([]);
    expect(covered.has(SOFTMAX)).toBe(true);
  });

  for (const loss of lossNames) {
    const data = randomData(123, 2, 6, loss);
    for (const hidden of activationNames) {
      it(`${hidden} hidden layers, ${loss}`, () => {
        let checked = 0;
        for (let seed = 1; checked < 2; seed++) {
          expect(seed).toBeLessThan(200);
          const net = buildNetwork({ seed, model: modelFor(hidden, loss), loss }, 2);
          const ws = net.workspace(data.x.cols, data.x);
          if (closestToKink(net, ws) < KINK_MARGIN) continue;
          const hvp = new HessianVectorProduct(net, ws, data.y);
          const k = outputsFor(loss);
          expect(hvp.size).toBe(4 * 2 + 4 + 3 * 4 + 3 + k * 3 + k);
          hvp.prepare();
          const v = unitVector(seed + 1000, hvp.size);
          const hv = new Float64Array(hvp.size);
          hvp.apply(v, hv);
          expect(relativeError(hv, numericalHv(net, ws, data.y, v)), `seed ${seed}`).toBeLessThan(1e-7);
          checked++;
        }
      });
    }
  }

  const data = randomData(123, 2, 6);

  it('holds with an activation before the first linear layer, and a linear output', () => {
    const net = buildNetwork(
      { seed: 3, model: ['tanh', { linear: 3, init: 'xavier' }, 'sigmoid', { linear: 1, init: 'xavier' }], loss: 'squared_error' },
      2,
    );
    const { ws, hvp } = preparedProduct(net, data);
    const v = unitVector(7, hvp.size);
    const hv = new Float64Array(hvp.size);
    hvp.apply(v, hv);
    expect(relativeError(hv, numericalHv(net, ws, data.y, v))).toBeLessThan(1e-7);
  });

  for (const loss of ['bce', 'cross_entropy'] as const) {
    it(`is symmetric: u·(Hv) = v·(Hu) (${loss})`, () => {
      const lossData = randomData(123, 2, 6, loss);
      const net = buildNetwork({ seed: 4, model: modelFor('tanh', loss), loss }, 2);
      const { hvp } = preparedProduct(net, lossData);
      const u = unitVector(1, hvp.size);
      const v = unitVector(2, hvp.size);
      const hu = new Float64Array(hvp.size);
      const hv = new Float64Array(hvp.size);
      hvp.apply(u, hu);
      hvp.apply(v, hv);
      const uHv = u.reduce((s, ui, i) => s + ui * hv[i], 0);
      const vHu = v.reduce((s, vi, i) => s + vi * hu[i], 0);
      expect(Math.abs(uHv - vHu)).toBeLessThan(1e-12 * Math.max(Math.abs(uHv), 1));
    });
  }
});

describe('memory', () => {
  it('collects no garbage over many products through a softmax network', async () => {
    const loss = 'cross_entropy';
    const data = randomData(8, 2, 6, loss);
    const net = buildNetwork({ seed: 1, model: modelFor('tanh', loss), loss }, 2);
    const { hvp } = preparedProduct(net, data);
    const v = unitVector(3, hvp.size);
    const hv = new Float64Array(hvp.size);
    for (let i = 0; i < 20_000; i++) hvp.apply(v, hv); // let V8 optimise the loops first
    const collections: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
    observer.observe({ entryTypes: ['gc'] });
    const from = performance.now();
    for (let i = 0; i < 100_000; i++) hvp.apply(v, hv);
    const to = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries arrive asynchronously
    observer.disconnect();
    // A few hundred bytes allocated per product would take several collections over these.
    expect(collections.filter((c) => c.startTime >= from && c.startTime <= to).length).toBeLessThanOrEqual(1);
  });
});

describe('with the WebAssembly kernels', () => {
  for (const loss of ['bce', 'cross_entropy'] as const) {
    it(`gives the same bits as plain JavaScript on a network large enough to use them (${loss})`, () => {
      expect(wasmKernelsEnabled()).toBe(true);
      const data = randomData(5, 3, 64, loss);
      const k = outputsFor(loss);
      const last = losses[loss].fusedWith!;
      const model: LayerSpec[] = [{ linear: 16, init: 'xavier' }, 'sigmoid', { linear: 16, init: 'xavier' }, 'tanh', { linear: k, init: 'xavier' }, last];
      const products = [true, false].map((wasm) => {
        setWasmKernels(wasm);
        const net = buildNetwork({ seed: 2, model, loss }, 3);
        const ws = net.workspace(data.x.cols, data.x);
        // The arena holds the workspace: its buffers are views of a WebAssembly memory, not their own.
        expect(ws.values[1].data.buffer.byteLength > ws.values[1].data.byteLength).toBe(wasm);
        const hvp = new HessianVectorProduct(net, ws, data.y);
        hvp.prepare();
        const hv = new Float64Array(hvp.size);
        hvp.apply(unitVector(9, hvp.size), hv);
        return hv;
      });
      expect(products[0].every((x, i) => Object.is(x, products[1][i]))).toBe(true);
    });
  }
});
