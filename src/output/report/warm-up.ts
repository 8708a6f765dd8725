// A first report warms the report's code up: Vega-Lite's compiler, Vega's parser, dataflow and SVG
// writer, and the report's own chart code run far slower the first time (lazy set-up inside the
// libraries, code not yet optimised by V8) than every time after. The report thread
// (report-worker.ts) draws the charts of this small made-up sweep, which nobody sees, while the
// sweep trains, so that report.html's are the second ones it draws; it stops between two charts
// once the real report is asked for.
import type { Manifest } from '../manifest.js';
import type { SeriesSketch } from './curve-sketch.js';
import { boundariesSection, curvesSection, finalCostSection } from './chart-sections.js';
import type { ReportRun, ResultFolder } from './result-folder.js';

const EPOCHS = 200;
const RESOLUTION = 48;

function series(rate: number): SeriesSketch {
  const epoch = Array.from({ length: EPOCHS }, (_, k) => k);
  const cost = epoch.map((k) => 0.25 * Math.exp(-rate * k / 20) + 1e-4);
  return { points: EPOCHS, epoch, cost, omitted: 0, highest: Math.max(...cost), finite: EPOCHS };
}

function run(index: number, rate: number, status: string): ReportRun {
  const values = Array.from({ length: RESOLUTION * RESOLUTION }, (_, k) => ((k % RESOLUTION) * (k / RESOLUTION)) / (RESOLUTION * RESOLUTION));
  const cost = series(rate);
  return {
    run: index,
    params: [['train.learning_rate', rate]],
    label: `train.learning_rate=${rate}`,
    status,
    epochs: EPOCHS,
    finalCost: cost.cost[EPOCHS - 1],
    curve: { cost, testCost: null, sharpness: null, learningRate: null },
    boundary: { xMin: -0.5, xMax: 1.5, yMin: -0.5, yMax: 1.5, resolution: RESOLUTION, values },
    points: { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] },
  };
}

function folder(): ResultFolder {
  const runs = [run(1, 0.1, 'slow'), run(2, 1, 'converged'), run(3, 10, 'converged')];
  return {
    dir: 'warm-up',
    manifest: { complete: true, runs: [] } as unknown as Manifest,
    sweepKeys: ['train.learning_rate'],
    summary: { header: ['run', 'train.learning_rate', 'status'], rows: runs.map((r) => [String(r.run), String(r.params[0][1]), r.status]) },
    runs,
    plannedRuns: runs.length,
    points: runs[0].points,
    featureNames: ['x1', 'x2'],
    classNames: null,
    maxCost: 1e6,
    hasTestCost: false,
    hasLearningRate: false,
    hasSharpness: false,
    hasRunRecords: true,
    notes: [],
    stability: null,
  };
}

/** Draws the made-up sweep's charts and throws them away; stops early once `stop()` says so. */
export async function warmUpReport(stop: () => boolean): Promise<void> {
  const made = folder();
  const parts = [
    () => curvesSection(made, 'cost', []),
    () => finalCostSection(made, []),
    () => boundariesSection(made, []),
  ];
  for (const part of parts) {
    if (stop()) return;
    await part();
  }
}
