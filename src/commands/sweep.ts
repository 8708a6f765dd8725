// `gradgrid sweep FILE`: validate, expand the grid, train every run, and write summary.csv,
// curves.csv, manifest.json and report.html. Where the runs train is the launcher's business:
// the local worker pool (default), a Redis queue with workers anywhere (--queue), or one shard
// of a cluster job array (--shard i/n, which only fills runs/ for a later plain sweep to assemble).
// Interrupts keep what finished.
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { RunSpec } from '../experiment/types.js';
import { ENGINE_VERSION } from '../nn/version.js';
import { csvColumns, CurvesCsvWriter, writeSummaryCsv } from '../output/csv.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { acquireFolderLock, FolderLockedError } from '../sweep/folder-lock.js';
import { DataStore } from '../sweep/data-store.js';
import { createWorkerPool, launchRuns, type Launch, type RunOutcome } from '../sweep/launcher.js';
import type { QueueSession } from '../sweep/queue-launcher.js';
import { queueUrlProblem } from '../sweep/queue-protocol.js';
import { inShard, parseShard, type Shard } from '../sweep/shard.js';
import { OrderedSink } from '../sweep/ordered-sink.js';
import { RunStore } from '../sweep/run-store.js';
import { createProgress, type Progress } from '../terminal/progress.js';
import { formatRunTable } from '../terminal/run-table.js';
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED, reportInputError } from './input-errors.js';
import { prepareSweep, type PreparedSweep } from './prepare-sweep.js';

export interface SweepOptions {
  out?: string;
  workers?: number;
  quiet?: boolean;
  fresh?: boolean;
  report?: boolean;
  /** A Redis URL: train on `gradgrid worker` processes through this queue. */
  queue?: string;
  /** "i/n": train only this shard's runs into <out>/runs/. */
  shard?: string;
  /** With a queue: tries per run before it is a failed row. */
  attempts?: number;
  /** The command line as typed, for the manifest. */
  argv: string[];
}

type Where = { kind: 'local' } | { kind: 'shard'; shard: Shard } | { kind: 'queue'; url: string };

const workerMemoryMb = () => Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined;

/** --queue, --shard, or the local pool; GRADGRID_QUEUE applies when none of them is asked for. */
function whereToRun(options: SweepOptions): Where | string {
  if (options.queue !== undefined && options.shard !== undefined) return '--queue and --shard exclude each other';
  if (options.shard !== undefined) {
    if (options.attempts !== undefined) return '--attempts applies to runs on a queue (--queue), not to shards';
    const shard = parseShard(options.shard);
    return typeof shard === 'string' ? shard : { kind: 'shard', shard };
  }
  const url = options.queue ?? (options.workers === undefined ? process.env.GRADGRID_QUEUE || undefined : undefined);
  if (url === undefined) return options.attempts === undefined ? { kind: 'local' } : '--attempts applies to runs on a queue (--queue)';
  if (options.workers !== undefined) return '--workers sets the local pool; with --queue each `gradgrid worker` sets its own --concurrency';
  return queueUrlProblem(url) ?? { kind: 'queue', url };
}

export async function sweepCommand(file: string, options: SweepOptions): Promise<number> {
  const where = whereToRun(options);
  if (typeof where === 'string') {
    process.stderr.write(`error: ${where}\n`);
    return EXIT_INVALID;
  }
  if (where.kind === 'queue') return sweepOnQueue(file, where.url, options);

  // Start the workers first: their start-up overlaps reading and checking the experiment.
  const requestedWorkers = Math.max(1, options.workers ?? availableParallelism());
  const pool = createWorkerPool(requestedWorkers, workerMemoryMb());
  try {
    let sweep: PreparedSweep;
    try {
      sweep = prepareSweep(file);
    } catch (error) {
      return reportInputError(error);
    }
    const outDir = options.out ?? join('results', sweep.loaded.experiment.name);
    const runs = where.kind === 'shard' ? sweep.runs.filter((run) => inShard(run.index, where.shard)) : sweep.runs;
    const workers = Math.max(1, Math.min(requestedWorkers, runs.length));
    await pool.shrinkTo(workers);
    const start = (onOutcome: (outcome: RunOutcome) => Promise<void>) =>
      launchRuns(runs, {
        workers,
        store: new RunStore(join(outDir, 'runs')),
        engineVersion: ENGINE_VERSION,
        fresh: options.fresh ?? false,
        contents: sweep.dataFiles.all(),
        pool,
        onOutcome,
      });
    // Shards share their folder (a shared filesystem): each writes only its own runs/<hash>.json.
    if (where.kind === 'shard') {
      const prepared = await prepareFolder(outDir, false);
      if (typeof prepared === 'number') return prepared;
      return await runShard(sweep, runs, where.shard, outDir, workers, start, options);
    }
    const release = await prepareFolder(outDir, true);
    if (typeof release === 'number') return release;
    try {
      return await runSweep(sweep, outDir, { description: `on ${workers} worker${workers === 1 ? '' : 's'}`, workers, start }, options);
    } finally {
      release();
    }
  } finally {
    await pool.terminate();
  }
}

