// `gradgrid sweep FILE`: validate, expand the grid, train every run (or, for a stability-limit
// search, the probes it chooses round by round), and write summary.csv, curves.csv, manifest.json,
// report.html (and stability.csv). Where a grid's runs train is the launcher's business: the local
// worker pool (default), a Redis queue with workers anywhere (--queue), or one shard of a cluster
// job array (--shard i/n, which only fills runs/ for a later plain sweep to assemble). Interrupts
// keep what finished.
import { join, relative } from 'node:path';
import { ENGINE_VERSION } from '../nn/version.js';
import type { RunSpec } from '../experiment/types.js';
import { baseLearningRates, csvColumns, CurvesCsvWriter, writeSummaryCsv, type CsvColumns, type ExtraColumn } from '../output/csv.js';
import { HeldCurvesTap } from '../output/curves-tap.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { STABILITY_FILE, writeStabilityCsv } from '../output/stability-csv.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import type { FinishedRun } from '../run/run-record.js';
import { INTERIOR_PROBES, StabilitySearch } from '../search/index.js';
import { FolderLockedError } from '../sweep/folder-lock.js';
import { openResultFolder, UnusableFolderError, type OpenFolder } from '../sweep/open-folder.js';
import { launchRuns, type Launch, type LaunchOptions, type RunOutcome } from '../sweep/launcher.js';
import type { QueueSession } from '../sweep/queue-launcher.js';
import { queueUrlProblem } from '../sweep/queue-protocol.js';
import { launchStabilitySearch, type SearchOutcome } from '../sweep/search-launcher.js';
import { inShard } from '../sweep/shard.js';
import { workerCount } from '../sweep/worker-count.js';
import type { WorkerPool } from '../sweep/worker-pool.js';
import { DataStore } from '../sweep/data-store.js';
import { OrderedSink } from '../sweep/ordered-sink.js';
import { RunStore } from '../sweep/run-store.js';
import { createProgress, type Progress } from '../terminal/progress.js';
import { formatFailures } from '../terminal/failures.js';
import { formatRunTable } from '../terminal/run-table.js';
import { describeRun } from '../terminal/run-line.js';
import { formatStabilityTable } from '../terminal/stability-table.js';
import { dependencyVersions } from '../package-info.js';
import { plural } from '../text/plural.js';
import { EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_RUNS_FAILED, reportInputError } from './input-errors.js';
import { withSignals, type Stoppable } from './interrupts.js';
import { prepareSweep, type PreparedSweep } from './prepare-sweep.js';
import { runShard } from './sweep-shard.js';
import { whereToRun } from './where-to-run.js';
import { startSweepThreads, type SweepThreads } from './sweep-threads.js';

/**
 * A fresh run's curve of at most this many points (1.5 MB of numbers) comes back from its worker
 * as numbers too, and the report sketches it from those instead of parsing its rows' text on this
 * thread (which, copying each curve into curves.csv as well, was as busy as the worker in xor-lr).
 */
const KEEP_CURVE_POINTS = 131_072;

export interface SweepOptions {
  out?: string;
  workers?: number;
  quiet?: boolean;
  fresh?: boolean;
  report?: boolean;
  /** --set overrides, `key=value` each, in the order typed. */
  set?: string[];
  /** A Redis URL: train on `gradgrid worker` processes through this queue. */
  queue?: string;
  /** "i/n": train only this shard's runs into <out>/runs/. */
  shard?: string;
  /** With a queue: tries per run before it is a failed row. */
  attempts?: number;
  /** The command line as typed, for the manifest. */
  argv: string[];
  /** The workers, when the caller started them already (a local sweep; see sweep-threads.ts). */
  threads?: SweepThreads;
}

