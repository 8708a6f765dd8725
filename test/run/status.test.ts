import { describe, expect, it } from 'vitest';
import { classifyRun } from '../../src/run/status.js';

const curve = (n: number, f: (k: number) => number) => Float64Array.from({ length: n }, (_, k) => f(k));
const facts = (costs: ArrayLike<number>) => ({ costs, diverged: false, failed: false });

describe('classifyRun on constructed curves', () => {
  it('an exponential decay that has flattened out is converged', () => {
    expect(classifyRun(facts(curve(1000, (k) => 0.25 * Math.exp(-k / 50) + 1e-4)))).toBe('converged');
  });
  it('a curve still falling linearly at the end is slow', () => {
    expect(classifyRun(facts(curve(1000, (k) => 0.25 - 1e-5 * k)))).toBe('slow');
  });
  it('a flat curve (no progress at all) is slow', () => {
    expect(classifyRun(facts(curve(100, () => 0.125)))).toBe('slow');
  });
  it('a curve that settles on a high plateau is stalled', () => {
    expect(classifyRun(facts(curve(1000, (k) => 0.125 + 0.005 * Math.exp(-k / 20))))).toBe('stalled');
  });
  it('an oscillating curve is unstable', () => {
    expect(classifyRun(facts(curve(1000, (k) => 0.1 * Math.exp(-k / 200) + (k % 2 ? 0.02 : 0))))).toBe('unstable');
  });
  it('a curve that ends well above its best is unstable', () => {
    expect(classifyRun(facts(curve(1000, (k) => (k < 500 ? 0.2 - 0.0003 * k : 0.05 + 0.0001 * (k - 500)))))).toBe('unstable');
  });
  it('a few early bumps do not make a converged run unstable', () => {
    const c = curve(1000, (k) => 0.25 * Math.exp(-k / 50) + 1e-4);
    c[3] = c[2] * 1.01;
    expect(classifyRun(facts(c))).toBe('converged');
  });
  it('diverged and failed runs keep their engine verdict', () => {
    expect(classifyRun({ costs: [1, 2, Infinity], diverged: true, failed: false })).toBe('diverged');
    expect(classifyRun({ costs: [], diverged: false, failed: true })).toBe('failed');
  });
  it('a cost that reaches exactly zero is converged', () => {
    expect(classifyRun(facts([0.5, 0.1, 0]))).toBe('converged');
  });
});
