// Sweeps an experiment file inside the test process with the built CLI's own sweep command
// (dist/src/commands/sweep.js, the code `gradgrid sweep` runs after parsing its arguments): no
// Node start-up and no module loading per sweep, for tests that check numbers and files rather than
// the command line. Its runs still train on worker threads, as in the CLI.
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

type SweepCommand = (file: string, options: InProcessSweep & { quiet: boolean; argv: string[] }) => Promise<number>;

let loaded: Promise<SweepCommand> | undefined;

/**
 * `gradgrid sweep <file> --out <out> --quiet` run in `dir`, resolved to the sweep's exit code.
 * Paths are made absolute here: a worker thread (vitest's, and so this sweep's) cannot change folder.
 */
export async function sweepInProcess(dir: string, file: string, options: InProcessSweep): Promise<number> {
  loaded ??= import(pathToFileURL(resolve(ROOT, 'dist/src/commands/sweep.js')).href).then((module) => module.sweepCommand as SweepCommand);
  const sweepCommand = await loaded;
  const argv = ['sweep', file, '--out', options.out, '--quiet'];
  return sweepCommand(resolve(dir, file), { workers: 1, report: false, ...options, out: resolve(dir, options.out), quiet: true, argv });
}
