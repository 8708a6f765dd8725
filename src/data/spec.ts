// What a dataset is, as an experiment names it: a builtin or a CSV file, and how it is prepared.

import type { BuiltinDatasetName } from './registry.js';

export type { BuiltinDatasetName };

export interface DatasetSpec {
  builtin?: BuiltinDatasetName;
  /** CSV path as written, relative to the experiment file. */
  csv?: string;
  features?: string[];
  target?: string;
  positive?: string;
  feature_crosses?: number[][];
  shuffle?: number;
  samples?: number;
  noise?: number;
  seed?: number;
  test_fraction?: number;
}
