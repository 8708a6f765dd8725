// Regularisation, on the weights W only, never on the biases. Both penalties change the step, not
// the recorded cost, which stays the data loss so that runs with and without them compare.
//
//   weight_decay λ:  g_W ← g_W + λ·W, before the optimizer's rule; for adamw instead
//                    W ← W·(1 − η·λ) just before its rule (decoupled weight decay)
//   l1 λ1:           g_W ← g_W + λ1·sign(W), sign(0) = 0
//
// As terms of an objective they are (λ/2)·ΣW² and λ1·Σ|W|: the gradient check differentiates those.
// A penalty of 0 touches nothing (0·W would turn an infinite weight into NaN).

export interface Penalties {
  /** λ of weight_decay. */
  weightDecay: number;
  /** λ1 of l1. */
  l1: number;
}

export const NO_PENALTIES: Readonly<Penalties> = Object.freeze({ weightDecay: 0, l1: 0 });

/** g ← g + λ·W + λ1·sign(W) over n weights (λ is 0 for a decoupled decay). */
export function addPenaltyGradients(w: Float64Array, g: Float64Array, n: number, weightDecay: number, l1: number): void {
  if (weightDecay !== 0) for (let i = 0; i < n; i++) g[i] += weightDecay * w[i];
  if (l1 !== 0) for (let i = 0; i < n; i++) g[i] += l1 * Math.sign(w[i]);
}

/** Decoupled weight decay (adamw): W ← W·(1 − η·λ). */
export function decayWeights(w: Float64Array, n: number, lr: number, weightDecay: number): void {
  if (weightDecay === 0) return;
  const keep = 1 - lr * weightDecay;
  for (let i = 0; i < n; i++) w[i] *= keep;
}

/** (λ/2)·ΣW² + λ1·Σ|W|: the objective term whose gradient addPenaltyGradients adds. */
export function penaltyValue(w: Float64Array, n: number, weightDecay: number, l1: number): number {
  let squares = 0;
  let absolute = 0;
  for (let i = 0; i < n; i++) {
    squares += w[i] * w[i];
    absolute += Math.abs(w[i]);
  }
  return (weightDecay / 2) * squares + l1 * absolute;
}
