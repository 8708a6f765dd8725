// Queue workers for the queue tests: `gradgrid worker` processes started through the built CLI like
// a user starts them, or the same worker (dist's startQueueWorker) on the test's own thread where
// the process is not what a test is about; their output kept, stopped by the test that started them.
import type { ChildProcess } from 'node:child_process';
import { startCli, type CliResult } from './cli.js';
import { distModule } from './in-process.js';

/** What the queue tests read from a worker and do with it, wherever it runs. */
export interface QueueWorker {
  readonly log: string;
  /** The runs this worker trained, as "run N (hash prefix)", one entry per training. */
  trained(): string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Takes no more runs, finishes those in hand, and ends. */
  stop(): Promise<unknown>;
}

const trainedRuns = (log: string) => [...log.matchAll(/^trained run (\d+) of \S+ \((\w+)\)/gm)].map((match) => `run ${match[1]} (${match[2]})`);

/** What both kinds of worker share: the log they print, and waiting on it. */
abstract class LoggingWorker implements QueueWorker {
  protected output = '';

  get log(): string {
    return this.output;
  }

  trained(): string[] {
    return trainedRuns(this.output);
  }

  /** Why the worker will print nothing more (it exited, it was stopped), or null while it runs. */
  protected abstract ended(): string | null;

  abstract stop(): Promise<unknown>;

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const started = Date.now();
    while (!pattern.test(this.output)) {
      const end = this.ended();
      if (end !== null) throw new Error(`the worker ${end} before ${pattern}:\n${this.output}`);
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern} from the worker:\n${this.output}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    }
  }
}

export class WorkerProcess extends LoggingWorker {
  readonly done: Promise<CliResult>;

  private constructor(private readonly child: ChildProcess, done: Promise<CliResult>) {
    super();
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

  protected ended(): string | null {
    return this.child.exitCode === null ? null : `exited (${this.child.exitCode})`;
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

interface QueueWorkerHandle {
  close(): Promise<void>;
}
type StartQueueWorker = (options: { url: string; concurrency: number; log: (line: string) => void; lockMs?: number }) => Promise<QueueWorkerHandle>;

/**
 * The worker `gradgrid worker --queue URL --concurrency 1` runs, on this thread (its runs train on a
 * worker thread of its own): no process to start, and BullMQ loaded once. `env` is what the
 * worker's training thread sees besides this thread's environment (a failpoint); `lockMs` what
 * GRADGRID_QUEUE_LOCK_MS sets for a worker process.
 */
export class WorkerInThread extends LoggingWorker {
  private handle: QueueWorkerHandle | null = null;
  private closed: Promise<void> | null = null;

  private constructor() {
    super();
  }

  static async start(url: string, options: { env?: Record<string, string>; lockMs?: number } = {}): Promise<WorkerInThread> {
    const { startQueueWorker } = (await distModule('sweep/queue-worker.js')) as { startQueueWorker: StartQueueWorker };
    const worker = new WorkerInThread();
    // The training thread takes this thread's environment when it starts, which is during
    // startQueueWorker; the variables are put back as they were once it has.
    const saved = Object.entries(options.env ?? {}).map(([name]) => [name, process.env[name]] as const);
    Object.assign(process.env, options.env);
    try {
      const log = (line: string) => (worker.output += `${line}\n`);
      worker.handle = await startQueueWorker({ url, concurrency: 1, log, lockMs: options.lockMs });
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    return worker;
  }

  protected ended(): string | null {
    return this.closed === null ? null : 'was stopped';
  }

  stop(): Promise<void> {
    return (this.closed ??= this.handle?.close() ?? Promise.resolve());
  }
}

/** Stops every worker still running (after a failed test, too). */
export async function stopAll(workers: QueueWorker[]): Promise<void> {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
}
