// Worker-thread entry: receives a run (and any CSV bytes it has not had yet), trains it writing
// its curve to the file the task names, replies with its RunRecord and, when asked, its curve as
// numbers (or, when asked, the record as JSON text together with the curve file's text, removing
// the file).
import { readFileSync, rmSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { codeIsWarm } from '../code-cache.js';
import { executeRunKeepingCurve } from '../run/index.js';
import { applyFailpoint } from './failpoint.js';
import type { JsonWorkerReply, WorkerReply, WorkerTask } from './worker-pool.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
const contents = new Map<string, Uint8Array>();

port.on('message', ({ spec, contents: received, curveFile, json, keepCurve, stop }: WorkerTask) => {
  for (const [digest, bytes] of received) contents.set(digest, bytes);
  // Queued behind the run before it when the sweep was told to start no more (the first Ctrl-C).
  if (Atomics.load(stop, 0) === 1) {
    port.postMessage({ ok: false, error: 'not started: the sweep was stopped', notStarted: true } satisfies WorkerReply);
    return;
  }
  let reply: WorkerReply | JsonWorkerReply;
  // The kept curve's arrays move to the main thread rather than being copied.
  const transfer: ArrayBuffer[] = [];
  try {
    applyFailpoint(spec.index);
    const { record, curve } = executeRunKeepingCurve(spec, contents, curveFile, json ? 0 : keepCurve);
    if (json) {
      // The curve leaves the process as text: the file has served its purpose once read.
      const curve = readFileSync(curveFile, 'utf8');
      rmSync(curveFile);
      reply = { ok: true, json: JSON.stringify(record), curve, status: record.status, wallMs: record.wallMs };
    } else {
      reply = { ok: true, record, curve };
      if (curve) transfer.push(curve.epochs.buffer as ArrayBuffer, curve.costs.buffer as ArrayBuffer);
    }
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, transfer);
  // After a first run the engine's functions are compiled: the bundle's code cache can keep them.
  if (reply.ok) codeIsWarm();
});
