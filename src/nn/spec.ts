// The engine's own vocabulary: what one network is and how it is trained. Plain JSON-compatible
// data, so a spec can cross a thread or a network unchanged. The names come from the registries
// (activations.ts, init.ts, losses.ts); the experiment file's schema is built on top of these.

import type { ActivationName } from './activations.js';
import type { InitName } from './init.js';
import type { LossName } from './losses.js';
import type { OptimizerName, OptimizerSetting, OptimizerSpec } from './optimizers.js';
import type { ScheduleName, ScheduleSetting, ScheduleSpec } from './schedules.js';
import type { SoftmaxName } from './softmax.js';

export type { ActivationName, InitName, LossName, OptimizerName, OptimizerSetting, OptimizerSpec, ScheduleName, ScheduleSetting, ScheduleSpec, SoftmaxName };

export interface LinearLayerSpec {
  linear: number;
  init: InitName;
  /** Explicit starting weights, n_out rows of n_in values; replaces the drawn values. */
  weights?: number[][];
  /** Explicit starting bias, n_out rows of one value. */
  bias?: number[][];
}

/** A node of the computational graph: a Linear layer, an activation by name, or the final softmax. */
export type LayerSpec = LinearLayerSpec | ActivationName | SoftmaxName;

export interface TrainSettings {
  epochs: number;
  learning_rate: number;
  batch_size: 'full' | number;
  record_every: number;
  // The training dynamics: left out, the engine applies its defaults (sgd, constant, 0, false),
  // and a run's hash does not change (experiment/hash.ts).
  optimizer?: OptimizerSetting;
  weight_decay?: number;
  l1?: number;
  schedule?: ScheduleSetting;
  warmup_epochs?: number;
  shuffle?: boolean;
  /** Seed of the per-epoch reshuffling; default: the experiment's `seed`. */
  shuffle_seed?: number;
}

export interface DivergenceSettings {
  max_cost: number;
}

/**
 * `track.sharpness`: the largest Hessian eigenvalue at every recorded epoch e with e mod `every` = 0,
 * before that epoch's update (sharpness.ts). The schema fills in max_iterations (100) and tolerance
 * (1e-6); the engine uses the same defaults when they are left out.
 */
export interface SharpnessTracking {
  every: number;
  max_iterations?: number;
  tolerance?: number;
}

/** Quantities measured during training besides the cost. */
export interface TrackSettings {
  sharpness?: SharpnessTracking;
}

/** What the engine needs to train one network. */
export interface TrainSpec {
  seed: number;
  model: LayerSpec[];
  loss: LossName;
  train: TrainSettings;
  divergence: DivergenceSettings;
  track?: TrackSettings;
}