export async function sweepCommand(file: string, options: SweepOptions): Promise<number> {
  const where = whereToRun(options, process.env);
  if (typeof where === 'string' || where.kind === 'queue') {
    await stopThreads(options.threads);
    if (typeof where === 'string') return refuse(where);
    const problem = queueUrlProblem(where.url);
    return problem === null ? sweepOnQueue(file, where.url, options) : refuse(problem);
  }

  // The workers start first: their start-up overlaps reading and checking the experiment (the CLI
  // starts them before it loads this module).
  const threads = options.threads ?? startSweepThreads({ workers: options.workers });
  const { pool, requestedWorkers, explicitWorkers } = threads;
  const workersFor = (runs: RunSpec[], sweep: PreparedSweep) =>
    workerCount(runs, { requested: requestedWorkers, explicit: explicitWorkers }, (spec) => {
      const { x } = sweep.dataOf(spec).train;
      return { examples: x.cols, features: x.rows };
    });
  try {
    let sweep: PreparedSweep;
    try {
      sweep = prepareSweep(file, options.set ?? []);
    } catch (error) {
      return reportInputError(error);
    }
    const { loaded, runs } = sweep;
    const outDir = options.out ?? join('results', loaded.experiment.name);
    const localOptions = (workers: number) => ({
      workers,
      store: new RunStore(join(outDir, 'runs')),
      engineVersion: ENGINE_VERSION,
      fresh: options.fresh ?? false,
      contents: sweep.dataFiles.all(),
      pool,
    });
    if (where.kind === 'shard') {
      if (sweep.search) return refuse('a stability-limit search chooses its runs round by round; it cannot be split into shards');
      const mine = runs.filter((run) => inShard(run.index, where.shard));
      const workers = workersFor(mine, sweep);
      await pool.resizeTo(workers);
      // Shards share their folder (a shared filesystem): no lock; each writes only its own runs/<hash>.*.
      const folder = await openFolder(outDir, options, true);
      if (typeof folder === 'number') return folder;
      const start = (onOutcome: (outcome: RunOutcome) => Promise<void>) => launchRuns(mine, { ...localOptions(workers), onOutcome });
      return await runShard(sweep, mine, where.shard, outDir, workers, start, options.quiet ?? false);
    }
    // A search's first round tries the most values at once: low, high and those between.
    const workers = sweep.search ? Math.min(requestedWorkers, runs.length * (INTERIOR_PROBES + 2)) : workersFor(runs, sweep);
    await pool.resizeTo(workers);
    const folder = await openFolder(outDir, options, false);
    if (typeof folder === 'number') return folder;
    try {
      const local = localOptions(workers);
      return await runSweep(
        sweep,
        outDir,
        {
          on: `on ${plural(workers, 'worker')}`,
          workers,
          pool,
          local,
          startGrid: (onOutcome, _note, keepCurves) => launchRuns(runs, { ...local, onOutcome, keepCurves }),
        },
        options,
      );
    } finally {
      folder.release();
    }
  } finally {
    await pool.terminate();
  }
}

/** Stops threads the CLI started for a sweep that turns out not to train here. */
async function stopThreads(threads: SweepThreads | undefined): Promise<void> {
  if (threads) await threads.pool.terminate();
}

function refuse(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT_INVALID;
}

/**
 * Makes the output folder ready (openResultFolder) and says what an earlier sweep left unfinished
 * there; an exit code when the folder cannot be used. A shard's folder is `shared`: not locked.
 */
async function openFolder(outDir: string, options: SweepOptions, shared: boolean): Promise<OpenFolder | number> {
  let folder: OpenFolder;
  try {
    folder = await openResultFolder(outDir, { shared });
  } catch (error) {
    if (!(error instanceof FolderLockedError || error instanceof UnusableFolderError)) throw error;
    return refuse(error.message);
  }
  if (folder.removed.length && !options.quiet) {
    process.stderr.write(`gradgrid: removed ${plural(folder.removed.length, 'temporary file')} an earlier sweep into ${outDir} left unfinished\n`);
  }
  return folder;
}

