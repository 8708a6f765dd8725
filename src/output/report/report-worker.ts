// The report thread's entry: it loads the report's modules (vega and vega-lite, the slowest part
// of the command's start-up) and warms them up (warm-up.ts) as soon as it starts, while the sweep
// reads its experiment and trains, then writes report.html for each result folder it is sent.
// See thread.ts.
import { parentPort } from 'node:worker_threads';
import { writeReport } from './index.js';
import { warmUpReport } from './warm-up.js';

export interface ReportRequest {
  dir: string;
}

export type ReportMessage =
  | { kind: 'progress'; what: string }
  | { kind: 'done'; path: string }
  | { kind: 'failed'; message: string; stack: string | undefined };

if (!parentPort) throw new Error('report-worker.ts must run in a worker thread');
const port = parentPort;

// The warm-up stops at its next part once a report is asked for; the request waits only for that.
let requested = false;
const warm = warmUpReport(() => requested).catch(() => undefined);

port.on('message', async ({ dir }: ReportRequest) => {
  requested = true;
  await warm;
  let reply: ReportMessage;
  try {
    const path = await writeReport(dir, (what) => port.postMessage({ kind: 'progress', what } satisfies ReportMessage));
    reply = { kind: 'done', path };
  } catch (error) {
    reply = { kind: 'failed', message: error instanceof Error ? error.message : String(error), stack: (error as Error)?.stack };
  }
  port.postMessage(reply);
});
