// Chart: the final cost of every run against the swept learning rate (or the first swept key),
// status shown by marker colour and shape, so the edge where training blows up is visible.
// Further sweep keys with a few listed values become small multiples, one panel per
// combination; the samples of a random search are points on the axis's own scale (log for a
// log-uniform axis), never joined by a line.
import type { TopLevelSpec } from 'vega-lite';
import { describeAxes, facetAxes, type AxisKind } from './axes.js';
import { shortKeyNames, paramsLabel } from './labels.js';
import { extent } from './numbers.js';
import { costKind, decadeDomain, logTicks, offScaleLevel } from './log-scale.js';
import type { ReportRun } from './result-folder.js';
import { CHART_CONFIG, LOG_AXIS_LABELS, orderedStatuses, statusStyle } from './theme.js';

export interface FinalCostChart {
  spec: TopLevelSpec;
  /** The swept key on the x axis. */
  key: string;
  /** Keys that split the chart into panels. */
  facetKeys: string[];
  /** Other swept keys: runs that differ only in these share a panel. */
  sharedKeys: string[];
  /** Whether the markers of a panel are joined by a line (one run per value, not sampled). */
  connected: boolean;
  xScale: 'log' | 'linear' | 'ordinal';
  hasOffScale: boolean;
  /** Runs without a drawable final cost (failed, or cost <= 0). */
  omittedRuns: number;
}

interface FinalCostRow {
  kind: 'run' | 'limit';
  x: number | string | boolean | null;
  cost: number;
  status: string;
  panel: string;
  offScale: boolean;
}

/**
 * A padded log scale with ticks at round values (see logTicks). The cost axis snaps to powers
 * of ten; the swept axis keeps to its values, so a sweep from 0.02 to 0.3 fills the width.
 */
function logScale(values: number[], snapToDecades: boolean) {
  const [min, max] = extent(values);
  const ticks = logTicks(min, max)?.filter((tick) => snapToDecades || (tick >= min && tick <= max));
  return {
    scale: { type: 'log' as const, padding: 12, ...(snapToDecades ? (ticks ? { domain: decadeDomain(min, max) } : {}) : { nice: false }) },
    axis: { labelExpr: LOG_AXIS_LABELS, ...(ticks && ticks.length >= 2 ? { values: ticks } : {}) },
  };
}

/** The learning rate if it is swept, else the first swept key. */
export function chooseXKey(sweepKeys: string[]): string | null {
  return sweepKeys.find((key) => key === 'train.learning_rate' || key.split('.').pop() === 'learning_rate') ?? sweepKeys[0] ?? null;
}

