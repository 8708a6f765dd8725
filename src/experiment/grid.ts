// Grid expansion: the Cartesian product of the sweep axes, in the order written (the first key
// varies slowest), or the samples of a random search; each point applied to a copy of the
// experiment, validated again and hashed. A pure function of its input: RunSpecs are plain data
// that can cross a thread or a network.

import { resolve } from 'node:path';
import { DataFiles, DatasetError, prepareDataset, type DatasetProblem, type DatasetSpec, type PreparedData } from '../data/index.js';
import { RandomState } from '../nn/rng.js';
import { ENGINE_VERSION } from '../nn/version.js';
import { ExperimentError, formatIssue, type ValidationIssue } from './errors.js';
import { dataFitProblems } from './data-fit.js';
import { lossNeedsClassTargets } from '../nn/losses.js';
import { datasetProblem } from './dataset-problems.js';
import { canonicalJson, runHash } from './hash.js';
import { overrideAt, overrideLabel, overridePath } from './overrides.js';
import { toIssue, type Problem } from './problem.js';
import { setSetting } from './setting-paths.js';
import { axisOf, type Axis, type AxisPoint } from './sweep-axes.js';
import type { LoadedExperiment, RunExperiment, RunSpec, SweepValue } from './types.js';
import { experimentProblems } from './validate.js';
import { parseYamlSource, type PathSegment, type Position, type SourceLocator } from './yaml-source.js';

/** Larger grids are refused before anything is expanded. */
export const MAX_RUNS = 100_000;
/** Distinct issues reported at most; a bad sweep value can fail in thousands of runs. */
const MAX_ISSUES = 50;

export interface ExpandGridOptions {
  /** Refuse grids with more runs than this (default MAX_RUNS). */
  maxRuns?: number;
  /** Part of every run's hash (default: the engine's ENGINE_VERSION). */
  engineVersion?: string;
  /**
   * Where the CSV files named by runs are read (once each) for their content digests; pass one to
   * keep the bytes for training. Default: a new one.
   */
  dataFiles?: DataFiles;
  /**
   * Prepares each distinct dataset of the grid once, so that its problems and the runs' fit to it
   * (shapes, targets) are reported before anything runs. Default: prepareDataset; the CLI passes
   * its cached preparation so the data is prepared once for checking and training.
   */
  prepareData?: PrepareData;
}

