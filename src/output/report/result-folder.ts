// What the report is drawn from: the result folder's files, read and joined per run.
import type { SweepValue } from '../../experiment/types.js';
import type { DecisionBoundary } from '../../sweep/run-record.js';
import type { Json } from './json.js';

export interface RunCurve {
  epoch: ArrayLike<number>;
  /** NaN where the file holds NaN, ±Infinity where it holds those. */
  cost: ArrayLike<number>;
  testCost: ArrayLike<number> | null;
}

export interface ReportRun {
  /** 1-based grid index. */
  run: number;
  /** Swept key -> value, in the order of the sweep keys. */
  params: [string, SweepValue][];
  /** Unique display name built from the swept values. */
  label: string;
  status: string;
  epochs: number | null;
  finalCost: number | null;
  curve: RunCurve;
  /** From runs/<hash>.json; null without a record or for data that is not two-dimensional. */
  boundary: DecisionBoundary | null;
}

/** The raw data points (two input features, train and test), as the manifest's `points`. */
export interface DataPoints {
  x: [number, number][];
  y: number[];
}

export interface ResultFolder {
  dir: string;
  /** manifest.json as parsed; read through json.ts helpers. */
  manifest: Json;
  sweepKeys: string[];
  /** summary.csv as written: header and rows of cells. */
  summary: { header: string[]; rows: string[][] };
  /** The runs of summary.csv, in grid order. */
  runs: ReportRun[];
  /** Runs the manifest lists (all of the grid, finished or not). */
  plannedRuns: number;
  points: DataPoints | null;
  /** Names of the two raw input features, for the boundary axes. */
  featureNames: [string, string];
  /** divergence.max_cost of the experiment, when known. */
  maxCost: number | null;
  /** True when curves.csv had a test_cost column with values. */
  hasTestCost: boolean;
  /** False when the runs/ folder is missing (then there are no decision boundaries). */
  hasRunRecords: boolean;
  /** Problems met while reading that the reader should know about (missing files, bad records). */
  notes: string[];
}
