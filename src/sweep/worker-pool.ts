// A fixed set of worker threads, each given up to `depth` tasks at once: it trains them one after
// another, and with a second one waiting in its queue it goes on to it the moment it replies,
// however busy this thread is (filing the last run, loading the report). A worker that dies (an
// uncaught error, process.exit, out of memory) fails only the run it was on, and is replaced;
// the runs queued behind it go to its replacement.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { RunSpec } from '../experiment/types.js';
import { startEarlyWorker, takeEarlyWorker } from './early-worker.js';
import type { DataContents } from '../run/dataset-cache.js';
import type { PlainCurve } from '../run/curve-file.js';
import type { RunRecord, RunStatus } from '../run/run-record.js';

/**
 * `curve`: the run's curve as numbers, when asked for (WorkerTask.keepCurve) and it is a plain one.
 * `notStarted`: the task was still queued when the pool was told to start no more (stopStarting).
 */
export type WorkerReply =
  | { ok: true; record: RunRecord; curve: PlainCurve | null }
  | { ok: false; error: string; notStarted?: boolean };
/**
 * The reply of runAsJson, for a result that leaves the process: the record encoded by the thread,
 * and the text of the curve file it wrote (read back by the thread too).
 */
export type JsonWorkerReply =
  | { ok: true; json: string; curve: string; status: RunStatus; wallMs: number }
  | { ok: false; error: string; notStarted?: boolean };

/**
 * A task for a worker: the run, the CSV bytes it needs that this worker has not had yet, and the
 * file its curve is written to while it trains.
 */
export interface WorkerTask {
  spec: RunSpec;
  contents: [digest: string, bytes: Uint8Array][];
  curveFile: string;
  /** Reply with the record as JSON text and the curve file's text (both made on the worker thread) instead of the object. */
  json: boolean;
  /** Reply with the curve as numbers too when it is plain and has at most this many points (0: never). */
  keepCurve: number;
  /** The pool's stop flag: a task that finds it set is not started (WorkerReply.notStarted). */
  stop: Int32Array;
}

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

/**
 * Runs a sweep gives each worker at once: the second waits in the worker's queue and starts the
 * moment the first replies, not when the main thread gets round to handing it over (in xor-lr's
 * sweep the worker waited some 30 ms of its 100 that way).
 */
export const SWEEP_WORKER_DEPTH = 2;

/** A pool of `size` workers that run sweep/worker.ts (this module loads nothing else: see commands/sweep-threads.ts). */
export function createWorkerPool(size: number, workerMemoryMb?: number, depth = 1): WorkerPool {
  return new WorkerPool(size, WORKER_SCRIPT, limitsFor(workerMemoryMb), depth);
}

/** Starts what will be the first worker of the next pool made with these settings (early-worker.ts). */
export function startFirstPoolWorker(workerMemoryMb?: number): void {
  startEarlyWorker(WORKER_SCRIPT, limitsFor(workerMemoryMb));
}

const limitsFor = (workerMemoryMb?: number): ResourceLimits | undefined => (workerMemoryMb ? { maxOldGenerationSizeMb: workerMemoryMb } : undefined);

export class PoolTerminatedError extends Error {
  constructor() {
    super('interrupted');
  }
}

