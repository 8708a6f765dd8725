// 3. sweep scaling: a 16-run medium sweep through the real CLI with 1 and with 2 workers.

import { join } from 'node:path';
import { cliMissing, describeFailure, runSweep, writeExperiment } from './child.js';
import { mediumSweepYaml } from './experiment-files.js';
import type { Outcome } from './outcome.js';
import { median } from './stats.js';

export const SCALING_RUNS = 16;
export const SCALING_REPEATS = 2;
/**
 * Training time wanted with one worker. The command has ~0.2 s of serial start-up (Node, module
 * loading, schema compilation) that no worker count shortens; a 20 s sweep measures how the
 * training itself scales (a 5 s sweep gives about 1.7-1.8x here, mostly because of that start-up).
 */
const TARGET_TRAINING_MS = 20_000;
const FALLBACK_EPOCHS = 150;

/**
 * Epochs per run so that the 16 runs take about TARGET_TRAINING_MS of training on one worker,
 * given the measured medium time per epoch: the workload keeps its size as the engine gets faster.
 */
export function scalingEpochs(mediumMsPerEpoch: number | null): number {
  if (mediumMsPerEpoch === null || !(mediumMsPerEpoch > 0)) return FALLBACK_EPOCHS;
  const epochs = Math.round(TARGET_TRAINING_MS / (SCALING_RUNS * mediumMsPerEpoch));
  return Math.min(5000, Math.max(20, epochs));
}

export interface SweepScalingResult {
  runs: number;
  epochs: number;
  /** Median wall time of the whole command, process start included, per worker count. */
  oneWorkerMs: number;
  twoWorkersMs: number;
  speedup: number;
  oneWorkerRepeatsMs: number[];
  twoWorkersRepeatsMs: number[];
}

export function measureSweepScaling(tmp: string, mediumMsPerEpoch: number | null): Outcome<SweepScalingResult> {
  const missing = cliMissing();
  if (missing) return { ok: false, note: missing };
  const epochs = scalingEpochs(mediumMsPerEpoch);
  const learningRates = Array.from({ length: SCALING_RUNS }, (_, i) => Number((0.02 * (i + 1)).toFixed(2)));
  const file = writeExperiment(tmp, 'bench-sweep-scaling', mediumSweepYaml(epochs, learningRates));

  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  // Alternate the worker counts so a change in machine load hits both alike.
  for (let r = 0; r < SCALING_REPEATS; r++) {
    for (const workers of [1, 2] as const) {
      const run = runSweep(file, join(tmp, `scaling-w${workers}-${r}`), ['--workers', String(workers), '--quiet', '--no-report']);
      if (run.code !== 0) return { ok: false, note: `sweep --workers ${workers}: ${describeFailure(run)}` };
      times[workers].push(run.wallMs);
    }
  }
  const oneWorkerMs = median(times[1]);
  const twoWorkersMs = median(times[2]);
  return {
    ok: true,
    runs: SCALING_RUNS,
    epochs,
    oneWorkerMs,
    twoWorkersMs,
    speedup: oneWorkerMs / twoWorkersMs,
    oneWorkerRepeatsMs: times[1],
    twoWorkersRepeatsMs: times[2],
  };
}
