// The threads of a sweep, started before the sweep command loads the rest of its modules: a
// training worker takes a while to start (a Node isolate, then its own modules), and every
// millisecond of that which overlaps the main thread's own loading and reading of the experiment
// is gone from the command's time. This module and the one it imports load nothing else.
import { availableParallelism } from 'node:os';
import { createWorkerPool, SWEEP_WORKER_DEPTH, type WorkerPool } from '../sweep/worker-pool.js';

export interface SweepThreads {
  /** The workers started so far: --workers of them, or one until the grid is known (see sweep/worker-count.ts). */
  pool: WorkerPool;
  /** --workers, or the number of cores when it was not given. */
  requestedWorkers: number;
  explicitWorkers: boolean;
}

export function startSweepThreads(options: { workers?: number }): SweepThreads {
  const explicitWorkers = options.workers !== undefined;
  const requestedWorkers = Math.max(1, options.workers ?? availableParallelism());
  const workerMemoryMb = Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined;
  return {
    pool: createWorkerPool(explicitWorkers ? requestedWorkers : 1, workerMemoryMb, SWEEP_WORKER_DEPTH),
    requestedWorkers,
    explicitWorkers,
  };
}
