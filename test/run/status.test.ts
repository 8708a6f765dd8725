import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyRun, CurveClassifier } from '../../src/run/status.js';

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

/** classifyRun as it was written over a whole array, before it learnt to take one cost at a time. */
function wholeCurveStatus(costs: number[]): string {
  const n = costs.length;
  if (n === 0) return 'failed';
  const first = costs[0];
  const last = costs[n - 1];
  if (n === 1) return first === 0 ? 'converged' : 'slow';
  let rises = 0;
  let best = first;
  for (let k = 1; k < n; k++) {
    if (costs[k] > costs[k - 1] * (1 + 1e-12) + Number.MIN_VALUE) rises++;
    if (costs[k] < best) best = costs[k];
  }
  const endedAboveBest = last - best > 0.05 * Math.max(first - best, 0) && last > best * (1 + 1e-6);
  if (rises > 0.05 * (n - 1) || endedAboveBest) return 'unstable';
  const totalDrop = first - last;
  if (first === 0 || last === 0) return 'converged';
  if (totalDrop <= 1e-12 * first) return 'slow';
  const tailStart = Math.min(n - 2, Math.floor((n - 1) * 0.9));
  if (costs[tailStart] - last > 0.01 * totalDrop) return 'slow';
  return last <= 0.5 * first ? 'converged' : 'stalled';
}

describe('CurveClassifier (one cost at a time)', () => {
  it('gives the whole-curve verdict on any curve', () => {
    const cost = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 0.25));
    const shaped = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.double({ min: 1, max: 200, noNaN: true }), fc.double({ min: 0, max: 0.05, noNaN: true }))
      .map(([n, scale, noise]) => Array.from({ length: n }, (_, k) => 0.2 * Math.exp(-k / scale) + 0.01 + noise * Math.sin(k * 7.3)));
    fc.assert(
      fc.property(fc.oneof(fc.array(cost, { minLength: 1, maxLength: 60 }), shaped), (costs) => {
        const classifier = new CurveClassifier(costs.length);
        for (const c of costs) classifier.push(c);
        expect(classifier.status({ diverged: false, failed: false })).toBe(wholeCurveStatus(costs));
        expect(classifyRun(facts(costs))).toBe(wholeCurveStatus(costs));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a curve shorter or longer than announced (unless the run diverged)', () => {
    const classifier = new CurveClassifier(3);
    classifier.push(0.5);
    classifier.push(0.4);
    expect(() => classifier.status({ diverged: false, failed: false })).toThrow(/2 costs, 3 were announced/);
    expect(classifier.status({ diverged: true, failed: false })).toBe('diverged');
  });
});
