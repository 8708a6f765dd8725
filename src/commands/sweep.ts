// `gradgrid sweep FILE`: validate, expand the grid, train every run on the worker pool (or, for a
// stability-limit search, the probes it chooses round by round), and write summary.csv,
// curves.csv, manifest.json, report.html (and stability.csv). Interrupts keep what finished.
import { join, relative } from 'node:path';
import { ENGINE_VERSION } from '../nn/version.js';
import type { RunSpec } from '../experiment/types.js';
import { baseLearningRates, csvColumns, CurvesCsvWriter, writeSummaryCsv, type CsvColumns, type ExtraColumn } from '../output/csv.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { ReportThreadGone, type ReportThread } from '../output/report/thread.js';
import { STABILITY_FILE, writeStabilityCsv } from '../output/stability-csv.js';
import type { FinishedRun } from '../run/run-record.js';
import { INTERIOR_PROBES, StabilitySearch } from '../search/index.js';
import { FolderLockedError } from '../sweep/folder-lock.js';
import { openResultFolder, UnusableFolderError, type OpenFolder } from '../sweep/open-folder.js';
import { launchRuns, type RunOutcome } from '../sweep/launcher.js';
import { launchStabilitySearch, type SearchOutcome } from '../sweep/search-launcher.js';
import { workerCount } from '../sweep/worker-count.js';
import type { WorkerPool } from '../sweep/worker-pool.js';
import { DataStore } from '../sweep/data-store.js';
import { OrderedSink } from '../sweep/ordered-sink.js';
import { RunStore } from '../sweep/run-store.js';
import { createProgress, type Progress } from '../terminal/progress.js';
import { formatFailures } from '../terminal/failures.js';
import { formatRunTable } from '../terminal/run-table.js';
import { formatStabilityTable } from '../terminal/stability-table.js';
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED, reportInputError } from './input-errors.js';
import { prepareSweep, type PreparedSweep } from './prepare-sweep.js';
import { recordedPoints, REPORT_THREAD_MAX_POINTS, startSweepThreads, type SweepThreads } from './sweep-threads.js';

export interface SweepOptions {
  out?: string;
  workers?: number;
  quiet?: boolean;
  fresh?: boolean;
  report?: boolean;
  /** --set overrides, `key=value` each, in the order typed. */
  set?: string[];
  /** The command line as typed, for the manifest. */
  argv: string[];
  /** The workers and the report thread, when the caller started them already. */
  threads?: SweepThreads;
}

export async function sweepCommand(file: string, options: SweepOptions): Promise<number> {
  // The threads start first: their start-up overlaps reading and checking the experiment (the CLI
  // starts them before it loads this module; see sweep-threads.ts).
  const { pool, requestedWorkers, explicitWorkers, report } = options.threads ?? startSweepThreads(options);
  let reportThread = report;
  try {
    let sweep: PreparedSweep;
    try {
      sweep = prepareSweep(file, options.set ?? []);
    } catch (error) {
      return reportInputError(error);
    }
    const { loaded, runs } = sweep;
    const outDir = options.out ?? join('results', loaded.experiment.name);
    // A search's first round tries the most values at once: low, high and those between.
    const workers = sweep.search
      ? Math.min(requestedWorkers, runs.length * (INTERIOR_PROBES + 2))
      : workerCount(runs, { requested: requestedWorkers, explicit: explicitWorkers }, (spec) => {
          const { x } = sweep.dataOf(spec).train;
          return { examples: x.cols, features: x.rows };
        });
    pool.growTo(workers);
    await pool.shrinkTo(workers);
    // A large sweep's report is written on this thread after the workers stop (see REPORT_THREAD_MAX_POINTS).
    const runsToRecord = sweep.search ? runs.length * sweep.search.maxProbesPerPoint : runs.length;
    if (reportThread !== null && runsToRecord * Math.max(0, ...runs.map(recordedPoints)) > REPORT_THREAD_MAX_POINTS) {
      await reportThread.stop();
      reportThread = null;
    }
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
      return await runSweep(sweep, outDir, workers, pool, reportThread, options);
    } finally {
      folder.release();
    }
  } finally {
    await Promise.all([pool.terminate(), reportThread?.stop()]);
  }
}

/** What a sweep ran: the runs it planned, the ones that finished in their final order, and a search's result. */
interface Executed {
  planned: RunSpec[];
  rows: FinishedRun[];
  complete: boolean;
  search: SearchOutcome | null;
}

