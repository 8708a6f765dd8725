// Cost nodes, keyed by the names used in YAML. A loss sees the last two buffers of the forward pass:
// `z`, the input of the final node, and `a`, the network's output; `m` is the number of examples
// (columns) and `n` the number of entries (rows x m). Costs are averaged over examples.
//
// - squared_error: cost = (1/(2m)) sum (Y - A)^2; it writes dA = -(1/m)(Y - A), the gradient with
//   respect to the output, and backpropagation continues through every node, the final one included.
// - bce: stable binary cross-entropy on the logits Z (the input of the final sigmoid):
//   cost = (1/m) sum(max(Z,0) - Z*Y + log(1 + exp(-|Z|))), and dZ = (1/m)(1/(1 + exp(-Z)) - Y) is
//   written directly as the gradient with respect to Z: the final sigmoid's own backward is skipped.
//   1/(1 + exp(-Z)) is exactly the A the sigmoid node computed, so A is used.
// - bce_keras: what Keras' binary_crossentropy does with probabilities (from_logits=False):
//   P = clip(A, 1e-7, 1 - 1e-7), logits L = log(P / (1 - P)), then the bce cost on L.
//   Its gradient with respect to Z, by the chain rule, is
//     (1/m)(sigmoid(L) - Y) * dL/dP * dP/dA * dA/dZ = (1/m)(P - Y) * 1/(P(1-P)) * [band] * A(1-A),
//   where [band] is 1 when 1e-7 <= A <= 1 - 1e-7 and 0 outside (the clip passes no gradient there,
//   as TensorFlow's clip_by_value; at the bounds themselves it passes it). Inside the band P = A, so
//   the factors cancel to dZ = (1/m)(A - Y) * [band]. A saturated output therefore stops learning,
//   while its cost stays at the clipped floor (about 1e-7 per example): the Keras plateau.
//
// rGradient is the R-operator of `gradient` (see activations.ts and hessian-vector.ts): the
// derivative of the written gradient along a direction v in parameter space, given R{a}, the
// derivative of the network's output along v. All three gradients are (1/m)(A - Y) up to a factor
// that is constant almost everywhere, so all three R-gradients are (1/m) R{A} times that factor:
//   squared_error: R{dA} = (1/m) R{A}
//   bce:           R{dZ} = (1/m) R{A}, where R{A} = A(1 - A) R{Z} is the final sigmoid's R-forward
//   bce_keras:     R{dZ} = (1/m) R{A} [band] (the band's edges are single points)
// - cross_entropy: for k classes, on the logits Z (k x m, the input of the final softmax node) and
//   one-hot targets Y: cost = (1/m) sum_i (logsumexp(Z[:, i]) - Z[y_i, i]), with the column maximum
//   taken out of the logsumexp; dZ = (1/m)(P - Y), where P is the softmax the node computed. Fused
//   with the softmax the way bce is with the sigmoid: R{dZ} = (1/m) R{P}, where
//   R{P} = (diag(P) - P Pᵀ) R{Z} per example is the softmax node's R-forward (softmax.ts).

import type { TargetKind } from './targets.js';

/** The names used in YAML; the registry below has one entry for each. */
export type LossName = 'squared_error' | 'bce' | 'bce_keras' | 'cross_entropy';

export interface Loss {
  readonly name: LossName;
  /** The formula, for documentation and reports. */
  readonly formula: string;
  /**
   * The final node whose backward the loss replaces (the model must end with it): the loss works
   * on that node's input, the logits, and its gradient is with respect to `z`, not `a`. Null for a
   * loss on the output itself.
   */
  readonly fusedWith: 'sigmoid' | 'softmax' | null;
  /** The targets it can learn from (targets.ts); other targets are refused before training. */
  readonly targets: TargetKind;
  cost(z: Float64Array, a: Float64Array, y: Float64Array, n: number, m: number): number;
  /** Writes the gradient of the cost (w.r.t. `a`, or w.r.t. `z` when fused) into `out`. */
  gradient(z: Float64Array, a: Float64Array, y: Float64Array, out: Float64Array, n: number, m: number): void;
  /** The R-operator of `gradient`: writes its derivative along a direction, from R{a}, into `out`. */
  rGradient(a: Float64Array, ra: Float64Array, out: Float64Array, n: number, m: number): void;
}

