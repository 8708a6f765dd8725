// Chart: the final cost of every run against the swept learning rate (or the first swept key),
// status shown by marker colour and shape, so the edge where training blows up is visible.
// Further sweep keys with a few listed values become small multiples, one panel per
// combination; the samples of a random search are points on the axis's own scale (log for a
// log-uniform axis), never joined by a line.
import { describeAxes, facetAxes, type AxisKind } from './axes.js';
import { shortKeyNames, paramsLabel } from './labels.js';
import { extent } from './numbers.js';
import { costKind, offScaleLevel } from './log-scale.js';
import type { ReportRun } from './result-folder.js';
import { logAxis } from './svg/axis-defs.js';
import type { AxisDef, Figure, Layer, Panel } from './svg/figure.js';
import { orderedStatuses, statusStyle } from './theme.js';

export interface FinalCostChart {
  figure: Figure;
  /** What is drawn: a row per run, and per panel the off-scale level when some cost blew up. */
  rows: FinalCostRow[];
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

export interface FinalCostRow {
  kind: 'run' | 'limit';
  /** The run's name ("run 3: learning_rate = 0.1"); empty for a limit. */
  name: string;
  x: number | string | boolean | null;
  cost: number;
  status: string;
  panel: string;
  offScale: boolean;
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
    rows.push({ kind: 'run', name: `run ${run.run}: ${run.label}`, x, cost: kind === 'off-scale' ? offScale : run.finalCost!, status: run.status, panel, offScale: kind === 'off-scale' });
  }
  if (rows.length === 0) return null;
  const hasOffScale = rows.some((row) => row.offScale);
  if (hasOffScale) for (const panel of panels) rows.push({ kind: 'limit', name: '', x: null, cost: offScale, status: '', panel, offScale: true });

  const xValues = rows.filter((row) => row.kind === 'run').map((row) => row.x);
  const numeric = xValues.every((value) => typeof value === 'number' && Number.isFinite(value));
  const positive = numeric && xValues.every((value) => (value as number) > 0);
  const xScale = !numeric ? 'ordinal' : axes[keyIndex].scale === 'log' && positive ? 'log' : 'linear';
  // A line through the markers reads as a curve over the swept value: only when each value has one run.
  const seen = new Set(rows.filter((row) => row.kind === 'run').map((row) => `${row.panel}\u0000${String(row.x)}`));
  const connected = numeric && !axes[keyIndex].sampled && seen.size === xValues.length;
  const runRows = rows.filter((row) => row.kind === 'run');
  const [costLow, costHigh] = extent(rows.map((row) => row.cost));
  const y = logAxis('final training cost (log scale)', costLow, costHigh, { snapToDecades: true, padding: 12 });
  let x: AxisDef;
  if (!numeric) x = { title: key, scale: { type: 'point', domain: [...new Set(xValues.map(String))], padding: 20 } };
  else {
    const [low, high] = extent(xValues as number[]);
    x = xScale === 'log'
      ? logAxis(`${key} (log scale)`, low, high, { snapToDecades: false, padding: 12 })
      : { title: key, scale: { type: 'linear', domain: [low, high], padding: 12 } };
  }
  const xOf = (row: FinalCostRow) => (numeric ? (row.x as number) : String(row.x));

  const statuses = orderedStatuses(runRows.map((row) => row.status));
  const panelOf = (panel: string, titled: boolean): Panel => {
    const mine = runRows.filter((row) => row.panel === panel);
    const layers: Layer[] = [];
    if (connected) {
      const joined = mine.filter((row) => !row.offScale).sort((a, b) => (a.x as number) - (b.x as number));
      layers.push({ kind: 'line', marks: [{ type: 'line', points: joined.map((row) => [row.x as number, row.cost]), colour: '#b0b0b0', width: 1 }] });
    }
    if (hasOffScale) {
      layers.push({ kind: 'rule', marks: [{ type: 'rule', y: offScale, colour: '#c62828', dash: [4, 3], width: 1, opacity: 0.6 }] });
      layers.push({
        kind: 'text',
        marks: [{ type: 'text', x: null, y: offScale, dx: 4, dy: 4, size: 10, colour: '#a01818', baseline: 'top', text: 'off scale: cost blew up (NaN, Infinity or above max_cost)' }],
      });
    }
    layers.push({
      kind: 'symbol',
      marks: mine.map((row) => ({
        type: 'symbol' as const,
        x: xOf(row),
        y: row.cost,
        shape: statusStyle(row.status).shape,
        size: 90,
        fill: statusStyle(row.status).color,
        stroke: '#222',
        strokeWidth: 0.5,
        label: `${row.name}: ${row.status}`,
      })),
    });
    return { ...(titled ? { title: [panel] } : {}), layers };
  };

  // Two wide panels a row while there are few, three narrower ones beyond: the page stays ~1000 px wide.
  const columns = panels.length <= 4 ? Math.min(2, panels.length) : 3;
  const panelWidth = columns === 3 ? 250 : 340;
  const grid = facetKeys.length === 0
    ? { panels: [panelOf(panels[0], false)], columns: 1, width: 560, height: 300, x, y }
    : { panels: panels.map((panel) => panelOf(panel, true)), columns, width: panelWidth, height: Math.round(panelWidth * 0.62), x, y, headerLimit: panelWidth };
  const figure: Figure = {
    grids: [grid],
    legends: [{
      kind: 'symbols',
      title: 'status',
      entries: statuses.map((status) => ({ label: status, shape: statusStyle(status).shape, fill: statusStyle(status).color, stroke: '#222', strokeWidth: 0.5, size: 90 })),
    }],
    legendOrient: 'right',
    idPrefix: 'final-cost',
    description: `Final training cost against ${key}, one marker per run`,
  };
  return { figure, rows, key, facetKeys, sharedKeys, connected, xScale, hasOffScale, omittedRuns };
}