/** What the signal handler needs of a launch, grid or search. */
interface Stoppable {
  stopDispatch(): void;
  abort(): Promise<void>;
  running(): number;
}

async function runSweep(
  sweep: PreparedSweep,
  outDir: string,
  workers: number,
  pool: WorkerPool,
  reportThread: ReportThread | null,
  options: SweepOptions,
): Promise<number> {
  const { loaded, runs, sweepKeys } = sweep;
  const startedAt = new Date();
  const store = new RunStore(join(outDir, 'runs'));
  await new DataStore(join(outDir, 'data')).writeAll(sweep.dataFiles.all());
  const columns = csvColumns(runs.map((run) => run.experiment));
  // A search's probed value is a column of its own, after the sweep keys.
  const csvKeys = sweep.search ? [...sweepKeys, sweep.search.settings.key] : sweepKeys;
  const curves = new CurvesCsvWriter(join(outDir, 'curves.csv'), csvKeys, columns, baseLearningRates(runs));
  await curves.start();
  if (!options.quiet) process.stderr.write(`gradgrid: ${sweepHeadline(sweep, workers)} -> ${outDir}\n`);
  const total = sweep.search ? runs.length * sweep.search.maxProbesPerPoint : runs.length;
  const progress = createProgress(total, { quiet: options.quiet ?? false });
  const launchOptions = {
    workers,
    store,
    engineVersion: ENGINE_VERSION,
    fresh: options.fresh ?? false,
    contents: sweep.dataFiles.all(),
    pool,
  };
  const tick = ({ spec, record, reused }: RunOutcome, after = '') => {
    const values = spec.params.map(([key, value]) => `${key}=${value}`).join(' ');
    const run = sweep.search ? 'probe' : `run ${spec.index}`;
    progress.tick(`${run}${values ? ` ${values}` : ''}: ${record.status}${after}${reused ? ' (stored)' : ''}`);
  };

  let executed: Executed;
  try {
    if (sweep.search) {
      const launch = launchStabilitySearch(new StabilitySearch(sweep.search), {
        ...launchOptions,
        onOutcome: (outcome, verdict) => tick(outcome, verdict === 'beyond' ? ', beyond the limit' : verdict === 'stable' ? ', stable' : ''),
      });
      const outcome = await withSignals(launch, progress, () => launch.done);
      // The probes ran round by round; their curves go out in the final order, copied from runs/.
      for (const run of outcome.finished) {
        const curveFile = run.facts.status === 'failed' ? null : store.curvePathOf(run.facts.hash);
        await curves.append(run, curveFile, writingCurve(progress, run));
      }
      executed = { planned: outcome.runs, rows: outcome.finished, complete: outcome.complete, search: outcome };
    } else {
      const sink = new OrderedSink(curves, (run, rows) => writingCurve(progress, run)(rows));
      const launch = launchRuns(runs, {
        ...launchOptions,
        async onOutcome(outcome) {
          tick(outcome);
          // Not awaited: the worker takes its next run while this curve is copied into curves.csv.
          // A failure to write surfaces at flushAll below.
          sink.add(outcome).catch(() => undefined);
        },
      });
      await withSignals(launch, progress, async () => {
        await launch.done;
        await sink.flushAll();
      });
      // Complete means every run has a result; a Ctrl-C after the last run finished changes nothing.
      executed = { planned: runs, rows: sink.rows, complete: sink.rows.length === runs.length, search: null };
    }
  } catch (error) {
    await curves.abort();
    progress.stop();
    throw error;
  }
  try {
    return await writeResults(sweep, outDir, workers, options, { executed, curves, columns, csvKeys, startedAt, progress, pool, reportThread });
  } finally {
    progress.stop();
  }
}

