// Optimizers, keyed by the names used in YAML. Each entry keeps its update rule beside its name,
// its formula and its hyperparameters' defaults. The rules are PyTorch's (torch.optim), written out
// for one parameter array θ (a weight matrix or a bias vector) with gradient g, the step's learning
// rate η and t, the number of updates so far including this one (minibatch steps count). Every
// state array starts at zero.
//
//   sgd       θ ← θ − η·g                                   (today's gradient descent, bit for bit)
//   momentum  v ← β·v + g;  θ ← θ − η·v
//   nesterov  v ← β·v + g;  θ ← θ − η·(g + β·v)
//   rmsprop   s ← ρ·s + (1−ρ)·g²;  θ ← θ − η·g / (√s + ε)
//   adagrad   s ← s + g²;  θ ← θ − η·g / (√s + ε)
//   adam      m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  m̂ = m/(1−β1ᵗ);  v̂ = v/(1−β2ᵗ);
//             θ ← θ − η·m̂ / (√v̂ + ε)
//   adamw     adam, with weight decay decoupled from the gradient: W ← W·(1 − η·λ) first
//             (penalties.ts; the other optimizers add λ·W to the gradient instead)
//
// The loops below write each expression in that order, so that an independent NumPy
// implementation of the same formulas agrees to rounding (test/reference/numpy_dynamics.py).

import { ModelSpecError } from './errors.js';

/** The optimizers' names as written in YAML. */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adagrad' | 'adam' | 'adamw';

/** Every hyperparameter any optimizer takes. */
export type OptimizerField = 'beta' | 'rho' | 'beta1' | 'beta2' | 'epsilon';

/** An optimizer with every hyperparameter resolved: plain data, safe to pass anywhere. */
export type OptimizerSpec =
  | { name: 'sgd' }
  | { name: 'momentum' | 'nesterov'; beta: number }
  | { name: 'rmsprop'; rho: number; epsilon: number }
  | { name: 'adagrad'; epsilon: number }
  | { name: 'adam' | 'adamw'; beta1: number; beta2: number; epsilon: number };

/** As written in an experiment: a name, or `{ name, ...some of its fields }` (the rest default). */
export type OptimizerSetting = OptimizerName | ({ name: OptimizerName } & Partial<Record<OptimizerField, number>>);

export interface Optimizer {
  readonly name: OptimizerName;
  /** The rule, for documentation and reports. */
  readonly formula: string;
  /** The hyperparameters this optimizer takes, with their defaults, in the documented order. */
  readonly defaults: Readonly<Partial<Record<OptimizerField, number>>>;
  /** State arrays per parameter array (velocity, running squares, moments), each as long as it. */
  readonly slots: number;
  /** True for adamw: weight decay shrinks W before the rule instead of entering the gradient. */
  readonly decoupledWeightDecay: boolean;
  /**
   * One update of theta[0..n) from g[0..n); `state` holds `slots` arrays of at least n values, and
   * `numbers` the step's [η, t] (in an array, so that no number is boxed on its way here).
   */
  step(theta: Float64Array, g: Float64Array, state: readonly Float64Array[], n: number, numbers: StepNumbers, spec: OptimizerSpec): void;
}

/** [η, t]: the step's learning rate and the number of updates so far, this one included. */
export type StepNumbers = Float64Array;

type Fields<N extends OptimizerName> = Extract<OptimizerSpec, { name: N }>;

const sgd: Optimizer = {
  name: 'sgd',
  formula: 'θ ← θ − η·g',
  defaults: {},
  slots: 0,
  decoupledWeightDecay: false,
  step(theta, g, _state, n, numbers) {
    const lr = numbers[0];
    for (let i = 0; i < n; i++) theta[i] -= lr * g[i];
  },
};

const momentum: Optimizer = {
  name: 'momentum',
  formula: 'v ← β·v + g; θ ← θ − η·v',
  defaults: { beta: 0.9 },
  slots: 1,
  decoupledWeightDecay: false,
  step(theta, g, state, n, numbers, spec) {
    const lr = numbers[0];
    const v = state[0];
    const { beta } = spec as Fields<'momentum'>;
    for (let i = 0; i < n; i++) {
      const vi = beta * v[i] + g[i];
      v[i] = vi;
      theta[i] -= lr * vi;
    }
  },
};

const nesterov: Optimizer = {
  name: 'nesterov',
  formula: 'v ← β·v + g; θ ← θ − η·(g + β·v)',
  defaults: { beta: 0.9 },
  slots: 1,
  decoupledWeightDecay: false,
  step(theta, g, state, n, numbers, spec) {
    const lr = numbers[0];
    const v = state[0];
    const { beta } = spec as Fields<'nesterov'>;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const vi = beta * v[i] + gi;
      v[i] = vi;
      theta[i] -= lr * (gi + beta * vi);
    }
  },
};

