// Chart: each run's sharpness (the top Hessian eigenvalue, from curves.csv) over the epochs, with
// its optimizer's stability threshold (2/η for plain gradient descent) drawn beside it as a dashed
// line of the same colour, so a run's sharpness can be read against its own limit.
import { type OptimizerSetting, stabilityThreshold } from '../../nn/stability.js';
import { extent } from './numbers.js';
import { spansDecades } from './log-scale.js';
import { runColours } from './palette.js';
import type { ReportRun } from './result-folder.js';
import { bySeries, runLegend, runLegendLayout } from './run-lines.js';
import { epochAxis, logAxis } from './svg/axis-defs.js';
import type { AxisDef, Figure, LineMark } from './svg/figure.js';

/** A threshold more than this many times above the highest sharpness of all runs is not drawn. */
export const THRESHOLD_DRAW_LIMIT = 100;

const CHART_WIDTH = 620;
const CHART_HEIGHT = 340;
const SHARPNESS_LEGEND = 'sharpness λmax';

export interface SharpnessChart {
  figure: Figure;
  /** What is drawn: a row per sharpness point and per threshold point. */
  rows: SharpnessRow[];
  /** Runs drawn. */
  seriesCount: number;
  /** The threshold formulas of the drawn thresholds (e.g. "2/η"), each once. */
  formulas: string[];
  /** Runs whose optimizer has no threshold, with the reason. */
  withoutThreshold: { label: string; reason: string }[];
  /** Runs whose threshold is far above every sharpness (not drawn). */
  farThresholds: string[];
  yScale: 'log' | 'linear';
}

export interface SharpnessRow {
  kind: string;
  series: string;
  label: string;
  epoch: number;
  value: number;
}

/** The learning rate of `run` at drawn point `index`: curves.csv's column, else the run's setting. */
function learningRateAt(run: ReportRun, index: number): number {
  const perEpoch = run.curve.sharpness?.learningRate;
  if (perEpoch && index < perEpoch.length && Number.isFinite(perEpoch[index])) return perEpoch[index];
  const rate = run.train?.learning_rate;
  return typeof rate === 'number' ? rate : NaN;
}

function optimizerOf(run: ReportRun): OptimizerSetting {
  const optimizer = run.train?.optimizer;
  if (typeof optimizer === 'string') return optimizer;
  if (typeof optimizer === 'object' && optimizer !== null && typeof (optimizer as { name?: unknown }).name === 'string') {
    return optimizer as { name: string; beta?: number };
  }
  return undefined;
}

export function sharpnessSpec(runs: ReportRun[], options: { orderedColours: boolean }): SharpnessChart | null {
  // The runs with a sharpness to draw (the reader thinned each to its share of the chart).
  const present = runs.flatMap((run) => (run.curve.sharpness && run.curve.sharpness.points > 0 ? [{ run, sketch: run.curve.sharpness }] : []));
  if (present.length === 0) return null;
  const highest = Math.max(...present.map((d) => d.sketch.highest ?? -Infinity));

  const sharpnessRows: SharpnessRow[] = [];
  const thresholdRows: SharpnessRow[] = [];
  const labels: string[] = [];
  const formulas = new Set<string>();
  const withoutThreshold: { label: string; reason: string }[] = [];
  const farThresholds: string[] = [];
  for (const { run, sketch } of present) {
    const series = `run ${run.run}: ${run.label}`;
    labels.push(run.label);
    sketch.epoch.forEach((epoch, i) => sharpnessRows.push({ kind: SHARPNESS_LEGEND, series, label: run.label, epoch, value: sketch.value[i] }));

    const optimizer = optimizerOf(run);
    const thresholds = sketch.epoch.map((epoch, i) => ({ epoch, threshold: stabilityThreshold(optimizer, learningRateAt(run, i)) }));
    const { value: firstValue, formula } = thresholds[0].threshold;
    if (firstValue === null) {
      withoutThreshold.push({ label: run.label, reason: formula });
      continue;
    }
    const drawable = thresholds.filter(({ threshold }) => threshold.value !== null && threshold.value > 0 && Number.isFinite(threshold.value));
    if (drawable.length === 0) continue;
    if (Math.min(...drawable.map(({ threshold }) => threshold.value!)) > THRESHOLD_DRAW_LIMIT * highest) {
      farThresholds.push(run.label);
      continue;
    }
    formulas.add(formula.split(' with ')[0]);
    for (const { epoch, threshold } of drawable) thresholdRows.push({ kind: '', series, label: run.label, epoch, value: threshold.value! });
  }
  const thresholdKind = formulas.size === 1 ? `stability threshold ${[...formulas][0]}` : 'stability threshold';
  for (const row of thresholdRows) row.kind = thresholdKind;
  const rows = [...sharpnessRows, ...thresholdRows];

  // A log axis when every value is positive and they span a decade or more (a sweep of learning
  // rates); otherwise a linear one, which also shows a negative top eigenvalue.
  const values = rows.map((row) => row.value);
  const yScale = values.every((value) => value > 0) && spansDecades(values) ? 'log' : 'linear';
  const [low, high] = extent(values);
  const y: AxisDef = yScale === 'log'
    ? logAxis('sharpness (log scale)', low, high, { snapToDecades: true })
    : { title: 'sharpness', scale: { type: 'linear', domain: [low, high], nice: true } };
  const colours = runColours(labels.length, options.orderedColours);
  const colourOf = new Map(labels.map((label, i) => [label, colours[i]]));
  // Per run: its sharpness, then its threshold dashed in the same colour.
  const lines: LineMark[] = [];
  for (const [kindRows, dash, width] of [[sharpnessRows, undefined, 2], [thresholdRows, [6, 4], 1.3]] as const) {
    for (const [series, seriesRows] of bySeries(kindRows)) {
      lines.push({
        type: 'line',
        points: seriesRows.map((row) => [row.epoch, row.value]),
        colour: colourOf.get(seriesRows[0].label)!,
        width,
        ...(dash ? { dash: [...dash] } : {}),
        label: dash ? `${series}: ${thresholdKind}` : series,
      });
    }
  }
  const legend = runLegendLayout(labels, CHART_WIDTH);
  const kinds = thresholdRows.length > 0 ? [SHARPNESS_LEGEND, thresholdKind] : [SHARPNESS_LEGEND];
  const [firstEpoch, lastEpoch] = extent(rows.map((row) => row.epoch));
  const figure: Figure = {
    grids: [{ panels: [{ layers: [{ kind: 'line', marks: lines }] }], columns: 1, width: CHART_WIDTH, height: CHART_HEIGHT, x: epochAxis(firstEpoch, lastEpoch), y }],
    legends: [
      runLegend(labels, colours, legend.columns),
      {
        kind: 'symbols',
        title: null,
        entries: kinds.map((kind, i) => ({ label: kind, shape: 'stroke', stroke: '#444', strokeWidth: 2, ...(i === 1 ? { dash: [6, 4] } : {}) })),
      },
    ],
    legendOrient: legend.orient,
    idPrefix: 'sharpness',
    description: 'Sharpness against epoch, one line per run, with its stability threshold dashed',
  };
  return { figure, rows, seriesCount: present.length, formulas: [...formulas], withoutThreshold, farThresholds, yScale };
}
