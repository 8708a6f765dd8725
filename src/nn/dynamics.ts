// The training dynamics of a TrainSpec resolved into the engine's terms: the optimizer, the
// learning-rate schedule and warmup, the penalties and the per-epoch reshuffling, every default
// applied (sgd, constant, no warmup, no penalties, no shuffling) and every value checked.

import type { TrainSpec } from './spec.js';
import { ModelSpecError } from './errors.js';
import { type OptimizerSpec, resolveOptimizer } from './optimizers.js';
import type { Penalties } from './penalties.js';
import { rateVaries, resolveSchedule, type ScheduleSpec } from './schedules.js';

export interface TrainingDynamics {
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  /** Epochs of linear warmup (0: none). */
  warmupEpochs: number;
  penalties: Penalties;
  /** Reshuffle the training examples before every epoch. */
  shuffle: boolean;
  /** Seed of the reshuffling generator (the experiment's seed unless train.shuffle_seed is set). */
  shuffleSeed: number;
}

/** Throws a ModelSpecError naming the setting for any value the engine cannot use. */
export function resolveDynamics(spec: Pick<TrainSpec, 'seed' | 'train'>): TrainingDynamics {
  const t = spec.train;
  const warmupEpochs = t.warmup_epochs ?? 0;
  if (!Number.isInteger(warmupEpochs) || warmupEpochs < 0) {
    throw new ModelSpecError('train.warmup_epochs', `expected a whole number >= 0, got ${warmupEpochs}`);
  }
  const penalty = (key: 'weight_decay' | 'l1'): number => {
    const value = t[key] ?? 0;
    if (typeof value !== 'number' || !(value >= 0 && value < Infinity)) {
      throw new ModelSpecError(`train.${key}`, `expected a finite number >= 0, got ${value}`);
    }
    return value;
  };
  const shuffle = t.shuffle ?? false;
  if (typeof shuffle !== 'boolean') throw new ModelSpecError('train.shuffle', `expected true or false, got ${JSON.stringify(shuffle)}`);
  const shuffleSeed = t.shuffle_seed ?? spec.seed;
  if (!Number.isInteger(shuffleSeed) || shuffleSeed < 0 || shuffleSeed > 0xffffffff) {
    throw new ModelSpecError(t.shuffle_seed === undefined ? 'seed' : 'train.shuffle_seed', `expected a whole number in [0, 4294967295], got ${shuffleSeed}`);
  }
  return {
    optimizer: resolveOptimizer(t.optimizer),
    schedule: resolveSchedule(t.schedule),
    warmupEpochs,
    penalties: { weightDecay: penalty('weight_decay'), l1: penalty('l1') },
    shuffle,
    shuffleSeed,
  };
}

/** Plain gradient descent: sgd at a constant rate, no penalties, the examples in their order. */
export function isPlainGradientDescent(d: TrainingDynamics): boolean {
  return (
    d.optimizer.name === 'sgd' &&
    !rateVaries(d.schedule, d.warmupEpochs) &&
    d.penalties.weightDecay === 0 &&
    d.penalties.l1 === 0 &&
    !d.shuffle
  );
}
