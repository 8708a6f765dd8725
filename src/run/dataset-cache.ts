// The runs of a sweep mostly share their data: prepare each distinct dataset once per thread.
// Keyed by canonical JSON of the settings and the CSV content digest, so the same settings written
// in another key order still match, and other bytes under the same path never do.
import { prepareDataset, type DatasetSpec, type PreparedData } from '../data/index.js';
import { canonicalJson } from '../experiment/hash.js';
import type { RunSpec } from '../experiment/types.js';
import { lossNeedsClassTargets } from '../nn/losses.js';

const cache = new Map<string, PreparedData>();

/**
 * `csv` carries the bytes of the run's CSV file (read once per sweep) and their digest; without
 * it a CSV path is read relative to the working directory (library use). `classes`: one-hot class
 * targets, for a loss over one output per class.
 */
export function prepareDatasetCached(spec: DatasetSpec, csv?: { digest: string; bytes: Uint8Array }, classes = false): PreparedData {
  const key = `${canonicalJson(spec)}\n${csv?.digest ?? ''}\n${classes ? 'classes' : ''}`;
  let data = cache.get(key);
  if (!data) {
    data = prepareDataset(spec, { ...(csv ? { csvBytes: csv.bytes } : {}), classes });
    cache.set(key, data);
  }
  return data;
}

/** The CSV bytes a run trains on, by content digest (a run names its data by digest, never by path). */
export type DataContents = ReadonlyMap<string, Uint8Array>;

/** The prepared data of a run: its CSV from `contents` by digest, or its builtin dataset. */
export function runData(spec: RunSpec, contents: DataContents): PreparedData {
  // A loss over one output per class (cross_entropy) trains on one-hot class targets.
  const classes = lossNeedsClassTargets(spec.experiment.loss);
  if (spec.csvDigest === undefined) return prepareDatasetCached(spec.experiment.dataset, undefined, classes);
  const bytes = contents.get(spec.csvDigest);
  if (!bytes) throw new Error(`the data of run ${spec.index} (sha256 ${spec.csvDigest}) was not handed to this thread`);
  return prepareDatasetCached(spec.experiment.dataset, { digest: spec.csvDigest, bytes }, classes);
}
