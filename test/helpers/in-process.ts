// Sweeps an experiment file inside the test process with the built CLI's own sweep command
// (dist/src/commands/sweep.js, the code `gradgrid sweep` runs after parsing its arguments): no
// Node start-up and no module loading per sweep, for tests that check numbers and files rather than
// the command line. Its runs still train on worker threads, as in the CLI (or on `gradgrid worker`s
// through a queue); its report (when asked for) is written on the calling thread, as the CLI writes
// the report of a large sweep. The other commands in-process: in-process-commands.ts.
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

interface WorkerPool {
  terminate(): Promise<void>;
}
interface SweepThreads {
  pool: WorkerPool;
}
type Where = string | { kind: 'local' | 'shard' | 'queue' };
type SweepCommand = (file: string, options: InProcessSweep & { quiet: boolean; argv: string[]; threads?: SweepThreads }) => Promise<number>;
type StartSweepThreads = (options: { workers?: number; report?: boolean }) => SweepThreads;
type WhereToRun = (options: { workers?: number; queue?: string; shard?: string; attempts?: number }, env: NodeJS.ProcessEnv) => Where;

/** A module of the built CLI (dist/src/<path>), as the CLI itself runs it. */
export const distModule = (path: string) => import(pathToFileURL(resolve(ROOT, 'dist/src', path)).href);

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
  if (typeof where === 'string' || where.kind !== 'local') {
    return sweepCommand(resolve(dir, file), { report: false, ...options, workers, out: resolve(dir, options.out), quiet: true, argv });
  }
  const size = workers ?? 1;
  const threads = kept.get(size)?.pop() ?? startSweepThreads({ workers: size });
  let finished = false;
  try {
    const code = await sweepCommand(resolve(dir, file), {
      report: false,
      ...options,
      workers: size,
      out: resolve(dir, options.out),
      quiet: true,
      argv,
      threads: { ...threads, pool: keepingAtTheEnd(threads.pool) },
    });
    finished = true;
    return code;
  } finally {
    if (finished) kept.set(size, [...(kept.get(size) ?? []), threads]);
    else await threads.pool.terminate();
  }
}

/**
 * Worker pools kept between in-process sweeps, by size: each sweep would otherwise start its worker
 * threads afresh and warm up their engine. A pool is only kept after a sweep that ended normally,
 * when none of its workers is on a run; a worker that died in a run was replaced by the pool. The
 * threads end with the test's thread.
 */
const kept = new Map<number, SweepThreads[]>();

/** The pool as the sweep command sees it: stopping it at the end leaves it running for the next sweep. */
function keepingAtTheEnd(pool: WorkerPool): WorkerPool {
  return new Proxy(pool, {
    get(target, key) {
      if (key === 'terminate') return async () => undefined;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
