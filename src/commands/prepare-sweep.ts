// Everything a sweep checks before it writes a byte: the file, the grid, and every distinct
// dataset the grid uses (a CSV problem is an input error, not a failed run). Each CSV file is
// read once, here; the runs' hashes hold its digest and the workers get these very bytes.
import { DataFiles, scatterPoints, type PreparedData, type ScatterPoints } from '../data/index.js';
import {
  expandGrid,
  ExperimentError,
  loadExperimentFile,
  runProblemIssue,
  type LoadedExperiment,
  type ValidationIssue,
} from '../experiment/index.js';
import type { RunSpec } from '../experiment/types.js';
import { runData } from '../run/index.js';

export interface PreparedSweep {
  loaded: LoadedExperiment;
  runs: RunSpec[];
  sweepKeys: string[];
  /** The CSV files' bytes by content digest. */
  dataFiles: DataFiles;
  /** A run's prepared data (shared between runs with the same dataset). */
  dataOf(spec: RunSpec): PreparedData;
  /** A run's data points over two raw input features (the same object for the same data). */
  pointsOf(spec: RunSpec): ScatterPoints | undefined;
}

export function prepareSweep(file: string): PreparedSweep {
  const loaded = loadExperimentFile(file);
  const dataFiles = new DataFiles();
  const runs = expandGrid(loaded, { dataFiles });
  const dataOf = (spec: RunSpec) => runData(spec, dataFiles.all());
  // Every distinct dataset is prepared here, so a data problem stops the sweep before it starts.
  const issues = new Map<string, ValidationIssue>();
  for (const run of runs) {
    const issue = classCountIssue(loaded, run, dataOf(run));
    if (issue !== null) issues.set(`${issue.line}:${issue.column}:${issue.message}`, issue);
  }
  if (issues.size > 0) throw new ExperimentError([...issues.values()]);
  const points = new Map<PreparedData, ScatterPoints | undefined>();
  const pointsOf = (spec: RunSpec) => {
    const data = dataOf(spec);
    if (!points.has(data)) points.set(data, scatterPoints(data));
    return points.get(data);
  };
  return { loaded, runs, sweepKeys: Object.keys(loaded.experiment.sweep ?? {}), dataFiles, dataOf, pointsOf };
}

/** With class targets, the last linear layer needs one unit per class: a located error otherwise. */
function classCountIssue(loaded: LoadedExperiment, run: RunSpec, data: PreparedData): ValidationIssue | null {
  if (data.classes === null) return null;
  const model = run.experiment.model;
  let last = -1;
  model.forEach((node, i) => {
    if (typeof node === 'object') last = i;
  });
  if (last < 0) return null;
  const units = (model[last] as { linear: number }).linear;
  const k = data.classes.length;
  if (units === k) return null;
  const shown = k <= 12 ? data.classes.join(', ') : `${data.classes.slice(0, 12).join(', ')}, ...`;
  return runProblemIssue(loaded, run, {
    path: ['model', last, 'linear'],
    at: 'value',
    anchor: ['model', last, 'linear'],
    message: `${run.experiment.loss} needs one output per class: the data has ${k} classes (${shown}), so the last linear layer needs linear: ${k}, not ${units}`,
    expected: `${k}`,
    found: `${units}`,
  });
}
