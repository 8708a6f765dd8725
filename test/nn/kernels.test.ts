// Matrix kernels against naive definitions, and each activation's buffer loops against its own
// scalar output/der, so the registry's two forms cannot drift apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationNames, activations } from '../../src/nn/activations.js';
import { initialWeights, initializerNames, initializers } from '../../src/nn/init.js';
import {
  copyColumns,
  fromRows,
  linearForward,
  mapInto,
  matmulTransposeA,
  matmulTransposeB,
  rowSums,
  toRows,
  zeros,
} from '../../src/nn/matrix.js';
import { RandomState } from '../../src/nn/rng.js';

const at = (rows: number[][], r: number, c: number) => rows[r][c];

function randomRows(rs: RandomState, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rs.randn()));
}

describe('matrix', () => {
  it('fromRows / toRows round-trip in row-major (C) order', () => {
    const m = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(toRows(m)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('fromRows rejects ragged rows and non-numbers', () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
    expect(() => fromRows([[1, 'x' as unknown as number]])).toThrow(/not a number/);
  });

  // The kernels block their loops for speed but keep every sum in plain left-to-right order, so
  // they must equal the textbook loops exactly, for every size (blocked parts and remainders).
  it('kernels equal their textbook definitions bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 9 }), fc.nat(1000), (nOut, nIn, m, seed) => {
        const rs = new RandomState(seed);
        const W = randomRows(rs, nOut, nIn);
        const A = randomRows(rs, nIn, m);
        const b = randomRows(rs, nOut, 1);
        const dZ = randomRows(rs, nOut, m);

        const Z = zeros(nOut, m);
        linearForward(fromRows(W), fromRows(A), fromRows(b), Z);
        const dW = zeros(nOut, nIn);
        matmulTransposeB(fromRows(dZ), fromRows(A), dW);
        const dA = zeros(nIn, m);
        matmulTransposeA(fromRows(W), fromRows(dZ), dA);
        const db = zeros(nOut, 1);
        rowSums(fromRows(dZ), db);

        const same = (x: number, y: number) => x === y;
        for (let i = 0; i < nOut; i++) {
          for (let j = 0; j < m; j++) {
            let s = 0;
            for (let k = 0; k < nIn; k++) s += at(W, i, k) * at(A, k, j);
            expect(same(Z.data[i * m + j], s + at(b, i, 0))).toBe(true);
          }
          for (let k = 0; k < nIn; k++) {
            let s = 0;
            for (let j = 0; j < m; j++) s += at(dZ, i, j) * at(A, k, j);
            expect(same(dW.data[i * nIn + k], s)).toBe(true);
          }
          expect(same(db.data[i], dZ[i].reduce((p, v) => p + v, 0))).toBe(true);
        }
        for (let k = 0; k < nIn; k++) {
          for (let j = 0; j < m; j++) {
            let s = 0;
            for (let i = 0; i < nOut; i++) s += at(W, i, k) * at(dZ, i, j);
            expect(same(dA.data[k * m + j], s)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the bias is broadcast across every column', () => {
    const Z = zeros(2, 3);
    linearForward(fromRows([[0], [0]]), fromRows([[5, 6, 7]]), fromRows([[1], [-2]]), Z);
    expect(toRows(Z)).toEqual([
      [1, 1, 1],
      [-2, -2, -2],
    ]);
  });

  it('copyColumns takes a slice of examples; mapInto applies a function', () => {
    const src = fromRows([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const out = zeros(2, 2);
    copyColumns(src, 1, out);
    expect(toRows(out)).toEqual([
      [2, 3],
      [6, 7],
    ]);
    expect(toRows(mapInto(out, (v) => v * 10, zeros(2, 2)))).toEqual([
      [20, 30],
      [60, 70],
    ]);
    expect(() => mapInto(out, (v) => v, zeros(1, 2))).toThrow(RangeError);
  });
});

describe('activations', () => {
  const zs = [-40, -3.5, -1, -0.25, 0, 0.25, 1, 3.5, 40, -0, NaN, Infinity, -Infinity];

  for (const name of activationNames) {
    it(`${name}: buffer loops equal output/der element by element`, () => {
      const act = activations[name];
      const n = zs.length;
      const z = Float64Array.from(zs);
      const a = new Float64Array(n);
      act.forward(z, a, n);
      zs.forEach((v, i) => expect(Object.is(a[i], act.output(v)) || a[i] === act.output(v)).toBe(true));
      const dA = Float64Array.from(zs, (_, i) => 0.5 + i);
      const dZ = new Float64Array(n);
      act.backward(dA, z, a, dZ, n);
      zs.forEach((_, i) => {
        const expected = dA[i] * act.der(z[i], a[i]);
        if (Number.isNaN(expected)) expect(dZ[i]).toBeNaN();
        else expect(Math.abs(dZ[i] - expected)).toBeLessThanOrEqual(1e-15 * Math.abs(expected));
      });
    });

    it(`${name}: der matches a numerical derivative away from kinks`, () => {
      const act = activations[name];
      for (const z of [-2.5, -0.7, 0.3, 1.9]) {
        const h = 1e-6;
        const numeric = (act.output(z + h) - act.output(z - h)) / (2 * h);
        expect(act.der(z, act.output(z))).toBeCloseTo(numeric, 8);
      }
    });
  }

  it('sigmoid is 1/(1+exp(-z)); relu and leaky_relu have slope 0 and 0.01 at and below 0', () => {
    expect(activations.sigmoid.output(0.3)).toBe(1 / (1 + Math.exp(-0.3)));
    expect(activations.relu.der(0, 0)).toBe(0);
    expect(activations.relu.output(-2)).toBe(0);
    expect(activations.leaky_relu.der(0, 0)).toBe(0.01);
    expect(activations.leaky_relu.output(-2)).toBe(-0.02);
    expect(activations.relu.output(NaN)).toBeNaN();
  });
});

describe('initialisers', () => {
  it('scale the same row-order randn draws by their rule', () => {
    const draws = new RandomState(48).fillRandn(new Float64Array(6));
    const expected: Record<string, (v: number) => number> = {
      plain: (v) => v * 0.01,
      xavier: (v) => v / Math.sqrt(3),
      he: (v) => v * Math.sqrt(2 / 3),
      zeros: () => 0,
    };
    for (const name of initializerNames) {
      const w = initialWeights(new RandomState(48), name, 2, 3);
      expect(Array.from(w)).toEqual(Array.from(draws, expected[name]));
      expect(initializers[name].formula).toContain('n_out, n_in');
    }
  });
});
