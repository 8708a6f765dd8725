import type { SweepValue } from '../experiment/types.js';
import type { LayerParameters } from '../nn/index.js';

export type { LayerParameters };

// What is stored on disk for one finished run: results/<name>/runs/<hash>.json. It holds every
// number the CSV files and the report are built from, so a sweep can be resumed, re-reported
// and verified without re-training.

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
  /** Recorded epochs and costs. Non-finite costs are stored as the strings "NaN", "Infinity", "-Infinity". */
  curve: RunCurve;
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

export interface RunCurve {
  epoch: number[];
  cost: (number | string)[];
  testCost: (number | string)[] | null;
  /**
   * With `track.sharpness` only: beside each recorded epoch, the sharpness computed there, or null
   * at epochs where it was not computed.
   */
  sharpness?: (number | string | null)[];
  /** Only for a run whose rate varies (a schedule or warmup): the learning rate of each recorded epoch. */
  learningRate?: (number | string)[];
}

/** JSON has no NaN or Infinity: store those costs as strings so a curve round-trips bit for bit. */
export function encodeCost(cost: number): number | string {
  return Number.isFinite(cost) ? cost : String(cost);
}

export function decodeCost(cost: number | string): number {
  return typeof cost === 'number' ? cost : Number(cost);
}

/** A run's summary facts: the record without its bulk (curve, parameters, boundary). */
export type RunFacts = Omit<RunRecord, 'curve' | 'parameters' | 'boundary'>;

export function factsOf(record: RunRecord): RunFacts {
  const { curve: _curve, parameters: _parameters, boundary: _boundary, ...facts } = record;
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
    curve: { epoch: [], cost: [], testCost: null },
    parameters: [],
    boundary: null,
    wallMs: 0,
  };
}