const rmsprop: Optimizer = {
  name: 'rmsprop',
  formula: 's ← ρ·s + (1−ρ)·g²; θ ← θ − η·g / (√s + ε)',
  defaults: { rho: 0.99, epsilon: 1e-8 },
  slots: 1,
  decoupledWeightDecay: false,
  step(theta, g, state, n, numbers, spec) {
    const lr = numbers[0];
    const s = state[0];
    const { rho, epsilon } = spec as Fields<'rmsprop'>;
    const keep = 1 - rho;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = rho * s[i] + keep * (gi * gi);
      s[i] = si;
      theta[i] -= (lr * gi) / (Math.sqrt(si) + epsilon);
    }
  },
};

const adagrad: Optimizer = {
  name: 'adagrad',
  formula: 's ← s + g²; θ ← θ − η·g / (√s + ε)',
  defaults: { epsilon: 1e-10 },
  slots: 1,
  decoupledWeightDecay: false,
  step(theta, g, state, n, numbers, spec) {
    const lr = numbers[0];
    const s = state[0];
    const { epsilon } = spec as Fields<'adagrad'>;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const si = s[i] + gi * gi;
      s[i] = si;
      theta[i] -= (lr * gi) / (Math.sqrt(si) + epsilon);
    }
  },
};

function adamStep(theta: Float64Array, g: Float64Array, state: readonly Float64Array[], n: number, numbers: StepNumbers, spec: OptimizerSpec): void {
  const lr = numbers[0];
  const t = numbers[1];
  const m = state[0];
  const v = state[1];
  const { beta1, beta2, epsilon } = spec as Fields<'adam'>;
  const correction1 = 1 - beta1 ** t;
  const correction2 = 1 - beta2 ** t;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + keep1 * gi;
    const vi = beta2 * v[i] + keep2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    theta[i] -= (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
  }
}

const adam: Optimizer = {
  name: 'adam',
  formula: 'm ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; m̂ = m/(1−β1ᵗ); v̂ = v/(1−β2ᵗ); θ ← θ − η·m̂ / (√v̂ + ε)',
  defaults: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  slots: 2,
  decoupledWeightDecay: false,
  step: adamStep,
};

const adamw: Optimizer = {
  name: 'adamw',
  formula: 'W ← W·(1 − η·λ), then adam',
  defaults: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  slots: 2,
  decoupledWeightDecay: true,
  step: adamStep,
};

export const optimizers: Readonly<Record<OptimizerName, Optimizer>> = Object.freeze({
  sgd,
  momentum,
  nesterov,
  rmsprop,
  adagrad,
  adam,
  adamw,
});

export const optimizerNames = Object.keys(optimizers) as OptimizerName[];

/** Every hyperparameter of any optimizer, each once. */
export const optimizerFields: readonly OptimizerField[] = [...new Set(optimizerNames.flatMap((name) => Object.keys(optimizers[name].defaults)))] as OptimizerField[];

export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === 'string' && Object.hasOwn(optimizers, name);
}

/** The optimizer when nothing is said: plain gradient descent. */
export const DEFAULT_OPTIMIZER: OptimizerSpec = Object.freeze({ name: 'sgd' });

/**
 * The full spec of an optimizer setting (undefined: sgd): its defaults with the written fields on
 * top. Throws a ModelSpecError at `path` (or at the field inside it) for an unknown name, a field
 * the optimizer does not take, or a value outside its range.
 */
export function resolveOptimizer(setting: OptimizerSetting | undefined, path = 'train.optimizer'): OptimizerSpec {
  if (setting === undefined) return DEFAULT_OPTIMIZER;
  const written: Record<string, unknown> = typeof setting === 'string' ? { name: setting } : { ...setting };
  const name = written.name;
  if (!isOptimizerName(name)) {
    const at = typeof setting === 'string' ? path : `${path}.name`;
    throw new ModelSpecError(at, `unknown optimizer ${JSON.stringify(name)}; expected one of ${optimizerNames.join(', ')}`);
  }
  const defaults = optimizers[name].defaults;
  for (const key of Object.keys(written)) {
    if (key !== 'name' && !Object.hasOwn(defaults, key)) {
      const takes = Object.keys(defaults);
      throw new ModelSpecError(`${path}.${key}`, `${name} takes no ${key}; ${takes.length > 0 ? `its settings are ${takes.join(', ')}` : 'it has no settings'}`);
    }
  }
  const spec: Record<string, unknown> = { name };
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = written[key] ?? fallback;
    const range = OPTIMIZER_FIELD_RANGES[key as OptimizerField];
    if (typeof value !== 'number' || !range.ok(value)) {
      throw new ModelSpecError(`${path}.${key}`, `expected ${range.text}, got ${JSON.stringify(value)}`);
    }
    spec[key] = value;
  }
  return spec as OptimizerSpec;
}

/** The allowed range of each hyperparameter (the schema states the same). */
export const OPTIMIZER_FIELD_RANGES: Readonly<Record<OptimizerField, { text: string; ok: (v: number) => boolean }>> = {
  beta: { text: 'a number in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  rho: { text: 'a number in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  beta1: { text: 'a number in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  beta2: { text: 'a number in [0, 1)', ok: (v) => v >= 0 && v < 1 },
  epsilon: { text: 'a number in (0, 1]', ok: (v) => v > 0 && v <= 1 },
};
