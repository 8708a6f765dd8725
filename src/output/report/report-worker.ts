// The report thread's entry: it loads the report's modules (vega and vega-lite, the slowest part
// of the command's start-up) as soon as it starts, while the sweep reads its experiment and
// trains, then writes report.html for each result folder it is sent. See thread.ts. It draws
// nothing ahead: a warm-up drawing a made-up report while the runs trained made every sweep
// measured on 2 cores slower (xor-lr 0.97 s against 0.91 s, 0.18 s more CPU), as it took a
// core from the training and the main thread.
import { parentPort } from 'node:worker_threads';
import { writeReport } from './index.js';

export interface ReportRequest {
  dir: string;
}

export type ReportMessage =
  | { kind: 'progress'; what: string }
  | { kind: 'done'; path: string }
  | { kind: 'failed'; message: string; stack: string | undefined };

if (!parentPort) throw new Error('report-worker.ts must run in a worker thread');
const port = parentPort;

port.on('message', async ({ dir }: ReportRequest) => {
  let reply: ReportMessage;
  try {
    const path = await writeReport(dir, (what) => port.postMessage({ kind: 'progress', what } satisfies ReportMessage));
    reply = { kind: 'done', path };
  } catch (error) {
    reply = { kind: 'failed', message: error instanceof Error ? error.message : String(error), stack: (error as Error)?.stack };
  }
  port.postMessage(reply);
});
