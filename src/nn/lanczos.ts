// The largest algebraic eigenvalue (not the largest in magnitude) of a symmetric operator, and its
// eigenvector, by the Lanczos method with full reorthogonalisation.
//
// From a start vector q0, Lanczos builds an orthonormal basis q0, q1, ... of the Krylov space
// span{q0, Hq0, H²q0, ...} in which H is tridiagonal, T (alpha on the diagonal, beta beside it).
// The largest eigenvalue of T after j steps (the top Ritz value) rises towards the largest
// eigenvalue of H and reaches it at the latest when the space is the whole space; each step costs
// one product H·v. Every new basis vector is orthogonalised against all earlier ones (twice), so
// rounding cannot bring back copies of eigenvalues already found; this keeps the whole basis in
// memory: (iterations + 1) x size numbers, allocated once.
//
// Stops when the top Ritz value changes by at most `tolerance` relative to itself from one step to
// the next, when the Krylov space stops growing (beta ~ 0: the space holds an exact eigenvector),
// or after `maxIterations` steps. The top eigenvalue of T comes from Sturm-sequence bisection,
// its eigenvector from inverse iteration; the result's eigenvector (the Ritz vector) is what the
// next computation can start from. Every step is a fixed sequence of operations: the same inputs
// give the same bits.

import type { SymmetricOperator } from './hessian-vector.js';

export interface TopEigenResult {
  /** The top Ritz value: the largest algebraic eigenvalue found (NaN when H·v was not finite). */
  value: number;
  /** Products H·v computed. */
  iterations: number;
  /** False when maxIterations ran out before the relative change fell below the tolerance. */
  converged: boolean;
}

/** Relative size of beta, against the largest entry of T so far, below which the space stops growing. */
const BREAKDOWN = 1e-12;

export class LanczosTopEigen {
  readonly size: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  /** The unit eigenvector of the last run's top Ritz value (all zeros before the first run). */
  readonly vector: Float64Array;
  /** Row j: basis vector q_j. */
  private readonly basis: Float64Array;
  /** Views of the rows of `basis`, made once (a view per step would allocate). */
  private readonly rows: Float64Array[];
  private readonly w: Float64Array;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  // Tridiagonal work space for inverse iteration (LAPACK's dgttrf / dgtts2 layout).
  private readonly dl: Float64Array;
  private readonly d: Float64Array;
  private readonly du: Float64Array;
  private readonly du2: Float64Array;
  private readonly pivot: Uint8Array;
  private readonly s: Float64Array;

