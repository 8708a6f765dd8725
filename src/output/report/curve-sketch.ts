// What the charts need of one series of one run, gathered in one pass over its points. For a cost
// (training or test): the thinned points to draw, how many points a log axis cannot show, and the
// highest drawable cost. For the sharpness: its computed values, thinned, with the learning rate at
// each (for the stability threshold beside it). The whole series is never held.
import { Downsampler } from './downsample.js';
import { costKind } from './log-scale.js';

export interface SeriesSketch {
  /** Recorded points in the whole series. */
  points: number;
  /** The points to draw, in epoch order; the last one is the series' last point. */
  epoch: number[];
  cost: number[];
  /** Points a log axis cannot show: cost zero or below, or off the scale before the last point. */
  omitted: number;
  /** The highest cost that can be drawn, or null. */
  highest: number | null;
  /** Finite values in the whole series. */
  finite: number;
}

export class SeriesSketcher {
  private readonly sampler: Downsampler;
  private points = 0;
  private nonPositive = 0;
  private offScale = 0;
  private lastOffScale = false;
  private highest: number | null = null;
  private finite = 0;

  /** `n`: the points that will come; `budget`: the most points to draw. */
  constructor(
    n: number,
    budget: number,
    private readonly maxCost: number | null,
  ) {
    this.sampler = new Downsampler(n, budget);
  }

  push(epoch: number, cost: number): void {
    const kind = costKind(cost, this.maxCost);
    if (kind === 'non-positive') this.nonPositive++;
    if (kind === 'off-scale') this.offScale++;
    this.lastOffScale = kind === 'off-scale';
    if (kind === 'drawable' && (this.highest === null || cost > this.highest)) this.highest = cost;
    if (Number.isFinite(cost)) this.finite++;
    this.sampler.push(cost, epoch);
    this.points++;
  }

  finish(): SeriesSketch {
    const kept = this.sampler.finish();
    return {
      points: this.points,
      epoch: kept.epochs,
      cost: kept.costs,
      // The last point is drawn even off the scale (where a diverged run stopped).
      omitted: this.nonPositive + this.offScale - (this.lastOffScale ? 1 : 0),
      highest: this.highest,
      finite: this.finite,
    };
  }
}

/** The sketch of a series held in arrays. */
export function sketchSeries(epoch: ArrayLike<number>, cost: ArrayLike<number>, budget: number, maxCost: number | null): SeriesSketch {
  const sketcher = new SeriesSketcher(cost.length, budget, maxCost);
  for (let i = 0; i < cost.length; i++) sketcher.push(epoch[i], cost[i]);
  return sketcher.finish();
}

/** The sharpness values a run computed (NaN cells, where none was computed, left out), thinned. */
export interface SharpnessSketch {
  /** Computed (finite) values in the whole run. */
  points: number;
  epoch: number[];
  value: number[];
  /** curves.csv's learning_rate at each drawn point; NaN where the file has none. */
  learningRate: number[];
  /** The highest value, or null. */
  highest: number | null;
}

export class SharpnessSketcher {
  private readonly sampler: Downsampler;
  private points = 0;
  private highest: number | null = null;

  /** `n`: the finite values that will come; `budget`: the most points to draw. */
  constructor(n: number, budget: number) {
    this.sampler = new Downsampler(n, budget);
  }

  /** A row's sharpness cell: values that are not finite (not computed there) are skipped. */
  push(epoch: number, value: number, learningRate = NaN): void {
    if (!Number.isFinite(value)) return;
    if (this.highest === null || value > this.highest) this.highest = value;
    this.sampler.push(value, epoch, learningRate);
    this.points++;
  }

  finish(): SharpnessSketch {
    const kept = this.sampler.finish();
    return { points: this.points, epoch: kept.epochs, value: kept.costs, learningRate: kept.extras, highest: this.highest };
  }
}

/** The sharpness sketch of a series held in arrays (NaN where not computed). */
export function sketchSharpness(epoch: ArrayLike<number>, values: ArrayLike<number>, budget: number, learningRate?: ArrayLike<number>): SharpnessSketch {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const sketcher = new SharpnessSketcher(n, budget);
  for (let i = 0; i < values.length; i++) sketcher.push(epoch[i], values[i], learningRate?.[i] ?? NaN);
  return sketcher.finish();
}
