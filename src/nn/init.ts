// Weight initialisers, keyed by the names used in YAML. Every rule starts from the same draws:
// randn(n_out, n_in) in row order from the shared generator, then scales them in place. Even
// `zeros` (and a layer with explicit weights) consumes its draws, so the numbers a later layer gets
// do not depend on how an earlier layer was initialised.
//
// xavier divides by sqrt(n_in), as the blog's code does (`randn(n_out, n_in) / np.sqrt(n_in)`).
// Multiplying by np.sqrt(1/n_in) instead differs in the last bit of most weights. Both stay within
// 6e-15 of the golden XOR curve, but only the division reproduces it bit for bit from the start
// (epochs 0-15 identical; with the multiplication the curves part at epoch 2), so it is the rule.

import type { RandomState } from './rng.js';

/** The names used in YAML; the registry below has one entry for each. */
export type InitName = 'plain' | 'xavier' | 'he' | 'zeros';

export interface Initializer {
  readonly name: InitName;
  /** The rule as a NumPy expression, for documentation and reports. */
  readonly formula: string;
  /** Scales standard normal draws in place for a layer with n_in inputs. */
  scale(draws: Float64Array, nIn: number): void;
}

const plain: Initializer = {
  name: 'plain',
  formula: 'np.random.randn(n_out, n_in) * 0.01',
  scale(w) {
    for (let i = 0; i < w.length; i++) w[i] = w[i] * 0.01;
  },
};

const xavier: Initializer = {
  name: 'xavier',
  formula: 'np.random.randn(n_out, n_in) / np.sqrt(n_in)',
  scale(w, nIn) {
    const root = Math.sqrt(nIn);
    for (let i = 0; i < w.length; i++) w[i] = w[i] / root;
  },
};

const he: Initializer = {
  name: 'he',
  formula: 'np.random.randn(n_out, n_in) * np.sqrt(2 / n_in)',
  scale(w, nIn) {
    const factor = Math.sqrt(2 / nIn);
    for (let i = 0; i < w.length; i++) w[i] = w[i] * factor;
  },
};

const zeros: Initializer = {
  name: 'zeros',
  formula: 'np.zeros((n_out, n_in))  (the randn draws are still consumed)',
  scale(w) {
    w.fill(0);
  },
};

export const initializers: Readonly<Record<InitName, Initializer>> = Object.freeze({ plain, xavier, he, zeros });

export const initializerNames = Object.keys(initializers) as InitName[];

export function isInitName(name: unknown): name is InitName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(initializers, name);
}

/** Draws randn(nOut, nIn) in row order from `rng` and scales it by the named rule. */
export function initialWeights(rng: RandomState, init: InitName, nOut: number, nIn: number): Float64Array {
  const w = rng.fillRandn(new Float64Array(nOut * nIn));
  initializers[init].scale(w, nIn);
  return w;
}
