// When a probe of a stability-limit search counts as beyond the limit: its run diverged, or it
// ended with a higher cost than it started with (the steps made things worse overall, even if
// the cost stayed below divergence.max_cost). Every other finished run is stable.

import type { ProbeVerdict } from './bisection.js';

/** What the verdict is decided from: a finished run's status and its first and last recorded costs. */
export interface ProbeRun {
  status: string;
  /** The cost recorded at epoch 0 (NaN when not a number). */
  initialCost: number;
  /** The last recorded cost (NaN when not a number). */
  finalCost: number;
}

export function probeVerdict({ status, initialCost, finalCost }: ProbeRun): ProbeVerdict {
  if (status === 'failed') return 'failed';
  if (status === 'diverged') return 'beyond';
  // Written so that a cost that is not a number counts as beyond the limit.
  return finalCost <= initialCost ? 'stable' : 'beyond';
}
