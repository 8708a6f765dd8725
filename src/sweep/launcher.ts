// The local launcher: executes resolved runs on a worker-thread pool, reusing stored results,
// and hands each outcome on in completion order. Grid order is restored by the caller's sink.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { RunSpec } from '../experiment/types.js';
import { tempPathFor } from '../files/atomic.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import type { DataContents } from '../run/dataset-cache.js';
import type { PlainCurve } from '../run/curve-file.js';
import { failedRecord, type RunRecord } from '../run/run-record.js';
import type { RunStore } from './run-store.js';
import { createWorkerPool, PoolTerminatedError, SWEEP_WORKER_DEPTH, type WorkerPool } from './worker-pool.js';

export interface RunOutcome {
  spec: RunSpec;
  record: RunRecord;
  /** True when the record came from the store instead of a fresh training. */
  reused: boolean;
  /** The file holding the run's curve (curve-file.ts); null for a failed run. */
  curveFile: string | null;
  /** The curve as numbers, for a fresh run whose plain curve was asked for (LaunchOptions.keepCurves). */
  curve?: PlainCurve | null;
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
  /** Fresh runs with a plain curve of at most this many points come with it as numbers (RunOutcome.curve). */
  keepCurves?: number;
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

export { createWorkerPool } from './worker-pool.js';

/** A run's record as training left it: `temp` holds its curve until it is filed, null for a stored run. */
interface Trained {
  spec: RunSpec;
  record: RunRecord;
  temp: string | null;
  curve?: PlainCurve | null;
}

export function launchRuns(runs: RunSpec[], options: LaunchOptions): Launch {
  const depth = options.pool?.depth ?? SWEEP_WORKER_DEPTH;
  const limit = pLimit(Math.max(1, options.workers) * depth);
  const ownsPool = options.pool === undefined;
  let pool: WorkerPool | null = options.pool ?? null;
  let stopped = false;
  let inFlight = 0;

  const getPool = () => (pool ??= createWorkerPool(Math.min(options.workers, runs.length), options.workerMemoryMb, depth));

  const curveFileOf = (spec: RunSpec): string => {
    if (options.store) return options.store.curvePathOf(spec.hash);
    if (!options.curveDir) throw new Error('launchRuns needs a store or a curveDir');
    return join(options.curveDir, `${spec.index}.curve.csv`);
  };

  // Runs start in grid order, and the stored records of the next few are looked up while earlier ones
  // train: a worker that finishes a run gets its next one without waiting for a file read.
  const lookAhead = (depth + 1) * Math.max(1, options.workers);
  const lookups = new Map<number, Promise<RunRecord | null>>();
  let stored: Set<string> | null = null;
  const lookUp = (position: number): Promise<RunRecord | null> => {
    const store = options.fresh ? null : options.store;
    if (store) stored ??= store.storedHashes();
    for (let next = position; next < Math.min(runs.length, position + lookAhead); next++) {
      if (!lookups.has(next)) {
        const hash = runs[next].hash;
        lookups.set(next, store && stored!.has(hash) ? store.read(hash, options.engineVersion) : Promise.resolve(null));
      }
    }
    const found = lookups.get(position)!;
    lookups.delete(position);
    return found;
  };

  // A trained run holds its record (a decision map and all) until it is filed: at most this many
  // wait for that at once, so that quick runs do not pile up faster than this thread files them.
  const maxUnfiled = (depth + 1) * Math.max(1, options.workers);
  let unfiled = 0;
  const waitingForRoom: (() => void)[] = [];
  const roomToTrain = async () => {
    while (unfiled >= maxUnfiled) await new Promise<void>((resolve) => waitingForRoom.push(resolve));
    unfiled++;
  };
  const filed = () => {
    unfiled--;
    waitingForRoom.shift()?.();
  };

  /**
   * A run's training, or its stored record: the part that holds one of the `workers` places. What
   * follows (renaming the curve file, storing the record, the caller's onOutcome) happens after the
   * place is given back, so a worker starts its next run while this thread files the last one.
   */
  const trainOrReuse = async (position: number): Promise<Trained | null> => {
    if (stopped) return null;
    const spec = runs[position];
    const stored = await lookUp(position);
    if (stored) return { spec, record: stored, temp: null };
    if (stopped) return null;
    await roomToTrain();
    if (stopped) {
      filed();
      return null;
    }
    inFlight++;
    // The worker writes the curve to a temporary file; it takes the final name only with a record.
    const temp = tempPathFor(curveFileOf(spec));
    let record: RunRecord;
    let curve: PlainCurve | null = null;
    try {
      const reply = await getPool().run(spec, options.contents ?? new Map(), temp, options.keepCurves ?? 0);
      if (!reply.ok && reply.notStarted) {
        await rm(temp, { force: true });
        filed();
        return null;
      }
      record = reply.ok ? reply.record : failedRecord(spec.hash, options.engineVersion, reply.error);
      if (reply.ok) curve = reply.curve;
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof PoolTerminatedError) {
        filed();
        return null;
      }
      record = failedRecord(spec.hash, options.engineVersion, error instanceof Error ? error.message : String(error));
    } finally {
      inFlight--;
    }
    return { spec, record, temp, curve };
  };

  /** Puts a fresh run's curve file and record in place, then hands the outcome on. */
  const file = async ({ spec, record, temp, curve }: Trained): Promise<void> => {
    if (temp === null) return options.onOutcome({ spec, record, reused: true, curveFile: curveFileOf(spec) });
    if (record.status === 'failed') {
      await rm(temp, { force: true });
      return options.onOutcome({ spec, record, reused: false, curveFile: null });
    }
    const curveFile = curveFileOf(spec);
    await rename(temp, curveFile);
    await options.store?.write(record);
    await options.onOutcome({ spec, record, reused: false, curveFile, curve });
  };

  const execute = async (position: number): Promise<void> => {
    const outcome = await limit(() => trainOrReuse(position));
    if (outcome === null) return;
    try {
      await file(outcome);
    } finally {
      if (outcome.temp !== null) filed();
    }
  };

  const done = (async () => {
    try {
      await Promise.all(runs.map((_, position) => execute(position)));
    } finally {
      const active = pool as WorkerPool | null;
      if (active && ownsPool) await active.terminate();
    }
  })();

  return {
    done,
    stopDispatch() {
      stopped = true;
      (pool as WorkerPool | null)?.stopStarting();
    },
    async abort() {
      stopped = true;
      const active = pool as WorkerPool | null;
      if (active) await active.terminate();
    },
    // Runs queued in a worker behind the one it trains are in flight, not running.
    running: () => Math.min(inFlight, (pool as WorkerPool | null)?.busyWorkers() ?? inFlight),
  };
}
