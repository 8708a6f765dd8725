// Activation nodes, keyed by the names used in YAML. Each entry keeps the forward function and its
// local derivative side by side (as TensorFlow Playground's nn.ts does), and next to them the same
// two formulas written as loops over whole buffers: the training loop calls those, so the hot path
// has no per-element function call. A test checks the loops against output/der element by element.
//
// The backward loops compute dZ = dA * der(z, a), with the factors in the order NumPy evaluates the
// blog's expressions (sigmoid: dA * A * (1 - A)), which keeps the results in step with NumPy.
//
// Beside them, the node's two R-operator passes (Pearlmutter 1994), which give exact Hessian-vector
// products (hessian-vector.ts): R{x} is the derivative of x along a direction v in parameter space.
// Differentiating a = f(z) and dZ = dA * f'(z) along v gives
//   R-forward:  R{a}  = f'(z) R{z}
//   R-backward: R{dZ} = R{dA} f'(z) + dA f''(z) R{z},
// with f''(z) = der2(z, a). relu and leaky_relu are piecewise linear: f'' = 0 (their kink is a
// single point, where the backward pass already picks one side).

/** The names used in YAML; the registry below has one entry for each. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'identity';

export interface Activation {
  readonly name: ActivationName;
  /** a = f(z). */
  output(z: number): number;
  /** f'(z), given z and a = f(z) (whichever is cheaper to use). */
  der(z: number, a: number): number;
  /** a[i] = output(z[i]) for i < n. */
  forward(z: Float64Array, a: Float64Array, n: number): void;
  /** dZ[i] = dA[i] * der(z[i], a[i]) for i < n (dZ may alias dA). */
  backward(dA: Float64Array, z: Float64Array, a: Float64Array, dZ: Float64Array, n: number): void;
  /** f''(z), given z and a = f(z). */
  der2(z: number, a: number): number;
  /** R-forward: ra[i] = der(z[i], a[i]) * rz[i] for i < n. */
  rForward(z: Float64Array, a: Float64Array, rz: Float64Array, ra: Float64Array, n: number): void;
  /** R-backward: rdZ[i] = rdA[i] * der(z[i], a[i]) + dA[i] * der2(z[i], a[i]) * rz[i] for i < n. */
  rBackward(
    dA: Float64Array,
    rdA: Float64Array,
    z: Float64Array,
    a: Float64Array,
    rz: Float64Array,
    rdZ: Float64Array,
    n: number,
  ): void;
}

/** Slope of leaky_relu for z <= 0. */
export const LEAKY_RELU_SLOPE = 0.01;

const sigmoid: Activation = {
  name: 'sigmoid',
  // Written exactly as NumPy's 1 / (1 + np.exp(-z)) so the two agree bit for bit.
  output: (z) => 1 / (1 + Math.exp(-z)),
  der: (_z, a) => a * (1 - a),
  forward(z, a, n) {
    for (let i = 0; i < n; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
  },
  backward(dA, _z, a, dZ, n) {
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      dZ[i] = dA[i] * ai * (1 - ai);
    }
  },
  // f'' = a(1 - a)(1 - 2a).
  der2: (_z, a) => a * (1 - a) * (1 - 2 * a),
  rForward(_z, a, rz, ra, n) {
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      ra[i] = ai * (1 - ai) * rz[i];
    }
  },
  rBackward(dA, rdA, _z, a, rz, rdZ, n) {
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      const d = ai * (1 - ai);
      rdZ[i] = rdA[i] * d + dA[i] * d * (1 - 2 * ai) * rz[i];
    }
  },
};

const tanh: Activation = {
  name: 'tanh',
  output: (z) => Math.tanh(z),
  der: (_z, a) => 1 - a * a,
  forward(z, a, n) {
    for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
  },
  backward(dA, _z, a, dZ, n) {
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      dZ[i] = dA[i] * (1 - ai * ai);
    }
  },
  // f'' = -2a(1 - a^2).
  der2: (_z, a) => -2 * a * (1 - a * a),
  rForward(_z, a, rz, ra, n) {
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      ra[i] = (1 - ai * ai) * rz[i];
    }
  },
  rBackward(dA, rdA, _z, a, rz, rdZ, n) {
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      rdZ[i] = (1 - ai * ai) * (rdA[i] - 2 * ai * dA[i] * rz[i]);
    }
  },
};

// relu'(0) = 0. Written so NaN passes through like np.maximum(0, z), and the backward multiplies by
// the 0/1 mask like NumPy's dA * (Z > 0), so NaN or Infinity upstream stays visible.
const relu: Activation = {
  name: 'relu',
  output: (z) => (z <= 0 ? 0 : z),
  der: (z) => (z > 0 ? 1 : 0),
  forward(z, a, n) {
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      a[i] = zi <= 0 ? 0 : zi;
    }
  },
  backward(dA, z, _a, dZ, n) {
    for (let i = 0; i < n; i++) dZ[i] = dA[i] * (z[i] > 0 ? 1 : 0);
  },
  der2: () => 0,
  rForward(z, _a, rz, ra, n) {
    for (let i = 0; i < n; i++) ra[i] = rz[i] * (z[i] > 0 ? 1 : 0);
  },
  rBackward(_dA, rdA, z, _a, _rz, rdZ, n) {
    for (let i = 0; i < n; i++) rdZ[i] = rdA[i] * (z[i] > 0 ? 1 : 0);
  },
};

const leakyRelu: Activation = {
  name: 'leaky_relu',
  output: (z) => (z > 0 ? z : LEAKY_RELU_SLOPE * z),
  der: (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
  forward(z, a, n) {
    for (let i = 0; i < n; i++) {
      const zi = z[i];
      a[i] = zi > 0 ? zi : LEAKY_RELU_SLOPE * zi;
    }
  },
  backward(dA, z, _a, dZ, n) {
    for (let i = 0; i < n; i++) dZ[i] = dA[i] * (z[i] > 0 ? 1 : LEAKY_RELU_SLOPE);
  },
  der2: () => 0,
  rForward(z, _a, rz, ra, n) {
    for (let i = 0; i < n; i++) ra[i] = rz[i] * (z[i] > 0 ? 1 : LEAKY_RELU_SLOPE);
  },
  rBackward(_dA, rdA, z, _a, _rz, rdZ, n) {
    for (let i = 0; i < n; i++) rdZ[i] = rdA[i] * (z[i] > 0 ? 1 : LEAKY_RELU_SLOPE);
  },
};

const identity: Activation = {
  name: 'identity',
  output: (z) => z,
  der: () => 1,
  forward(z, a, n) {
    if (a !== z) for (let i = 0; i < n; i++) a[i] = z[i];
  },
  backward(dA, _z, _a, dZ, n) {
    if (dZ !== dA) for (let i = 0; i < n; i++) dZ[i] = dA[i];
  },
  der2: () => 0,
  rForward(_z, _a, rz, ra, n) {
    if (ra !== rz) for (let i = 0; i < n; i++) ra[i] = rz[i];
  },
  rBackward(_dA, rdA, _z, _a, _rz, rdZ, n) {
    if (rdZ !== rdA) for (let i = 0; i < n; i++) rdZ[i] = rdA[i];
  },
};

export const activations: Readonly<Record<ActivationName, Activation>> = Object.freeze({ sigmoid, tanh, relu, leaky_relu: leakyRelu, identity });

export const activationNames = Object.keys(activations) as ActivationName[];

export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(activations, name);
}
