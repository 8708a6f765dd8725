// 2. medium: 2 -> 64 -> 64 -> 1 on 1 000 spiral points, milliseconds per epoch, one thread.

import { mediumSpec, SPIRAL, spiralData } from './networks.js';
import type { Outcome } from './outcome.js';
import { timeTraining, type TrainingTiming } from './training-timer.js';

export const MEDIUM_EPOCHS = 50;
export const MEDIUM_REPEATS = 5;

export type MediumResult = TrainingTiming & { examples: number; dataset: typeof SPIRAL };

export function measureMedium(): Outcome<MediumResult> {
  const data = spiralData();
  const timing = timeTraining(mediumSpec(MEDIUM_EPOCHS), data, MEDIUM_REPEATS);
  return timing.ok ? { ...timing, examples: data.x.cols, dataset: SPIRAL } : timing;
}
