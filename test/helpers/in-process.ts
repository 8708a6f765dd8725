// Sweeps an experiment file inside the test process with the built CLI's own sweep command
// (dist/src/commands/sweep.js, the code `gradgrid sweep` runs after parsing its arguments): no
// Node start-up and no module loading per sweep, for tests that check numbers and files rather than
// the command line. Its runs still train on worker threads, as in the CLI; its report (when asked
// for) is written on the calling thread, as the CLI writes the report of a large sweep.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './cli.js';

export interface InProcessSweep {
  /** The result folder, relative to `dir`. */
  out: string;
  /** Default 1: a test runs several sweeps at once, and vitest's workers share 2 cores. */
  workers?: number;
  /** Write report.html (default false). */
  report?: boolean;
  fresh?: boolean;
  set?: string[];
}

type SweepThreads = unknown;
type SweepCommand = (file: string, options: InProcessSweep & { quiet: boolean; argv: string[]; threads: SweepThreads }) => Promise<number>;
type StartSweepThreads = (options: { workers?: number; report?: boolean }) => SweepThreads;

let loaded: Promise<{ sweepCommand: SweepCommand; startSweepThreads: StartSweepThreads }> | undefined;

const distModule = (path: string) => import(pathToFileURL(resolve(ROOT, 'dist/src', path)).href);

/**
 * `gradgrid sweep <file> --out <out> --quiet` run in `dir`, resolved to the sweep's exit code.
 * Paths are made absolute here: a worker thread (vitest's, and so this sweep's) cannot change folder.
 */
export async function sweepInProcess(dir: string, file: string, options: InProcessSweep): Promise<number> {
  loaded ??= Promise.all([distModule('commands/sweep.js'), distModule('commands/sweep-threads.js')]).then(([sweep, threads]) => ({
    sweepCommand: sweep.sweepCommand as SweepCommand,
    startSweepThreads: threads.startSweepThreads as StartSweepThreads,
  }));
  const { sweepCommand, startSweepThreads } = await loaded;
  const argv = ['sweep', file, '--out', options.out, '--quiet'];
  const workers = options.workers ?? 1;
  // No report thread: report.html, when asked for, is written on this thread, whose charting
  // libraries stay loaded from one sweep to the next (a report thread would load them afresh each time).
  const threads = startSweepThreads({ workers, report: false });
  return sweepCommand(resolve(dir, file), { report: false, ...options, workers, out: resolve(dir, options.out), quiet: true, argv, threads });
}
