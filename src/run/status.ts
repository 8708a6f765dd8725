// Classifies a finished run from its recorded cost curve, so a sweep's table reads as a story:
// which learning rates converge, which are too slow, which stall, wobble or blow up.
// The rules are documented in docs/status.md; keep the two in step.
import type { RunStatus } from './run-record.js';

/** Share of the recorded curve, at its end, that is inspected for remaining progress. */
export const TAIL_FRACTION = 0.1;
/** The tail may contribute at most this share of the total improvement for a run to count as settled. */
export const SETTLED_SHARE = 0.01;
/** A settled run counts as converged when its final cost is at most this share of the initial cost. */
export const CONVERGED_RATIO = 0.5;
/** A run is unstable when more than this share of its steps raise the cost. */
export const RISING_SHARE = 0.05;
/** Relative change below which a step is treated as flat (rounding noise). */
const FLAT = 1e-12;

export interface CurveFacts {
  /** Recorded costs in epoch order (finite for runs that did not diverge). */
  costs: ArrayLike<number>;
  diverged: boolean;
  failed: boolean;
}

export function classifyRun({ costs, diverged, failed }: CurveFacts): RunStatus {
  if (failed) return 'failed';
  if (diverged) return 'diverged';
  const n = costs.length;
  if (n === 0) return 'failed';
  const first = costs[0];
  const last = costs[n - 1];
  if (n === 1) return first === 0 ? 'converged' : 'slow';

  let rises = 0;
  let best = first;
  for (let k = 1; k < n; k++) {
    if (costs[k] > costs[k - 1] * (1 + FLAT) + Number.MIN_VALUE) rises++;
    if (costs[k] < best) best = costs[k];
  }
  const endedAboveBest = last - best > 0.05 * Math.max(first - best, 0) && last > best * (1 + 1e-6);
  if (rises > RISING_SHARE * (n - 1) || endedAboveBest) return 'unstable';

  const totalDrop = first - last;
  if (first === 0 || last === 0) return 'converged';
  if (totalDrop <= FLAT * first) return 'slow';
  const tailStart = Math.min(n - 2, Math.floor((n - 1) * (1 - TAIL_FRACTION)));
  const tailDrop = costs[tailStart] - last;
  if (tailDrop > SETTLED_SHARE * totalDrop) return 'slow';
  return last <= CONVERGED_RATIO * first ? 'converged' : 'stalled';
}
