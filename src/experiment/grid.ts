// Grid expansion: the Cartesian product of the sweep axes, in the order written (the first key
// varies slowest), each point applied to a copy of the experiment, validated again and hashed.
// A pure function of its input: RunSpecs are plain data that can cross a thread or a network.

import { resolve } from 'node:path';
import { DataFiles, DatasetError } from '../data/index.js';
import { ENGINE_VERSION } from '../nn/version.js';
import { ExperimentError, formatIssue, type ValidationIssue } from './errors.js';
import { runHash } from './hash.js';
import { toIssue, type Problem } from './problem.js';
import { setSetting } from './setting-paths.js';
import { axisOf, type Axis, type AxisPoint } from './sweep-axes.js';
import type { Experiment, LoadedExperiment, RunSpec, SweepValue } from './types.js';
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
}

export function expandGrid(loaded: LoadedExperiment, options: ExpandGridOptions = {}): RunSpec[] {
  const maxRuns = options.maxRuns ?? MAX_RUNS;
  const engineVersion = options.engineVersion ?? ENGINE_VERSION;
  const dataFiles = options.dataFiles ?? new DataFiles();
  const { sweep, ...base } = loaded.experiment;
  const axes = Object.entries(sweep ?? {}).map(([key, written]) => axisOf(key, written));
  const places = new Places(loaded);

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

    let applied = true;
    axes.forEach((axis, k) => {
      const error = setSetting(experiment, axis.key, points[k].value);
      if (error === null) return;
      applied = false;
      const issue: ValidationIssue = { file: loaded.file, ...places.at('key', ['sweep', axis.key]), path: `sweep.${axis.key}`, message: error.message };
      if (error.suggestion !== undefined) issue.suggestion = error.suggestion;
      issues.add(issue);
    });
    if (applied) {
      for (const problem of experimentProblems(experiment)) issues.add(placeRunProblem(problem, axes, points, places, loaded.file));
    }

    const csvDigest = issues.empty ? readCsvDigest(experiment, loaded, dataFiles, places, axes, points, issues) : undefined;
    if (issues.empty) {
      runs.push({
        index,
        params: axes.map((axis, k): [string, SweepValue] => [axis.key, points[k].label]),
        experiment: experiment as unknown as Omit<Experiment, 'sweep'>,
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

/** The content digest of the run's CSV file (read once per sweep), or an issue at `dataset.csv`. */
function readCsvDigest(
  experiment: Record<string, unknown>,
  loaded: LoadedExperiment,
  dataFiles: DataFiles,
  places: Places,
  axes: Axis[],
  points: AxisPoint[],
  issues: IssueList,
): string | undefined {
  const csv = (experiment.dataset as { csv?: unknown } | undefined)?.csv;
  if (typeof csv !== 'string') return undefined;
  const path = resolve(loaded.baseDir, csv);
  try {
    return dataFiles.read(path).digest;
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    const problem: Problem = {
      at: 'value',
      anchor: ['dataset', 'csv'],
      path: ['dataset', 'csv'],
      message: `${error.message.slice(error.message.indexOf(': ') + 2)} (tried ${path})`,
      expected: 'a readable CSV file, relative to the experiment file',
    };
    issues.add(placeRunProblem(problem, axes, points, places, loaded.file));
    return undefined;
  }
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
 * with the grid point named so the combination can be found.
 */
function placeRunProblem(problem: Problem, axes: Axis[], points: AxisPoint[], places: Places, file: string): ValidationIssue {
  const anchor = problem.anchor.map(String);
  for (let k = axes.length - 1; k >= 0; k--) {
    const axisPath = axes[k].key.split('.');
    if (axisPath.length > anchor.length || !axisPath.every((segment, i) => segment === anchor[i])) continue;
    const point = points[k];
    const source = axes[k].structured ? [...point.source, ...problem.anchor.slice(axisPath.length)] : point.source;
    const at = axes[k].structured ? problem.at : 'value';
    return toIssue(problem, file, places.at(at, source));
  }
  const issue = toIssue(problem, file, places.at(problem.at, problem.anchor));
  if (axes.length > 0) {
    const when = axes.map((axis, k) => `${axis.key} = ${formatLabel(points[k].label)}`).join(', ');
    issue.message = `${issue.message} (when ${when})`;
  }
  return issue;
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
