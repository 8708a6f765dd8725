// The engine's own vocabulary: what one network is and how it is trained. Plain JSON-compatible
// data, so a spec can cross a thread or a network unchanged. The names come from the registries
// (activations.ts, init.ts, losses.ts); the experiment file's schema is built on top of these.

import type { ActivationName } from './activations.js';
import type { InitName } from './init.js';
import type { LossName } from './losses.js';

export type { ActivationName, InitName, LossName };

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
