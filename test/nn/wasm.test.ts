// The WebAssembly kernels: the embedded module is what scripts/wasm-kernels.mjs builds, each kernel
// equals its JavaScript twin bit for bit (blocked tiles and every remainder), and a network trained
// with them equals the same network trained in plain JavaScript, bit for bit.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { LayerSpec, LossName, TrainSpec } from '../../src/experiment/types.js';
import { activations } from '../../src/nn/activations.js';
import { gradientCheck } from '../../src/nn/gradcheck.js';
import {
  fromRows,
  linearForward,
  type Matrix,
  matmulTransposeA,
  matmulTransposeB,
  rowSums,
  zeros,
} from '../../src/nn/matrix.js';
import { buildNetwork } from '../../src/nn/network.js';
import { RandomState } from '../../src/nn/rng.js';
import { train, type TrainData } from '../../src/nn/train.js';
import {
  createArena,
  setWasmKernels,
  WASM_MIN_ELEMENTS,
  WASM_MIN_MULTIPLY_ADDS,
  wasmKernelsEnabled,
} from '../../src/nn/wasm/arena.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function randomMatrix(rs: RandomState, rows: number, cols: number): Matrix {
  const m = zeros(rows, cols);
  rs.fillRandn(m.data);
  return m;
}

function sameBits(actual: Float64Array, expected: Float64Array): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return false;
  return true;
}

afterEach(() => setWasmKernels(true));

