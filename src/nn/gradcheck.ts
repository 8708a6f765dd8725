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

import type { TrainSpec } from './spec.js';
import { ModelSpecError } from './errors.js';
import type { Matrix } from './matrix.js';
import { buildNetwork } from './network.js';

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
  /** Worst relative error over every parameter of the network. */
  maxRelativeError: number;
  epsilon: number;
  floor: number;
}

export function gradientCheck(
  spec: Pick<TrainSpec, 'seed' | 'model' | 'loss'>,
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
  const ws = net.workspace(x.cols, x);
  net.forward(ws);
  net.backward(ws, y);

  const costAt = (values: Float64Array, i: number, value: number): number => {
    values[i] = value;
    net.forward(ws);
    return net.cost(ws, y);
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
    return { modelIndex: net.linearPositions[i], weights: check(layer.W.data, dW), bias: check(layer.b.data, db) };
  });
  const maxRelativeError = layers.reduce(
    (worst, l) => Math.max(worst, l.weights.maxRelativeError, l.bias.maxRelativeError),
    0,
  );
  return { layers, maxRelativeError, epsilon: h, floor };
}
