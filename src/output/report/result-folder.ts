// What the report is drawn from: the result folder's files, read and joined per run.
import type { SweepValue } from '../../experiment/types.js';
import type { DecisionBoundary } from '../../run/index.js';
import type { Manifest } from '../manifest.js';
import type { SeriesSketch, SharpnessSketch } from './curve-sketch.js';

/** A run's curve as the chart draws it: thinned, with what was left out counted (curve-sketch.ts). */
export interface RunCurve {
  cost: SeriesSketch;
  /** Null without a test_cost column. */
  testCost: SeriesSketch | null;
  /** The computed sharpness values, thinned (the sharpness chart); null without a sharpness column. */
  sharpness: SharpnessSketch | null;
  /** curves.csv's learning_rate column (the rate of each epoch), thinned; null without one. */
  learningRate: SeriesSketch | null;
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
  /** The run's own data points (the manifest's point_sets), drawn on its boundary panel. */
  points: DataPoints | null;
  /** With one-hot class targets: the class names in the order of the outputs (the manifest's). */
  classes?: string[] | null;
  /** The run's settings from the manifest (learning rate, optimizer...), when it lists the run. */
  train?: { learning_rate?: unknown; optimizer?: unknown; batch_size?: unknown } | null;
  /** A stability-limit search's verdict (summary.csv's beyond_limit): null for a failed probe, undefined outside a search. */
  beyondLimit?: boolean | null;
}

/** One grid point of a stability-limit search: a row of stability.csv. */
export interface StabilityPoint {
  /** The grid point's sweep values as the CSV writes them, in the order of the sweep keys. */
  cells: string[];
  key: string;
  stableMax: number | null;
  unstableMin: number | null;
  probes: number | null;
  outcome: string;
  note: string;
}

/** The raw data points (two input features, train and test), as in the manifest's `point_sets`. */
export interface DataPoints {
  x: [number, number][];
  y: number[];
  /** The two features' names, when the manifest has them. */
  features?: [string, string];
  /** What the targets 0..k-1 stand for, when they are named classes. */
  classes?: string[];
}

export interface ResultFolder {
  dir: string;
  /** manifest.json as read and checked by readManifest. */
  manifest: Manifest;
  sweepKeys: string[];
  /** summary.csv as written: header and rows of cells. */
  summary: { header: string[]; rows: string[][] };
  /** The runs of summary.csv, in grid order. */
  runs: ReportRun[];
  /** Runs the manifest lists (all of the grid, finished or not). */
  plannedRuns: number;
  /** The first run's data points (whether the data has points at all). */
  points: DataPoints | null;
  /** Names of the two raw input features, for the boundary axes. */
  featureNames: [string, string];
  /** What the targets 0..k-1 of the first data set stand for (class labels), or null. */
  classNames: string[] | null;
  /** divergence.max_cost of the experiment, when known. */
  maxCost: number | null;
  /** True when curves.csv had a test_cost column with values. */
  hasTestCost: boolean;
  /** True when some run has a learning rate per epoch (a schedule or warmup). */
  hasLearningRate: boolean;
  /** True when some run has a sharpness value (curves.csv, or the run records without it). */
  hasSharpness: boolean;
  /** False when the runs/ folder is missing (then there are no decision boundaries). */
  hasRunRecords: boolean;
  /** Problems met while reading that the reader should know about (missing files, bad records). */
  notes: string[];
  /** stability.csv of a stability-limit search (its sweep keys are sweepKeys without the last, the searched key). */
  stability: StabilityPoint[] | null;
}
