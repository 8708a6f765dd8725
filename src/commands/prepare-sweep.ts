// Everything a sweep checks before it writes a byte: the file, the grid, and every distinct
// dataset the grid uses (a CSV problem is an input error, not a failed run).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expandGrid, loadExperimentFile, type LoadedExperiment } from '../experiment/index.js';
import type { RunSpec } from '../experiment/types.js';
import type { PreparedData } from '../data/index.js';
import { prepareDatasetCached } from '../sweep/dataset-cache.js';

export interface PreparedSweep {
  loaded: LoadedExperiment;
  runs: RunSpec[];
  sweepKeys: string[];
  /** The first run's data, for the report's scatter plots. */
  firstData: PreparedData;
}

export function prepareSweep(file: string): PreparedSweep {
  const loaded = loadExperimentFile(file);
  const runs = expandGrid(loaded);
  // Every distinct dataset is prepared here, so a data problem stops the sweep before it starts.
  for (const run of runs) prepareDatasetCached(run.experiment.dataset);
  fingerprintCsvData(runs);
  return {
    loaded,
    runs,
    sweepKeys: Object.keys(loaded.experiment.sweep ?? {}),
    firstData: prepareDatasetCached(runs[0].experiment.dataset),
  };
}

/** Train and test points over the two raw input features, for decision-boundary plots. */
export function scatterPoints(data: PreparedData): { x: number[][]; y: number[] } | undefined {
  if (data.inputFeatureCount !== 2) return undefined;
  const x: number[][] = [];
  const y: number[] = [];
  for (const part of [data.train, data.test]) {
    if (!part) continue;
    const m = part.x.cols;
    for (let i = 0; i < m; i++) {
      x.push([part.x.data[i], part.x.data[m + i]]);
      y.push(part.y.data[i]);
    }
  }
  return { x, y };
}

/**
 * A run's hash covers its settings, not the bytes of a CSV file it names. Fold each file's
 * digest in, so that editing the data retrains instead of reusing stale stored runs.
 */
function fingerprintCsvData(runs: RunSpec[]): void {
  const digests = new Map<string, string>();
  for (const run of runs) {
    const path = run.experiment.dataset.csv;
    if (!path) continue;
    let digest = digests.get(path);
    if (!digest) {
      digest = createHash('sha256').update(readFileSync(path)).digest('hex');
      digests.set(path, digest);
    }
    run.hash = createHash('sha256').update(`${run.hash}\ncsv:${digest}`).digest('hex');
  }
}
