// Sharpness: the largest algebraic eigenvalue λmax of the Hessian of the data loss over the whole
// training set, with respect to every weight and bias. Gradient descent with step η is stable on a
// quadratic only while λmax < 2/η (stability.ts), which is why training dynamics are read against it.
//
// Exact Hessian-vector products (hessian-vector.ts) feed Lanczos (lanczos.ts). The first
// computation starts from a fixed unit vector (normal draws of NumPy's generator seeded with
// SHARPNESS_START_SEED, the same for every run); every later one starts from the previous top
// eigenvector (a warm start), which moves little between nearby epochs, so Lanczos needs only a few
// steps. A tenth of the fixed vector is added to it: should another direction have become the
// steepest since (eigenvalues can cross), the start still has a part along it for Lanczos to grow;
// from the old eigenvector alone it might only find the old eigenvalue again. After a result that
// is not a number, the next computation starts from the fixed vector alone.

import type { LayerSpec, LossName, SharpnessTracking } from './spec.js';
import { ModelSpecError } from './errors.js';
import { HessianVectorProduct } from './hessian-vector.js';
import { LanczosTopEigen, type TopEigenResult } from './lanczos.js';
import type { Matrix } from './matrix.js';
import { buildNetwork, type LayerParameters, type Network, type Workspace } from './network.js';
import { RandomState } from './rng.js';

/** Seed of the start vector of a run's first sharpness computation. */
export const SHARPNESS_START_SEED = 0;
/** Weight of the fixed start vector in a warm start (both have length 1). */
export const WARM_START_MIX = 0.1;
/** Defaults of `track.sharpness` (the schema fills in the same). */
export const SHARPNESS_DEFAULTS = Object.freeze({ max_iterations: 100, tolerance: 1e-6 });
/** The Lanczos basis (steps x parameters numbers) may take at most this many numbers (512 MB). */
export const MAX_BASIS_NUMBERS = 64 * 1024 * 1024;

export interface SharpnessOptions {
  /** Most Lanczos steps (products H·v) per computation; default 100. */
  maxIterations?: number;
  /** Stop when the estimate changes by at most this, relative, from one step to the next; default 1e-6. */
  tolerance?: number;
}

/** The options of a `track.sharpness` setting, defaults filled in. */
export function sharpnessOptions(tracking: Partial<SharpnessTracking>): Required<SharpnessOptions> {
  return {
    maxIterations: tracking.max_iterations ?? SHARPNESS_DEFAULTS.max_iterations,
    tolerance: tracking.tolerance ?? SHARPNESS_DEFAULTS.tolerance,
  };
}

/** Computes the sharpness of one network on one data set, again and again as its weights change. */
export class SharpnessTracker {
  private readonly hvp: HessianVectorProduct;
  private readonly lanczos: LanczosTopEigen;
  private readonly fixedStart: Float64Array;
  private readonly start: Float64Array;
  private warm = false;

  /** `ws` must hold the inputs of `y`'s examples (a workspace of the network over the whole set). */
  constructor(net: Network, ws: Workspace, y: Matrix, options: SharpnessOptions = {}) {
    const maxIterations = options.maxIterations ?? SHARPNESS_DEFAULTS.max_iterations;
    const tolerance = options.tolerance ?? SHARPNESS_DEFAULTS.tolerance;
    if (!Number.isInteger(maxIterations) || maxIterations < 1) {
      throw new ModelSpecError('track.sharpness.max_iterations', `expected a whole number >= 1, got ${maxIterations}`);
    }
    if (!(tolerance >= 0 && tolerance < Infinity)) {
      throw new ModelSpecError('track.sharpness.tolerance', `expected a finite number >= 0, got ${tolerance}`);
    }
    this.hvp = new HessianVectorProduct(net, ws, y);
    const size = this.hvp.size;
    if (Math.min(maxIterations, size) * size > MAX_BASIS_NUMBERS) {
      throw new ModelSpecError(
        'track.sharpness.max_iterations',
        `the network has ${size} parameters: ${Math.min(maxIterations, size)} Lanczos steps would keep ` +
          `${Math.min(maxIterations, size) * size} numbers, more than ${MAX_BASIS_NUMBERS}; ` +
          `lower max_iterations to ${Math.max(1, Math.floor(MAX_BASIS_NUMBERS / size))} or less`,
      );
    }
    this.lanczos = new LanczosTopEigen(size, maxIterations, tolerance);
    this.fixedStart = new RandomState(SHARPNESS_START_SEED).fillRandn(new Float64Array(size));
    let norm = 0;
    for (const v of this.fixedStart) norm += v * v;
    norm = Math.sqrt(norm);
    for (let i = 0; i < size; i++) this.fixedStart[i] /= norm;
    this.start = new Float64Array(size);
  }

  /** Number of parameters. */
  get size(): number {
    return this.hvp.size;
  }

  /** The unit top eigenvector of the last computation (flat parameter order, hessian-vector.ts). */
  get eigenvector(): Float64Array {
    return this.lanczos.vector;
  }

  /** λmax at the network's current parameters (runs its own forward and backward pass first). */
  compute(): TopEigenResult {
    this.hvp.prepare();
    const u = this.lanczos.vector;
    const fixed = this.fixedStart;
    const start = this.start;
    for (let i = 0; i < start.length; i++) start[i] = this.warm ? u[i] + WARM_START_MIX * fixed[i] : fixed[i];
    const result = this.lanczos.run(this.hvp, start);
    this.warm = !Number.isNaN(result.value);
    return result;
  }
}

/**
 * The sharpness of a network once: at its initial weights (`spec` as for training), or at the
 * given parameters (e.g. a finished run's), on the data (x: features x m, y: outputs x m).
 */
export function sharpnessOf(
  spec: { seed: number; model: LayerSpec[]; loss: LossName },
  data: { x: Matrix; y: Matrix },
  options: SharpnessOptions & { parameters?: readonly LayerParameters[] } = {},
): TopEigenResult {
  const net = buildNetwork(spec, data.x.rows);
  if (options.parameters !== undefined) net.setParameters(options.parameters);
  const ws = net.workspace(data.x.cols, data.x);
  return new SharpnessTracker(net, ws, data.y, options).compute();
}
