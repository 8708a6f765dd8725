// 1b. tiny against brain.js side by side (see side-by-side.ts): gradgrid's tiny training in this
// process, the brain.js peer's in a child process, round after round.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spiralData, spiralJson, tinySpec, xorData } from './networks.js';
import type { Outcome } from './outcome.js';
import { peerTimeAlone } from './peers.js';
import { alternateRounds, type SideBySideResult } from './side-by-side.js';
import { TINY_EPOCHS } from './tiny.js';
import { timeTraining } from './training-timer.js';

/** Repeats of TINY_EPOCHS epochs each side times per round (median). */
const REPEATS_PER_ROUND = 3;

export function measureTinySideBySide(tmp: string): Outcome<SideBySideResult> {
  const data = xorData();
  // The peer reads the spiral for its medium training, which is cut to one epoch here.
  const spiralFile = join(tmp, 'spiral-tiny-side-by-side.json');
  writeFileSync(spiralFile, spiralJson(spiralData()));
  const spec = tinySpec(TINY_EPOCHS);
  return alternateRounds(
    { peer: 'brain.js', unit: 'µs', epochs: TINY_EPOCHS, repeatsPerRound: REPEATS_PER_ROUND },
    () => {
      const timing = timeTraining(spec, data, REPEATS_PER_ROUND);
      return timing.ok ? { ok: true, value: timing.msPerEpoch * 1000 } : timing;
    },
    () => {
      const timing = peerTimeAlone('brain.js', 'tiny', spiralFile, TINY_EPOCHS, REPEATS_PER_ROUND);
      return timing.ok ? { ok: true, value: timing.tinyUsPerEpoch } : timing;
    },
  );
}
