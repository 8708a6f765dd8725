// One colour per run. Runs that follow an ordered sweep value (learning rates 0.01 .. 100) get
// an ordered ramp, so neighbouring values look alike; unordered runs get distinct hues.
import { TABLEAU10, viridis } from './svg/colours.js';

/** Viridis from dark purple to green, leaving out its pale yellow end, which vanishes on white. */
export const RAMP_EXTENT = 0.85;

export function runColours(count: number, ordered: boolean): string[] {
  if (!ordered && count <= TABLEAU10.length) return TABLEAU10.slice(0, count);
  if (count === 1) return [viridis(0.35)];
  return Array.from({ length: count }, (_, i) => viridis((RAMP_EXTENT * i) / (count - 1)));
}

/**
 * The colour of `value` on a continuous scale over [low, high] (log or linear), along the same
 * part of viridis as runColours.
 */
export function rampColourOf(value: number, low: number, high: number, log: boolean): string {
  const t = log ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low)) : (value - low) / (high - low);
  return viridis(RAMP_EXTENT * (high > low && Number.isFinite(t) ? t : 0.5));
}
