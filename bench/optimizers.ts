// 2c. optimizers: the medium network trained with each optimizer against plain sgd, one thread, the
// same epochs and recording: the update rules' cost per epoch beside the matrix products'. Runs
// alternate, so a change in the machine's load hits every optimizer alike.

import { train } from '../src/index.js';
import type { TrainSpec } from '../src/experiment/types.js';
import { optimizerNames, type OptimizerName } from '../src/nn/optimizers.js';
import { mediumSpec, SPIRAL, spiralData } from './networks.js';
import type { Outcome } from './outcome.js';
import { median, timed } from './stats.js';

export const OPTIMIZER_EPOCHS = 50;
export const OPTIMIZER_REPEATS = 3;

export interface OptimizersResult {
  epochs: number;
  repeats: number;
  dataset: typeof SPIRAL;
  /** Median milliseconds per epoch of each optimizer (adamw with weight decay 0.01). */
  msPerEpoch: Record<OptimizerName, number>;
  /** The slowest optimizer's time per epoch over sgd's. */
  worstRatio: number;
  worst: OptimizerName;
}

export function measureOptimizers(): Outcome<OptimizersResult> {
  const data = { train: spiralData() };
  const base = mediumSpec(OPTIMIZER_EPOCHS);
  const specOf = (name: OptimizerName): TrainSpec => ({
    ...base,
    // A small rate: every optimizer must run all its epochs (a stopped run would time less).
    train: { ...base.train, learning_rate: 0.001, optimizer: name, ...(name === 'adamw' ? { weight_decay: 0.01 } : {}) },
  });
  const times = new Map<OptimizerName, number[]>(optimizerNames.map((name) => [name, []]));
  for (const name of optimizerNames) train(specOf(name), data); // warm-up
  for (let r = 0; r < OPTIMIZER_REPEATS; r++) {
    for (const name of optimizerNames) {
      const run = timed(() => train(specOf(name), data));
      if (run.value.epochsRun !== OPTIMIZER_EPOCHS) return { ok: false, note: `${name} ran ${run.value.epochsRun} of ${OPTIMIZER_EPOCHS} epochs` };
      times.get(name)!.push(run.ms / OPTIMIZER_EPOCHS);
    }
  }
  const msPerEpoch = Object.fromEntries(optimizerNames.map((name) => [name, median(times.get(name)!)])) as Record<OptimizerName, number>;
  const worst = optimizerNames.reduce((a, b) => (msPerEpoch[b] > msPerEpoch[a] ? b : a));
  return { ok: true, epochs: OPTIMIZER_EPOCHS, repeats: OPTIMIZER_REPEATS, dataset: SPIRAL, msPerEpoch, worstRatio: msPerEpoch[worst] / msPerEpoch.sgd, worst };
}
