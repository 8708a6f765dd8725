// Worker-thread entry: receives a RunSpec, trains it, replies with its RunRecord.
import { parentPort } from 'node:worker_threads';
import type { RunSpec } from '../experiment/types.js';
import { executeRun } from './execute-run.js';
import { applyFailpoint } from './failpoint.js';
import type { WorkerReply } from './worker-pool.js';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

port.on('message', (spec: RunSpec) => {
  let reply: WorkerReply;
  try {
    applyFailpoint(spec.index);
    reply = { ok: true, record: executeRun(spec) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
