// The local launcher: executes resolved runs on a worker-thread pool, reusing stored results,
// and hands each outcome on in completion order. Grid order is restored by the caller's sink.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { RunSpec } from '../experiment/types.js';
import { tempPathFor } from '../files/atomic.js';
import { failedRecord, type DataContents, type RunRecord } from '../run/index.js';
import type { RunStore } from './run-store.js';
import { PoolTerminatedError, WorkerPool } from './worker-pool.js';

export interface RunOutcome {
  spec: RunSpec;
  record: RunRecord;
  /** True when the record came from the store instead of a fresh training. */
  reused: boolean;
  /** The file holding the run's curve (curve-file.ts); null for a failed run. */
  curveFile: string | null;
}

export interface LaunchOptions {
  workers: number;
  /** Where finished runs are stored and looked up; null to neither read nor write (verify). */
  store: RunStore | null;
  /** Without a store: the folder the curves go to, as <run index>.curve.csv. */
  curveDir?: string;
  engineVersion: string;
  /** Ignore stored results and train everything again. */
  fresh: boolean;
  /** The CSV bytes the runs train on, by content digest (RunSpec.csvDigest). */
  contents?: DataContents;
  onOutcome: (outcome: RunOutcome) => Promise<void> | void;
  workerMemoryMb?: number;
  /**
   * Workers started by the caller (their start-up overlaps its preparation, and a search keeps
   * them across its rounds): the caller terminates them. Without one, the launch starts its own
   * and terminates them when it is done.
   */
  pool?: WorkerPool;
}

export interface Launch {
  /** Resolves when every run has finished or the launch was stopped. */
  done: Promise<void>;
  /** Start no new runs; runs in flight finish. */
  stopDispatch(): void;
  /** Abort runs in flight too. */
  abort(): Promise<void>;
  running(): number;
}

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

export function createWorkerPool(size: number, workerMemoryMb?: number): WorkerPool {
  return new WorkerPool(size, WORKER_SCRIPT, workerMemoryMb ? { maxOldGenerationSizeMb: workerMemoryMb } : undefined);
}

export function launchRuns(runs: RunSpec[], options: LaunchOptions): Launch {
  const limit = pLimit(Math.max(1, options.workers));
  const ownsPool = options.pool === undefined;
  let pool: WorkerPool | null = options.pool ?? null;
  let stopped = false;
  let inFlight = 0;

  const getPool = () => (pool ??= createWorkerPool(Math.min(options.workers, runs.length), options.workerMemoryMb));

  const curveFileOf = (spec: RunSpec): string => {
    if (options.store) return options.store.curvePathOf(spec.hash);
    if (!options.curveDir) throw new Error('launchRuns needs a store or a curveDir');
    return join(options.curveDir, `${spec.index}.curve.csv`);
  };

  const execute = async (spec: RunSpec): Promise<void> => {
    if (stopped) return;
    const stored = options.fresh || !options.store ? null : await options.store.read(spec.hash, options.engineVersion);
    if (stored) {
      await options.onOutcome({ spec, record: stored, reused: true, curveFile: curveFileOf(spec) });
      return;
    }
    if (stopped) return;
    inFlight++;
    // The worker writes the curve to a temporary file; it takes the final name only with a record.
    const curveFile = curveFileOf(spec);
    const temp = tempPathFor(curveFile);
    let record: RunRecord;
    try {
      const reply = await getPool().run(spec, options.contents ?? new Map(), temp);
      record = reply.ok ? reply.record : failedRecord(spec.hash, options.engineVersion, reply.error);
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof PoolTerminatedError) return;
      record = failedRecord(spec.hash, options.engineVersion, error instanceof Error ? error.message : String(error));
    } finally {
      inFlight--;
    }
    if (record.status === 'failed') {
      await rm(temp, { force: true });
      await options.onOutcome({ spec, record, reused: false, curveFile: null });
      return;
    }
    await rename(temp, curveFile);
    await options.store?.write(record);
    await options.onOutcome({ spec, record, reused: false, curveFile });
  };

  const done = (async () => {
    try {
      await Promise.all(runs.map((spec) => limit(() => execute(spec))));
    } finally {
      const active = pool as WorkerPool | null;
      if (active && ownsPool) await active.terminate();
    }
  })();

  return {
    done,
    stopDispatch() {
      stopped = true;
    },
    async abort() {
      stopped = true;
      const active = pool as WorkerPool | null;
      if (active) await active.terminate();
    },
    running: () => inFlight,
  };
}
