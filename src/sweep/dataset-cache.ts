// The runs of a sweep mostly share their data: prepare each distinct dataset once per thread.
// Keyed by canonical JSON, so the same settings written in another key order still match.
import { prepareDataset, type PreparedData } from '../data/index.js';
import { canonicalJson } from '../experiment/hash.js';
import type { DatasetSpec } from '../experiment/types.js';

const cache = new Map<string, PreparedData>();

export function prepareDatasetCached(spec: DatasetSpec): PreparedData {
  const key = canonicalJson(spec);
  let data = cache.get(key);
  if (!data) {
    data = prepareDataset(spec);
    cache.set(key, data);
  }
  return data;
}
