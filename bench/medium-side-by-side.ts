// 2b. medium against NumPy side by side (see side-by-side.ts): gradgrid's medium training in this
// process, the NumPy peer's in a child process, round after round.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEDIUM_EPOCHS } from './medium.js';
import { mediumSpec, spiralData, spiralJson } from './networks.js';
import type { Outcome } from './outcome.js';
import { peerTimeAlone } from './peers.js';
import { alternateRounds, type SideBySideResult } from './side-by-side.js';
import { timeTraining } from './training-timer.js';

/** Repeats of MEDIUM_EPOCHS epochs each side times per round (median). */
const REPEATS_PER_ROUND = 3;

export function measureMediumSideBySide(tmp: string): Outcome<SideBySideResult> {
  const data = spiralData();
  const spiralFile = join(tmp, 'spiral-side-by-side.json');
  writeFileSync(spiralFile, spiralJson(data));
  const spec = mediumSpec(MEDIUM_EPOCHS);
  return alternateRounds(
    { peer: 'NumPy', unit: 'ms', epochs: MEDIUM_EPOCHS, repeatsPerRound: REPEATS_PER_ROUND },
    () => {
      const timing = timeTraining(spec, data, REPEATS_PER_ROUND);
      return timing.ok ? { ok: true, value: timing.msPerEpoch } : timing;
    },
    () => {
      const timing = peerTimeAlone('numpy', 'medium', spiralFile, MEDIUM_EPOCHS, REPEATS_PER_ROUND);
      return timing.ok ? { ok: true, value: timing.mediumMsPerEpoch } : timing;
    },
  );
}
