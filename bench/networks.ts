// The two trainings the benchmark times, as gradgrid sees them: specs and data.

import type { LayerSpec, TrainSpec } from '../src/experiment/types.js';
import { prepareDataset } from '../src/data/index.js';
import type { DataSplit } from '../src/data/index.js';

/** Layers of a fully connected sigmoid network, xavier-initialised, e.g. [2, 3, 1]. */
export function sigmoidLayers(sizes: readonly number[]): LayerSpec[] {
  return sizes.slice(1).flatMap((n): LayerSpec[] => [{ linear: n, init: 'xavier' }, 'sigmoid']);
}

/** The blog's XOR network: 2 -> 3 sigmoid -> 1 sigmoid, squared error, lr 1, full batch. */
export function tinySpec(epochs: number): TrainSpec {
  return {
    seed: 48,
    model: sigmoidLayers([2, 3, 1]),
    loss: 'squared_error',
    // Record only the last epoch: the benchmark times training, not the recording.
    train: { epochs, learning_rate: 1, batch_size: 'full', record_every: epochs },
    divergence: { max_cost: 1e6 },
  };
}

/** 2 -> 64 -> 64 -> 1, sigmoid everywhere, binary cross-entropy, full batch. */
export function mediumSpec(epochs: number): TrainSpec {
  return {
    seed: 1,
    model: sigmoidLayers([2, 64, 64, 1]),
    loss: 'bce',
    train: { epochs, learning_rate: 0.1, batch_size: 'full', record_every: epochs },
    divergence: { max_cost: 1e6 },
  };
}

export const SPIRAL = { builtin: 'spiral', samples: 1000, noise: 0.1, seed: 1 } as const;

export function xorData(): DataSplit {
  return prepareDataset({ builtin: 'xor' }).train;
}

export function spiralData(): DataSplit {
  return prepareDataset({ ...SPIRAL }).train;
}

/** The spiral as the peers read it: { x: [[x1...], [x2...]], y: [[y...]] }. */
export function spiralJson(split: DataSplit): string {
  const rows = (m: DataSplit['x']) =>
    Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return JSON.stringify({ x: rows(split.x), y: rows(split.y) });
}