/** After the runs: summary.csv, stability.csv, manifest.json, report.html, the table and the verdict. */
async function writeResults(
  sweep: PreparedSweep,
  outDir: string,
  workers: number,
  options: SweepOptions,
  context: {
    executed: Executed;
    curves: CurvesCsvWriter;
    columns: CsvColumns;
    csvKeys: string[];
    startedAt: Date;
    progress: Progress;
    pool: WorkerPool;
    reportThread: ReportThread | null;
  },
): Promise<number> {
  const { executed, curves, columns, csvKeys, startedAt, progress, pool, reportThread } = context;
  const { loaded, sweepKeys } = sweep;
  // The workers' memory is not needed for writing the results.
  await pool.terminate();
  const { planned, rows, complete, search } = executed;

  progress.working('writing summary.csv and manifest.json');
  await curves.commit();
  const verdictColumn: ExtraColumn[] = search
    ? [{ name: 'beyond_limit', cell: (run) => ({ beyond: true, stable: false, failed: null })[search.verdicts.get(run.index) ?? 'failed'] }]
    : [];
  await writeSummaryCsv(join(outDir, 'summary.csv'), csvKeys, rows, columns, verdictColumn);
  const written = ['summary.csv', 'curves.csv'];
  if (search) {
    await writeStabilityCsv(join(outDir, STABILITY_FILE), sweepKeys, search.rows);
    written.push(STABILITY_FILE);
  }
  const manifest = buildManifest({
    engineVersion: ENGINE_VERSION,
    command: options.argv,
    file: relative(process.cwd(), loaded.file) || loaded.file,
    source: loaded.source,
    overrides: loaded.overrides ?? [],
    parsed: loaded.experiment,
    sweepKeys: csvKeys,
    pointsOf: sweep.pointsOf,
    classesOf: (spec) => sweep.dataOf(spec).classes,
    runs: planned,
    finished: rows,
    complete,
    startedAt,
    finishedAt: new Date(),
    workers,
  });
  await writeManifest(join(outDir, 'manifest.json'), manifest);
  written.push('manifest.json');
  if (options.report !== false) {
    progress.working('writing report.html');
    await writeReportHtml(outDir, reportThread, (what) => progress.working(`writing report.html: ${what}`));
    written.push('report.html');
  }
  progress.stop();

  if (!options.quiet) {
    process.stdout.write(`${formatRunTable(csvKeys, rows)}\n\n`);
    if (search) process.stdout.write(`${formatStabilityTable(sweepKeys, sweep.search!.settings.key, search.rows)}\n\n`);
  }
  const reused = rows.filter((row) => row.reused).length;
  process.stdout.write(
    `Results in ${outDir}/: ${written.join(', ')}` +
      (reused ? ` (${reused} run${reused === 1 ? '' : 's'} reused from ${join(outDir, 'runs')}/; --fresh recomputes)` : '') +
      '\n',
  );
  const failures = formatFailures(rows);
  if (failures) process.stderr.write(`${failures}\n`);
  if (!complete) {
    const what = search ? 'the search stopped before its end' : `${rows.length} of ${planned.length} runs finished`;
    process.stderr.write(
      `Interrupted: ${what}; the manifest is marked incomplete. Run the same command again to resume.\n`,
    );
    return EXIT_INTERRUPTED;
  }
  if (failures) return EXIT_RUNS_FAILED;
  return EXIT_OK;
}

/**
 * report.html: on the report thread, which has loaded the charting libraries while the runs trained;
 * on this thread when there is none (a large sweep) or it is gone (it crashed or ran out of memory).
 */
async function writeReportHtml(outDir: string, reportThread: ReportThread | null, onProgress: (what: string) => void): Promise<void> {
  if (reportThread !== null) {
    try {
      await reportThread.write(outDir, onProgress);
      return;
    } catch (error) {
      if (!(error instanceof ReportThreadGone)) throw error;
    }
  }
  // Loaded only here: the charting libraries are the slowest part of start-up.
  const { writeReport } = await import('../output/report/index.js');
  await writeReport(outDir, onProgress);
}

function sweepHeadline(sweep: PreparedSweep, workers: number): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const on = `on ${plural(workers, 'worker')}`;
  const { name } = sweep.loaded.experiment;
  if (!sweep.search) return `${plural(sweep.runs.length, 'run')} of ${name} ${on}`;
  const { key } = sweep.search.settings;
  return `stability limit of ${key} for ${name} at ${plural(sweep.runs.length, 'grid point')} (at most ${plural(sweep.search.maxProbesPerPoint, 'run')} each) ${on}`;
}

/** Progress while a run's curve is copied into curves.csv. */
function writingCurve(progress: Progress, run: FinishedRun): (rows: number) => void {
  return (rows) => progress.working(`writing curves.csv: run ${run.index}, ${rows} of ${run.facts.points} rows`);
}

/**
 * Runs `work` with Ctrl-C handling: the first SIGINT/SIGTERM stops dispatch (running runs finish),
 * the second aborts the running runs.
 */
async function withSignals<T>(launch: Stoppable, progress: Progress, work: () => Promise<T>): Promise<T> {
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
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
