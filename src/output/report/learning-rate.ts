// Chart: the learning rate of every recorded epoch, one line per run, for sweeps whose runs have a
// schedule or warmup (curves.csv's learning_rate column). Runs at a constant rate are flat lines.
// The rate axis is logarithmic when the rates span a decade or more (exponential decay, warmup from
// a small fraction), linear otherwise.
import type { TopLevelSpec } from 'vega-lite';
import { extent } from './numbers.js';
import { decadeDomain, logTicks, spansDecades } from './log-scale.js';
import { runColours } from './palette.js';
import type { ReportRun } from './result-folder.js';
import { CHART_CONFIG, LOG_AXIS_LABELS } from './theme.js';

export interface LearningRateChart {
  spec: TopLevelSpec;
  seriesCount: number;
  logScale: boolean;
}

interface RateRow {
  series: string;
  label: string;
  epoch: number;
  rate: number;
}

export function learningRateSpec(runs: ReportRun[], orderedColours: boolean): LearningRateChart | null {
  const rows: RateRow[] = [];
  const labels: string[] = [];
  for (const run of runs) {
    // Thinned by the reader like the cost curves (curve-sketch.ts).
    const rates = run.curve.learningRate;
    if (!rates || rates.cost.length === 0) continue;
    const before = rows.length;
    rates.cost.forEach((rate, i) => {
      if (Number.isFinite(rate)) rows.push({ series: `run ${run.run}: ${run.label}`, label: run.label, epoch: rates.epoch[i], rate });
    });
    if (rows.length > before) labels.push(run.label);
  }
  if (rows.length === 0) return null;
  const values = rows.map((row) => row.rate);
  const logScale = spansDecades(values);
  const [low, high] = extent(values);
  const ticks = logScale ? logTicks(low, high) : undefined;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    width: 620,
    height: 220,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.8, clip: true, interpolate: 'linear' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: {
        field: 'rate',
        type: 'quantitative',
        title: logScale ? 'learning rate (log scale)' : 'learning rate',
        scale: logScale ? { type: 'log', ...(ticks ? { domain: decadeDomain(low, high) } : {}) } : { zero: true },
        ...(logScale ? { axis: { labelExpr: LOG_AXIS_LABELS, ...(ticks ? { values: ticks } : {}) } } : {}),
      },
      color: {
        field: 'label',
        type: 'nominal',
        scale: { domain: labels, range: runColours(labels.length, orderedColours) },
        legend: labels.length <= 16 ? { title: 'run', symbolType: 'stroke' } : null,
      },
      detail: { field: 'series' },
      order: { field: 'epoch' },
    },
  };
  return { spec, seriesCount: labels.length, logScale };
}
