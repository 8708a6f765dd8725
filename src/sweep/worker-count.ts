// How many workers a sweep uses. With --workers N, N (never more than it has runs). Without, one
// per core, except for a sweep so small that more workers would cost more than they save: each
// worker is a Node isolate that takes a tenth of a second or so of a core to start and to compile
// the training code, and a sweep like experiments/xor-lr.yaml (8 runs of the blog's XOR network)
// trains in a few milliseconds. One worker starts at once either way (see commands/sweep-threads.ts);
// the others once the grid is known.
import type { RunSpec } from '../experiment/types.js';

/**
 * Below this many multiply-adds of training (estimated, all runs together), one worker: about a
 * tenth of a second of one core's work on small networks.
 */
export const ONE_WORKER_BELOW = 1e8;
/** What a run costs besides its training (its decision-boundary map, its record, compiling), in multiply-adds. */
const PER_RUN = 3e6;

/**
 * Multiply-adds of a run's training: per epoch, three products per Linear node (forward, dW, dA)
 * of its weights with every training example.
 */
export function trainingWork(spec: RunSpec, examples: number, features: number): number {
  let weights = 0;
  let nIn = features;
  for (const layer of spec.experiment.model) {
    if (typeof layer === 'string') continue;
    weights += nIn * layer.linear;
    nIn = layer.linear;
  }
  return spec.experiment.train.epochs * examples * weights * 3;
}

export interface WorkerChoice {
  /** --workers, or the number of cores when it was not given. */
  requested: number;
  explicit: boolean;
}

export function workerCount(runs: RunSpec[], choice: WorkerChoice, dataSize: (spec: RunSpec) => { examples: number; features: number }): number {
  const most = Math.max(1, Math.min(choice.requested, runs.length));
  if (choice.explicit || most === 1) return most;
  // Tracking runs compute Hessian-vector products on top of training: never small.
  if (runs.some((spec) => spec.experiment.track !== undefined)) return most;
  let work = 0;
  for (const spec of runs) {
    const { examples, features } = dataSize(spec);
    work += trainingWork(spec, examples, features) + PER_RUN;
    if (work >= ONE_WORKER_BELOW) return most;
  }
  return 1;
}
