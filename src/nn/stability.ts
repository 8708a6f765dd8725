// The stability threshold of an optimizer: the sharpness (top Hessian eigenvalue, sharpness.ts)
// above which its steps grow instead of shrink on a quadratic of that curvature. On f = λx²/2:
//   gradient descent, x ← x − ηλx:                       stable while λ < 2/η
//   heavy-ball momentum (v ← βv + g; θ ← θ − ηv):        x_{t+1} = (1 + β − ηλ)x_t − βx_{t−1},
//                                                        stable while λ < 2(1 + β)/η
//   Nesterov (v ← βv + g; θ ← θ − η(g + βv)):            x_{t+1} = (1 − ηλ)((1 + β)x_t − βx_{t−1}),
//                                                        stable while λ < 2(1 + β)/((1 + 2β)η)
// (the momentum bounds are where a root of the recurrence's characteristic polynomial reaches −1).
// Adaptive optimizers scale each parameter's step by a running size of its own gradients, so what
// decides their stability is the Hessian seen through that scaling, not λmax: they get no line.
// A new optimizer gets its rule here; anything unknown gets none, with the reason.

/** An optimizer as an experiment names it: a name, or `{ name, ...fields }`; absent means sgd. */
export type OptimizerSetting = string | { readonly name: string; readonly beta?: number } | undefined;

export interface StabilityThreshold {
  /** The threshold at the given learning rate, or null when the optimizer has none. */
  value: number | null;
  /** The formula, e.g. "2/η", or why there is no threshold. */
  formula: string;
}

/** The momentum coefficient β when an experiment leaves it out. */
export const DEFAULT_MOMENTUM_BETA = 0.9;

const ADAPTIVE = new Set(['rmsprop', 'adagrad', 'adam', 'adamw']);

export function stabilityThreshold(optimizer: OptimizerSetting, learningRate: number): StabilityThreshold {
  const name = optimizer === undefined ? 'sgd' : typeof optimizer === 'string' ? optimizer : optimizer.name;
  const beta = typeof optimizer === 'object' && typeof optimizer.beta === 'number' ? optimizer.beta : DEFAULT_MOMENTUM_BETA;
  const eta = learningRate;
  switch (name) {
    case 'sgd':
      return { value: 2 / eta, formula: '2/η' };
    case 'momentum':
      return { value: (2 * (1 + beta)) / eta, formula: `2(1+β)/η with β = ${beta}` };
    case 'nesterov':
      return { value: (2 * (1 + beta)) / ((1 + 2 * beta) * eta), formula: `2(1+β)/((1+2β)η) with β = ${beta}` };
    default:
      return {
        value: null,
        formula: ADAPTIVE.has(name)
          ? `none for ${name}: it scales every parameter's step by the size of that parameter's recent gradients, so its stability depends on the Hessian seen through that scaling, not on the sharpness alone`
          : `none known for optimizer ${name}`,
      };
  }
}
