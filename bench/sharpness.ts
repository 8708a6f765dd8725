// 2b. sharpness: the medium network trained with its sharpness tracked every 50 epochs, against the
// same training without, one thread. Both record every 50 epochs, so only the tracking differs.

import { train } from '../src/index.js';
import type { TrainSpec } from '../src/experiment/types.js';
import { mediumSpec, SPIRAL, spiralData } from './networks.js';
import type { Outcome } from './outcome.js';
import { median, timed } from './stats.js';

export const SHARPNESS_EPOCHS = 500;
export const SHARPNESS_EVERY = 50;
export const SHARPNESS_REPEATS = 3;

export interface SharpnessResult {
  epochs: number;
  every: number;
  repeats: number;
  dataset: typeof SPIRAL;
  /** Median wall time of one training, milliseconds. */
  withoutMs: number;
  withMs: number;
  /** withMs / withoutMs. */
  ratio: number;
  repeatsWithoutMs: number[];
  repeatsWithMs: number[];
  /** Lanczos steps (Hessian-vector products) of each computation of the last tracked run. */
  lanczosSteps: number[];
}

export function measureSharpness(): Outcome<SharpnessResult> {
  const data = { train: spiralData() };
  const base = mediumSpec(SHARPNESS_EPOCHS);
  const without: TrainSpec = { ...base, train: { ...base.train, record_every: SHARPNESS_EVERY } };
  const tracked: TrainSpec = { ...without, track: { sharpness: { every: SHARPNESS_EVERY } } };
  // One warm-up of each, then the two alternately, so a change in the machine's load hits both.
  train(without, data);
  let last = train(tracked, data);
  const withoutMs: number[] = [];
  const withMs: number[] = [];
  for (let r = 0; r < SHARPNESS_REPEATS; r++) {
    withoutMs.push(timed(() => train(without, data)).ms);
    const run = timed(() => train(tracked, data));
    withMs.push(run.ms);
    last = run.value;
  }
  if (last.epochsRun !== SHARPNESS_EPOCHS || last.sharpness === null) {
    return { ok: false, note: `the tracked training ran ${last.epochsRun} of ${SHARPNESS_EPOCHS} epochs (${last.status})` };
  }
  const withoutMedian = median(withoutMs);
  const withMedian = median(withMs);
  return {
    ok: true,
    epochs: SHARPNESS_EPOCHS,
    every: SHARPNESS_EVERY,
    repeats: SHARPNESS_REPEATS,
    dataset: SPIRAL,
    withoutMs: withoutMedian,
    withMs: withMedian,
    ratio: withMedian / withoutMedian,
    repeatsWithoutMs: withoutMs,
    repeatsWithMs: withMs,
    lanczosSteps: Array.from(last.sharpness.iterations),
  };
}
