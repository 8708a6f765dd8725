// Chart: the cost curves of all runs overlaid, cost on a log axis, and a cross where a diverged
// run stopped. A few runs get one colour each, named in the legend; a large sweep is coloured by
// a numeric swept value on a continuous scale with a gradient legend, and split into panels by
// keys with a few listed values (see axes.ts).
import type { SweptAxis } from './axes.js';
import type { SeriesSketch } from './curve-sketch.js';
import { paramsLabel } from './labels.js';
import { extent } from './numbers.js';
import { costKind, logTicks, offScaleLevel } from './log-scale.js';
import { rampColourOf, runColours } from './palette.js';
import type { ReportRun } from './result-folder.js';
import { runLegend, runLegendLayout } from './run-lines.js';
import { epochAxis, logAxis } from './svg/axis-defs.js';
import type { Figure, Legend, LineMark, Panel, SymbolMark } from './svg/figure.js';
import { linearLabel, logLabel, stepTicks, tickStep } from './svg/scale.js';
import { viridis } from './svg/colours.js';
import { RAMP_EXTENT } from './palette.js';
import { STATUS_STYLES } from './theme.js';

export interface CurvesChart {
  figure: Figure;
  /** What is drawn, one row per point (lines) or cross (stops). */
  rows: CurveRow[];
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

export interface CurveRow {
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

/** Labelled values of a gradient legend: round ones (powers of ten, 1-2-5 steps) inside the range. */
function gradientLabels(low: number, high: number, log: boolean): { value: number; label: string }[] {
  if (log) {
    const ticks = logTicks(low, high)?.filter((tick) => tick >= low && tick <= high);
    const values = ticks && ticks.length >= 2 ? ticks : [low, high];
    return values.map((value) => ({ value, label: logLabel(value) }));
  }
  const step = tickStep(low, high, 4);
  const values = stepTicks(low, high, step);
  return (values.length >= 2 ? values : [low, high]).map((value) => ({ value, label: linearLabel(value, step) }));
}

/** One run's line and, for a diverged run, its stop: the rows they are drawn from. */
interface Series {
  name: string;
  label: string;
  panel: string | undefined;
  value: number | undefined;
  line: CurveRow[];
  stop: CurveRow | null;
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

  const drawn: Series[] = [];
  let omittedPoints = 0;
  let hasOffScale = false;
  const continuous = options.colourBy ?? null;
  const facets = options.facets ?? [];
  const panels: string[] = [];
  for (const run of runs) {
    const sketch = seriesOf(run);
    if (!sketch) continue;
    const name = `run ${run.run}: ${run.label}`;
    const value = continuous ? (run.params[continuous.index][1] as number) : undefined;
    const panel = facets.length > 0
      ? paramsLabel(facets.map((axis) => run.params[axis.index]), facets.map((axis) => options.shortNames?.[axis.index] ?? axis.key))
      : undefined;
    // Extra fields only where used: a 1 000-run chart carries tens of thousands of rows.
    const extra: Pick<CurveRow, 'value' | 'panel'> = {};
    if (value !== undefined) extra.value = value;
    if (panel !== undefined) extra.panel = panel;
    const line: CurveRow[] = [];
    // The sketch counted over the whole curve what a log axis cannot show; draw its thinned points.
    omittedPoints += sketch.omitted;
    const last = sketch.cost.length - 1;
    for (let i = 0; i <= last; i++) {
      const kind = costKind(sketch.cost[i], options.maxCost);
      if (kind === 'non-positive' || (kind === 'off-scale' && i < last)) continue;
      const cost = kind === 'off-scale' ? offScale : sketch.cost[i];
      hasOffScale ||= kind === 'off-scale';
      line.push({ kind: 'line', series: name, label: run.label, epoch: sketch.epoch[i], cost, ...extra });
    }
    if (line.length === 0) continue;
    if (panel !== undefined && !panels.includes(panel)) panels.push(panel);
    const stop = run.status === 'diverged'
      ? { kind: 'stop' as const, series: name, label: run.label, epoch: sketch.epoch[last], cost: line[line.length - 1].cost, ...extra }
      : null;
    drawn.push({ name, label: run.label, panel, value, line, stop });
  }
  if (drawn.length === 0) return null;
  const rows = drawn.flatMap((series) => (series.stop ? [...series.line, series.stop] : series.line));

