// The threads of a sweep, started before the sweep command loads the rest of its modules: the
// training workers and the report thread take a while to start (a Node isolate each, then their
// own modules, the charting libraries for the report), and every millisecond of that which overlaps
// the main thread's own loading and reading of the experiment is gone from the command's time.
// This module and the three it imports load nothing else.
import { availableParallelism } from 'node:os';
import type { RunSpec } from '../experiment/types.js';
import { recordedPointCount } from '../nn/recorded-points.js';
import { ReportThread } from '../output/report/thread.js';
import { createWorkerPool, type WorkerPool } from '../sweep/worker-pool.js';

export interface SweepThreads {
  /** The workers started so far: --workers of them, or one until the grid is known (see sweep/worker-count.ts). */
  pool: WorkerPool;
  /** --workers, or the number of cores when it was not given. */
  requestedWorkers: number;
  explicitWorkers: boolean;
  /** Null with --no-report. */
  report: ReportThread | null;
}

export function startSweepThreads(options: { workers?: number; report?: boolean }): SweepThreads {
  const explicitWorkers = options.workers !== undefined;
  const requestedWorkers = Math.max(1, options.workers ?? availableParallelism());
  const workerMemoryMb = Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined;
  return {
    pool: createWorkerPool(explicitWorkers ? requestedWorkers : 1, workerMemoryMb),
    requestedWorkers,
    explicitWorkers,
    report: options.report === false ? null : new ReportThread(),
  };
}

/**
 * Above this many recorded curve points in all, report.html is written on the main thread once the
 * workers have stopped, as it was before the report thread: the thread's own heap would hold what it
 * reads while the main thread's still holds what the sweep used, and their peaks add up (a 1 000-run
 * sweep of 2 million points peaked at 357 MB against 291 MB). Loading the charting libraries early
 * saves a fraction of a second, which only matters to a sweep that takes about as long.
 */
export const REPORT_THREAD_MAX_POINTS = 200_000;

/** The curve points a run records if it trains to the end. */
export function recordedPoints(spec: RunSpec): number {
  const { epochs, record_every: every = 1 } = spec.experiment.train;
  return recordedPointCount(epochs, every);
}
