// Chart: the cost curves of all runs overlaid, cost on a log axis, and a cross where a diverged
// run stopped. A few runs get one colour each, named in the legend; a large sweep is coloured by
// a numeric swept value on a continuous scale with a gradient legend, and split into panels by
// keys with a few listed values (see axes.ts).
import type { TopLevelSpec } from 'vega-lite';
import type { SweptAxis } from './axes.js';
import type { SeriesSketch } from './curve-sketch.js';
import { paramsLabel } from './labels.js';
import { extent } from './numbers.js';
import { estimateTextWidth } from './text-width.js';
import { costKind, decadeDomain, logTicks, offScaleLevel } from './log-scale.js';
import { RAMP_EXTENT, runColours } from './palette.js';
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
  /** Small multiples drawn (1: a single chart). */
  panels: number;
}

export interface CurvesOptions {
  which: 'cost' | 'testCost';
  maxCost: number | null;
  /** Order colours along the runs (numeric sweep) or use distinct hues. */
  orderedColours: boolean;
  /** Colour each curve by this numeric swept value on a continuous scale (a large sweep). */
  colourBy?: SweptAxis | null;
  /** One panel per combination of these keys' values. */
  facets?: SweptAxis[];
  /** Short display names of all sweep keys, for legend and panel titles. */
  shortNames?: string[];
}

interface CurveRow {
  kind: 'line' | 'stop';
  series: string;
  label: string;
  epoch: number;
  cost: number;
  /** The colouring value (continuous colour only). */
  value?: number;
  /** The panel (facets only). */
  panel?: string;
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

/** Round values (powers of ten, or 1-2-5 steps) for a log colour legend, as on the log axes. */
function legendTicks(rows: CurveRow[]): { values?: number[] } {
  const [low, high] = extent(rows.map((row) => row.value ?? NaN).filter(Number.isFinite));
  const ticks = logTicks(low, high)?.filter((tick) => tick >= low && tick <= high);
  return ticks && ticks.length >= 2 ? { values: ticks } : {};
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
  const continuous = options.colourBy ?? null;
  const facets = options.facets ?? [];
  const panels: string[] = [];
  for (const run of runs) {
    const sketch = seriesOf(run);
    if (!sketch) continue;
    const series = `run ${run.run}: ${run.label}`;
    // Extra fields only where used: a 1 000-run chart carries tens of thousands of rows.
    const extra: Pick<CurveRow, 'value' | 'panel'> = {};
    if (continuous) extra.value = run.params[continuous.index][1] as number;
    if (facets.length > 0) {
      extra.panel = paramsLabel(facets.map((axis) => run.params[axis.index]), facets.map((axis) => options.shortNames?.[axis.index] ?? axis.key));
    }
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
      rows.push({ kind: 'line', series, label: run.label, epoch: sketch.epoch[i], cost, ...extra });
      lastY = cost;
    }
    if (rows.length === before) continue;
    drawnLabels.push(run.label);
    if (extra.panel !== undefined && !panels.includes(extra.panel)) panels.push(extra.panel);
    if (run.status === 'diverged' && lastY !== null) {
      rows.push({ kind: 'stop', series, label: run.label, epoch: sketch.epoch[last], cost: lastY, ...extra });
    }
  }

  const legend = continuous ? { orient: 'right' as const } : legendLayout(drawnLabels);
  const colour = continuous
    ? {
        field: 'value',
        type: 'quantitative' as const,
        scale: { type: continuous.scale === 'log' ? ('log' as const) : ('linear' as const), scheme: { name: 'viridis', extent: [0, RAMP_EXTENT] }, nice: false, zero: false },
        legend: {
          type: 'gradient' as const,
          title: options.shortNames?.[continuous.index] ?? continuous.key,
          gradientLength: 200,
          gradientThickness: 14,
          orient: 'right' as const,
          ...(continuous.scale === 'log' ? { labelExpr: LOG_AXIS_LABELS, ...legendTicks(rows) } : {}),
        },
      }
    : {
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

  // Every drawn value lies inside the domains, so the lines need no clipping (a clip path per
  // line would add a thousand elements to a 1 000-run report).
  const layer = [
      {
        transform: [{ filter: "datum.kind === 'line'" }],
        mark: { type: 'line' as const, strokeWidth: continuous ? 1.2 : 1.8, interpolate: 'linear' as const },
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
  ];
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: CHART_CONFIG, data: { values: rows } };
  // Two panels a row while there are few, three narrower ones beyond: the page stays ~1000 px wide.
  const columns = panels.length <= 4 ? Math.min(2, panels.length) : 3;
  const panelWidth = columns === 3 ? 250 : 330;
  const spec: TopLevelSpec =
    panels.length > 1
      ? {
          ...base,
          facet: { field: 'panel', type: 'ordinal', sort: panels, title: null, header: { labelFontSize: 12, labelLimit: panelWidth } },
          columns,
          spec: { width: panelWidth, height: Math.round(panelWidth * 0.62), layer },
        }
      : { ...base, width: CHART_WIDTH, height: CHART_HEIGHT, layer };
  return { spec, seriesCount: drawnLabels.length, omittedPoints, hasOffScale, panels: panels.length > 1 ? panels.length : 1 };
}
