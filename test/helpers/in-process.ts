// Runs the built CLI's own commands (dist/src/commands/*.js, the code `gradgrid <command>` runs
// after parsing its arguments) inside the test process: no Node start-up and no module loading per
// command, for tests that check numbers and files rather than the command line. A sweep's runs
// (and verify's) still train on worker threads, as in the CLI; a sweep's report (when asked for)
// is written on the calling thread, as the CLI writes the report of a large sweep.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './cli.js';

export interface InProcessSweep {
  /** The result folder, relative to `dir`. */
  out: string;
  /** Default 1 for a local sweep: a test runs several sweeps at once, and vitest's workers share 2 cores. */
  workers?: number;
  /** Write report.html (default false). */
  report?: boolean;
  fresh?: boolean;
  set?: string[];
  /** --queue: train on `gradgrid worker` processes through this Redis queue (no local threads start). */
  queue?: string;
  /** --attempts (with a queue). */
  attempts?: number;
  /** --shard i/n. */
  shard?: string;
}

/** What a command returned and printed. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

type SweepThreads = unknown;
type Where = string | { kind: 'local' | 'shard' | 'queue' };
type SweepCommand = (file: string, options: InProcessSweep & { quiet: boolean; argv: string[]; threads?: SweepThreads }) => Promise<number>;
type StartSweepThreads = (options: { workers?: number; report?: boolean }) => SweepThreads;
type WhereToRun = (options: { workers?: number; queue?: string; shard?: string; attempts?: number }, env: NodeJS.ProcessEnv) => Where;
type VerifyCommand = (dir: string, options: { workers?: number }) => Promise<number>;
type WorkerCommand = (options: { queue?: string; concurrency?: number }) => Promise<number>;

const distModule = (path: string) => import(pathToFileURL(resolve(ROOT, 'dist/src', path)).href);

let sweepModules: Promise<{ sweepCommand: SweepCommand; startSweepThreads: StartSweepThreads; whereToRun: WhereToRun }> | undefined;

/**
 * `gradgrid sweep <file> --out <out> --quiet` run in `dir`, resolved to the sweep's exit code.
 * Paths are made absolute here: a worker thread (vitest's, and so this sweep's) cannot change folder.
 */
export async function sweepInProcess(dir: string, file: string, options: InProcessSweep): Promise<number> {
  sweepModules ??= Promise.all([distModule('commands/sweep.js'), distModule('commands/sweep-threads.js'), distModule('commands/where-to-run.js')]).then(
    ([sweep, threads, where]) => ({
      sweepCommand: sweep.sweepCommand as SweepCommand,
      startSweepThreads: threads.startSweepThreads as StartSweepThreads,
      whereToRun: where.whereToRun as WhereToRun,
    }),
  );
  const { sweepCommand, startSweepThreads, whereToRun } = await sweepModules;
  const argv = ['sweep', file, '--out', options.out, '--quiet'];
  // As the CLI: a queue takes no --workers, and only a local sweep starts threads.
  const workers = options.queue === undefined ? (options.workers ?? 1) : options.workers;
  const where = whereToRun({ ...options, workers }, {});
  // No report thread: report.html, when asked for, is written on this thread, whose charting
  // libraries stay loaded from one sweep to the next (a report thread would load them afresh each time).
  const threads = typeof where !== 'string' && where.kind === 'local' ? startSweepThreads({ workers, report: false }) : undefined;
  return sweepCommand(resolve(dir, file), { report: false, ...options, workers, out: resolve(dir, options.out), quiet: true, argv, threads });
}

/** sweepInProcess, with what the sweep printed. */
export function sweepCaptured(dir: string, file: string, options: InProcessSweep): Promise<CommandResult> {
  return captured(() => sweepInProcess(dir, file, options));
}

/** `gradgrid verify <folder>` run in `dir` (the folder is named by its absolute path in what verify prints). */
export async function verifyInProcess(dir: string, folder: string, options: { workers?: number } = {}): Promise<CommandResult> {
  const { verifyCommand } = (await distModule('commands/verify.js')) as { verifyCommand: VerifyCommand };
  return captured(() => verifyCommand(resolve(dir, folder), { workers: options.workers ?? 1 }));
}

/** `gradgrid worker --queue <url>`, for the cases where it returns at once (a bad or unreachable queue). */
export async function workerInProcess(url: string): Promise<CommandResult> {
  const { workerCommand } = (await distModule('commands/worker.js')) as { workerCommand: WorkerCommand };
  return captured(() => workerCommand({ queue: url, concurrency: 1 }));
}

/**
 * Runs `command` (a command function returning its exit code) with this thread's stdout and stderr
 * writes collected instead of printed. One command at a time: a second one captured while the
 * first runs would see the first's writes.
 */
export async function captured(command: () => number | Promise<number>): Promise<CommandResult> {
  const printed = { stdout: '', stderr: '' };
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
  }
  try {
    return { code: await command(), ...printed };
  } finally {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
  }
}
