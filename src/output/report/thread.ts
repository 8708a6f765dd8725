// report.html written on a thread of its own, started when the sweep starts: loading the charting
// libraries then overlaps reading the experiment, starting the training workers and training,
// instead of following them. The page is the same as writeReport's on the calling thread (the
// thread calls it); only when it is written differs.
import { Worker } from 'node:worker_threads';
import type { ReportMessage, ReportRequest } from './report-worker.js';

const REPORT_WORKER = new URL('./report-worker.js', import.meta.url);

/** The thread is gone (it crashed, ran out of memory or was stopped): the caller writes the report itself. */
export class ReportThreadGone extends Error {}

export class ReportThread {
  private readonly worker = new Worker(REPORT_WORKER);
  private gone: Error | null = null;

  constructor() {
    // Until asked for a report, the thread only loads; an error there surfaces at write().
    this.worker.on('error', (error) => {
      this.gone ??= new ReportThreadGone(`the report thread failed: ${error.message}`);
    });
    this.worker.on('exit', (code) => {
      this.gone ??= new ReportThreadGone(`the report thread exited with code ${code}`);
    });
  }

  /**
   * Writes `<dir>/report.html` and returns its path; `onProgress` hears what the report is doing.
   * Rejects with the report's own error, or with ReportThreadGone when the thread is not there to write it.
   */
  write(dir: string, onProgress?: (what: string) => void): Promise<string> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => {
      const settle = () => {
        this.worker.off('message', onMessage);
        this.worker.off('error', onGone);
        this.worker.off('exit', onGone);
      };
      const onMessage = (message: ReportMessage) => {
        if (message.kind === 'progress') return onProgress?.(message.what);
        settle();
        if (message.kind === 'done') return resolve(message.path);
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        reject(error);
      };
      // The constructor's listeners run first and name the cause.
      const onGone = () => {
        settle();
        reject(this.gone ?? new ReportThreadGone('the report thread stopped'));
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onGone);
      this.worker.on('exit', onGone);
      this.worker.postMessage({ dir } satisfies ReportRequest);
    });
  }

  /** Stops the thread, whatever it is doing. */
  async stop(): Promise<void> {
    this.gone ??= new ReportThreadGone('the report thread was stopped');
    await this.worker.terminate();
  }
}
