// Chart: the learning rate of every recorded epoch, one line per run, for sweeps whose runs have a
// schedule or warmup (curves.csv's learning_rate column). Runs at a constant rate are flat lines.
// The rate axis is logarithmic when the rates span a decade or more (exponential decay, warmup from
// a small fraction), linear otherwise.
import { extent } from './numbers.js';
import { spansDecades } from './log-scale.js';
import { runColours } from './palette.js';
import type { ReportRun } from './result-folder.js';
import { bySeries, runLegend, runLegendLayout } from './run-lines.js';
import { epochAxis, logAxis } from './svg/axis-defs.js';
import type { AxisDef, Figure, LineMark } from './svg/figure.js';

const CHART_WIDTH = 620;

export interface LearningRateChart {
  figure: Figure;
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
  const y: AxisDef = logScale
    ? logAxis('learning rate (log scale)', low, high, { snapToDecades: true })
    : { title: 'learning rate', scale: { type: 'linear', domain: [low, high], zero: true, nice: true } };
  const colours = runColours(labels.length, orderedColours);
  const colourOf = new Map(labels.map((label, i) => [label, colours[i]]));
  const lines: LineMark[] = [...bySeries(rows)].map(([series, seriesRows]) => ({
    type: 'line',
    points: seriesRows.map((row) => [row.epoch, row.rate]),
    colour: colourOf.get(seriesRows[0].label)!,
    width: 1.8,
    label: series,
  }));
  const [firstEpoch, lastEpoch] = extent(rows.map((row) => row.epoch));
  const figure: Figure = {
    grids: [{ panels: [{ layers: [{ kind: 'line', marks: lines }] }], columns: 1, width: CHART_WIDTH, height: 220, x: epochAxis(firstEpoch, lastEpoch), y }],
    // A legend naming every run only while it fits beside the chart.
    legends: runLegendLayout(labels, CHART_WIDTH).orient === 'right' ? [runLegend(labels, colours)] : [],
    legendOrient: 'right',
    idPrefix: 'learning-rate',
    description: 'Learning rate against epoch, one line per run',
  };
  return { figure, seriesCount: labels.length, logScale };
}
