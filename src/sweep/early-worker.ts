// A sweep's first training worker, started by the command line's entry before it loads anything
// else (launch/cli.ts): a worker thread takes some 35 ms to boot, which then overlaps the loading
// of the command line and the reading of the experiment instead of following them. The pool takes
// it over for its first worker when it was started with the same script and limits; until then it
// does not keep the process alive, so a sweep that stops early (a bad file) exits as before.
import { Worker, type ResourceLimits } from 'node:worker_threads';

const HOLDER = Symbol.for('gradgrid.earlyWorker');

interface Early {
  worker: Worker;
  script: string;
  limits: string;
  exited: boolean;
}

const held = globalThis as { [HOLDER]?: Early };

/** Starts a worker of `script` for a pool to take over later (takeEarlyWorker). */
export function startEarlyWorker(script: URL, limits: ResourceLimits | undefined): void {
  const worker = new Worker(script, { resourceLimits: limits });
  const early: Early = { worker, script: script.href, limits: JSON.stringify(limits ?? {}), exited: false };
  // Until a pool takes it: no reason to stay alive, and a failure to start is the pool's to see
  // (it starts a worker of its own instead).
  worker.unref();
  worker.on('error', () => undefined);
  worker.on('exit', () => (early.exited = true));
  held[HOLDER] = early;
}

/** The early worker, if one was started with this script and these limits and is alive; only once. */
export function takeEarlyWorker(script: URL, limits: ResourceLimits | undefined): Worker | null {
  const early = held[HOLDER];
  delete held[HOLDER];
  if (!early || early.exited || early.script !== script.href || early.limits !== JSON.stringify(limits ?? {})) {
    if (early && !early.exited) void early.worker.terminate();
    return null;
  }
  early.worker.ref();
  return early.worker;
}
