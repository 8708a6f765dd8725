// The stability limit of one grid point, by bisection on a log scale with several probes per round.
// Round 1 tries low, high and INTERIOR_PROBES values log-evenly spaced between them; every later
// round tries INTERIOR_PROBES values log-evenly spaced inside the bracket (stable_max,
// unstable_min), which shrinks the bracket's log-width by INTERIOR_PROBES + 1 per round, until
// unstable_min / stable_max <= 1 + tolerance. The number of probes per round is fixed, never the
// number of workers, so the same settings give the same probes on any machine. Pure: it only
// proposes values and is told what they did.

import { logspace } from '../experiment/sweep-axes.js';

/** Values tried strictly inside the bracket each round. */
export const INTERIOR_PROBES = 3;

/** What a probe's run showed: stable, beyond the limit, or nothing (the run failed). */
export type ProbeVerdict = 'stable' | 'beyond' | 'failed';

/**
 * How a search ended. bracketed: the limit lies between stable_max and unstable_min, which are
 * within the tolerance. low_beyond_limit: `low` itself was beyond the limit, so the limit is below
 * the range searched. high_stable: even `high` was stable, so the limit is above it. failed: a
 * probe's run failed, so the search stopped. interrupted: the sweep was stopped first.
 */
export type LimitOutcome = 'bracketed' | 'low_beyond_limit' | 'high_stable' | 'failed' | 'interrupted';

export interface LimitResult {
  /** The largest stable value below unstable_min (or `high` when everything was stable). */
  stableMax: number | null;
  /** The smallest value beyond the limit. */
  unstableMin: number | null;
  /** Probes whose verdict is known. */
  probes: number;
  outcome: LimitOutcome;
  /** Anything the numbers alone do not say (a failure, a stable value above the limit), or ''. */
  note: string;
}

export interface LimitSettings {
  low: number;
  high: number;
  tolerance: number;
}

export class LimitBisection {
  private readonly verdicts = new Map<number, ProbeVerdict>();
  private pending: number[] = [];
  private rounds = 0;
  private failure: string | null = null;
  private stopped = false;
  /** The bracket got so narrow that doubles cannot split it further. */
  private exhausted = false;

  constructor(private readonly settings: LimitSettings) {
    const { low, high, tolerance } = settings;
    if (!(low > 0 && high > low && Number.isFinite(high))) throw new RangeError(`expected 0 < low < high, got low ${low}, high ${high}`);
    if (!(tolerance > 0)) throw new RangeError(`expected a tolerance > 0, got ${tolerance}`);
  }

  /** The values to try in the next round, in increasing order; [] once the search is over. */
  nextRound(): number[] {
    if (this.pending.some((value) => !this.verdicts.has(value))) throw new Error('the previous round has probes without a verdict');
    this.pending = this.done ? [] : this.proposal();
    if (this.pending.length > 0) this.rounds++;
    return [...this.pending];
  }

  /** Records the verdict of a probe of the current round; `detail` says why a run failed. */
  record(value: number, verdict: ProbeVerdict, detail = ''): void {
    if (!this.pending.includes(value)) throw new Error(`${value} is not a probe of the current round`);
    this.verdicts.set(value, verdict);
    if (verdict === 'failed' && this.failure === null) this.failure = `the run at ${value} failed${detail ? `: ${detail}` : ''}`;
  }

  /**
   * Ends the search early (an interrupt): no further rounds, and unless it was over with every
   * verdict of its last round in, it ends as interrupted.
   */
  stop(): void {
    if (!this.done || this.pending.some((value) => !this.verdicts.has(value))) this.stopped = true;
  }

  /** Rounds proposed so far. */
  get roundCount(): number {
    return this.rounds;
  }

  get done(): boolean {
    if (this.stopped || this.exhausted || this.failure !== null) return true;
    if (this.rounds === 0) return false;
    const { low } = this.settings;
    if (this.verdicts.get(low) === 'beyond') return true;
    const { stableMax, unstableMin } = this.bracket();
    return unstableMin === null || (stableMax !== null && unstableMin / stableMax <= 1 + this.settings.tolerance);
  }

