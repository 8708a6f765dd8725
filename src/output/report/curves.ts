// Chart: the cost curves of all runs overlaid, cost on a log axis, one colour per run, and a
// cross where a diverged run stopped.
import type { TopLevelSpec } from 'vega-lite';
import type { SeriesSketch } from './curve-sketch.js';
import { extent } from './numbers.js';
import { estimateTextWidth } from './text-width.js';
import { costKind, decadeDomain, logTicks, offScaleLevel } from './log-scale.js';
import { runColours } from './palette.js';
import type { ReportRun } from './result-folder.js';
import { CHART_CONFIG, LOG_AXIS_LABELS, STATUS_STYLES } from './theme.js';

export interface CurvesChart {
  spec: TopLevelSpec;
  /** Runs drawn as a line (runs without one drawable cost are left out). */
  seriesCount: number;
  /** Points left out because their cost is zero or negative. */
  omittedPoints: number;
  /** True when some point is drawn at the off-scale level. */
  hasOffScale: boolean;
}

export interface CurvesOptions {
  which: 'cost' | 'testCost';
  maxCost: number | null;
  /** Order colours along the runs (numeric sweep) or use distinct hues. */
  orderedColours: boolean;
}

interface CurveRow {
  kind: 'line' | 'stop';
  series: string;
  label: string;
  epoch: number;
  cost: number;
}

const CHART_WIDTH = 620;
const CHART_HEIGHT = 340;
const STOP_LEGEND = 'diverged: stopped here';
const STOP_COLOUR = STATUS_STYLES.diverged.color;

/** Beyond this many runs the legend lists the first ones and says how many more (Vega's "... N entries"). */
export const MAX_LEGEND_ENTRIES = 60;

function legendLayout(labels: string[]): { orient: 'right' | 'bottom'; columns?: number } {
  if (labels.length <= 16) return { orient: 'right' };
  const widest = Math.max(...labels.map((label) => estimateTextWidth(label, 11)));
  return { orient: 'bottom', columns: Math.max(1, Math.floor((CHART_WIDTH + 120) / (widest + 34))) };
}

export function curvesSpec(runs: ReportRun[], options: CurvesOptions): CurvesChart | null {
  const seriesOf = (run: ReportRun): SeriesSketch | null => (options.which === 'cost' ? run.curve.cost : run.curve.testCost);
  let highest: number | null = null;
  for (const run of runs) {
    const series = seriesOf(run);
    if (series?.highest != null && (highest === null || series.highest > highest)) highest = series.highest;
  }
  if (highest === null) return null;
  const offScale = offScaleLevel(highest);

  const rows: CurveRow[] = [];
  const drawnLabels: string[] = [];
  let omittedPoints = 0;
  let hasOffScale = false;
  for (const run of runs) {
    const sketch = seriesOf(run);
    if (!sketch) continue;
    const series = `run ${run.run}: ${run.label}`;
    const before = rows.length;
    let lastY: number | null = null;
    // The sketch counted over the whole curve what a log axis cannot show; draw its thinned points.
    omittedPoints += sketch.omitted;
    const last = sketch.cost.length - 1;
    for (let i = 0; i <= last; i++) {
      const kind = costKind(sketch.cost[i], options.maxCost);
      if (kind === 'non-positive' || (kind === 'off-scale' && i < last)) continue;
      const cost = kind === 'off-scale' ? offScale : sketch.cost[i];
      hasOffScale ||= kind === 'off-scale';
      rows.push({ kind: 'line', series, label: run.label, epoch: sketch.epoch[i], cost });
      lastY = cost;
    }
    if (rows.length === before) continue;
    drawnLabels.push(run.label);
    if (run.status === 'diverged' && lastY !== null) {
      rows.push({ kind: 'stop', series, label: run.label, epoch: sketch.epoch[last], cost: lastY });
    }
  }

  const legend = legendLayout(drawnLabels);
  const colour = {
    field: 'label',
    type: 'nominal' as const,
    scale: { domain: drawnLabels, range: runColours(drawnLabels.length, options.orderedColours) },
    legend: { title: 'run', symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolLimit: Math.min(drawnLabels.length, MAX_LEGEND_ENTRIES), ...legend },
  };
  const x = { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } };
  // Over a decade or more: ticks and grid lines at round values only (see logTicks).
  const [low, high] = extent(rows.map((row) => row.cost));
  const ticks = logTicks(low, high);
  const y = {
    field: 'cost',
    type: 'quantitative' as const,
    title: options.which === 'cost' ? 'training cost (log scale)' : 'test cost (log scale)',
    scale: { type: 'log' as const, ...(ticks ? { domain: decadeDomain(low, high) } : {}) },
    axis: { labelExpr: LOG_AXIS_LABELS, ...(ticks ? { values: ticks } : {}) },
  };
  const hasStops = rows.some((row) => row.kind === 'stop');

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'line'" }],
        mark: { type: 'line', strokeWidth: 1.8, clip: true, interpolate: 'linear' },
        encoding: { x, y, color: colour, detail: { field: 'series' }, order: { field: 'epoch' }, description: { field: 'series' } },
      },
      ...(hasStops
        ? [
            {
              transform: [{ filter: "datum.kind === 'stop'" }],
              mark: { type: 'point' as const, filled: true, size: 170, color: STOP_COLOUR, stroke: 'white', strokeWidth: 0.8, opacity: 1 },
              encoding: {
                x,
                y,
                shape: {
                  datum: STOP_LEGEND,
                  scale: { range: ['cross'] },
                  legend: { title: null, symbolFillColor: STOP_COLOUR, symbolStrokeColor: 'white', symbolSize: 150, orient: legend.orient },
                },
                description: { field: 'series' },
              },
            },
          ]
        : []),
    ],
  };
  return { spec, seriesCount: drawnLabels.length, omittedPoints, hasOffScale };
}
