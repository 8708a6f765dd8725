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

/**
 * [λ in the gradient (0 for adamw's decoupled decay), λ1]: the numbers addPenaltyGradients uses,
 * in an array because a double handed to a function V8 does not inline is boxed at every call.
 */
export type GradientPenalties = Float64Array;

export function gradientPenalties(weightDecayInGradient: number, l1: number): GradientPenalties {
  return Float64Array.of(weightDecayInGradient, l1);
}

/** g ← g + λ·W + λ1·sign(W) over n weights. */
export function addPenaltyGradients(w: Float64Array, g: Float64Array, n: number, penalties: GradientPenalties): void {
  const weightDecay = penalties[0];
  const l1 = penalties[1];
  if (weightDecay !== 0) for (let i = 0; i < n; i++) g[i] += weightDecay * w[i];
  if (l1 !== 0) for (let i = 0; i < n; i++) g[i] += l1 * Math.sign(w[i]);
}

/** Decoupled weight decay (adamw): W ← W·(1 − η·λ), with [η, t, λ] in `numbers` (updater.ts). */
export function decayWeights(w: Float64Array, n: number, numbers: Float64Array): void {
  const weightDecay = numbers[2];
  if (weightDecay === 0) return;
  const keep = 1 - numbers[0] * weightDecay;
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