export function expandGrid(loaded: LoadedExperiment, options: ExpandGridOptions = {}): RunSpec[] {
  const maxRuns = options.maxRuns ?? MAX_RUNS;
  const engineVersion = options.engineVersion ?? ENGINE_VERSION;
  const dataFiles = options.dataFiles ?? new DataFiles();
  const { sweep, search, ...base } = loaded.experiment;
  const axes = Object.entries(sweep ?? {}).map(([key, written]) => axisOf(key, written));
  const places = new Places(loaded);
  const dataChecks = new RunDataChecks(loaded, dataFiles, options.prepareData ?? defaultPrepare);
  const issues = new IssueList();

  /** The run at `index` for one point of the axes, or null when it has problems (added to `issues`). */
  const resolvePoint = (index: number, points: AxisPoint[]): RunSpec | null => {
    const experiment = structuredClone(base) as Record<string, unknown>;
    let valid = true;
    axes.forEach((axis, k) => {
      const error = setSetting(experiment, axis.key, points[k].value);
      if (error === null) return;
      valid = false;
      const issue: ValidationIssue = { ...places.at('key', ['sweep', axis.key]), path: `sweep.${axis.key}`, message: error.message };
      if (error.suggestion !== undefined) issue.suggestion = error.suggestion;
      issues.add(issue);
    });
    const place = (problem: Problem) => placeRunProblem(problem, axes, points, places);
    if (valid) {
      const problems = experimentProblems(experiment);
      valid = problems.length === 0;
      for (const problem of problems) issues.add(place(problem));
    }
    // The data is read and checked only for runs whose settings are valid.
    let csvDigest: string | undefined;
    if (valid) {
      const checked = dataChecks.check(experiment);
      csvDigest = checked.csvDigest;
      for (const problem of checked.problems) issues.add(place(problem));
    }
    // After the first problem, points are still checked (to report every problem) but not built.
    if (!issues.empty) return null;
    return {
      index,
      params: axes.map((axis, k): [string, SweepValue] => [axis.key, points[k].label]),
      experiment: experiment as unknown as RunExperiment,
      ...(csvDigest === undefined ? {} : { csvDigest }),
      hash: runHash(experiment, engineVersion, csvDigest),
    };
  };

  if (search?.random !== undefined) {
    const runs = sampleRuns(axes, search.random, maxRuns, places, issues, resolvePoint);
    if (!issues.empty) throw new ExperimentError(issues.list);
    return runs;
  }
  const unlisted = axes.find((axis) => !Number.isFinite(axis.length));
  if (unlisted !== undefined) {
    // The loader refuses this with a located message; a LoadedExperiment built by hand may not.
    throw new Error(`sweep.${unlisted.key} is a distribution, which only a random search (search: { random: ... }) can draw from`);
  }

  const total = axes.reduce((product, axis) => product * BigInt(axis.length), 1n);
  if (total > BigInt(maxRuns)) {
    const sizes = axes.map((axis) => `${axis.length} ${axis.key}`).join(' x ');
    throw new ExperimentError([
      {
        ...places.at('key', ['sweep']),
        path: 'sweep',
        message: `the sweep makes ${total} runs (${sizes}); the limit is ${maxRuns} runs`,
        expected: `at most ${maxRuns} runs`,
        found: `${total} runs`,
      },
    ]);
  }

  const runs: RunSpec[] = [];
  const position = axes.map(() => 0);
  for (let index = 1; index <= Number(total) && !issues.full; index++) {
    const run = resolvePoint(index, axes.map((axis, k) => axis.point(position[k])));
    if (run !== null) runs.push(run);

    // Odometer: the last axis turns fastest, so the first key written varies slowest.
    for (let k = axes.length - 1; k >= 0; k--) {
      position[k] += 1;
      if (position[k] < axes[k].length) break;
      position[k] = 0;
    }
  }
  if (!issues.empty) throw new ExperimentError(issues.list);
  return runs;
}

/**
 * Random search: `samples` draws, sample after sample, one draw per axis in the order written,
 * all from one generator seeded like np.random.seed(seed). The draws of sample k never depend on
 * how many samples follow, so the first n samples of a larger search are exactly the samples of
 * the smaller one. Samples that resolve to the same settings (the same hash) are one run, numbered
 * in the order they first appear; each run lists the samples that gave it.
 */
function sampleRuns(
  axes: Axis[],
  search: { samples: number; seed: number },
  maxRuns: number,
  places: Places,
  issues: IssueList,
  resolvePoint: (index: number, points: AxisPoint[]) => RunSpec | null,
): RunSpec[] {
  if (search.samples > maxRuns) {
    throw new ExperimentError([
      {
        ...places.at('value', ['search', 'random', 'samples']),
        path: 'search.random.samples',
        message: `${search.samples} samples; the limit is ${maxRuns} runs`,
        expected: `at most ${maxRuns} samples`,
        found: String(search.samples),
      },
    ]);
  }
  const random = new RandomState(search.seed);
  const runs: RunSpec[] = [];
  const byHash = new Map<string, RunSpec>();
  for (let sample = 1; sample <= search.samples && !issues.full; sample++) {
    const points = axes.map((axis) => axis.draw(random));
    const run = resolvePoint(runs.length + 1, points);
    if (run === null) continue;
    const same = byHash.get(run.hash);
    if (same !== undefined) {
      same.samples!.push(sample);
      continue;
    }
    run.samples = [sample];
    byHash.set(run.hash, run);
    runs.push(run);
  }
  return runs;
}

