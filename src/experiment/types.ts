// The experiment file's shape after validation and defaults, and the fully resolved run that
// crosses a thread boundary. Everything here is plain JSON-compatible data.

import type { DatasetSpec } from '../data/spec.js';
import type { DivergenceSettings, LayerSpec, LossName, TrackSettings, TrainSettings } from '../nn/spec.js';

// The engine's and the data layer's vocabulary, re-exported for the library API.
export type {
  ActivationName,
  DivergenceSettings,
  InitName,
  LayerSpec,
  LinearLayerSpec,
  LossName,
  SharpnessTracking,
  TrackSettings,
  TrainSettings,
  TrainSpec,
} from '../nn/spec.js';
export type { BuiltinDatasetName, DatasetSpec } from '../data/spec.js';

/**
 * One sweep axis as written: a list of values, a range helper, or labelled structured values.
 * logspace: [from, to, n] gives n values log-evenly spaced from `from` to `to` (both included,
 * like numpy.geomspace); linspace the same, evenly spaced. named: { label: value } sweeps whole
 * values (e.g. `model` lists), and the label is what appears in params and CSV columns.
 */
export type SweepAxis =
  | unknown[]
  | { logspace: [number, number, number] }
  | { linspace: [number, number, number] }
  | { named: Record<string, unknown> }
  | SweepDistribution;

/** Random search only: a value drawn per sample (see sweep-axes.ts for how). */
export type SweepDistribution =
  | { loguniform: [number, number] }
  | { uniform: [number, number] }
  | { int_uniform: [number, number] };

/** `search.stability_limit`: the largest value of `key` at which training is still stable. */
export interface StabilityLimitSearch {
  /** A dotted path to a number setting, e.g. `train.learning_rate`. */
  key: string;
  low: number;
  high: number;
  /** Stop when unstable_min / stable_max <= 1 + tolerance (the schema's default: 0.01). */
  tolerance: number;
}

/**
 * Runs chosen otherwise than as the full grid; exactly one kind is set: drawn at random from the
 * sweep axes, or from the results of earlier runs.
 */
export interface SearchSettings {
  /** Draw `samples` points from the axes, seeded with `seed`. */
  random?: { samples: number; seed: number };
  stability_limit?: StabilityLimitSearch;
}

export interface Experiment {
  name: string;
  description?: string;
  seed: number;
  dataset: DatasetSpec;
  model: LayerSpec[];
  loss: LossName;
  train: TrainSettings;
  divergence: DivergenceSettings;
  track?: TrackSettings;
  sweep?: Record<string, SweepAxis>;
  search?: SearchSettings;
}

/** The settings of one run: the experiment without what describes the whole sweep. */
export type RunExperiment = Omit<Experiment, 'sweep' | 'search'>;

/** A validated experiment file with defaults filled in, and where it came from. Plain data. */
export interface LoadedExperiment {
  /** As written plus overrides (sweep axes unexpanded, dataset.csv relative); settings a sweep provides may be absent. */
  experiment: Experiment;
  /** The file's text. */
  source: string;
  /** The file as the caller named it (used in messages). */
  file: string;
  /** Absolute folder that relative paths in the file (dataset.csv) are resolved against. */
  baseDir: string;
  /** Command-line overrides applied to the file (`key=value` as typed); `experiment` includes them. */
  overrides?: string[];
}

export type SweepValue = number | string | boolean | null;

/** One fully resolved point of the grid: plain data, safe to post to a worker or a queue. */
export interface RunSpec {
  /** 1-based position in grid order. */
  index: number;
  /** Swept key (exactly as written under `sweep`) -> value, in the order written. */
  params: [string, SweepValue][];
  /** The experiment with this point's values applied, `sweep` and `search` removed; dataset.csv as written. */
  experiment: RunExperiment;
  /** Content digest (hex sha256) of the CSV file's bytes when the run trains on a CSV file. */
  csvDigest?: string;
  /** The run's identity: see runHash in hash.ts. */
  hash: string;
  /** Random search only: the 1-based numbers of the samples that resolved to this run. */
  samples?: number[];
}
