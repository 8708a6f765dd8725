// Gradient check: compares the backpropagated gradient of every weight and bias with a numerical
// derivative of the cost, at the initial weights of `spec` on the given data (full batch).
//
// The numerical derivative is the fourth-order central difference
//   f'(p) ~ (8 (f(p+h) - f(p-h)) - (f(p+2h) - f(p-2h))) / (12 h),
// whose truncation error shrinks as h^4, so a fairly large step (h = 1e-3 by default) keeps both
// truncation and rounding error near 1e-12 for costs of order 1, where the plain two-point
// difference bottoms out near 1e-10. Step sizes must not carry an input of relu / leaky_relu (or a
// bce_keras output) across its kink: the check is only meaningful away from those points.
//
// Relative error per parameter: |analytic - numeric| / max(|analytic|, |numeric|, floor). The floor
// (default 1e-6) keeps parameters whose gradient is essentially zero from dividing rounding noise
// by a tiny number; the worst absolute difference is reported beside it.
//
// With penalties (train.weight_decay, train.l1) the checked objective is the cost plus
// (λ/2)·ΣW² + λ1·Σ|W| over every weight matrix, and the analytic gradient is backpropagation's plus
// the penalties' gradients exactly as the training step adds them (penalties.ts); adamw's decay is
// no gradient (it shrinks W directly), so with adamw only l1 enters. The l1 term has a kink at 0:
// weights within 2h of 0 would make the difference quotient meaningless there.

import type { TrainSpec } from './spec.js';
import { ModelSpecError } from './errors.js';
import type { Matrix } from './matrix.js';
import { buildNetwork } from './network.js';
import { optimizers, resolveOptimizer } from './optimizers.js';
import { addPenaltyGradients, gradientPenalties, penaltyValue } from './penalties.js';

export interface GradientCheckOptions {
  /** Finite-difference step h; default 1e-3. */
  epsilon?: number;
  /** Denominator floor of the relative error; default 1e-6. */
  floor?: number;
}

export interface ParameterCheck {
  /** Worst relative error over the parameters of this kind in the layer. */
  maxRelativeError: number;
  /** Worst absolute difference between analytic and numerical gradient. */
  maxAbsoluteError: number;
}

export interface LayerGradientCheck {
  /** Position of the Linear node in `model`. */
  modelIndex: number;
  weights: ParameterCheck;
  bias: ParameterCheck;
}

export interface GradientCheckResult {
  layers: LayerGradientCheck[];
  /** What the checked gradient is made of: the loss (and the node it is fused with) and each penalty. */
  pieces: string[];
  /** Worst relative error over every parameter of the network. */
  maxRelativeError: number;
  epsilon: number;
  floor: number;
}

/** The spec's model and loss, and with `train` its penalties (weight_decay unless adamw, l1). */
export type GradientCheckSpec = Pick<TrainSpec, 'seed' | 'model' | 'loss'> & {
  train?: Pick<TrainSpec['train'], 'optimizer' | 'weight_decay' | 'l1'>;
};

export function gradientCheck(
  spec: GradientCheckSpec,
  data: { x: Matrix; y: Matrix },
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const h = options.epsilon ?? 1e-3;
  const floor = options.floor ?? 1e-6;
  if (!(h > 0) || !(floor > 0)) throw new RangeError('epsilon and floor must be positive');
  const { x, y } = data;
  const net = buildNetwork(spec, x.rows);
  if (y.rows !== net.nOutputs || y.cols !== x.cols) {
    throw new ModelSpecError(
      'dataset',
      `targets are ${y.rows} x ${y.cols}, the model needs ${net.nOutputs} x ${x.cols}`,
    );
  }
  const decoupled = optimizers[resolveOptimizer(spec.train?.optimizer).name].decoupledWeightDecay;
  const weightDecay = decoupled ? 0 : (spec.train?.weight_decay ?? 0);
  const l1 = spec.train?.l1 ?? 0;
  const ws = net.workspace(x.cols, x);
  net.forward(ws);
  net.backward(ws, y);

  const penalties = (): number => {
    let total = 0;
    for (const layer of net.linears) total += penaltyValue(layer.W.data, layer.W.data.length, weightDecay, l1);
    return total;
  };
  const penalised = weightDecay !== 0 || l1 !== 0;
  const costAt = (values: Float64Array, i: number, value: number): number => {
    values[i] = value;
    net.forward(ws);
    return penalised ? net.cost(ws, y) + penalties() : net.cost(ws, y);
  };
  const check = (values: Float64Array, analytic: Float64Array): ParameterCheck => {
    let maxRelativeError = 0;
    let maxAbsoluteError = 0;
    for (let i = 0; i < values.length; i++) {
      const p = values[i];
      const near = costAt(values, i, p + h) - costAt(values, i, p - h);
      const far = costAt(values, i, p + 2 * h) - costAt(values, i, p - 2 * h);
      values[i] = p;
      const numeric = (8 * near - far) / (12 * h);
      const diff = Math.abs(analytic[i] - numeric);
      const scale = Math.max(Math.abs(analytic[i]), Math.abs(numeric), floor);
      // NaN compares false: keep it visible instead of silently reporting 0.
      maxAbsoluteError = diff > maxAbsoluteError || Number.isNaN(diff) ? diff : maxAbsoluteError;
      const rel = diff / scale;
      maxRelativeError = rel > maxRelativeError || Number.isNaN(rel) ? rel : maxRelativeError;
    }
    return { maxRelativeError, maxAbsoluteError };
  };

  const layers = net.linears.map((layer, i) => {
    // Copies: the probing forward passes leave the analytic gradients alone, but be explicit.
    const dW = layer.dW.data.slice();
    const db = layer.db.data.slice();
    addPenaltyGradients(layer.W.data, dW, dW.length, gradientPenalties(weightDecay, l1));
    return { modelIndex: net.linearPositions[i], weights: check(layer.W.data, dW), bias: check(layer.b.data, db) };
  });
  const maxRelativeError = layers.reduce(
    (worst, l) => Math.max(worst, l.weights.maxRelativeError, l.bias.maxRelativeError),
    0,
  );
  const fused = net.loss.fusedWith === null ? '' : ` fused with the final ${net.loss.fusedWith}`;
  const pieces = [`loss ${net.loss.name}${fused}`];
  if (weightDecay !== 0) pieces.push(`weight decay ${weightDecay} (gradient λ·W)`);
  if (l1 !== 0) pieces.push(`l1 ${l1} (gradient λ1·sign(W))`);
  if (decoupled && (spec.train?.weight_decay ?? 0) !== 0) pieces.push('adamw decay not checked: it shrinks W directly, it is no gradient');
  return { layers, pieces, maxRelativeError, epsilon: h, floor };
}