/**
 * Prepares a dataset; `csv` carries a CSV dataset's bytes and their digest; `classes` asks for
 * one-hot class targets (a loss over one output per class).
 */
export type PrepareData = (dataset: DatasetSpec, csv?: { digest: string; bytes: Uint8Array }, classes?: boolean) => PreparedData;

const defaultPrepare: PrepareData = (dataset, csv, classes = false) =>
  prepareDataset(dataset, { ...(csv === undefined ? {} : { csvBytes: csv.bytes }), classes });

/**
 * Each run's data: its CSV file read once per sweep (for the digest in its hash), every distinct
 * dataset prepared once, and the problems of the data itself and of the run's fit to it.
 */
class RunDataChecks {
  private readonly prepared = new Map<string, PreparedData | readonly DatasetProblem[]>();

  constructor(
    private readonly loaded: LoadedExperiment,
    private readonly dataFiles: DataFiles,
    private readonly prepare: PrepareData,
  ) {}

  check(experiment: Record<string, unknown>): { csvDigest?: string; problems: Problem[] } {
    const run = experiment as unknown as RunSpec['experiment'];
    const dataset = run.dataset;
    let csv: { digest: string; bytes: Uint8Array } | undefined;
    if (typeof dataset.csv === 'string') {
      const path = resolve(this.loaded.baseDir, dataset.csv);
      try {
        const file = this.dataFiles.read(path);
        csv = { digest: file.digest, bytes: file.bytes };
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        const problem: Problem = {
          at: 'value',
          anchor: ['dataset', 'csv'],
          path: ['dataset', 'csv'],
          message: `${error.problem} (tried ${path})`,
          expected: 'a readable CSV file, relative to the experiment file',
          scope: [['dataset']],
        };
        return { problems: [problem] };
      }
    }
    const classes = lossNeedsClassTargets(run.loss);
    const key = `${canonicalJson(dataset)}\n${csv?.digest ?? ''}\n${classes ? 'classes' : ''}`;
    let data = this.prepared.get(key);
    if (data === undefined) {
      try {
        data = this.prepare(dataset, csv, classes);
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        data = error.problems;
      }
      this.prepared.set(key, data);
    }
    const problems = isProblemList(data) ? data.map((problem) => datasetProblem(problem, dataset)) : dataFitProblems(run, data);
    return { ...(csv === undefined ? {} : { csvDigest: csv.digest }), problems };
  }
}

function isProblemList(data: PreparedData | readonly DatasetProblem[]): data is readonly DatasetProblem[] {
  return Array.isArray(data);
}

/**
 * Places a problem found later in one resolved run of `loaded` (against its data, say) exactly as
 * expandGrid places its own: at the sweep value that set the setting, or where it is written.
 */
export function runProblemIssue(loaded: LoadedExperiment, run: Pick<RunSpec, 'index' | 'samples'>, problem: Problem): ValidationIssue {
  const axes = Object.entries(loaded.experiment.sweep ?? {}).map(([key, written]) => axisOf(key, written));
  let points: AxisPoint[] = new Array(axes.length);
  const random = loaded.experiment.search?.random;
  if (random !== undefined) {
    // A sampled run's point: its first sample, drawn again.
    const sample = run.samples?.[0];
    if (sample === undefined) throw new Error(`run ${run.index} of a random search does not name its samples`);
    const generator = new RandomState(random.seed);
    for (let k = 1; k <= sample; k++) points = axes.map((axis) => axis.draw(generator));
  } else {
    let rest = run.index - 1;
    for (let k = axes.length - 1; k >= 0; k--) {
      points[k] = axes[k].point(rest % axes[k].length);
      rest = Math.floor(rest / axes[k].length);
    }
  }
  return placeRunProblem(problem, axes, points, new Places(loaded));
}

/**
 * A problem in a resolved run is shown where its value comes from: the sweep value that set it
 * (the last axis written whose path contains the problem), or else the experiment as written,
 * with the grid point named so the combination can be found (only the axes the problem can depend on).
 */
