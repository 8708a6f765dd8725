// A fixed set of worker threads, one task each at a time. A worker that dies (an uncaught
// error, process.exit, out of memory) fails only the run it was on, and is replaced.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { RunSpec } from '../experiment/types.js';
import type { DataContents } from '../run/dataset-cache.js';
import type { PlainCurve } from '../run/curve-file.js';
import type { RunRecord, RunStatus } from '../run/run-record.js';

/** `curve`: the run's curve as numbers, when asked for (WorkerTask.keepCurve) and it is a plain one. */
export type WorkerReply = { ok: true; record: RunRecord; curve: PlainCurve | null } | { ok: false; error: string };
/**
 * The reply of runAsJson, for a result that leaves the process: the record encoded by the thread,
 * and the text of the curve file it wrote (read back by the thread too).
 */
export type JsonWorkerReply =
  | { ok: true; json: string; curve: string; status: RunStatus; wallMs: number }
  | { ok: false; error: string };

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
}

const WORKER_SCRIPT = new URL('./worker.js', import.meta.url);

/** A pool of `size` workers that run sweep/worker.ts (this module loads nothing else: see commands/sweep-threads.ts). */
export function createWorkerPool(size: number, workerMemoryMb?: number): WorkerPool {
  return new WorkerPool(size, WORKER_SCRIPT, workerMemoryMb ? { maxOldGenerationSizeMb: workerMemoryMb } : undefined);
}

export class PoolTerminatedError extends Error {
  constructor() {
    super('interrupted');
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Digests of the CSV contents this worker holds (each is sent to a worker once). */
  holds: Set<string>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private terminated = false;

  constructor(
    readonly size: number,
    private readonly script: URL,
    private readonly resourceLimits?: ResourceLimits,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { resourceLimits: this.resourceLimits });
    return { worker, busy: false, holds: new Set() };
  }

  /**
   * Runs one spec on an idle worker, handing it the run's CSV bytes from `contents` unless it holds
   * them already; the worker writes the curve to `curveFile`. Callers bound concurrency to `size`
   * (p-limit). `keepCurve`: see WorkerTask.
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

  private dispatch(spec: RunSpec, contents: DataContents, curveFile: string, json: boolean, keepCurve: number): Promise<WorkerReply | JsonWorkerReply> {
    if (this.terminated) return Promise.reject(new PoolTerminatedError());
    const slotIndex = this.slots.findIndex((slot) => !slot.busy);
    if (slotIndex < 0) return Promise.reject(new Error('worker pool overcommitted'));
    const slot = this.slots[slotIndex];
    slot.busy = true;
    const { worker } = slot;
    return new Promise<WorkerReply | JsonWorkerReply>((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const replace = () => {
        if (!this.terminated) this.slots[slotIndex] = this.spawn();
      };
      const onMessage = (reply: WorkerReply | JsonWorkerReply) => {
        settle();
        slot.busy = false;
        resolve(reply);
      };
      const onError = (error: Error & { code?: string }) => {
        settle();
        void worker.terminate();
        replace();
        if (this.terminated) return reject(new PoolTerminatedError());
        const message =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory in the worker' : `worker crashed: ${error.message}`;
        resolve({ ok: false, error: message });
      };
      const onExit = (code: number) => {
        settle();
        replace();
        if (this.terminated) return reject(new PoolTerminatedError());
        resolve({ ok: false, error: `worker exited with code ${code} during the run` });
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const task: WorkerTask = { spec, contents: [], curveFile, json, keepCurve };
      const digest = spec.csvDigest;
      if (digest !== undefined && !slot.holds.has(digest)) {
        const bytes = contents.get(digest);
        if (bytes) task.contents.push([digest, bytes]);
        slot.holds.add(digest);
      }
      worker.postMessage(task);
    });
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
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
