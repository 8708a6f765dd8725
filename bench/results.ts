// The shape of bench/results.json.

import type { EndToEndResult } from './end-to-end.js';
import type { MachineInfo } from './machine.js';
import type { MediumResult } from './medium.js';
import type { SideBySideResult } from './side-by-side.js';
import type { MemoryResult } from './memory.js';
import type { Outcome } from './outcome.js';
import type { PeerName, PeerTiming } from './peers.js';
import type { QueueResult } from './queue.js';
import type { ReportOpenResult } from './report-open.js';
import type { OptimizersResult } from './optimizers.js';
import type { SharpnessResult } from './sharpness.js';
import type { SweepScalingResult } from './sweep-scaling.js';
import type { TargetCheck } from './targets.js';
import type { TinyResult } from './tiny.js';

export interface Measurements {
  tiny: Outcome<TinyResult>;
  medium: Outcome<MediumResult>;
  /** medium against NumPy in alternating rounds (absent in results written before it existed). */
  /** tiny against brain.js and medium against NumPy, in alternating rounds (side-by-side.ts). */
  tinySideBySide?: Outcome<SideBySideResult>;
  mediumSideBySide?: Outcome<SideBySideResult>;
  sharpness: Outcome<SharpnessResult>;
  optimizers: Outcome<OptimizersResult>;
  sweepScaling: Outcome<SweepScalingResult>;
  endToEnd: Outcome<EndToEndResult>;
  memory: Outcome<MemoryResult>;
  report: Outcome<ReportOpenResult>;
  /** The same for 1 000 runs (100 learning rates x 10 seeds). */
  reportLarge: Outcome<ReportOpenResult>;
  queue: Outcome<QueueResult>;
  peers: Record<PeerName, Outcome<PeerTiming>>;
}

export interface BenchResults extends Measurements {
  machine: MachineInfo;
  targets: TargetCheck[];
}
