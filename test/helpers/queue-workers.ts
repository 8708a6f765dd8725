// `gradgrid worker` processes for the queue tests: started through the built CLI like a user
// starts them, their output kept, stopped (or killed) by the test that started them.
import type { ChildProcess } from 'node:child_process';
import { startCli, type CliResult } from './cli.js';

export class WorkerProcess {
  private output = '';
  readonly done: Promise<CliResult>;

  private constructor(private readonly child: ChildProcess, done: Promise<CliResult>) {
    this.done = done;
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
  }

  /** Starts `gradgrid worker --queue URL --concurrency N` and waits until it takes jobs. */
  static async start(url: string, options: { cwd: string; concurrency?: number; env?: Record<string, string> }): Promise<WorkerProcess> {
    // The worker's temporary curve files go into the test's folder (a killed worker leaves them there).
    const { child, done } = startCli(['worker', '--queue', url, '--concurrency', String(options.concurrency ?? 1)], {
      cwd: options.cwd,
      env: { TMPDIR: options.cwd, ...options.env },
    });
    const worker = new WorkerProcess(child, done);
    await worker.waitFor(/waiting for runs/);
    return worker;
  }

  get log(): string {
    return this.output;
  }

  /** The runs this worker trained, as "run N (hash prefix)", one entry per training. */
  trained(): string[] {
    return [...this.output.matchAll(/^trained run (\d+) of \S+ \((\w+)\)/gm)].map((match) => `run ${match[1]} (${match[2]})`);
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const started = Date.now();
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`the worker exited (${this.child.exitCode}) before ${pattern}:\n${this.output}`);
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern} from the worker:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGTERM: the worker finishes what it holds and exits. */
  async stop(): Promise<CliResult> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.done;
  }

  /** SIGKILL: gone at once, holding whatever it held. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.done;
  }
}

/** Stops every worker still running (after a failed test, too). */
export async function stopAll(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
}
