// Times gradgrid's public train() on one thread: one warm-up call, then the median of repeats.

import { train } from '../src/index.js';
import type { TrainSpec } from '../src/experiment/types.js';
import type { DataSplit } from '../src/data/index.js';
import type { Outcome } from './outcome.js';
import { median, repeatTimed } from './stats.js';

export interface TrainingTiming {
  epochs: number;
  repeats: number;
  /** Median wall time per epoch, milliseconds. */
  msPerEpoch: number;
  /** Every repeat's time per epoch, milliseconds, in run order. */
  repeatsMs: number[];
  finalCost: number;
}

export function timeTraining(spec: TrainSpec, data: DataSplit, repeats: number): Outcome<TrainingTiming> {
  const epochs = spec.train.epochs;
  let result: ReturnType<typeof train> | undefined;
  const times = repeatTimed(() => (result = train(spec, { train: data })), 1, repeats);
  // A run that stopped early would make the time per epoch meaningless.
  if (!result || result.epochsRun !== epochs) {
    return { ok: false, note: `training ran ${result?.epochsRun ?? 0} of ${epochs} epochs (${result?.status})` };
  }
  const repeatsMs = times.map((ms) => ms / epochs);
  return { ok: true, epochs, repeats, msPerEpoch: median(repeatsMs), repeatsMs, finalCost: result.finalCost };
}