/** Creates <out>/runs/ and, for a whole sweep, locks the folder; an exit code when it cannot. */
async function prepareFolder(outDir: string, lock: boolean): Promise<(() => void) | number> {
  try {
    await mkdir(join(outDir, 'runs'), { recursive: true });
    return lock ? acquireFolderLock(outDir) : () => undefined;
  } catch (error) {
    const message = error instanceof FolderLockedError ? error.message : `cannot write to ${outDir}: ${(error as Error).message}`;
    process.stderr.write(`error: ${message}\n`);
    return EXIT_INVALID;
  }
}

async function sweepOnQueue(file: string, url: string, options: SweepOptions): Promise<number> {
  let sweep: PreparedSweep;
  try {
    sweep = prepareSweep(file);
  } catch (error) {
    return reportInputError(error);
  }
  // Loaded only here: BullMQ and ioredis take a while to load, and local sweeps never need them.
  const queueLauncher = await import('../sweep/queue-launcher.js');
  const { QueueUnreachableError } = await import('../sweep/queue-connection.js');
  const { DEFAULT_ATTEMPTS, launchOnQueue } = queueLauncher;
  let session: QueueSession;
  try {
    session = await queueLauncher.QueueSession.open(url, ENGINE_VERSION);
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return EXIT_INVALID;
  }
  try {
    const outDir = options.out ?? join('results', sweep.loaded.experiment.name);
    const release = await prepareFolder(outDir, true);
    if (typeof release === 'number') return release;
    try {
      const start = (onOutcome: (outcome: RunOutcome) => Promise<void>, note: (message: string) => void) =>
        launchOnQueue(session, sweep.runs, {
          store: new RunStore(join(outDir, 'runs')),
          engineVersion: ENGINE_VERSION,
          fresh: options.fresh ?? false,
          attempts: options.attempts ?? DEFAULT_ATTEMPTS,
          contents: sweep.dataFiles.all(),
          onOutcome,
          onNote: note,
        });
      return await runSweep(
        sweep,
        outDir,
        {
          description: `on the queue ${session.where}`,
          workers: 0,
          start,
          interruptNote: (signal, launch) =>
            `${signal}: stopped waiting; ${launch.running()} run(s) training and the queued ones stay on the queue — ` +
            'run the same command again to collect them.',
        },
        options,
      );
    } finally {
      release();
    }
  } finally {
    await session.close();
  }
}