export function finalCostSpec(runs: ReportRun[], sweepKeys: string[], maxCost: number | null, kinds: Record<string, AxisKind> = {}): FinalCostChart | null {
  const key = chooseXKey(sweepKeys);
  if (key === null) return null;
  const keyIndex = sweepKeys.indexOf(key);
  const axes = describeAxes(runs, sweepKeys, kinds);
  const facets = facetAxes(axes, [key]);
  const facetKeys = facets.map((axis) => axis.key);
  const sharedKeys = axes.filter((axis) => axis.key !== key && !facetKeys.includes(axis.key) && axis.distinct > 1).map((axis) => axis.key);
  const shortNames = shortKeyNames(sweepKeys);
  const facetNames = facets.map((axis) => shortNames[axis.index]);

  let highest: number | null = null;
  for (const run of runs) {
    if (run.finalCost !== null && costKind(run.finalCost, maxCost) === 'drawable') highest = Math.max(highest ?? 0, run.finalCost);
  }
  const offScale = offScaleLevel(highest);

  const rows: FinalCostRow[] = [];
  const panels: string[] = [];
  let omittedRuns = 0;
  for (const run of runs) {
    const panel = paramsLabel(facets.map((axis) => run.params[axis.index]), facetNames);
    if (!panels.includes(panel)) panels.push(panel);
    const kind = run.finalCost === null ? 'non-positive' : costKind(run.finalCost, maxCost);
    if (kind === 'non-positive') {
      omittedRuns++;
      continue;
    }
    const x = run.params[keyIndex][1];
    rows.push({ kind: 'run', x, cost: kind === 'off-scale' ? offScale : run.finalCost!, status: run.status, panel, offScale: kind === 'off-scale' });
  }
  if (rows.length === 0) return null;
  const hasOffScale = rows.some((row) => row.offScale);
  if (hasOffScale) for (const panel of panels) rows.push({ kind: 'limit', x: null, cost: offScale, status: '', panel, offScale: true });

  const xValues = rows.filter((row) => row.kind === 'run').map((row) => row.x);
  const numeric = xValues.every((value) => typeof value === 'number' && Number.isFinite(value));
  const positive = numeric && xValues.every((value) => (value as number) > 0);
  const xScale = !numeric ? 'ordinal' : axes[keyIndex].scale === 'log' && positive ? 'log' : 'linear';
  // A line through the markers reads as a curve over the swept value: only when each value has one run.
  const seen = new Set(rows.filter((row) => row.kind === 'run').map((row) => `${row.panel}\u0000${String(row.x)}`));
  const connected = numeric && !axes[keyIndex].sampled && seen.size === xValues.length;
  const x = numeric
    ? {
        field: 'x',
        type: 'quantitative' as const,
        title: xScale === 'log' ? `${key} (log scale)` : key,
        ...(xScale === 'log' ? logScale(xValues as number[], false) : { scale: { zero: false, padding: 12 } }),
      }
    : { field: 'x', type: 'ordinal' as const, title: key, sort: [...new Set(xValues.map(String))] };
  const y = {
    field: 'cost',
    type: 'quantitative' as const,
    title: 'final training cost (log scale)',
    ...logScale(rows.map((row) => row.cost), true),
  };

  const statuses = orderedStatuses(rows.filter((row) => row.kind === 'run').map((row) => row.status));
  const statusScale = { domain: statuses };
  const isRun = "datum.kind === 'run'";
  const layer = [
    ...(connected
      ? [{
          transform: [{ filter: `${isRun} && !datum.offScale` }],
          mark: { type: 'line' as const, color: '#b0b0b0', strokeWidth: 1 },
          encoding: { x, y, order: { field: 'x' } },
        }]
      : []),
    ...(hasOffScale
      ? [
          {
            transform: [{ filter: "datum.kind === 'limit'" }],
            mark: { type: 'rule' as const, color: '#c62828', strokeDash: [4, 3], strokeWidth: 1, opacity: 0.6 },
            encoding: { y },
          },
          {
            transform: [{ filter: "datum.kind === 'limit'" }],
            mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, dy: 4, fontSize: 10, color: '#a01818' },
            encoding: { y, x: { value: 0 }, text: { value: 'off scale: cost blew up (NaN, Infinity or above max_cost)' } },
          },
        ]
      : []),
    {
      transform: [{ filter: isRun }],
      mark: { type: 'point' as const, filled: true, size: 90, opacity: 1, stroke: '#222', strokeWidth: 0.5 },
      encoding: {
        x,
        y,
        color: { field: 'status', type: 'nominal' as const, title: 'status', scale: { ...statusScale, range: statuses.map((s) => statusStyle(s).color) } },
        shape: { field: 'status', type: 'nominal' as const, title: 'status', scale: { ...statusScale, range: statuses.map((s) => statusStyle(s).shape) } },
      },
    },
  ];

  // Two wide panels a row while there are few, three narrower ones beyond: the page stays ~1000 px wide.
  const columns = panels.length <= 4 ? Math.min(2, panels.length) : 3;
  const panelWidth = columns === 3 ? 250 : 340;
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: CHART_CONFIG, data: { values: rows } };
  const spec: TopLevelSpec = facetKeys.length === 0
    ? { ...base, width: 560, height: 300, layer }
    : {
        ...base,
        facet: { field: 'panel', type: 'ordinal', sort: panels, title: null, header: { labelFontSize: 12, labelLimit: panelWidth } },
        columns,
        spec: { width: panelWidth, height: Math.round(panelWidth * 0.62), layer },
        resolve: { axis: { x: 'independent', y: 'independent' } },
      };
  return { spec, key, facetKeys, sharedKeys, connected, xScale, hasOffScale, omittedRuns };
}