  constructor(size: number, maxIterations: number, tolerance: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a whole number >= 1, got ${size}`);
    if (!Number.isInteger(maxIterations) || maxIterations < 1) {
      throw new RangeError(`maxIterations must be a whole number >= 1, got ${maxIterations}`);
    }
    if (!(tolerance >= 0)) throw new RangeError(`tolerance must be >= 0, got ${tolerance}`);
    this.size = size;
    // A Krylov space has at most `size` dimensions.
    this.maxIterations = Math.min(maxIterations, size);
    this.tolerance = tolerance;
    const k = this.maxIterations;
    this.vector = new Float64Array(size);
    this.basis = new Float64Array(k * size);
    this.rows = Array.from({ length: k }, (_, j) => this.basis.subarray(j * size, (j + 1) * size));
    this.w = new Float64Array(size);
    this.alpha = new Float64Array(k);
    this.beta = new Float64Array(k);
    this.dl = new Float64Array(k);
    this.d = new Float64Array(k);
    this.du = new Float64Array(k);
    this.du2 = new Float64Array(k);
    this.pivot = new Uint8Array(k);
    this.s = new Float64Array(k);
  }

  /** The top eigenvalue of `op`, starting from `start` (any non-zero vector; not modified). */
  run(op: SymmetricOperator, start: Float64Array): TopEigenResult {
    const n = this.size;
    if (op.size !== n || start.length !== n) throw new RangeError(`expected vectors of ${n} values`);
    const Q = this.basis;
    const w = this.w;
    const alpha = this.alpha;
    const beta = this.beta;
    const k = this.maxIterations;

    const startNorm = Math.sqrt(dot(start, 0, start, 0, n));
    if (!(startNorm > 0 && startNorm < Infinity)) throw new RangeError('the start vector must be finite and non-zero');
    for (let i = 0; i < n; i++) Q[i] = start[i] / startNorm;

    let theta = NaN;
    let previous = NaN;
    let scale = 0;
    let steps = 0;
    let converged = false;
    for (let j = 0; j < k; j++) {
      const qj = j * n;
      op.apply(this.rows[j], w);
      const a = dot(Q, qj, w, 0, n);
      alpha[j] = a;
      axpy(-a, Q, qj, w, n);
      if (j > 0) axpy(-beta[j - 1], Q, qj - n, w, n);
      // Twice is enough (Kahan, Parlett): after two passes w is orthogonal to the basis to rounding.
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) axpy(-dot(Q, i * n, w, 0, n), Q, i * n, w, n);
      }
      const b = Math.sqrt(dot(w, 0, w, 0, n));
      beta[j] = b;
      steps = j + 1;
      theta = topEigenvalue(alpha, beta, steps);
      if (!Number.isFinite(theta) || !Number.isFinite(b)) {
        theta = NaN;
        break;
      }
      scale = Math.max(scale, Math.abs(a), b);
      if (j > 0 && Math.abs(theta - previous) <= this.tolerance * Math.abs(theta)) {
        converged = true;
        break;
      }
      // The space holds an exact eigenvector (or is the whole space): theta is final.
      if (b <= BREAKDOWN * scale || steps === n) {
        converged = true;
        break;
      }
      if (steps === k) break;
      previous = theta;
      const next = steps * n;
      for (let i = 0; i < n; i++) Q[next + i] = w[i] / b;
    }

    const v = this.vector;
    if (Number.isNaN(theta)) {
      v.fill(0);
      return { value: NaN, iterations: steps, converged: false };
    }
    this.tridiagonalEigenvector(theta, steps);
    const s = this.s;
    v.fill(0);
    for (let i = 0; i < steps; i++) axpy(s[i], Q, i * n, v, n);
    const norm = Math.sqrt(dot(v, 0, v, 0, n));
    for (let i = 0; i < n; i++) v[i] /= norm;
    return { value: theta, iterations: steps, converged };
  }

  /**
   * The unit eigenvector of T (the first `size` rows) for its eigenvalue `theta`, into `s`, by two
   * steps of inverse iteration: solving (T - theta I) x = b with Gaussian elimination with partial
   * pivoting (as LAPACK's dgttrf, dgtts2); a zero pivot is replaced by a tiny one.
   */
  private tridiagonalEigenvector(theta: number, size: number): void {
    const s = this.s;
    if (size === 1) {
      s[0] = 1;
      return;
    }
    const { alpha, beta, dl, d, du, du2, pivot } = this;
    let norm = 0;
    for (let i = 0; i < size; i++) {
      d[i] = alpha[i] - theta;
      norm = Math.max(norm, Math.abs(alpha[i]) + (i > 0 ? beta[i - 1] : 0) + (i < size - 1 ? beta[i] : 0));
    }
    for (let i = 0; i < size - 1; i++) {
      dl[i] = beta[i];
      du[i] = beta[i];
      du2[i] = 0;
    }
    for (let i = 0; i < size - 1; i++) {
      if (Math.abs(d[i]) >= Math.abs(dl[i])) {
        pivot[i] = 0;
        if (d[i] !== 0) {
          const fact = dl[i] / d[i];
          dl[i] = fact;
          d[i + 1] -= fact * du[i];
        }
      } else {
        pivot[i] = 1;
        const fact = d[i] / dl[i];
        d[i] = dl[i];
        dl[i] = fact;
        const temp = du[i];
        du[i] = d[i + 1];
        d[i + 1] = temp - fact * d[i + 1];
        if (i < size - 2) {
          du2[i] = du[i + 1];
          du[i + 1] = -fact * du[i + 1];
        }
      }
    }
    const tiny = Number.EPSILON * Math.max(norm, Number.MIN_VALUE);
    for (let i = 0; i < size; i++) if (Math.abs(d[i]) < tiny) d[i] = d[i] < 0 ? -tiny : tiny;

    for (let i = 0; i < size; i++) s[i] = 1;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < size - 1; i++) {
        if (pivot[i] === 0) s[i + 1] -= dl[i] * s[i];
        else {
          const temp = s[i];
          s[i] = s[i + 1];
          s[i + 1] = temp - dl[i] * s[i];
        }
      }
      s[size - 1] /= d[size - 1];
      s[size - 2] = (s[size - 2] - du[size - 2] * s[size - 1]) / d[size - 2];
      for (let i = size - 3; i >= 0; i--) s[i] = (s[i] - du[i] * s[i + 1] - du2[i] * s[i + 2]) / d[i];
      let largest = 0;
      for (let i = 0; i < size; i++) largest = Math.max(largest, Math.abs(s[i]));
      let sum = 0;
      for (let i = 0; i < size; i++) {
        s[i] /= largest;
        sum += s[i] * s[i];
      }
      const length = Math.sqrt(sum);
      for (let i = 0; i < size; i++) s[i] /= length;
    }
  }
}

/**
 * The largest eigenvalue of the symmetric tridiagonal matrix with diagonal alpha[0..size) and
 * off-diagonal beta[0..size-1), by bisection on the Sturm count (how many eigenvalues lie below x)
 * inside the Gershgorin bounds, to full double precision.
 */
export function topEigenvalue(alpha: Float64Array, beta: Float64Array, size: number): number {
  let low = Infinity;
  let high = -Infinity;
  let largestBeta2 = 0;
  for (let i = 0; i < size; i++) {
    const radius = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < size - 1 ? Math.abs(beta[i]) : 0);
    low = Math.min(low, alpha[i] - radius);
    high = Math.max(high, alpha[i] + radius);
    if (i < size - 1) largestBeta2 = Math.max(largestBeta2, beta[i] * beta[i]);
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return NaN;
  // LAPACK's pivmin: keeps the recurrence away from division by zero.
  const pivmin = Number.MIN_VALUE * Math.max(1, largestBeta2) * 1e10;
  for (let round = 0; round < 2100 && high - low > 2 * Number.EPSILON * Math.max(Math.abs(low), Math.abs(high)); round++) {
    const mid = low + (high - low) / 2;
    if (mid <= low || mid >= high) break;
    if (countBelow(alpha, beta, size, mid, pivmin) === size) high = mid;
    else low = mid;
  }
  return low + (high - low) / 2;
}

/** The number of eigenvalues below x (negative pivots of the LDLᵀ factorisation of T - xI). */
function countBelow(alpha: Float64Array, beta: Float64Array, size: number, x: number, pivmin: number): number {
  let count = 0;
  let d = alpha[0] - x;
  if (Math.abs(d) < pivmin) d = -pivmin;
  if (d < 0) count++;
  for (let i = 1; i < size; i++) {
    d = alpha[i] - x - (beta[i - 1] * beta[i - 1]) / d;
    if (Math.abs(d) < pivmin) d = -pivmin;
    if (d < 0) count++;
  }
  return count;
}

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[xo + i] * y[yo + i];
  return s;
}

/** y += a * x[xo .. xo + n). */
function axpy(a: number, x: Float64Array, xo: number, y: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] += a * x[xo + i];
}