/** Keras' epsilon: the clip band of bce_keras is [KERAS_EPSILON, 1 - KERAS_EPSILON]. */
export const KERAS_EPSILON = 1e-7;
const KERAS_LOW = KERAS_EPSILON;
const KERAS_HIGH = 1 - KERAS_EPSILON;

const squaredError: Loss = {
  name: 'squared_error',
  formula: '(1/(2m)) * sum((Y - A)^2)',
  fusedWith: null,
  targets: 'real',
  cost(_z, a, y, n, m) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = y[i] - a[i];
      s += d * d;
    }
    return (1 / (2 * m)) * s;
  },
  gradient(_z, a, y, out, n, m) {
    const c = -1 / m;
    for (let i = 0; i < n; i++) out[i] = c * (y[i] - a[i]);
  },
  rGradient(_a, ra, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) out[i] = c * ra[i];
  },
};

const bce: Loss = {
  name: 'bce',
  formula: '(1/m) * sum(max(Z,0) - Z*Y + log(1 + exp(-|Z|)))  on the logits of the final sigmoid',
  fusedWith: 'sigmoid',
  targets: 'binary',
  cost(z, _a, y, n, m) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      s += Math.max(zi, 0) - zi * y[i] + Math.log(1 + Math.exp(-Math.abs(zi)));
    }
    return (1 / m) * s;
  },
  gradient(_z, a, y, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) out[i] = c * (a[i] - y[i]);
  },
  rGradient(_a, ra, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) out[i] = c * ra[i];
  },
};

const bceKeras: Loss = {
  name: 'bce_keras',
  formula: 'bce on log(P/(1-P)), P = clip(A, 1e-7, 1 - 1e-7)',
  fusedWith: 'sigmoid',
  targets: 'binary',
  cost(_z, a, y, n, m) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const p = Math.min(Math.max(a[i], KERAS_LOW), KERAS_HIGH);
      const l = Math.log(p / (1 - p));
      s += Math.max(l, 0) - l * y[i] + Math.log(1 + Math.exp(-Math.abs(l)));
    }
    return (1 / m) * s;
  },
  gradient(_z, a, y, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      // Multiplying by the 0/1 band mask (rather than branching) keeps NaN visible, like NumPy.
      out[i] = c * (ai - y[i]) * (ai >= KERAS_LOW && ai <= KERAS_HIGH ? 1 : 0);
    }
  },
  rGradient(a, ra, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      out[i] = c * ra[i] * (ai >= KERAS_LOW && ai <= KERAS_HIGH ? 1 : 0);
    }
  },
};

const crossEntropy: Loss = {
  name: 'cross_entropy',
  formula: '(1/m) * sum_i (logsumexp(Z[:, i]) - Z[y_i, i])  on the logits of the final softmax',
  fusedWith: 'softmax',
  targets: 'one-hot',
  cost(z, _a, y, n, m) {
    const k = n / m;
    let s = 0;
    for (let i = 0; i < m; i++) {
      let max = z[i];
      for (let c = 1; c < k; c++) {
        const v = z[c * m + i];
        if (v > max || Number.isNaN(v)) max = v;
      }
      let sum = 0;
      let target = 0;
      for (let c = 0; c < k; c++) {
        const zc = z[c * m + i];
        sum += Math.exp(zc - max);
        if (y[c * m + i] === 1) target = zc;
      }
      s += max + Math.log(sum) - target;
    }
    return (1 / m) * s;
  },
  gradient(_z, a, y, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) out[i] = c * (a[i] - y[i]);
  },
  rGradient(_a, ra, out, n, m) {
    const c = 1 / m;
    for (let i = 0; i < n; i++) out[i] = c * ra[i];
  },
};

export const losses: Readonly<Record<LossName, Loss>> = Object.freeze({
  squared_error: squaredError,
  bce,
  bce_keras: bceKeras,
  cross_entropy: crossEntropy,
});

export const lossNames = Object.keys(losses) as LossName[];

export function isLossName(name: unknown): name is LossName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(losses, name);
}

/** True for a loss over one output per class (cross_entropy): its targets are one-hot classes. */
export function lossNeedsClassTargets(name: unknown): boolean {
  return isLossName(name) && losses[name].fusedWith === 'softmax';
}
