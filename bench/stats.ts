// Small timing helpers: the benchmark reports medians, which shrug off a stray slow repeat on a
// machine shared with other work.

import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of fn() in milliseconds, with its result. */
export function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** `warmups` untimed calls, then `repeats` timed ones; milliseconds per call, in call order. */
export function repeatTimed(fn: () => unknown, warmups: number, repeats: number): number[] {
  for (let i = 0; i < warmups; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push(timed(fn).ms);
  return times;
}
