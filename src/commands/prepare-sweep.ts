// Everything a sweep checks before it writes a byte: the file, the grid, and every distinct
// dataset the grid uses with the runs' fit to it (a data problem is an input error, not a failed run). Each CSV file is
// read once, here; the runs' hashes hold its digest and the workers get these very bytes.
import { DataFiles, scatterPoints, type PreparedData, type ScatterPoints } from '../data/index.js';
import { expandGrid, loadExperimentFile, type LoadedExperiment } from '../experiment/index.js';
import type { RunSpec } from '../experiment/types.js';
import { prepareDatasetCached, runData } from '../run/index.js';
import { planStabilitySearch, type StabilityPlan } from '../search/index.js';

export interface PreparedSweep {
  loaded: LoadedExperiment;
  /** The grid's runs; for a stability-limit search its grid points (the searched key at `low`). */
  runs: RunSpec[];
  /** The stability-limit search, when the experiment has one. */
  search: StabilityPlan | null;
  sweepKeys: string[];
  /** The CSV files' bytes by content digest. */
  dataFiles: DataFiles;
  /** A run's prepared data (shared between runs with the same dataset). */
  dataOf(spec: RunSpec): PreparedData;
  /** A run's data points over two raw input features (the same object for the same data). */
  pointsOf(spec: RunSpec): ScatterPoints | undefined;
}

export function prepareSweep(file: string, overrides: readonly string[] = []): PreparedSweep {
  const loaded = loadExperimentFile(file, { overrides });
  const dataFiles = new DataFiles();
  // Every distinct dataset is prepared (and cached) here, so a data problem, or a model or loss that
  // does not fit the data, stops the sweep before it starts, located in the file.
  const options = { dataFiles, prepareData: prepareDatasetCached };
  const search = loaded.experiment.search?.stability_limit ? planStabilitySearch(loaded, options) : null;
  const runs = search ? search.points : expandGrid(loaded, options);
  const dataOf = (spec: RunSpec) => runData(spec, dataFiles.all());
  const points = new Map<PreparedData, ScatterPoints | undefined>();
  const pointsOf = (spec: RunSpec) => {
    const data = dataOf(spec);
    if (!points.has(data)) points.set(data, scatterPoints(data));
    return points.get(data);
  };
  return { loaded, runs, search, sweepKeys: Object.keys(loaded.experiment.sweep ?? {}), dataFiles, dataOf, pointsOf };
}
