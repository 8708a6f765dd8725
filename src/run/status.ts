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
  const classifier = new CurveClassifier(costs.length);
  for (let k = 0; k < costs.length; k++) classifier.push(costs[k]);
  return classifier.status({ diverged, failed });
}

/**
 * classifyRun one cost at a time, for curves too long to keep: it needs to know in advance how
 * many costs come (the tail starts a fixed share before the end). A diverged run may bring fewer.
 */
export class CurveClassifier {
  private n = 0;

  /** Costs pushed so far. */
  get count(): number {
    return this.n;
  }

  private first = NaN;
  private previous = NaN;
  private best = NaN;
  private rises = 0;
  private tail = NaN;
  private readonly tailStart: number;

  constructor(private readonly expected: number) {
    this.tailStart = Math.min(expected - 2, Math.floor((expected - 1) * (1 - TAIL_FRACTION)));
  }

  push(cost: number): void {
    if (this.n === 0) {
      this.first = cost;
      this.best = cost;
    } else {
      if (cost > this.previous * (1 + FLAT) + Number.MIN_VALUE) this.rises++;
      if (cost < this.best) this.best = cost;
    }
    if (this.n === this.tailStart) this.tail = cost;
    this.previous = cost;
    this.n++;
  }

  status({ diverged, failed }: { diverged: boolean; failed: boolean }): RunStatus {
    if (failed) return 'failed';
    if (diverged) return 'diverged';
    const { n, first, best, rises } = this;
    if (n === 0) return 'failed';
    if (n !== this.expected) throw new Error(`the curve has ${n} costs, ${this.expected} were announced`);
    const last = this.previous;
    if (n === 1) return first === 0 ? 'converged' : 'slow';

    const endedAboveBest = last - best > 0.05 * Math.max(first - best, 0) && last > best * (1 + 1e-6);
    if (rises > RISING_SHARE * (n - 1) || endedAboveBest) return 'unstable';

    const totalDrop = first - last;
    if (first === 0 || last === 0) return 'converged';
    if (totalDrop <= FLAT * first) return 'slow';
    const tailDrop = this.tail - last;
    if (tailDrop > SETTLED_SHARE * totalDrop) return 'slow';
    return last <= CONVERGED_RATIO * first ? 'converged' : 'stalled';
  }
}
