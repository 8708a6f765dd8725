// A 5000-epoch curve has far more points than a 640-pixel chart can show. Drawing every point
// of a 100-run sweep would make a report of tens of megabytes; instead each curve keeps
//  - its first and last point (where it starts, where it stopped),
//  - log-spaced points, so the fast early drop keeps its shape,
//  - the lowest and highest cost of each of many equal slices of the run, so spikes and
//    oscillations of an unstable run stay visible (min/max decimation).

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
  const n = costs.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0, n - 1]);

  const logCount = Math.floor(maxPoints / 4);
  const logMax = Math.log(n - 1);
  for (let k = 0; k < logCount; k++) keep.add(Math.round(Math.exp((logMax * k) / (logCount - 1))));

  const buckets = Math.floor((maxPoints - logCount - 2) / 2);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let low = -1;
    let high = -1;
    for (let i = from; i < to; i++) {
      const cost = costs[i];
      // Non-finite costs only end a diverged run, and the last point is kept anyway.
      if (!Number.isFinite(cost)) continue;
      if (low < 0 || cost < costs[low]) low = i;
      if (high < 0 || cost > costs[high]) high = i;
    }
    if (low >= 0) keep.add(low);
    if (high >= 0) keep.add(high);
  }
  return [...keep].sort((a, b) => a - b);
}