function placeRunProblem(problem: Problem, axes: Axis[], points: AxisPoint[], places: Places): ValidationIssue {
  const placeOf = (at: 'key' | 'value', anchor: PathSegment[]) => placeAnchor(at, anchor, axes, points, places);
  const own = placeOf(problem.at, problem.anchor);
  const issue = toIssue(problem, own.file, own, placeOf);
  // A related place names its file only when it is not the issue's own (a --set override).
  for (const related of issue.related ?? []) if (related.file === issue.file) delete related.file;
  if (sweptAxisOf(problem.anchor, axes) >= 0) return issue;
  const scope = problem.scope;
  const relevant = axes
    .map((axis, k) => ({ axis, k }))
    .filter(({ axis }) => scope === undefined || scope.some((prefix) => overlaps(axis.key.split('.'), prefix.map(String))));
  if (relevant.length > 0) {
    const when = relevant.map(({ axis, k }) => `${axis.key} = ${formatLabel(points[k].label)}`).join(', ');
    issue.message = `${issue.message} (when ${when})`;
  }
  return issue;
}

/** The sweep value that sets `anchor` (or the experiment as written when no axis does). */
function placeAnchor(at: 'key' | 'value', anchor: PathSegment[], axes: Axis[], points: AxisPoint[], places: Places): Place {
  const k = sweptAxisOf(anchor, axes);
  if (k < 0) return places.at(at, anchor);
  const axisLength = axes[k].key.split('.').length;
  if (axes[k].structured) return places.at(at, [...points[k].source, ...anchor.slice(axisLength)]);
  return places.at('value', points[k].source);
}

/** The last axis written whose path contains `anchor`, or -1. */
function sweptAxisOf(anchor: PathSegment[], axes: Axis[]): number {
  const segments = anchor.map(String);
  for (let k = axes.length - 1; k >= 0; k--) {
    const axisPath = axes[k].key.split('.');
    if (axisPath.length <= segments.length && axisPath.every((segment, i) => segment === segments[i])) return k;
  }
  return -1;
}

/** One path lies within the other. */
function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function formatLabel(label: SweepValue): string {
  return typeof label === 'string' ? label : String(label);
}

/** Where a setting is written: a position in a file, or a command-line override (line 0). */
type Place = Position & { file: string };

/**
 * Where a setting is written: at the command-line override that set it (`--set #2`), else in
 * the file, from its text parsed again only when an issue needs a position.
 */
class Places {
  private locator: SourceLocator | null | undefined;
  private readonly overrides: { number: number; path: PathSegment[] }[] = [];

  constructor(private readonly loaded: LoadedExperiment) {
    (loaded.overrides ?? []).forEach((text, i) => {
      const path = overridePath(text);
      if (typeof path !== 'string') this.overrides.push({ number: i + 1, path });
    });
  }

  at(kind: 'key' | 'value', path: PathSegment[]): Place {
    const number = overrideAt(path, this.overrides);
    if (number !== undefined) return { file: overrideLabel(number), line: 0, column: 0 };
    return { file: this.loaded.file, ...this.position(kind, path) };
  }

  private position(kind: 'key' | 'value', path: PathSegment[]): Position {
    if (this.locator === undefined) {
      try {
        this.locator = parseYamlSource(this.loaded.source, this.loaded.file).locator;
      } catch {
        this.locator = null; // a LoadedExperiment built by hand may carry no usable source
      }
    }
    if (this.locator === null) return { line: 1, column: 1 };
    return kind === 'key' ? this.locator.keyAt(path) : this.locator.valueAt(path);
  }
}

class IssueList {
  readonly list: ValidationIssue[] = [];
  private readonly seen = new Set<string>();

  get empty(): boolean {
    return this.list.length === 0;
  }

  get full(): boolean {
    return this.list.length >= MAX_ISSUES;
  }

  add(issue: ValidationIssue): void {
    const key = formatIssue(issue);
    if (this.seen.has(key) || this.full) return;
    this.seen.add(key);
    this.list.push(issue);
  }
}
