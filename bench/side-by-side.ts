// Rounds that alternate a gradgrid measurement with a peer's, so that both meet the same load: on a
// shared machine whose speed drifts from minute to minute, a gradgrid time taken at the start of
// the benchmark and a peer's taken at its end can differ by 2x for reasons of their own; the
// median of the rounds' ratios does not. Which side goes first alternates too, so neither always
// follows the other's warm caches.
import type { Outcome } from './outcome.js';
import { median } from './stats.js';

export const SIDE_BY_SIDE_ROUNDS = 7;

export interface SideBySideRound {
  /** Time per epoch, in the unit of the measurement (µs for tiny, ms for medium). */
  gradgrid: number;
  peer: number;
  /** How many times faster gradgrid was in this round (the peer's time / gradgrid's). */
  ratio: number;
}

export interface SideBySideResult {
  peer: string;
  unit: 'µs' | 'ms';
  epochs: number;
  repeatsPerRound: number;
  rounds: SideBySideRound[];
  /** Median of the rounds' ratios. */
  ratio: number;
  /** Medians of each side's time per epoch over the rounds. */
  gradgrid: number;
  peerTime: number;
}

/** `timeGradgrid` and `timePeer` each return one round's time per epoch, or a note why they could not. */
export function alternateRounds(
  what: Pick<SideBySideResult, 'peer' | 'unit' | 'epochs' | 'repeatsPerRound'>,
  timeGradgrid: () => Outcome<{ value: number }>,
  timePeer: () => Outcome<{ value: number }>,
): Outcome<SideBySideResult> {
  const rounds: SideBySideRound[] = [];
  for (let round = 0; round < SIDE_BY_SIDE_ROUNDS; round++) {
    const times = { gradgrid: NaN, peer: NaN };
    const sides = [['gradgrid', timeGradgrid], ['peer', timePeer]] as const;
    for (const [side, time] of round % 2 === 0 ? sides : [...sides].reverse()) {
      const timing = time();
      if (!timing.ok) return timing;
      times[side] = timing.value;
    }
    rounds.push({ ...times, ratio: times.peer / times.gradgrid });
  }
  return {
    ok: true,
    ...what,
    rounds,
    ratio: median(rounds.map((round) => round.ratio)),
    gradgrid: median(rounds.map((round) => round.gradgrid)),
    peerTime: median(rounds.map((round) => round.peer)),
  };
}
