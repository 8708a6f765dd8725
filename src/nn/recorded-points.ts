// Which epochs a run records, apart from the training loop: the sweep's main thread sizes its
// work by it without loading the engine.

/**
 * The points a run of `epochs` epochs records: epochs 0, k, 2k, ... and the last one. A run that
 * diverges records this many or fewer.
 */
export function recordedPointCount(epochs: number, recordEvery: number): number {
  const last = epochs - 1;
  return Math.floor(last / recordEvery) + 1 + (last % recordEvery === 0 ? 0 : 1);
}
