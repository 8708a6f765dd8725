// The rows of curves.csv turned into each run's sketched curves (curve-sketch.ts), one row at a
// time. Thinning needs a run's number of points before its first row: the caller knows them (a
// counting pass over the file, the run records, or the sweep that writes the file).
import { SeriesSketcher, SharpnessSketcher } from './curve-sketch.js';
import type { CurveRow } from './plain-curves.js';
import type { RunCurve } from './result-folder.js';

/** Points per run: rows, and computed sharpness values. */
export interface Counts {
  rows: number;
  sharpness: number;
}

/** What the thinning needs to know besides the counts. */
export interface SketchSettings {
  /** Points each curve may draw (pointsPerCurve of the number of runs). */
  budget: number;
  /** divergence.max_cost: costs above it are drawn off the scale. */
  maxCost: number | null;
}

export interface SketchedCurves {
  curves: Map<number, RunCurve>;
  hasTestCost: boolean;
}

interface Sketchers {
  cost: SeriesSketcher;
  testCost: SeriesSketcher | null;
  sharpness: SharpnessSketcher | null;
  learningRate: SeriesSketcher | null;
}

export class CurvesSketcher {
  private readonly sketchers = new Map<number, Sketchers>();
  private hasTestCost = false;
  private sharpnessColumn = false;
  // A run's rows come one after another: the last run's sketchers are kept at hand.
  private lastRun = NaN;
  private last: Sketchers | undefined;

  /** `counts`: each run's points, read when its first row comes; `sharpnessBudget`: the points each sharpness line may draw. */
  constructor(
    private readonly settings: SketchSettings,
    private readonly counts: ReadonlyMap<number, Counts>,
    private readonly sharpnessBudget: number,
  ) {}

  /** One row (read at once: the caller may refill the object). */
  readonly visit = (row: CurveRow): void => {
    let sketcher = row.run === this.lastRun ? this.last : this.sketchers.get(row.run);
    if (!sketcher) {
      const count = this.counts.get(row.run) ?? { rows: 0, sharpness: 0 };
      const { budget, maxCost } = this.settings;
      const costs = () => new SeriesSketcher(count.rows, budget, maxCost);
      sketcher = {
        cost: costs(),
        testCost: row.testCost === undefined ? null : costs(),
        sharpness: row.sharpness === undefined ? null : new SharpnessSketcher(count.sharpness, this.sharpnessBudget),
        learningRate: row.learningRate === undefined ? null : new SeriesSketcher(count.rows, budget, null),
      };
      this.sketchers.set(row.run, sketcher);
      if (row.sharpness !== undefined) this.sharpnessColumn = true;
    }
    if (sketcher !== this.last) {
      this.lastRun = row.run;
      this.last = sketcher;
    }
    sketcher.cost.push(row.epoch, row.cost);
    if (sketcher.testCost && row.testCost !== undefined) {
      if (row.testCost !== null) this.hasTestCost = true;
      sketcher.testCost.push(row.epoch, row.testCost ?? NaN);
    }
    sketcher.sharpness?.push(row.epoch, row.sharpness ?? NaN, row.learningRate ?? NaN);
    sketcher.learningRate?.push(row.epoch, row.learningRate ?? NaN);
  };

  /**
   * The sketched curves (test costs only when the file has the column); with each run's rows as
   * they came, and whether the file has a sharpness column, for checking the counts it was given.
   */
  finish(withTest: boolean): SketchedCurves & { rowsPerRun: Map<number, number>; sharpnessColumn: boolean } {
    const curves = new Map<number, RunCurve>();
    const rowsPerRun = new Map<number, number>();
    for (const [run, sketcher] of this.sketchers) {
      const cost = sketcher.cost.finish();
      rowsPerRun.set(run, cost.points);
      curves.set(run, {
        cost,
        testCost: withTest ? sketcher.testCost?.finish() ?? null : null,
        sharpness: sketcher.sharpness?.finish() ?? null,
        learningRate: sketcher.learningRate?.finish() ?? null,
      });
    }
    return { curves, hasTestCost: this.hasTestCost, rowsPerRun, sharpnessColumn: this.sharpnessColumn };
  }
}

/** Each run's points (and no sharpness values) from what its record says. */
export function countsOf(points: ReadonlyMap<number, number>): Map<number, Counts> {
  return new Map([...points].map(([run, rows]) => [run, { rows, sharpness: 0 }]));
}

/** Whether a one-pass sketch made with `expected` counts holds: every run had those rows, and no sharpness (whose count no record holds). */
export function countsHeld(sketched: { rowsPerRun: Map<number, number>; sharpnessColumn: boolean }, expected: ReadonlyMap<number, number>): boolean {
  return !sketched.sharpnessColumn && [...sketched.rowsPerRun].every(([run, points]) => expected.get(run) === points);
}