async function sweepOnQueue(file: string, url: string, options: SweepOptions): Promise<number> {
  let sweep: PreparedSweep;
  try {
    sweep = prepareSweep(file, options.set ?? []);
  } catch (error) {
    return reportInputError(error);
  }
  if (sweep.search) return refuse('a stability-limit search chooses its runs round by round on the local pool; --queue takes grids');
  // Loaded only here: BullMQ and ioredis take a while to load, and local sweeps never need them.
  const queueLauncher = await import('../sweep/queue-launcher.js');
  const { QueueUnreachableError } = await import('../sweep/queue-connection.js');
  const { DEFAULT_ATTEMPTS, launchOnQueue } = queueLauncher;
  let session: QueueSession;
  try {
    session = await queueLauncher.QueueSession.open(url, ENGINE_VERSION);
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) throw error;
    return refuse(error.message);
  }
  try {
    const outDir = options.out ?? join('results', sweep.loaded.experiment.name);
    const folder = await openFolder(outDir, options, false);
    if (typeof folder === 'number') return folder;
    try {
      return await runSweep(
        sweep,
        outDir,
        {
          on: `on the queue ${session.where}`,
          workers: 0,
          pool: null,
          local: null,
          startGrid: (onOutcome, note) =>
            launchOnQueue(session, sweep.runs, {
              store: new RunStore(join(outDir, 'runs')),
              engineVersion: ENGINE_VERSION,
              fresh: options.fresh ?? false,
              attempts: options.attempts ?? DEFAULT_ATTEMPTS,
              contents: sweep.dataFiles.all(),
              onOutcome,
              onNote: note,
            }),
          interruptNote: (signal, launch) =>
            `${signal}: stopped waiting; ${launch.running()} run(s) training and the queued ones stay on the queue — ` +
            'run the same command again to collect them.',
        },
        options,
      );
    } finally {
      folder.release();
    }
  } finally {
    await session.close();
  }
}

/** Where a sweep's runs train. */
interface Launcher {
  /** For the first line: "on 2 workers", "on the queue redis://...". */
  on: string;
  /** Local worker threads, for the manifest (0 when the runs train elsewhere). */
  workers: number;
  /** The local pool, terminated once the runs are done (its memory is not needed for writing). */
  pool: WorkerPool | null;
  /** The local pool's launch settings: a stability-limit search runs there. */
  local: (Omit<LaunchOptions, 'onOutcome' | 'pool'> & { pool: WorkerPool }) | null;
  /** `keepCurves`: LaunchOptions.keepCurves, for a launcher whose runs train in this process. */
  startGrid(onOutcome: (outcome: RunOutcome) => Promise<void>, note: (message: string) => void, keepCurves: number): Launch;
  /** What the first Ctrl-C does, when not the local pool's "finish the running runs". */
  interruptNote?: (signal: NodeJS.Signals, launch: Stoppable) => string;
}

/** What a sweep ran: the runs it planned, the ones that finished in their final order, and a search's result. */
interface Executed {
  planned: RunSpec[];
  rows: FinishedRun[];
  complete: boolean;
  search: SearchOutcome | null;
}

