// A log axis cannot show zero, negative or non-finite values. Costs are sorted into what can be
// drawn, what is omitted (cost <= 0, e.g. an exact fit), and what is off the scale (NaN, Infinity,
// or above the divergence limit: the point where a run blew up). Off-scale points are drawn at the
// power of ten at least one decade above the highest drawable cost, clear of every real value.

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
  return Math.max(...values) / Math.min(...values) >= 10;
}

/**
 * Tick values at the powers of ten covering [min, max] when the values span three decades or
 * more; undefined (let Vega choose) for narrower ranges, where 0.2, 0.3, ... read better.
 */
export function decadeTicks(min: number, max: number): number[] | undefined {
  if (!(min > 0) || !(max >= min) || Math.log10(max / min) < 3) return undefined;
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(min)); k <= Math.ceil(Math.log10(max)); k++) ticks.push(Number(`1e${k}`));
  return ticks;
}

/** A log-scale domain snapped outwards to powers of ten. */
export function decadeDomain(min: number, max: number): [number, number] {
  return [Number(`1e${Math.floor(Math.log10(min))}`), Number(`1e${Math.ceil(Math.log10(max))}`)];
}