interface Launcher {
  /** For the first line: "on 2 workers", "on the queue redis://...". */
  description: string;
  /** Local worker threads, for the manifest (0 when the runs train elsewhere). */
  workers: number;
  start(onOutcome: (outcome: RunOutcome) => Promise<void>, note: (message: string) => void): Launch;
  /** What the first Ctrl-C does, when not the local pool's "finish the running runs". */
  interruptNote?: (signal: NodeJS.Signals, launch: Launch) => string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const describeRun = ({ spec, record, reused }: RunOutcome) => {
  const values = spec.params.map(([key, value]) => `${key}=${value}`).join(' ');
  return `run ${spec.index}${values ? ` ${values}` : ''}: ${record.status}${reused ? ' (stored)' : ''}`;
};

/** Stops the launch on SIGINT/SIGTERM (a second one aborts); returns a function that unhooks it. */
function onInterrupts(launch: Launch, progress: Progress, firstNote: (signal: NodeJS.Signals) => string): () => void {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      launch.stopDispatch();
      progress.note(firstNote(signal));
    } else {
      progress.note(`${signal}: aborting running runs; writing what has finished.`);
      void launch.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** One shard: its runs into runs/, nothing else (the assembling sweep writes the rest). */
async function runShard(
  sweep: PreparedSweep,
  runs: RunSpec[],
  shard: Shard,
  outDir: string,
  workers: number,
  start: Launcher['start'],
  options: SweepOptions,
): Promise<number> {
  const name = `shard ${shard.index}/${shard.count}`;
  if (!options.quiet) {
    process.stderr.write(`gradgrid: ${name}: ${plural(runs.length, 'run')} of ${sweep.runs.length} of ${sweep.loaded.experiment.name} on ${plural(workers, 'worker')} -> ${join(outDir, 'runs')}/\n`);
  }
  const progress = createProgress(runs.length, { quiet: options.quiet ?? false });
  const counts = { trained: 0, reused: 0, failed: 0 };
  const launch = start(async (outcome) => {
    progress.tick(describeRun(outcome));
    if (outcome.record.status === 'failed') counts.failed++;
    else if (outcome.reused) counts.reused++;
    else counts.trained++;
  }, (message) => progress.note(message));
  const unhook = onInterrupts(launch, progress, (signal) => `${signal}: no new runs will start; waiting for ${launch.running()} running run(s) to finish.`);
  try {
    await launch.done;
  } finally {
    unhook();
    progress.stop();
  }
  const finished = counts.trained + counts.reused + counts.failed;
  process.stdout.write(
    `${name}: ${counts.trained} trained, ${counts.reused} already stored, ${counts.failed} failed -> ${join(outDir, 'runs')}/\n` +
      (finished === runs.length ? `When every shard is done: gradgrid sweep ${relative(process.cwd(), sweep.loaded.file) || sweep.loaded.file} --out ${outDir}\n` : ''),
  );
  if (finished < runs.length) {
    process.stderr.write(`Interrupted: ${finished} of ${runs.length} runs of this shard finished; run it again to resume.\n`);
    return EXIT_INTERRUPTED;
  }
  return counts.failed > 0 ? EXIT_RUNS_FAILED : EXIT_OK;
}

async function runSweep(sweep: PreparedSweep, outDir: string, launcher: Launcher, options: SweepOptions): Promise<number> {
  const { loaded, runs, sweepKeys } = sweep;
  const startedAt = new Date();
  const store = new RunStore(join(outDir, 'runs'));
  await new DataStore(join(outDir, 'data')).writeAll(sweep.dataFiles.all());
  const columns = csvColumns(runs.map((run) => run.experiment));
  const curves = new CurvesCsvWriter(join(outDir, 'curves.csv'), sweepKeys, columns);
  await curves.start();
  const sink = new OrderedSink(curves, { readCurve: (hash) => store.readCurve(hash, ENGINE_VERSION) });
  if (!options.quiet) {
    process.stderr.write(`gradgrid: ${plural(runs.length, 'run')} of ${loaded.experiment.name} ${launcher.description} -> ${outDir}\n`);
  }
  const progress = createProgress(runs.length, { quiet: options.quiet ?? false });

  const launch = launcher.start(
    async (outcome) => {
      progress.tick(describeRun(outcome));
      await sink.add(outcome);
    },
    (message) => progress.note(message),
  );
  const unhook = onInterrupts(
    launch,
    progress,
    (signal) =>
      launcher.interruptNote?.(signal, launch) ??
      `${signal}: no new runs will start; waiting for ${launch.running()} running run(s) to finish. Press Ctrl-C again to abort them.`,
  );

  try {
    await launch.done;
    await sink.flushAll();
  } catch (error) {
    await curves.abort();
    throw error;
  } finally {
    unhook();
    progress.stop();
  }
  // Complete means every run has a result; a Ctrl-C after the last run finished changes nothing.
  const complete = sink.rows.length === runs.length;

  await curves.commit();
  await writeSummaryCsv(join(outDir, 'summary.csv'), sweepKeys, sink.rows, columns);
  const manifest = buildManifest({
    engineVersion: ENGINE_VERSION,
    command: options.argv,
    file: relative(process.cwd(), loaded.file) || loaded.file,
    source: loaded.source,
    parsed: loaded.experiment,
    sweepKeys,
    pointsOf: sweep.pointsOf,
    runs,
    finished: sink.rows,
    complete,
    startedAt,
    finishedAt: new Date(),
    workers: launcher.workers,
  });
  await writeManifest(join(outDir, 'manifest.json'), manifest);
  const written = ['summary.csv', 'curves.csv', 'manifest.json'];
  if (options.report !== false) {
    // Loaded only here: the charting libraries are the slowest part of start-up.
    const { writeReport } = await import('../output/report/index.js');
    await writeReport(outDir);
    written.push('report.html');
  }

  if (!options.quiet) process.stdout.write(`${formatRunTable(sweepKeys, sink.rows)}\n\n`);
  const reused = sink.rows.filter((row) => row.reused).length;
  process.stdout.write(
    `Results in ${outDir}/: ${written.join(', ')}` +
      (reused ? ` (${plural(reused, 'run')} reused from ${join(outDir, 'runs')}/; --fresh recomputes)` : '') +
      '\n',
  );
  if (!complete) {
    process.stderr.write(
      `Interrupted: ${sink.rows.length} of ${runs.length} runs finished; the manifest is marked incomplete. Run the same command again to resume.\n`,
    );
    return EXIT_INTERRUPTED;
  }
  const failed = sink.rows.filter((row) => row.facts.status === 'failed').length;
  if (failed) {
    process.stderr.write(`${plural(failed, 'run')} failed; see the error column of summary.csv.\n`);
    return EXIT_RUNS_FAILED;
  }
  return EXIT_OK;
}
