// A fixed set of worker threads, one task each at a time. A worker that dies (an uncaught
// error, process.exit, out of memory) fails only the run it was on, and is replaced.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { RunSpec } from '../experiment/types.js';
import type { RunRecord } from './run-record.js';

export type WorkerReply = { ok: true; record: RunRecord } | { ok: false; error: string };

export class PoolTerminatedError extends Error {
  constructor() {
    super('interrupted');
  }
}

interface Slot {
  worker: Worker;
  busy: boolean;
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
    return { worker, busy: false };
  }

  /** Runs one spec on an idle worker. Callers bound concurrency to `size` (p-limit). */
  run(spec: RunSpec): Promise<WorkerReply> {
    if (this.terminated) return Promise.reject(new PoolTerminatedError());
    const slotIndex = this.slots.findIndex((slot) => !slot.busy);
    if (slotIndex < 0) return Promise.reject(new Error('worker pool overcommitted'));
    const slot = this.slots[slotIndex];
    slot.busy = true;
    const { worker } = slot;
    return new Promise<WorkerReply>((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const replace = () => {
        if (!this.terminated) this.slots[slotIndex] = this.spawn();
      };
      const onMessage = (reply: WorkerReply) => {
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
      worker.postMessage(spec);
    });
  }

  /** Stops idle workers beyond `size` (a grid smaller than the pool needs fewer). */
  async shrinkTo(size: number): Promise<void> {
    const extra = this.slots.splice(Math.max(1, size));
    await Promise.all(extra.map((slot) => slot.worker.terminate()));
  }

  /** Stops every worker at once; runs in flight reject with PoolTerminatedError. */
  async terminate(): Promise<void> {
    this.terminated = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}
