// 1. tiny: the blog's XOR network, microseconds per epoch, one thread.

import { tinySpec, xorData } from './networks.js';
import type { Outcome } from './outcome.js';
import { timeTraining, type TrainingTiming } from './training-timer.js';

export const TINY_EPOCHS = 20_000;
export const TINY_REPEATS = 7;

export type TinyResult = TrainingTiming & { usPerEpoch: number };

export function measureTiny(): Outcome<TinyResult> {
  const timing = timeTraining(tinySpec(TINY_EPOCHS), xorData(), TINY_REPEATS);
  return timing.ok ? { ...timing, usPerEpoch: timing.msPerEpoch * 1000 } : timing;
}
