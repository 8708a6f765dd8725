// One colour per run. Runs that follow an ordered sweep value (learning rates 0.01 .. 100) get
// an ordered ramp, so neighbouring values look alike; unordered runs get distinct hues.
import { scheme } from 'vega';

/** Viridis from dark purple to green, leaving out its pale yellow end, which vanishes on white. */
export const RAMP_EXTENT = 0.85;

export function runColours(count: number, ordered: boolean): string[] {
  const categorical = scheme('tableau10') as string[];
  if (!ordered && count <= categorical.length) return categorical.slice(0, count);
  const ramp = scheme('viridis') as (t: number) => string;
  if (count === 1) return [ramp(0.35)];
  return Array.from({ length: count }, (_, i) => ramp((RAMP_EXTENT * i) / (count - 1)));
}
