// A log axis cannot show zero, negative or non-finite values. Costs are sorted into what can be
// drawn, what is omitted (cost <= 0, e.g. an exact fit), and what is off the scale (NaN, Infinity,
// or above the divergence limit: the point where a run blew up). Off-scale points are drawn at the
// power of ten at least one decade above the highest drawable cost, clear of every real value.

import { extent } from './numbers.js';

export type CostKind = 'drawable' | 'non-positive' | 'off-scale';

export function costKind(value: number, maxCost: number | null): CostKind {
  if (!Number.isFinite(value)) return 'off-scale';
  if (maxCost !== null && value > maxCost) return 'off-scale';
  return value > 0 ? 'drawable' : 'non-positive';
}

/** The height at which off-scale points are drawn, given the highest drawable value (if any). */
export function offScaleLevel(highestDrawable: number | null): number {
  if (highestDrawable === null) return 1;
  return 10 ** (Math.ceil(Math.log10(highestDrawable)) + 1);
}

/** True when positive values span at least a factor of ten: then a log axis reads best. */
export function spansDecades(values: number[]): boolean {
  if (values.length < 2 || values.some((value) => !(value > 0) || !Number.isFinite(value))) return false;
  const [min, max] = extent(values);
  return max / min >= 10;
}

/**
 * Tick values for a log axis over [min, max]: each power of ten when the values span three
 * decades or more, 1-2-5 steps for one to three decades, and undefined (the scale then chooses, e.g.
 * 0.2, 0.3, 0.5) within a single decade. Explicit ticks keep the grid to round values.
 */
export function logTicks(min: number, max: number): number[] | undefined {
  if (!(min > 0) || !(max >= min) || Math.log10(max / min) < 1) return undefined;
  const [low, high] = decadeDomain(min, max);
  const steps = Math.log10(max / min) >= 3 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let k = Math.round(Math.log10(low)); k <= Math.round(Math.log10(high)); k++) {
    for (const step of steps) {
      const tick = Number(`${step}e${k}`);
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
}

/** A log-scale domain snapped outwards to powers of ten. */
export function decadeDomain(min: number, max: number): [number, number] {
  return [Number(`1e${Math.floor(Math.log10(min))}`), Number(`1e${Math.ceil(Math.log10(max))}`)];
}
