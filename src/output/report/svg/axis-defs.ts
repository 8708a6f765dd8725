// The axes the report's charts share: epochs along x, and log axes for costs, sharpness and swept
// values, with ticks at round values only (see ../log-scale.ts).
import { decadeDomain, logTicks } from '../log-scale.js';
import type { AxisDef } from './axis.js';

/** Epochs: whole numbers from the first recorded epoch to the last. */
export function epochAxis(low: number, high: number): AxisDef {
  return { title: 'epoch', scale: { type: 'linear', domain: [low, high], nice: true }, integer: true };
}

/**
 * A log axis for values in [low, high]. Snapped outwards to powers of ten (costs), or kept to the
 * values with `padding` pixels at the ends (a swept setting fills the width).
 */
export function logAxis(title: string, low: number, high: number, options: { snapToDecades: boolean; padding?: number }): AxisDef {
  const ticks = logTicks(low, high)?.filter((tick) => options.snapToDecades || (tick >= low && tick <= high));
  const domain: [number, number] = options.snapToDecades && ticks ? decadeDomain(low, high) : [low, high];
  return { title, scale: { type: 'log', domain, padding: options.padding }, ...(ticks && ticks.length >= 2 ? { ticks } : {}) };
}
