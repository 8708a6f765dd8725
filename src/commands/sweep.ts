// `gradgrid sweep FILE`: validate, expand the grid, train every run on the worker pool, and
// write summary.csv, curves.csv, manifest.json and report.html. Interrupts keep what finished.
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { ENGINE_VERSION } from '../nn/version.js';
import { csvColumns, CurvesCsvWriter, writeSummaryCsv, type CsvColumns } from '../output/csv.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { FolderLockedError } from '../sweep/folder-lock.js';
import { openResultFolder, UnusableFolderError, type OpenFolder } from '../sweep/open-folder.js';
import { createWorkerPool, launchRuns } from '../sweep/launcher.js';
import type { WorkerPool } from '../sweep/worker-pool.js';
import { DataStore } from '../sweep/data-store.js';
import { OrderedSink } from '../sweep/ordered-sink.js';
import { RunStore } from '../sweep/run-store.js';
import { createProgress, type Progress } from '../terminal/progress.js';
import { formatFailures } from '../terminal/failures.js';
import { formatRunTable } from '../terminal/run-table.js';
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED, reportInputError } from './input-errors.js';
import { prepareSweep, type PreparedSweep } from './prepare-sweep.js';

export interface SweepOptions {
  out?: string;
  workers?: number;
  quiet?: boolean;
  fresh?: boolean;
  report?: boolean;
  /** The command line as typed, for the manifest. */
  argv: string[];
}

const workerMemoryMb = () => Number(process.env.GRADGRID_WORKER_MEMORY_MB) || undefined;

export async function sweepCommand(file: string, options: SweepOptions): Promise<number> {
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
    const { loaded, runs } = sweep;
    const outDir = options.out ?? join('results', loaded.experiment.name);
    const workers = Math.min(requestedWorkers, runs.length);
    await pool.shrinkTo(workers);
    let folder: OpenFolder;
    try {
      folder = await openResultFolder(outDir);
    } catch (error) {
      if (!(error instanceof FolderLockedError || error instanceof UnusableFolderError)) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_INVALID;
    }
    try {
      if (folder.removed.length && !options.quiet) {
        const n = folder.removed.length;
        process.stderr.write(`gradgrid: removed ${n} temporary file${n === 1 ? '' : 's'} an earlier sweep into ${outDir} left unfinished\n`);
      }
      return await runSweep(sweep, outDir, workers, pool, options);
    } finally {
      folder.release();
    }
  } finally {
    await pool.terminate();
  }
}

async function runSweep(
  sweep: PreparedSweep,
  outDir: string,
  workers: number,
  pool: WorkerPool,
  options: SweepOptions,
): Promise<number> {
  const { loaded, runs, sweepKeys } = sweep;
  const startedAt = new Date();
  const store = new RunStore(join(outDir, 'runs'));
  await new DataStore(join(outDir, 'data')).writeAll(sweep.dataFiles.all());
  const columns = csvColumns(runs.map((run) => run.experiment));
  const curves = new CurvesCsvWriter(join(outDir, 'curves.csv'), sweepKeys, columns);
  await curves.start();
  if (!options.quiet) {
    process.stderr.write(
      `gradgrid: ${runs.length} run${runs.length === 1 ? '' : 's'} of ${loaded.experiment.name} on ${workers} worker${workers === 1 ? '' : 's'} -> ${outDir}\n`,
    );
  }
  const progress = createProgress(runs.length, { quiet: options.quiet ?? false });
  try {
    return await trainAndWrite(sweep, outDir, workers, pool, options, { store, curves, columns, progress, startedAt });
  } finally {
    progress.stop();
  }
}

async function trainAndWrite(
  sweep: PreparedSweep,
  outDir: string,
  workers: number,
  pool: WorkerPool,
  options: SweepOptions,
  { store, curves, columns, progress, startedAt }: { store: RunStore; curves: CurvesCsvWriter; columns: CsvColumns; progress: Progress; startedAt: Date },
): Promise<number> {
  const { loaded, runs, sweepKeys } = sweep;
  const sink = new OrderedSink(curves, (run, rows) =>
    progress.working(`writing curves.csv: run ${run.index}, ${rows} of ${run.facts.points} rows`),
  );

  const launch = launchRuns(runs, {
    workers,
    store,
    engineVersion: ENGINE_VERSION,
    fresh: options.fresh ?? false,
    contents: sweep.dataFiles.all(),
    pool,
    async onOutcome(outcome) {
      const { spec, record, reused } = outcome;
      const values = spec.params.map(([key, value]) => `${key}=${value}`).join(' ');
      progress.tick(`run ${spec.index}${values ? ` ${values}` : ''}: ${record.status}${reused ? ' (stored)' : ''}`);
      // Not awaited: the worker takes its next run while this curve is copied into curves.csv.
      // A failure to write surfaces at flushAll below.
      sink.add(outcome).catch(() => undefined);
    },
  });

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      launch.stopDispatch();
      progress.note(
        `${signal}: no new runs will start; waiting for ${launch.running()} running run(s) to finish. Press Ctrl-C again to abort them.`,
      );
    } else {
      progress.note(`${signal}: aborting running runs; writing what has finished.`);
      void launch.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await launch.done;
    await sink.flushAll();
  } catch (error) {
    await curves.abort();
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // Complete means every run has a result; a Ctrl-C after the last run finished changes nothing.
  const complete = sink.rows.length === runs.length;

  progress.working('writing summary.csv and manifest.json');
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
    workers,
  });
  await writeManifest(join(outDir, 'manifest.json'), manifest);
  const written = ['summary.csv', 'curves.csv', 'manifest.json'];
  if (options.report !== false) {
    // Loaded only here: the charting libraries are the slowest part of start-up.
    progress.working('writing report.html');
    const { writeReport } = await import('../output/report/index.js');
    await writeReport(outDir, (what) => progress.working(`writing report.html: ${what}`));
    written.push('report.html');
  }
  progress.stop();

  if (!options.quiet) process.stdout.write(`${formatRunTable(sweepKeys, sink.rows)}\n\n`);
  const reused = sink.rows.filter((row) => row.reused).length;
  process.stdout.write(
    `Results in ${outDir}/: ${written.join(', ')}` +
      (reused ? ` (${reused} run${reused === 1 ? '' : 's'} reused from ${join(outDir, 'runs')}/; --fresh recomputes)` : '') +
      '\n',
  );
  const failures = formatFailures(sink.rows);
  if (failures) process.stderr.write(`${failures}\n`);
  if (!complete) {
    process.stderr.write(
      `Interrupted: ${sink.rows.length} of ${runs.length} runs finished; the manifest is marked incomplete. Run the same command again to resume.\n`,
    );
    return EXIT_INTERRUPTED;
  }
  if (failures) return EXIT_RUNS_FAILED;
  return EXIT_OK;
}