async function runSweep(sweep: PreparedSweep, outDir: string, launcher: Launcher, options: SweepOptions): Promise<number> {
  const { runs, sweepKeys } = sweep;
  const startedAt = new Date();
  const store = new RunStore(join(outDir, 'runs'));
  await new DataStore(join(outDir, 'data')).writeAll(sweep.dataFiles.all());
  const columns = csvColumns(runs.map((run) => run.experiment));
  // A search's probed value is a column of its own, after the sweep keys.
  const csvKeys = sweep.search ? [...sweepKeys, sweep.search.settings.key] : sweepKeys;
  // The report sketches its curves from curves.csv's text as it is written (a search writes its
  // curves at the end, in an order known only then: its report reads the file).
  const tap = options.report === false || sweep.search ? null : new HeldCurvesTap();
  const curves = new CurvesCsvWriter(join(outDir, 'curves.csv'), csvKeys, columns, baseLearningRates(runs), tap ?? undefined);
  await curves.start();
  if (!options.quiet) process.stderr.write(`gradgrid: ${sweepHeadline(sweep, launcher.on)} -> ${outDir}\n`);
  const total = sweep.search ? runs.length * sweep.search.maxProbesPerPoint : runs.length;
  const progress = createProgress(total, { quiet: options.quiet ?? false });
  const tick = (outcome: RunOutcome, after = '') =>
    progress.tick(describeRun(outcome, sweep.search ? 'probe' : `run ${outcome.spec.index}`, after));

  // The report's modules load while the runs train, when this thread has little else to do.
  const report = options.report === false ? null : loadReport(tap, runs.length, sweep.loaded.experiment.divergence?.max_cost);
  let executed: Executed;
  try {
    if (sweep.search) {
      if (!launcher.local) throw new Error('a stability-limit search runs on the local pool');
      const launch = launchStabilitySearch(new StabilitySearch(sweep.search), {
        ...launcher.local,
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
      const launch = launcher.startGrid(
        async (outcome) => {
          tick(outcome);
          // Not awaited: the launcher goes on (a worker takes its next run) while this curve is
          // copied into curves.csv. A failure to write surfaces at flushAll below.
          sink.add(outcome).catch(() => undefined);
        },
        (message) => progress.note(message),
        tap ? KEEP_CURVE_POINTS : 0,
      );
      // Looked up while the runs train rather than for the manifest after them, but after the first
      // runs have gone to the workers.
      setImmediate(dependencyVersions);
      const firstNote = launcher.interruptNote && ((signal: NodeJS.Signals) => launcher.interruptNote!(signal, launch));
      await withSignals(
        launch,
        progress,
        async () => {
          await launch.done;
          await sink.flushAll();
        },
        firstNote,
      );
      // Complete means every run has a result; a Ctrl-C after the last run finished changes nothing.
      executed = { planned: runs, rows: sink.rows, complete: sink.rows.length === runs.length, search: null };
    }
  } catch (error) {
    await curves.abort();
    progress.stop();
    throw error;
  }
  try {
    return await writeResults(sweep, outDir, launcher, options, { executed, curves, columns, csvKeys, startedAt, progress, report });
  } finally {
    progress.stop();
  }
}

interface ResultsContext {
  executed: Executed;
  curves: CurvesCsvWriter;
  columns: CsvColumns;
  csvKeys: string[];
  startedAt: Date;
  progress: Progress;
  report: Promise<ReportLoad> | null;
}

/** After the runs: summary.csv, stability.csv, manifest.json, report.html, the table and the verdict. */
async function writeResults(sweep: PreparedSweep, outDir: string, launcher: Launcher, options: SweepOptions, context: ResultsContext): Promise<number> {
  // The workers' memory is not needed for writing the results. Stopping a thread takes 5 to 10 ms:
  // they pass while the results are written.
  const stopping = launcher.pool?.terminate();
  try {
    return await writeResultFiles(sweep, outDir, launcher, options, context);
  } finally {
    await stopping;
  }
}

async function writeResultFiles(sweep: PreparedSweep, outDir: string, launcher: Launcher, options: SweepOptions, context: ResultsContext): Promise<number> {
  const { executed, curves, columns, csvKeys, startedAt, progress, report } = context;
  const { loaded, sweepKeys } = sweep;
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
    workers: launcher.workers,
  });
  await writeManifest(join(outDir, 'manifest.json'), manifest);
  written.push('manifest.json');
  if (report !== null) {
    progress.working('writing report.html');
    const { module, live } = await report;
    await module.writeReport(outDir, (what) => progress.working(`writing report.html: ${what}`), live);
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

type ReportModule = typeof import('../output/report/index.js');

interface ReportLoad {
  module: ReportModule;
  /** The curves sketched from curves.csv as written, when the tap could hand them over. */
  live: InstanceType<ReportModule['LiveCurveSketches']> | undefined;
}

/**
 * Starts loading the report's modules (a failure surfaces where the report is written); once
 * loaded, they sketch the curves from the tap on curves.csv.
 */
function loadReport(tap: HeldCurvesTap | null, runs: number, maxCost: number | undefined): Promise<ReportLoad> {
  const loading = import('../output/report/index.js').then((module) => {
    // As the manifest holds it: JSON has no Infinity.
    const live = tap ? new module.LiveCurveSketches(runs, maxCost !== undefined && Number.isFinite(maxCost) ? maxCost : null) : undefined;
    return { module, live: live && tap?.attach(live) ? live : undefined };
  });
  loading.catch(() => undefined);
  return loading;
}

function sweepHeadline(sweep: PreparedSweep, on: string): string {
  const { name } = sweep.loaded.experiment;
  if (!sweep.search) return `${plural(sweep.runs.length, 'run')} of ${name} ${on}`;
  const { key } = sweep.search.settings;
  return `stability limit of ${key} for ${name} at ${plural(sweep.runs.length, 'grid point')} (at most ${plural(sweep.search.maxProbesPerPoint, 'run')} each) ${on}`;
}

/** Progress while a run's curve is copied into curves.csv. */
function writingCurve(progress: Progress, run: FinishedRun): (rows: number) => void {
  return (rows) => progress.working(`writing curves.csv: run ${run.index}, ${rows} of ${run.facts.points} rows`);
}