  result(): LimitResult {
    const { low, high } = this.settings;
    const probes = this.verdicts.size;
    const { stableMax, unstableMin } = this.bracket();
    const above = this.stableAbove(unstableMin);
    const nonMonotone = above === null ? '' : `stable again at ${above}, above the smallest value beyond the limit`;
    if (this.failure !== null) return { stableMax, unstableMin, probes, outcome: 'failed', note: this.failure };
    if (this.stopped) return { stableMax, unstableMin, probes, outcome: 'interrupted', note: nonMonotone };
    if (this.verdicts.get(low) === 'beyond') {
      return {
        stableMax: null,
        unstableMin: low,
        probes,
        outcome: 'low_beyond_limit',
        note: join(`already beyond the limit at low = ${low}: the limit is below the range searched`, nonMonotone),
      };
    }
    if (this.rounds > 0 && unstableMin === null && this.verdicts.get(high) === 'stable') {
      return { stableMax: high, unstableMin: null, probes, outcome: 'high_stable', note: `still stable at high = ${high}: the limit is above the range searched` };
    }
    const bracketed = this.done && stableMax !== null && unstableMin !== null;
    const narrowest = this.exhausted ? 'the bracket is as narrow as floating-point numbers allow' : '';
    return { stableMax, unstableMin, probes, outcome: bracketed ? 'bracketed' : 'interrupted', note: join(narrowest, nonMonotone) };
  }

  /** unstable_min: the smallest value beyond the limit; stable_max: the largest stable value below it. */
  private bracket(): { stableMax: number | null; unstableMin: number | null } {
    let unstableMin: number | null = null;
    for (const [value, verdict] of this.verdicts) if (verdict === 'beyond' && (unstableMin === null || value < unstableMin)) unstableMin = value;
    let stableMax: number | null = null;
    for (const [value, verdict] of this.verdicts) {
      if (verdict === 'stable' && (unstableMin === null || value < unstableMin) && (stableMax === null || value > stableMax)) stableMax = value;
    }
    return { stableMax, unstableMin };
  }

  /** The largest stable value above unstable_min, if training was stable again there. */
  private stableAbove(unstableMin: number | null): number | null {
    if (unstableMin === null) return null;
    let found: number | null = null;
    for (const [value, verdict] of this.verdicts) if (verdict === 'stable' && value > unstableMin && (found === null || value > found)) found = value;
    return found;
  }

  private proposal(): number[] {
    if (this.rounds === 0) return logspace(this.settings.low, this.settings.high, INTERIOR_PROBES + 2);
    const { stableMax, unstableMin } = this.bracket();
    const inside = logspace(stableMax!, unstableMin!, INTERIOR_PROBES + 2).slice(1, -1);
    // So close that doubles cannot tell the values apart: the bracket cannot narrow any further.
    const distinct = [stableMax!, ...inside, unstableMin!].every((value, i, all) => i === 0 || value > all[i - 1]);
    if (!distinct) {
      this.exhausted = true;
      return [];
    }
    return inside;
  }
}

/** Rounds a search from low to high needs at most (its bracket shrinks by the same factor each round). */
export function maxRounds({ low, high, tolerance }: LimitSettings): number {
  const width = Math.log(high / low);
  const target = Math.log1p(tolerance);
  let rounds = 1;
  // Counted generously: the ratio of two probes is compared in floating point.
  while (width / (INTERIOR_PROBES + 1) ** rounds > target * (1 - 1e-6) && rounds < 200) rounds++;
  return rounds;
}

/** The most probes one grid point's search can take. */
export function maxProbes(settings: LimitSettings): number {
  return INTERIOR_PROBES + 2 + INTERIOR_PROBES * (maxRounds(settings) - 1);
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('; ');
}