  // Colours: by run (named in a legend), or by the swept value on a continuous scale.
  const labels = drawn.map((series) => series.label);
  const named = runColours(labels.length, options.orderedColours);
  const legends: Legend[] = [];
  let colourOf: (series: Series, index: number) => string = (_, index) => named[index];
  const layout = continuous ? { orient: 'right' as const } : runLegendLayout(labels, CHART_WIDTH);
  if (continuous) {
    const log = continuous.scale === 'log';
    const [low, high] = extent(drawn.map((series) => series.value!));
    colourOf = (series) => rampColourOf(series.value!, low, high, log);
    legends.push({
      kind: 'gradient',
      title: options.shortNames?.[continuous.index] ?? continuous.key,
      colourAt: (t) => viridis(RAMP_EXTENT * t),
      domain: [low, high],
      scale: log ? 'log' : 'linear',
      labels: gradientLabels(low, high, log),
      length: 200,
      thickness: 14,
    });
  } else {
    legends.push(runLegend(labels, named, layout.columns));
  }
  if (drawn.some((series) => series.stop)) {
    legends.push({ kind: 'symbols', title: null, entries: [{ label: STOP_LEGEND, shape: 'cross', fill: STOP_COLOUR, stroke: 'white', size: 150 }] });
  }

  const [firstEpoch, lastEpoch] = extent(rows.map((row) => row.epoch));
  const [low, high] = extent(rows.map((row) => row.cost));
  const x = epochAxis(firstEpoch, lastEpoch);
  const y = logAxis(options.which === 'cost' ? 'training cost (log scale)' : 'test cost (log scale)', low, high, { snapToDecades: true });
  const faceted = panels.length > 1;
  const panelOf = (panel: string | undefined): Panel => {
    const members = drawn.map((series, index) => ({ series, index })).filter(({ series }) => !faceted || series.panel === panel);
    const lines: LineMark[] = members.map(({ series, index }) => ({
      type: 'line',
      points: series.line.map((row) => [row.epoch, row.cost]),
      colour: colourOf(series, index),
      width: continuous ? 1.2 : 1.8,
      label: series.name,
    }));
    const stops: SymbolMark[] = members.flatMap(({ series }) =>
      series.stop
        ? [{ type: 'symbol', x: series.stop.epoch, y: series.stop.cost, shape: 'cross', size: 170, fill: STOP_COLOUR, stroke: 'white', strokeWidth: 0.8, label: series.name }]
        : [],
    );
    return {
      ...(faceted && panel !== undefined ? { title: [panel] } : {}),
      layers: [{ kind: 'line', marks: lines }, ...(stops.length ? [{ kind: 'symbol' as const, marks: stops }] : [])],
    };
  };
  // Two panels a row while there are few, three narrower ones beyond: the page stays ~1000 px wide.
  const columns = panels.length <= 4 ? Math.min(2, panels.length) : 3;
  const panelWidth = columns === 3 ? 250 : 330;
  const figure: Figure = {
    grids: [
      faceted
        ? { panels: panels.map(panelOf), columns, width: panelWidth, height: Math.round(panelWidth * 0.62), x, y, headerLimit: panelWidth }
        : { panels: [panelOf(undefined)], columns: 1, width: CHART_WIDTH, height: CHART_HEIGHT, x, y },
    ],
    legends,
    legendOrient: layout.orient,
    idPrefix: options.which === 'cost' ? 'curves' : 'test-curves',
    description: `${options.which === 'cost' ? 'Training' : 'Test'} cost against epoch, one line per run`,
  };
  return { figure, rows, seriesCount: drawn.length, omittedPoints, hasOffScale, panels: faceted ? panels.length : 1 };
}