describe('the embedded module', () => {
  it('is what scripts/wasm-kernels.mjs builds from its source', () => {
    // Exits non-zero (and execFileSync throws) when kernels.wat or kernels-module.ts is stale.
    execFileSync(process.execPath, ['scripts/wasm-kernels.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
  });

  it('compiles here, so the engine uses it', () => {
    expect(wasmKernelsEnabled()).toBe(true);
    expect(createArena()).not.toBeNull();
    setWasmKernels(false);
    expect(createArena()).toBeNull();
  });
});

describe('kernels', () => {
  it('equal the JavaScript kernels bit for bit, for every tile remainder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 9 }),
        fc.nat(10_000),
        (rows, terms, extra, seed) => {
          // Enough columns that the arena takes the products itself instead of passing them on.
          const cols = Math.ceil(WASM_MIN_MULTIPLY_ADDS / (rows * terms)) + extra;
          const arena = createArena()!;
          // Room for Wᵀ and for Aᵀ in panels, as a workspace reserves it.
          arena.reserveScratch(terms * Math.max(rows, cols));
          const rs = new RandomState(seed);
          const inArena = (m: Matrix) => arena.copyOf(m.rows, m.cols, m.data);
          // Z = W·A + b with W rows x terms, A terms x cols.
          const W = randomMatrix(rs, rows, terms);
          const A = randomMatrix(rs, terms, cols);
          const b = randomMatrix(rs, rows, 1);
          const Z = zeros(rows, cols);
          linearForward(W, A, b, Z);
          const Zw = arena.zeros(rows, cols);
          arena.linearForward(inArena(W), inArena(A), inArena(b), Zw);
          // dA = Wᵀ·dZ with dZ rows x cols; and the same through a sigmoid whose output is act.
          const dZ = randomMatrix(rs, rows, cols);
          const dA = zeros(terms, cols);
          matmulTransposeA(W, dZ, dA);
          const dAw = arena.zeros(terms, cols);
          arena.matmulTransposeA(inArena(W), inArena(dZ), dAw);
          const act = zeros(terms, cols);
          for (let i = 0; i < act.data.length; i++) act.data[i] = rs.randomSample();
          const dAct = new Float64Array(dA.data.length);
          activations.sigmoid.backward(dA.data, act.data, act.data, dAct, dAct.length);
          const dActw = arena.zeros(terms, cols);
          arena.matmulTransposeA(inArena(W), inArena(dZ), dActw, inArena(act));
          // dW = dZ·Aᵀ, summed over the cols examples (fewer than 4 rows: dot products, no panels).
          const dW = zeros(rows, terms);
          matmulTransposeB(dZ, A, dW);
          const dWw = arena.zeros(rows, terms);
          arena.matmulTransposeB(inArena(dZ), inArena(A), dWw);
          // db = the row sums of dZ.
          const db = zeros(rows, 1);
          rowSums(dZ, db);
          const dbw = arena.zeros(rows, 1);
          arena.rowSums(inArena(dZ), dbw);
          return (
            sameBits(Zw.data, Z.data) &&
            sameBits(dAw.data, dA.data) &&
            sameBits(dActw.data, dAct) &&
            sameBits(dWw.data, dW.data) &&
            sameBits(dbw.data, db.data)
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('row sums start from +0 as the JavaScript loop does (a row of -0 sums to +0)', () => {
    const arena = createArena()!;
    const M = arena.zeros(5, 40);
    M.data.fill(-0);
    const out = arena.zeros(5, 1);
    out.data.fill(7);
    arena.rowSums(M, out);
    expect(Array.from(out.data).every((v) => Object.is(v, 0))).toBe(true);
  });

  it('products through the arena equal JavaScript with NaN and infinities among the values', () => {
    const arena = createArena()!;
    arena.reserveScratch(64 * 64);
    const rs = new RandomState(5);
    const W = randomMatrix(rs, 6, 9);
    const dZ = randomMatrix(rs, 6, 64);
    const A = randomMatrix(rs, 9, 64);
    [NaN, Infinity, -Infinity, -0].forEach((v, i) => {
      dZ.data[i * 37] = v;
      A.data[i * 41 + 3] = v;
    });
    const inArena = (m: Matrix) => arena.copyOf(m.rows, m.cols, m.data);
    const dW = zeros(6, 9);
    matmulTransposeB(dZ, A, dW);
    const dWw = arena.zeros(6, 9);
    arena.matmulTransposeB(inArena(dZ), inArena(A), dWw);
    expect(sameBits(dWw.data, dW.data)).toBe(true);
    const dA = zeros(9, 64);
    matmulTransposeA(W, dZ, dA);
    const dAw = arena.zeros(9, 64);
    arena.matmulTransposeA(inArena(W), inArena(dZ), dAw);
    expect(sameBits(dAw.data, dA.data)).toBe(true);
  });

  it('sigmoid equals 1/(1 + Math.exp(-z)) bit for bit, special values included', () => {
    const arena = createArena()!;
    const n = 200_001; // odd: the last value takes the scalar path
    const z = arena.zeros(1, n);
    const a = arena.zeros(1, n);
    const expected = new Float64Array(n);
    const special = [0, -0, 1, -1, NaN, Infinity, -Infinity, 700, -700, 699.9999, -699.9999, 709.7, -709.7, 745.2,
      -745.2, 2 ** -28, -(2 ** -28), 2 ** -29, -(2 ** -29), 5e-324, 0.34657359027997264, -0.34657359027997264,
      0.3465735912322998, 1.0397207708399179, -1.0397207708399179, 1.0397205352783203, -1.0397205352783203];
    const rs = new RandomState(11);
    // Magnitudes from 1e-10 to 1e3: every branch of fdlibm's argument reduction.
    for (const scale of [1e-10, 1e-6, 0.3, 0.7, 1.1, 4, 30, 300, 1000]) {
      for (let i = 0; i < n; i++) z.data[i] = (rs.randomSample() * 2 - 1) * scale;
      special.forEach((v, i) => (z.data[i * 101] = v));
      arena.sigmoidForward(z, a);
      activations.sigmoid.forward(z.data, expected, n);
      expect(sameBits(a.data, expected)).toBe(true);
    }
    // The backward step: dZ = dA * a * (1 - a).
    const dA = randomMatrix(rs, 1, n);
    const dZ = arena.zeros(1, n);
    const dZjs = new Float64Array(n);
    arena.sigmoidBackward(arena.copyOf(1, n, dA.data), a, dZ);
    activations.sigmoid.backward(dA.data, z.data, a.data, dZjs, n);
    expect(sameBits(dZ.data, dZjs)).toBe(true);
  });

  it('sigmoid equals the JavaScript loop at every length (blocks of the staged kernel, odd ends)', () => {
    fc.assert(
      fc.property(fc.integer({ min: WASM_MIN_ELEMENTS, max: 700 }), fc.nat(10_000), (n, seed) => {
        const arena = createArena()!;
        const rs = new RandomState(seed);
        const z = arena.zeros(1, n);
        for (let i = 0; i < n; i++) z.data[i] = (rs.randomSample() * 2 - 1) * 20;
        // Now and then a value the vector exp leaves to Math.exp.
        if (seed % 3 === 0) z.data[seed % n] = [NaN, -1, 800, 1e-30][seed % 4];
        const a = arena.zeros(1, n);
        arena.sigmoidForward(z, a);
        const expected = new Float64Array(n);
        activations.sigmoid.forward(z.data, expected, n);
        return sameBits(a.data, expected);
      }),
      { numRuns: 100 },
    );
  });

  it('leave matrices outside their arena to JavaScript', () => {
    const arena = createArena()!;
    const rs = new RandomState(3);
    const W = randomMatrix(rs, 8, 40);
    const A = randomMatrix(rs, 40, 30);
    const b = randomMatrix(rs, 8, 1);
    const expected = zeros(8, 30);
    linearForward(W, A, b, expected);
    // W is the caller's own matrix, not a view of the arena: no address of it may reach a kernel.
    const Z = arena.zeros(8, 30);
    arena.linearForward(W, arena.copyOf(40, 30, A.data), arena.copyOf(8, 1, b.data), Z);
    expect(sameBits(Z.data, expected.data)).toBe(true);
    const elsewhere = zeros(8, 30);
    arena.sigmoidForward(Z, elsewhere);
    const sig = new Float64Array(240);
    activations.sigmoid.forward(Z.data, sig, 240);
    expect(sameBits(elsewhere.data, sig)).toBe(true);
  });

  it('keep earlier matrices valid when the arena grows', () => {
    const arena = createArena()!;
    const first = arena.copyOf(1, 3, Float64Array.from([1, 2, 3]));
    const before = first.data;
    arena.zeros(1000, 1000); // 8 MB: the memory grows many pages past the first
    expect(before.length).toBe(0); // growing detached the old buffer...
    expect(Array.from(first.data)).toEqual([1, 2, 3]); // ...and the matrix has a view of the new one
  });
});

/** Two spirals-ish classes: 2 features, `m` examples, from a seeded generator. */
function data(seed: number, m: number): { x: Matrix; y: Matrix } {
  const rs = new RandomState(seed);
  const x = [0, 1].map(() => Array.from({ length: m }, () => rs.randn()));
  const y = [x[0].map((v, i) => (Math.sin(2 * v) + x[1][i] > 0 ? 1 : 0))];
  return { x: fromRows(x), y: fromRows(y) };
}

function layers(sizes: number[], hidden: 'sigmoid' | 'tanh' | 'relu'): LayerSpec[] {
  return sizes.flatMap((n, i): LayerSpec[] => [
    { linear: n, init: 'xavier' },
    i === sizes.length - 1 ? 'sigmoid' : hidden,
  ]);
}

function spec(model: LayerSpec[], loss: LossName, batch: number | 'full', epochs = 40): TrainSpec {
  return {
    seed: 7,
    model,
    loss,
    train: { epochs, learning_rate: 0.5, batch_size: batch, record_every: 1 },
    divergence: { max_cost: 1e6 },
  };
}

function trainBoth(s: TrainSpec, d: TrainData) {
  setWasmKernels(false);
  const js = train(s, d);
  setWasmKernels(true);
  const wasm = train(s, d);
  return { js, wasm };
}

describe('training with the wasm kernels', () => {
  const d: TrainData = { train: data(1, 301), test: data(2, 57) };
  const cases: [string, TrainSpec][] = [
    ['2 -> 24 -> 24 -> 1 sigmoid, bce, full batch', spec(layers([24, 24, 1], 'sigmoid'), 'bce', 'full')],
    ['2 -> 17 -> 9 -> 1 tanh, squared error, minibatches of 64', spec(layers([17, 9, 1], 'tanh'), 'squared_error', 64)],
    ['2 -> 33 -> 1 relu, bce_keras, minibatches of 100', spec(layers([33, 1], 'relu'), 'bce_keras', 100)],
  ];
  for (const [name, s] of cases) {
    it(`${name}: the same result as plain JavaScript, bit for bit`, () => {
      const { js, wasm } = trainBoth(s, d);
      expect(wasm.epochsRun).toBe(s.train.epochs);
      expect(sameBits(wasm.costs, js.costs)).toBe(true);
      expect(sameBits(wasm.testCosts!, js.testCosts!)).toBe(true);
      expect(wasm.parameters).toEqual(js.parameters);
      expect(wasm.trainAccuracy).toBe(js.trainAccuracy);
      expect(wasm.testAccuracy).toBe(js.testAccuracy);
    });
  }

  it('backward through each sigmoid in one step gives the gradients of the step-by-step passes', () => {
    for (const wasm of [false, true]) {
      setWasmKernels(wasm);
      const s = spec(layers([24, 9, 24, 1], 'sigmoid'), 'bce', 'full');
      const { x, y } = data(9, 301);
      const net = buildNetwork(s, 2);
      const gradients = (everyGradient: boolean) => {
        const ws = net.workspace(301, x, { everyGradient });
        net.forward(ws);
        net.backward(ws, y);
        return { ws, params: net.linears.flatMap((l) => [l.dW.data.slice(), l.db.data.slice()]) };
      };
      const fused = gradients(false);
      const stepwise = gradients(true);
      fused.params.forEach((g, i) => expect(sameBits(g, stepwise.params[i])).toBe(true));
      // The gradients with respect to the sigmoids' outputs before the 2nd, 3rd and 4th Linear nodes.
      const kept = (ws: typeof fused.ws) => ws.grads.filter((g) => g.data.length > 0).length;
      expect(kept(stepwise.ws) - kept(fused.ws)).toBe(3);
    }
  });

  it('predict gives the same outputs, and a copy that later calls leave alone', () => {
    const s = spec(layers([24, 24, 1], 'sigmoid'), 'bce', 'full');
    const x = data(3, 500).x;
    // Trained parameters, so that the biases are not all zero.
    const { parameters } = train(s, d);
    setWasmKernels(false);
    const jsNet = buildNetwork(s, 2);
    jsNet.setParameters(parameters);
    const js = jsNet.predict(x);
    setWasmKernels(true);
    const net = buildNetwork(s, 2);
    net.setParameters(parameters);
    const first = net.predict(x);
    expect(sameBits(first, js)).toBe(true);
    net.predict(data(4, 700).x);
    expect(sameBits(first, js)).toBe(true);
    expect(sameBits(net.predict(x), js)).toBe(true);
  });

  it('a workspace keeps working after predict grew the arena', () => {
    const s = spec(layers([24, 24, 1], 'sigmoid'), 'bce', 'full');
    const { x } = data(6, 50);
    const net = buildNetwork(s, 2);
    const ws = net.workspace(50, x);
    net.forward(ws);
    const first = ws.values[ws.values.length - 1].data.slice();
    net.predict(data(7, 5000).x); // far more examples: the memory grows
    net.forward(ws);
    expect(sameBits(ws.values[ws.values.length - 1].data, first)).toBe(true);
  });

  it('moves into an arena only once passes are big enough, keeping its parameters', () => {
    const s = spec(layers([3, 1], 'sigmoid'), 'bce', 'full');
    const net = buildNetwork(s, 2);
    const W = net.linears[0].W;
    const initial = Array.from(W.data);
    const inWasmMemory = () => W.data.buffer.byteLength % 65536 === 0; // its own array: 6 x 8 bytes
    const small = net.workspace(4, data(8, 4).x); // 2 -> 3 -> 1 on 4 examples: at most 24 multiply-adds
    expect(inWasmMemory()).toBe(false);
    net.forward(small);
    const before = small.values[small.values.length - 1].data.slice();
    net.workspace(1000); // 6000
    expect(inWasmMemory()).toBe(true);
    expect(Array.from(W.data)).toEqual(initial);
    // The small workspace stayed in the JavaScript heap: its passes still work, in JavaScript.
    net.forward(small);
    expect(sameBits(small.values[small.values.length - 1].data, before)).toBe(true);
  });

  it('gradient check passes on a network that uses the arena', () => {
    const s = spec(layers([12, 8, 1], 'tanh'), 'bce', 'full');
    const result = gradientCheck(s, data(5, 40));
    expect(result.maxRelativeError).toBeLessThan(1e-7);
  });
});
