// 2b. medium against NumPy side by side: rounds that alternate gradgrid's medium training (in this
// process) with the NumPy peer's (a child process), so that both meet the same load. On a shared
// machine whose speed drifts from minute to minute, a gradgrid time taken at the start of the
// benchmark and a NumPy time taken at its end can differ by 2x for reasons of their own; the
// median of the rounds' ratios does not.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEDIUM_EPOCHS } from './medium.js';
import { mediumSpec, spiralData, spiralJson } from './networks.js';
import type { Outcome } from './outcome.js';
import { numpyMediumMs } from './peers.js';
import { median } from './stats.js';
import { timeTraining } from './training-timer.js';

export const SIDE_BY_SIDE_ROUNDS = 7;
/** Repeats of MEDIUM_EPOCHS epochs each side times per round (median). */
const REPEATS_PER_ROUND = 3;

export interface SideBySideRound {
  gradgridMs: number;
  numpyMs: number;
  /** How many times faster gradgrid was in this round (NumPy's time / gradgrid's). */
  ratio: number;
}

export interface MediumSideBySideResult {
  epochs: number;
  repeatsPerRound: number;
  rounds: SideBySideRound[];
  /** Median of the rounds' ratios. */
  ratio: number;
  /** Medians of each side's times per epoch over the rounds, milliseconds. */
  gradgridMs: number;
  numpyMs: number;
}

export function measureMediumSideBySide(tmp: string): Outcome<MediumSideBySideResult> {
  const data = spiralData();
  const spiralFile = join(tmp, 'spiral-side-by-side.json');
  writeFileSync(spiralFile, spiralJson(data));
  const spec = mediumSpec(MEDIUM_EPOCHS);
  const rounds: SideBySideRound[] = [];
  for (let round = 0; round < SIDE_BY_SIDE_ROUNDS; round++) {
    // Which side goes first alternates too, so neither always follows the other's warm caches.
    const gradgridFirst = round % 2 === 0;
    let gradgridMs = NaN;
    let numpyMs = NaN;
    const timeGradgrid = (): string | null => {
      const timing = timeTraining(spec, data, REPEATS_PER_ROUND);
      if (!timing.ok) return timing.note;
      gradgridMs = timing.msPerEpoch;
      return null;
    };
    const timeNumpy = (): string | null => {
      const timing = numpyMediumMs(spiralFile, MEDIUM_EPOCHS, REPEATS_PER_ROUND);
      if (!timing.ok) return timing.note;
      numpyMs = timing.mediumMsPerEpoch;
      return null;
    };
    for (const side of gradgridFirst ? [timeGradgrid, timeNumpy] : [timeNumpy, timeGradgrid]) {
      const failure = side();
      if (failure !== null) return { ok: false, note: failure };
    }
    rounds.push({ gradgridMs, numpyMs, ratio: numpyMs / gradgridMs });
  }
  return {
    ok: true,
    epochs: MEDIUM_EPOCHS,
    repeatsPerRound: REPEATS_PER_ROUND,
    rounds,
    ratio: median(rounds.map((round) => round.ratio)),
    gradgridMs: median(rounds.map((round) => round.gradgridMs)),
    numpyMs: median(rounds.map((round) => round.numpyMs)),
  };
}
