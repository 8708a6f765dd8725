// Worker-thread entry: receives a run (and any CSV bytes it has not had yet), trains it writing
// its curve to the file the task names, replies with its RunRecord.
import { parentPort } from 'node:worker_threads';
import { executeRun } from '../run/index.js';
import { applyFailpoint } from './failpoint.js';
import type { WorkerReply, WorkerTask } from './worker-pool.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
const contents = new Map<string, Uint8Array>();

port.on('message', ({ spec, contents: received, curveFile }: WorkerTask) => {
  for (const [digest, bytes] of received) contents.set(digest, bytes);
  let reply: WorkerReply;
  try {
    applyFailpoint(spec.index);
    reply = { ok: true, record: executeRun(spec, contents, curveFile) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
