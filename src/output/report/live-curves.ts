// The report's curves sketched from curves.csv's text as the sweep writes it (output/curves-tap.ts),
// while the runs train, instead of reading the file back once they have: the same text through the
// same reading (plain-curves.ts) and thinning (curves-sketcher.ts) as readCurvesCsv, each run's
// points from its record as there. The report takes them only when that reading holds (a plain
// file, every run with the points it said) and the thinning's settings are the ones it reads from
// the finished folder; else it reads curves.csv as before.
import type { CurvesTap } from '../curves-tap.js';
import type { PlainCurve } from '../../run/curve-file.js';
import { countsHeld, CurvesSketcher, type Counts, type SketchedCurves, type SketchSettings } from './curves-sketcher.js';
import { pointsPerCurve } from './downsample.js';
import { NotPlainCurves, PlainCurvesParser, type CurveRow } from './plain-curves.js';

export class LiveCurveSketches implements CurvesTap {
  private readonly settings: SketchSettings;
  private readonly counts = new Map<number, Counts>();
  private readonly points = new Map<number, number>();
  private readonly sketcher: CurvesSketcher;
  private readonly parser: PlainCurvesParser;
  private failed = false;
  private readonly row: CurveRow = { run: NaN, epoch: NaN, cost: NaN, testCost: undefined, sharpness: undefined, learningRate: undefined };
  private result: SketchedCurves | null | undefined;

  /** `runs`: the rows summary.csv will have; `maxCost`: divergence.max_cost as the manifest will hold it. */
  constructor(runs: number, maxCost: number | null) {
    this.settings = { budget: pointsPerCurve(runs), maxCost };
    this.sketcher = new CurvesSketcher(this.settings, this.counts, 0);
    this.parser = new PlainCurvesParser(this.sketcher.visit, false);
  }

  expect(run: number, points: number): void {
    this.counts.set(run, { rows: points, sharpness: 0 });
    this.points.set(run, points);
  }

  write(text: string): void {
    if (this.failed) return;
    try {
      this.parser.push(text);
    } catch (error) {
      if (!(error instanceof NotPlainCurves)) throw error;
      this.failed = true;
    }
  }

  curve(run: number, { epochs, costs }: PlainCurve): void {
    if (this.failed) return;
    // Numbers stand for rows only in a file whose rows are run, keys, epoch, cost.
    if (!this.parser.hasPlainColumns()) {
      this.failed = true;
      return;
    }
    const row = this.row;
    row.run = run;
    for (let i = 0; i < costs.length; i++) {
      const cost = costs[i];
      row.epoch = epochs[i];
      row.cost = cost === 0 ? 0 : cost;
      this.sketcher.visit(row);
    }
  }

  /** The sketched curves of the whole file, as readCurvesCsv would give them with `settings`; null when they cannot be had here. */
  curvesFor(settings: SketchSettings): SketchedCurves | null {
    if (settings.budget !== this.settings.budget || !Object.is(settings.maxCost, this.settings.maxCost)) return null;
    if (this.result === undefined) this.result = this.finish();
    return this.result;
  }

  private finish(): SketchedCurves | null {
    if (this.failed) return null;
    try {
      const sketched = this.sketcher.finish(this.parser.end());
      return countsHeld(sketched, this.points) ? { curves: sketched.curves, hasTestCost: sketched.hasTestCost } : null;
    } catch (error) {
      if (!(error instanceof NotPlainCurves)) throw error;
      return null;
    }
  }
}
