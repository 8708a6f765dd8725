// The stability thresholds against the optimizers' own update rules (as issue-style PyTorch rules)
// run on a one-dimensional quadratic f = λx²/2: just below the threshold the iterates shrink, just
// above it they grow.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MOMENTUM_BETA, stabilityThreshold } from '../../src/nn/stability.js';

type Rule = (x: number, v: number, g: number, eta: number, beta: number) => [number, number];
const RULES: Record<string, Rule> = {
  sgd: (x, v, g, eta) => [x - eta * g, v],
  // v ← βv + g; θ ← θ − ηv
  momentum: (x, v, g, eta, beta) => {
    const w = beta * v + g;
    return [x - eta * w, w];
  },
  // v ← βv + g; θ ← θ − η(g + βv)
  nesterov: (x, v, g, eta, beta) => {
    const w = beta * v + g;
    return [x - eta * (g + beta * w), w];
  },
};

/** |x| after many steps of `rule` on λx²/2 from x = 1. */
function finalSize(rule: Rule, lambda: number, eta: number, beta: number): number {
  let x = 1;
  let v = 0;
  for (let t = 0; t < 4000; t++) [x, v] = rule(x, v, lambda * x, eta, beta);
  return Math.abs(x);
}

describe('stability thresholds', () => {
  for (const name of Object.keys(RULES)) {
    for (const beta of [0.5, 0.9]) {
      it(`${name}${name === 'sgd' ? '' : ` (β = ${beta})`}: stable just below, unstable just above`, () => {
        const eta = 0.3;
        const { value } = stabilityThreshold(name === 'sgd' ? 'sgd' : { name, beta }, eta);
        expect(value).not.toBeNull();
        expect(finalSize(RULES[name], 0.99 * value!, eta, beta)).toBeLessThan(1e-3);
        expect(finalSize(RULES[name], 1.01 * value!, eta, beta)).toBeGreaterThan(1e3);
      });
    }
  }

  it('sgd is the default; momentum without beta uses 0.9', () => {
    expect(stabilityThreshold(undefined, 0.5)).toEqual({ value: 4, formula: '2/η' });
    expect(stabilityThreshold('momentum', 1).value).toBeCloseTo(2 * (1 + DEFAULT_MOMENTUM_BETA), 12);
  });

  it('adaptive and unknown optimizers have none, with the reason', () => {
    for (const name of ['adam', 'adamw', 'rmsprop', 'adagrad']) {
      const threshold = stabilityThreshold(name, 0.1);
      expect(threshold.value).toBeNull();
      expect(threshold.formula).toMatch(/scales every parameter's step/);
    }
    expect(stabilityThreshold({ name: 'lion' }, 0.1)).toEqual({ value: null, formula: 'none known for optimizer lion' });
  });
});
