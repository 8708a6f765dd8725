// 3. sweep scaling: a 16-run medium sweep through the real CLI with 1 and with 2 workers.

import { join } from 'node:path';
import { cliMissing, describeFailure, runSweep, writeExperiment } from './child.js';
import { mediumSweepYaml } from './experiment-files.js';
import type { Outcome } from './outcome.js';
import { median } from './stats.js';

export const SCALING_RUNS = 16;
export const SCALING_REPEATS = 2;
/**
 * Training time wanted with one worker: about 5 s, the size of sweep the "Performance" issue asks
 * to scale. What no worker count shortens (Node's start, loading the modules, reading and checking
 * the experiment, starting the worker threads, writing the CSV files and the manifest) weighs more
 * the shorter the sweep: the same sweep at one epoch per run measures it (`fixed`), and the
 * speed-up of the training alone is shown beside the whole command's.
 */
const TARGET_TRAINING_MS = 5_000;
const FALLBACK_EPOCHS = 40;

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
  /** The same sweep at one epoch per run: the command's cost besides the training, per worker count. */
  fixedOneWorkerMs: number;
  fixedTwoWorkersMs: number;
  /** Speed-up of the rest: (time - fixed time) with 1 worker / the same with 2. */
  trainingSpeedup: number;
}

/** Median wall times of `sweep file --workers N` for N = 1 and 2, alternated so load changes hit both alike. */
function timeWorkers(file: string, out: string, repeats: number): Outcome<Record<1 | 2, number[]>> {
  const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < repeats; r++) {
    for (const workers of [1, 2] as const) {
      const run = runSweep(file, join(out, `w${workers}-${r}`), ['--workers', String(workers), '--quiet', '--no-report']);
      if (run.code !== 0) return { ok: false, note: `sweep --workers ${workers}: ${describeFailure(run)}` };
      times[workers].push(run.wallMs);
    }
  }
  return { ok: true, ...times };
}

export function measureSweepScaling(tmp: string, mediumMsPerEpoch: number | null): Outcome<SweepScalingResult> {
  const missing = cliMissing();
  if (missing) return { ok: false, note: missing };
  const epochs = scalingEpochs(mediumMsPerEpoch);
  const learningRates = Array.from({ length: SCALING_RUNS }, (_, i) => Number((0.02 * (i + 1)).toFixed(2)));
  const file = writeExperiment(tmp, 'bench-sweep-scaling', mediumSweepYaml(epochs, learningRates));
  const fixedFile = writeExperiment(tmp, 'bench-sweep-scaling-fixed', mediumSweepYaml(1, learningRates));

  const times = timeWorkers(file, join(tmp, 'scaling'), SCALING_REPEATS);
  if (!times.ok) return times;
  const fixed = timeWorkers(fixedFile, join(tmp, 'scaling-fixed'), SCALING_REPEATS + 1);
  if (!fixed.ok) return fixed;
  const oneWorkerMs = median(times[1]);
  const twoWorkersMs = median(times[2]);
  const fixedOneWorkerMs = median(fixed[1]);
  const fixedTwoWorkersMs = median(fixed[2]);
  return {
    ok: true,
    runs: SCALING_RUNS,
    epochs,
    oneWorkerMs,
    twoWorkersMs,
    speedup: oneWorkerMs / twoWorkersMs,
    oneWorkerRepeatsMs: times[1],
    twoWorkersRepeatsMs: times[2],
    fixedOneWorkerMs,
    fixedTwoWorkersMs,
    trainingSpeedup: (oneWorkerMs - fixedOneWorkerMs) / (twoWorkersMs - fixedTwoWorkersMs),
  };
}
