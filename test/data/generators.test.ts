import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATOR_DEFAULTS, generateDataset, prepareDataset, type GeneratorName } from '../../src/data/index.js';
import { rowsOf } from './rows.js';

const NAMES: GeneratorName[] = ['circle', 'spiral', 'gaussians', 'xor-quadrants'];
const reference = JSON.parse(readFileSync(new URL('../fixtures/numpy/generators.json', import.meta.url), 'utf8'));

const count = (labels: Float64Array, value: number) => labels.filter((v) => v === value).length;

describe('2-D generators', () => {
  for (const name of NAMES) {
    describe(name, () => {
      it('is a pure function of the seed', () => {
        const a = prepareDataset({ builtin: name, seed: 5 });
        const b = prepareDataset({ builtin: name, seed: 5 });
        expect(a.train.x.data).toEqual(b.train.x.data);
        expect(a.train.y.data).toEqual(b.train.y.data);
      });

      it('draws different points for different seeds', () => {
        const a = prepareDataset({ builtin: name, seed: 1 }).train.x.data;
        const b = prepareDataset({ builtin: name, seed: 2 }).train.x.data;
        const same = a.filter((v, i) => v === b[i]).length;
        // A spiral without noise would be fixed; with the default noise every point moves.
        expect(same).toBeLessThan(a.length / 10);
      });

      it('defaults to 200 examples with two features and 0/1 labels', () => {
        const { train, test, featureNames, inputFeatureCount, binaryTargets } = prepareDataset({ builtin: name });
        expect(train.x.rows).toBe(2);
        expect(train.x.cols).toBe(GENERATOR_DEFAULTS.samples);
        expect(train.y.cols).toBe(200);
        expect(test).toBeNull();
        expect(featureNames).toEqual(['x1', 'x2']);
        expect(inputFeatureCount).toBe(2);
        expect(binaryTargets).toBe(true);
        expect(train.y.data.every((v) => v === 0 || v === 1)).toBe(true);
      });

      it('honours `samples`, odd counts included', () => {
        const { x, y } = generateDataset(name, { samples: 37, noise: 0.1, seed: 3 });
        expect(x.cols).toBe(37);
        expect(y.cols).toBe(37);
      });

      it('matches its NumPy redraw (test/reference/generators.py)', () => {
        for (const c of reference.cases.filter((r: { name: string }) => r.name === name)) {
          const { x, y } = generateDataset(name, { samples: c.samples, noise: c.noise, seed: c.seed });
          expect(rowsOf(y)).toEqual(c.y);
          // sin/cos/hypot may differ from CPython's libm in the last bit.
          rowsOf(x).forEach((row, r) => row.forEach((v, i) => expect(v).toBeCloseTo(c.x[r][i], 12)));
        }
      });
    });
  }

  it('without noise, circle, spiral and gaussians are exactly balanced, class 1 first', () => {
    for (const name of ['circle', 'spiral', 'gaussians'] as const) {
      const { y } = generateDataset(name, { samples: 201, noise: 0, seed: 0 });
      expect(count(y.data, 1)).toBe(101);
      expect(count(y.data, 0)).toBe(100);
      expect(Array.from(y.data.subarray(0, 101)).every((v) => v === 1)).toBe(true);
    }
  });

  it('noise flips a few circle labels but keeps the classes near balance', () => {
    const { y } = generateDataset('circle', { samples: 1000, noise: 0.2, seed: 11 });
    const ones = count(y.data, 1);
    expect(ones).not.toBe(500);
    expect(ones).toBeGreaterThan(400);
    expect(ones).toBeLessThan(600);
  });

  it('xor-quadrants labels are roughly balanced and follow the sign of x1 * x2 without noise', () => {
    const { x, y } = generateDataset('xor-quadrants', { samples: 1000, noise: 0, seed: 4 });
    const [x1, x2] = rowsOf(x);
    x1.forEach((v, i) => expect(y.data[i]).toBe(v * x2[i] >= 0 ? 1 : 0));
    expect(count(y.data, 1)).toBeGreaterThan(430);
    expect(count(y.data, 1)).toBeLessThan(570);
  });

  it('stays within each shape’s range', () => {
    const radius = (x: number[][], i: number) => Math.hypot(x[0][i], x[1][i]);

    const circle = generateDataset('circle', { samples: 500, noise: 0.3, seed: 9 });
    const cx = rowsOf(circle.x);
    for (let i = 0; i < 250; i++) expect(radius(cx, i)).toBeLessThanOrEqual(2.5);
    for (let i = 250; i < 500; i++) {
      expect(radius(cx, i)).toBeGreaterThanOrEqual(3.5);
      expect(radius(cx, i)).toBeLessThanOrEqual(5);
    }

    const spiral = rowsOf(generateDataset('spiral', { samples: 500, noise: 0.5, seed: 9 }).x);
    for (let i = 0; i < 500; i++) expect(radius(spiral, i)).toBeLessThanOrEqual(5 + 0.5 * Math.SQRT2);

    const xor = rowsOf(generateDataset('xor-quadrants', { samples: 500, noise: 0.5, seed: 9 }).x);
    for (const row of xor) {
      for (const v of row) {
        expect(Math.abs(v)).toBeGreaterThanOrEqual(0.3);
        expect(Math.abs(v)).toBeLessThanOrEqual(5.3);
      }
    }

    const g = generateDataset('gaussians', { samples: 2000, noise: 0.5, seed: 9 });
    const gx = rowsOf(g.x);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(gx[0].slice(0, 1000))).toBeCloseTo(2, 0);
    expect(mean(gx[1].slice(1000))).toBeCloseTo(-2, 0);
    // noise 0.5 -> variance 4 (the Playground's top of the scale)
    const sd = Math.sqrt(mean(gx[0].slice(0, 1000).map((v) => (v - 2) ** 2)));
    expect(sd).toBeGreaterThan(1.85);
    expect(sd).toBeLessThan(2.15);
  });

  it('changing only the noise keeps the underlying draws (circle radii and angles)', () => {
    const quiet = generateDataset('circle', { samples: 50, noise: 0, seed: 2 });
    const noisy = generateDataset('circle', { samples: 50, noise: 0.4, seed: 2 });
    expect(noisy.x.data).toEqual(quiet.x.data);
    expect(noisy.y.data).not.toEqual(quiet.y.data);
  });

  it('rejects bad generator settings', () => {
    expect(() => prepareDataset({ builtin: 'circle', samples: 0 })).toThrow(/samples must be a positive integer/);
    expect(() => prepareDataset({ builtin: 'circle', samples: 2.5 })).toThrow(/samples/);
    expect(() => prepareDataset({ builtin: 'spiral', noise: -1 })).toThrow(/noise must be a finite number >= 0/);
    expect(() => prepareDataset({ builtin: 'gaussians', seed: -3 })).toThrow(/dataset seed must be an integer/);
  });
});
