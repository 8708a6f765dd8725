// The runs of a sweep mostly share their data: prepare each distinct dataset once per thread.
// Keyed by canonical JSON of the settings and the CSV content digest, so the same settings written
// in another key order still match, and other bytes under the same path never do.
import { prepareDataset, type DatasetSpec, type PreparedData } from '../data/index.js';
import { canonicalJson } from '../experiment/hash.js';

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
