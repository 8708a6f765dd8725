// The experiment files the benchmark sweeps through the real CLI, in gradgrid's experiment format.

const MEDIUM_MODEL = `model:
  - { linear: 64, init: xavier }
  - sigmoid
  - { linear: 64, init: xavier }
  - sigmoid
  - { linear: 1, init: xavier }
  - sigmoid`;

const XOR_MODEL = `model:
  - { linear: 3, init: xavier }
  - sigmoid
  - { linear: 1, init: xavier }
  - sigmoid`;

/** The medium network on the spiral, swept over the given learning rates, last epoch recorded. */
export function mediumSweepYaml(epochs: number, learningRates: readonly number[]): string {
  return `name: bench-sweep-scaling
description: gradgrid benchmark, worker scaling of a medium sweep
seed: 1
dataset: { builtin: spiral, samples: 1000, noise: 0.1, seed: 1 }
${MEDIUM_MODEL}
loss: bce
train: { epochs: ${epochs}, learning_rate: 0.1, batch_size: full, record_every: ${epochs} }
sweep:
  train.learning_rate: [${learningRates.join(', ')}]
`;
}

/** The blog's XOR network over the given seeds, every epoch recorded. */
export function xorSeedSweepYaml(epochs: number, seeds: readonly number[]): string {
  return `name: bench-memory
description: gradgrid benchmark, peak memory of a large sweep that records every epoch
seed: 1
dataset: { builtin: xor }
${XOR_MODEL}
loss: squared_error
train: { epochs: ${epochs}, learning_rate: 1, batch_size: full, record_every: 1 }
sweep:
  seed: [${seeds.join(', ')}]
`;
}

/**
 * The blog's XOR network over `runs` learning rates spaced evenly on a log scale (each with the
 * seeds 1..seeds when seeds > 1), every epoch recorded.
 */
export function xorLogLearningRateSweepYaml(epochs: number, from: number, to: number, runs: number, seeds = 1): string {
  return `name: bench-report
description: gradgrid benchmark, size and opening time of the report of a large sweep
seed: 1
dataset: { builtin: xor }
${XOR_MODEL}
loss: squared_error
train: { epochs: ${epochs}, learning_rate: 1, batch_size: full, record_every: 1 }
sweep:
  train.learning_rate: { logspace: [${from}, ${to}, ${runs}] }
${seeds > 1 ? `  seed: [${Array.from({ length: seeds }, (_, i) => i + 1).join(', ')}]\n` : ''}`;
}
