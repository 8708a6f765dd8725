// Grid expansion: the Cartesian product of the sweep axes, in the order written (the first key
// varies slowest), each point applied to a copy of the experiment, validated again and hashed.
// A pure function of its input: RunSpecs are plain data that can cross a thread or a network.

import { resolve } from 'node:path';
import { DataFiles, DatasetError, prepareDataset, type DatasetProblem, type DatasetSpec, type PreparedData } from '../data/index.js';
import { ENGINE_VERSION } from '../nn/version.js';
import { ExperimentError, formatIssue, type ValidationIssue } from './errors.js';
import { dataFitProblems } from './data-fit.js';
import { lossNeedsClassTargets } from '../nn/losses.js';
import { datasetProblem } from './dataset-problems.js';
import { canonicalJson, runHash } from './hash.js';
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
  const { sweep, search: _search, ...base } = loaded.experiment;
  const axes = Object.entries(sweep ?? {}).map(([key, written]) => axisOf(key, written));
  const places = new Places(loaded);
  const dataChecks = new RunDataChecks(loaded, dataFiles, options.prepareData ?? defaultPrepare);

  const total = axes.reduce((product, axis) => product * BigInt(axis.length), 1n);
  if (total > BigInt(maxRuns)) {
    const sizes = axes.map((axis) => `${axis.length} ${axis.key}`).join(' x ');
    throw new ExperimentError([
      {
        file: loaded.file,
        ...places.at('key', ['sweep']),
        path: 'sweep',
        message: `the sweep makes ${total} runs (${sizes}); the limit is ${maxRuns} runs`,
        expected: `at most ${maxRuns} runs`,
        found: `${total} runs`,
      },
    ]);
  }

  const issues = new IssueList();
  const runs: RunSpec[] = [];
  const position = axes.map(() => 0);
  for (let index = 1; index <= Number(total) && !issues.full; index++) {
    const points = axes.map((axis, k) => axis.point(position[k]));
    const experiment = structuredClone(base) as Record<string, unknown>;

    let valid = true;
    axes.forEach((axis, k) => {
      const error = setSetting(experiment, axis.key, points[k].value);
      if (error === null) return;
      valid = false;
      const issue: ValidationIssue = { file: loaded.file, ...places.at('key', ['sweep', axis.key]), path: `sweep.${axis.key}`, message: error.message };
      if (error.suggestion !== undefined) issue.suggestion = error.suggestion;
      issues.add(issue);
    });
    const place = (problem: Problem) => placeRunProblem(problem, axes, points, places, loaded.file);
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
    if (issues.empty) {
      runs.push({
        index,
        params: axes.map((axis, k): [string, SweepValue] => [axis.key, points[k].label]),
        experiment: experiment as unknown as RunExperiment,
        ...(csvDigest === undefined ? {} : { csvDigest }),
        hash: runHash(experiment, engineVersion, csvDigest),
      });
    }

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
export function runProblemIssue(loaded: LoadedExperiment, run: Pick<RunSpec, 'index'>, problem: Problem): ValidationIssue {
  const axes = Object.entries(loaded.experiment.sweep ?? {}).map(([key, written]) => axisOf(key, written));
  const points: AxisPoint[] = new Array(axes.length);
  let rest = run.index - 1;
  for (let k = axes.length - 1; k >= 0; k--) {
    points[k] = axes[k].point(rest % axes[k].length);
    rest = Math.floor(rest / axes[k].length);
  }
  return placeRunProblem(problem, axes, points, new Places(loaded), loaded.file);
}

/**
 * A problem in a resolved run is shown where its value comes from: the sweep value that set it
 * (the last axis written whose path contains the problem), or else the experiment as written,
 * with the grid point named so the combination can be found (only the axes the problem can depend on).
 */
function placeRunProblem(problem: Problem, axes: Axis[], points: AxisPoint[], places: Places, file: string): ValidationIssue {
  const placeOf = (at: 'key' | 'value', anchor: PathSegment[]) => placeAnchor(at, anchor, axes, points, places);
  const issue = toIssue(problem, file, placeOf(problem.at, problem.anchor), placeOf);
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
function placeAnchor(at: 'key' | 'value', anchor: PathSegment[], axes: Axis[], points: AxisPoint[], places: Places): Position {
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

/** Source positions, from the file's text parsed again only when an issue needs one. */
class Places {
  private locator: SourceLocator | null | undefined;

  constructor(private readonly loaded: LoadedExperiment) {}

  at(kind: 'key' | 'value', path: PathSegment[]): Position {
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