/** A task given to a worker and not yet answered: the first of a slot's is the one training. */
interface Pending {
  spec: RunSpec;
  contents: DataContents;
  curveFile: string;
  json: boolean;
  keepCurve: number;
  resolve: (reply: WorkerReply | JsonWorkerReply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Tasks posted to this worker, in order; its replies come in the same order. */
  pending: Pending[];
  /** Digests of the CSV contents this worker holds (each is sent to a worker once). */
  holds: Set<string>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private terminated = false;
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  /** `depth`: tasks each worker is given at once (callers bound their concurrency to size x depth). */
  constructor(
    readonly size: number,
    private readonly script: URL,
    private readonly resourceLimits?: ResourceLimits,
    readonly depth = 1,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = takeEarlyWorker(this.script, this.resourceLimits) ?? new Worker(this.script, { resourceLimits: this.resourceLimits });
    const slot: Slot = { worker, pending: [], holds: new Set() };
    worker.on('message', (reply: WorkerReply | JsonWorkerReply) => slot.pending.shift()?.resolve(reply));
    worker.on('error', (error: Error & { code?: string }) => {
      const message = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory in the worker' : `worker crashed: ${error.message}`;
      this.lost(slot, message);
      void worker.terminate();
    });
    worker.on('exit', (code: number) => this.lost(slot, `worker exited with code ${code} during the run`));
    return slot;
  }

  /** A worker died: the run it was on fails; the ones queued behind it go to a new worker. */
  private lost(slot: Slot, message: string): void {
    const index = this.slots.indexOf(slot);
    // An error is followed by an exit: the slot was replaced at the first.
    if (index < 0) return;
    const [current, ...queued] = slot.pending;
    slot.pending = [];
    if (this.terminated) {
      for (const task of [current, ...queued]) task?.reject(new PoolTerminatedError());
      return;
    }
    const replacement = this.spawn();
    this.slots[index] = replacement;
    current?.resolve({ ok: false, error: message });
    for (const task of queued) this.post(replacement, task);
  }

  /**
   * Runs one spec on the least busy worker, handing it the run's CSV bytes from `contents` unless
   * it holds them already; the worker writes the curve to `curveFile`. Callers bound concurrency
   * to size x depth (p-limit). `keepCurve`: see WorkerTask.
   */
  run(spec: RunSpec, contents: DataContents, curveFile: string, keepCurve = 0): Promise<WorkerReply> {
    return this.dispatch(spec, contents, curveFile, false, keepCurve) as Promise<WorkerReply>;
  }

  /**
   * Like run(), but the thread replies with the record as JSON text and with the text of the curve
   * file it wrote: the encoding and the reading happen on the pool's threads, in parallel, instead
   * of on the caller's (the queue worker sends both on as text). The thread removes the file once
   * it has read it; after a failure the caller removes what is left.
   */
  runAsJson(spec: RunSpec, contents: DataContents, curveFile: string): Promise<JsonWorkerReply> {
    return this.dispatch(spec, contents, curveFile, true, 0) as Promise<JsonWorkerReply>;
  }

  /** Tasks still queued in the workers are not started (they reply notStarted); the ones training finish. */
  stopStarting(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  /** Workers training a run now. */
  busyWorkers(): number {
    return this.slots.filter((slot) => slot.pending.length > 0).length;
  }

  private dispatch(spec: RunSpec, contents: DataContents, curveFile: string, json: boolean, keepCurve: number): Promise<WorkerReply | JsonWorkerReply> {
    if (this.terminated) return Promise.reject(new PoolTerminatedError());
    let slot: Slot | undefined;
    for (const candidate of this.slots) if (!slot || candidate.pending.length < slot.pending.length) slot = candidate;
    if (!slot || slot.pending.length >= this.depth) return Promise.reject(new Error('worker pool overcommitted'));
    const chosen = slot;
    return new Promise<WorkerReply | JsonWorkerReply>((resolve, reject) =>
      this.post(chosen, { spec, contents, curveFile, json, keepCurve, resolve, reject }),
    );
  }

  private post(slot: Slot, pending: Pending): void {
    slot.pending.push(pending);
    const { spec, contents, curveFile, json, keepCurve } = pending;
    const task: WorkerTask = { spec, contents: [], curveFile, json, keepCurve, stop: this.stopFlag };
    const digest = spec.csvDigest;
    if (digest !== undefined && !slot.holds.has(digest)) {
      const bytes = contents.get(digest);
      if (bytes) task.contents.push([digest, bytes]);
      slot.holds.add(digest);
    }
    slot.worker.postMessage(task);
  }

  /**
   * Makes the pool `size` workers (at least one): starts more when the grid needs more than were
   * started early, stops idle ones a smaller grid does not need.
   */
  async resizeTo(size: number): Promise<void> {
    while (!this.terminated && this.slots.length < size) this.slots.push(this.spawn());
    const extra = this.slots.splice(Math.max(1, size));
    await Promise.all(extra.map((slot) => slot.worker.terminate()));
  }

  /** Stops every worker at once; runs in flight reject with PoolTerminatedError. */
  async terminate(): Promise<void> {
    this.terminated = true;
    const pending = this.slots.flatMap((slot) => slot.pending.splice(0));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    for (const task of pending) task.reject(new PoolTerminatedError());
  }
}
