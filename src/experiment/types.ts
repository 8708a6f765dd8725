// The experiment file's shape after validation and defaults, and the fully resolved run that
// crosses a thread boundary. Everything here is plain JSON-compatible data.

export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'identity';
export type InitName = 'plain' | 'xavier' | 'he' | 'zeros';
export type LossName = 'squared_error' | 'bce' | 'bce_keras';
export type BuiltinDatasetName =
  | 'and' | 'or' | 'xor' | 'nand' | 'nor' | 'xnor' | 'iris'
  | 'circle' | 'spiral' | 'gaussians' | 'xor-quadrants';

export interface LinearLayerSpec {
  linear: number;
  init: InitName;
  /** Explicit starting weights, n_out rows of n_in values; replaces the drawn values. */
  weights?: number[][];
  /** Explicit starting bias, n_out rows of one value. */
  bias?: number[][];
}

/** A node of the computational graph: a Linear layer or an activation by name. */
export type LayerSpec = LinearLayerSpec | ActivationName;

export interface DatasetSpec {
  builtin?: BuiltinDatasetName;
  /** CSV path; relative to the experiment file until resolved, absolute in a RunSpec. */
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

export interface TrainSettings {
  epochs: number;
  learning_rate: number;
  batch_size: 'full' | number;
  record_every: number;
}

export interface DivergenceSettings {
  max_cost: number;
}

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
  | { named: Record<string, unknown> };

export interface Experiment {
  name: string;
  description?: string;
  seed: number;
  dataset: DatasetSpec;
  model: LayerSpec[];
  loss: LossName;
  train: TrainSettings;
  divergence: DivergenceSettings;
  sweep?: Record<string, SweepAxis>;
}

/** A validated experiment file with defaults filled in, and where it came from. Plain data. */
export interface LoadedExperiment {
  /** As written (sweep axes unexpanded, dataset.csv relative); settings a sweep provides may be absent. */
  experiment: Experiment;
  /** The file's text. */
  source: string;
  /** The file as the caller named it (used in messages). */
  file: string;
  /** Absolute folder that relative paths in the file (dataset.csv) are resolved against. */
  baseDir: string;
}

/** What the engine needs to train one network (the experiment minus naming, data and sweep). */
export interface TrainSpec {
  seed: number;
  model: LayerSpec[];
  loss: LossName;
  train: TrainSettings;
  divergence: DivergenceSettings;
}

export type SweepValue = number | string | boolean | null;

/** One fully resolved point of the grid: plain data, safe to post to a worker or a queue. */
export interface RunSpec {
  /** 1-based position in grid order. */
  index: number;
  /** Swept key (exactly as written under `sweep`) -> value, in the order written. */
  params: [string, SweepValue][];
  /** The experiment with this point's values applied and `sweep` removed; dataset.csv absolute. */
  experiment: Omit<Experiment, 'sweep'>;
  /** Content hash (hex sha256) of the resolved experiment and the engine version. */
  hash: string;
}
