// A 5000-epoch curve has far more points than a 640-pixel chart can show. Drawing every point
// of a 100-run sweep would make a report of tens of megabytes; instead each curve keeps
//  - its first and last point (where it starts, where it stopped),
//  - log-spaced points, so the fast early drop keeps its shape,
//  - the lowest and highest cost of each of many equal slices of the run, so spikes and
//    oscillations of an unstable run stay visible (min/max decimation).
// The choice is made one point at a time (Downsampler), knowing only how many points will come,
// so a curve of millions of points is thinned as it is read and never held whole.

export const MAX_POINTS_PER_CURVE = 400;
/** Points drawn over all curves of a chart: keeps a 1 000-run report small and fast to render. */
export const TOTAL_POINT_BUDGET = 40_000;
const MIN_POINTS_PER_CURVE = 30;

/** How many points each of `runCount` overlaid curves may draw. */
export function pointsPerCurve(runCount: number): number {
  return Math.max(MIN_POINTS_PER_CURVE, Math.min(MAX_POINTS_PER_CURVE, Math.floor(TOTAL_POINT_BUDGET / Math.max(1, runCount))));
}

/** Indices (ascending) of the points to draw out of `costs`; all of them when there are few. */
export function downsampleIndices(costs: ArrayLike<number>, maxPoints = MAX_POINTS_PER_CURVE): number[] {
  const sampler = new Downsampler(costs.length, maxPoints);
  for (let i = 0; i < costs.length; i++) sampler.push(costs[i], i);
  return sampler.finish().indices;
}

/** The points kept, in the order they came. */
export interface KeptPoints {
  indices: number[];
  epochs: number[];
  costs: number[];
  /** The extra number pushed with each kept point (NaN when none was). */
  extras: number[];
}

/**
 * Picks the points to draw out of `n` points that come one at a time, each with its cost and its
 * epoch. Holds at most `maxPoints` points, and allocates nothing per point.
 */
export class Downsampler {
  /** Kept points by index: [epoch, cost, extra]. */
  private readonly kept = new Map<number, [number, number, number]>();
  private readonly logIndices = new Set<number>();
  private readonly buckets: number;
  private readonly keepAll: boolean;
  private next = 0;
  private bucket = 0;
  private bucketEnd = 0;
  private lowIndex = -1;
  private lowCost = NaN;
  private lowEpoch = NaN;
  private lowExtra = NaN;
  private highIndex = -1;
  private highCost = NaN;
  private highEpoch = NaN;
  private highExtra = NaN;

  constructor(
    private readonly n: number,
    maxPoints: number,
  ) {
    this.keepAll = n <= maxPoints;
    const logCount = Math.floor(maxPoints / 4);
    const logMax = Math.log(n - 1);
    if (!this.keepAll) for (let k = 0; k < logCount; k++) this.logIndices.add(Math.round(Math.exp((logMax * k) / (logCount - 1))));
    this.buckets = this.keepAll ? 0 : Math.floor((maxPoints - logCount - 2) / 2);
    this.bucketEnd = this.buckets ? Math.floor(n / this.buckets) : 0;
  }

  /** The next point: its cost (what is thinned by), its epoch and one more number to keep with it. */
  push(cost: number, epoch: number, extra = NaN): void {
    const i = this.next++;
    if (this.keepAll || i === 0 || i === this.n - 1 || this.logIndices.has(i)) this.kept.set(i, [epoch, cost, extra]);
    if (this.keepAll) return;
    while (this.bucket < this.buckets && i >= this.bucketEnd) this.closeBucket();
    // Non-finite costs only end a diverged run, and the last point is kept anyway.
    if (this.bucket >= this.buckets || !Number.isFinite(cost)) return;
    if (this.lowIndex < 0 || cost < this.lowCost) {
      this.lowIndex = i;
      this.lowCost = cost;
      this.lowEpoch = epoch;
      this.lowExtra = extra;
    }
    if (this.highIndex < 0 || cost > this.highCost) {
      this.highIndex = i;
      this.highCost = cost;
      this.highEpoch = epoch;
      this.highExtra = extra;
    }
  }

  finish(): KeptPoints {
    while (this.bucket < this.buckets) this.closeBucket();
    const indices = [...this.kept.keys()].sort((a, b) => a - b);
    return {
      indices,
      epochs: indices.map((i) => this.kept.get(i)![0]),
      costs: indices.map((i) => this.kept.get(i)![1]),
      extras: indices.map((i) => this.kept.get(i)![2]),
    };
  }

  private closeBucket(): void {
    if (this.lowIndex >= 0) this.kept.set(this.lowIndex, [this.lowEpoch, this.lowCost, this.lowExtra]);
    if (this.highIndex >= 0) this.kept.set(this.highIndex, [this.highEpoch, this.highCost, this.highExtra]);
    this.lowIndex = -1;
    this.highIndex = -1;
    this.bucket++;
    this.bucketEnd = Math.floor(((this.bucket + 1) * this.n) / this.buckets);
  }
}
