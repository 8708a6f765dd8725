// Chart: each run's sharpness (the top Hessian eigenvalue, from curves.csv) over the epochs, with
// its optimizer's stability threshold (2/η for plain gradient descent) drawn beside it as a dashed
// line of the same colour, so a run's sharpness can be read against its own limit.
import type { TopLevelSpec } from 'vega-lite';
import { type OptimizerSetting, stabilityThreshold } from '../../nn/stability.js';
import { extent } from './numbers.js';
import { decadeDomain, logTicks, spansDecades } from './log-scale.js';
import { runColours } from './palette.js';
import type { ReportRun } from './result-folder.js';
import { CHART_CONFIG, LOG_AXIS_LABELS } from './theme.js';
import { MAX_LEGEND_ENTRIES } from './curves.js';

/** A threshold more than this many times above the highest sharpness of all runs is not drawn. */
export const THRESHOLD_DRAW_LIMIT = 100;

const CHART_WIDTH = 620;
const CHART_HEIGHT = 340;
const SHARPNESS_LEGEND = 'sharpness λmax';

export interface SharpnessChart {
  spec: TopLevelSpec;
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

interface SharpnessRow {
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
  const ticks = yScale === 'log' ? logTicks(low, high) : undefined;
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: yScale === 'log' ? 'sharpness (log scale)' : 'sharpness',
    scale: yScale === 'log' ? { type: 'log' as const, ...(ticks ? { domain: decadeDomain(low, high) } : {}) } : { zero: false },
    axis: yScale === 'log' ? { labelExpr: LOG_AXIS_LABELS, ...(ticks ? { values: ticks } : {}) } : {},
  };
  const legendOrient = labels.length <= 16 ? 'right' : 'bottom';
  const kinds = thresholdRows.length > 0 ? [SHARPNESS_LEGEND, thresholdKind] : [SHARPNESS_LEGEND];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: rows },
    mark: { type: 'line', clip: true, interpolate: 'linear' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y,
      color: {
        field: 'label',
        type: 'nominal',
        scale: { domain: labels, range: runColours(labels.length, options.orderedColours) },
        legend: {
          title: 'run',
          symbolType: 'stroke',
          symbolStrokeWidth: 2.5,
          symbolLimit: Math.min(labels.length, MAX_LEGEND_ENTRIES),
          orient: legendOrient,
        },
      },
      strokeDash: {
        field: 'kind',
        type: 'nominal',
        scale: { domain: kinds, range: [[1, 0], [6, 4]] },
        legend: { title: null, symbolType: 'stroke', symbolStrokeColor: '#444', symbolStrokeWidth: 2, orient: legendOrient },
      },
      strokeWidth: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [2, 1.3] }, legend: null },
      detail: { field: 'series' },
      order: { field: 'epoch' },
      description: { field: 'series' },
    },
  };
  return { spec, seriesCount: present.length, formulas: [...formulas], withoutThreshold, farThresholds, yScale };
}
