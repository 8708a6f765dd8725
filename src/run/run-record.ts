import type { SweepValue } from '../experiment/types.js';
import type { LayerParameters } from '../nn/index.js';

export type { LayerParameters };

// What is stored on disk for one finished run: results/<name>/runs/<hash>.json, and its cost curve
// beside it in runs/<hash>.curve.csv (curve-file.ts). Together they hold every number the CSV
// files and the report are built from, so a sweep can be resumed, re-reported and verified without
// re-training. The curve stays out of the JSON: a run of millions of epochs has a curve of
// millions of points, which is streamed, never held whole.

/** The documented run statuses; see docs/status.md for the rules. */
export const RUN_STATUSES = ['converged', 'slow', 'stalled', 'unstable', 'diverged', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * A decision-boundary map over the two raw input features: `values` holds the network output
 * (probability of class 1) on a resolution x resolution grid, row-major, row 0 at yMin.
 */
export interface DecisionBoundary {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  resolution: number;
  values: number[];
  /** With one output per class: each cell's predicted class; `values` then holds its probability. */
  classes?: number[];
}

export interface RunRecord {
  hash: string;
  engineVersion: string;
  status: RunStatus;
  /** Epochs actually run (a diverged run stops early). */
  epochs: number;
  /** Non-finite values stored as strings, like the curve's costs. */
  finalCost: number | string | null;
  minCost: number | string | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** The failure message of a failed run. */
  error: string | null;
  /** The cost recorded for epoch 0 (a stability search compares the final cost with it); null for a failed run. */
  initialCost: number | string | null;
  /** Recorded points of the curve (rows of runs/<hash>.curve.csv). */
  points: number;
  /** Size of runs/<hash>.curve.csv in bytes: a record whose curve file is missing or cut short is not trusted. */
  curveBytes: number;
  parameters: LayerParameters[];
  boundary: DecisionBoundary | null;
  /** Wall time of the training in milliseconds (kept out of the CSV files). */
  wallMs: number;
  /**
   * With `track.sharpness` only (the key is absent otherwise): the last sharpness computed, and
   * the largest (NaN only when every one was NaN), encoded like costs; null when none was computed.
   */
  finalSharpness?: number | string | null;
  maxSharpness?: number | string | null;
}

/** JSON has no NaN or Infinity: store those costs as strings so they round-trip bit for bit. */
export function encodeCost(cost: number): number | string {
  return Number.isFinite(cost) ? cost : String(cost);
}

export function decodeCost(cost: number | string): number {
  return typeof cost === 'number' ? cost : Number(cost);
}

/** A run's summary facts: the record without its bulk (parameters, boundary). */
export type RunFacts = Omit<RunRecord, 'parameters' | 'boundary'>;

export function factsOf(record: RunRecord): RunFacts {
  const { parameters: _parameters, boundary: _boundary, ...facts } = record;
  return facts;
}

/** A finished run at its place in the grid: what the CSV files, the manifest and the table show. */
export interface FinishedRun {
  /** 1-based grid index. */
  index: number;
  params: [string, SweepValue][];
  facts: RunFacts;
  /** True when the record came from the run store instead of a fresh training. */
  reused: boolean;
}

/** The record of a run that could not finish: its error instead of a curve. */
export function failedRecord(hash: string, engineVersion: string, error: string): RunRecord {
  return {
    hash,
    engineVersion,
    status: 'failed',
    epochs: 0,
    finalCost: null,
    minCost: null,
    trainAccuracy: null,
    testAccuracy: null,
    error,
    initialCost: null,
    points: 0,
    curveBytes: 0,
    parameters: [],
    boundary: null,
    wallMs: 0,
  };
}
