// What the line charts (cost curves, sharpness, learning rate) share: rows grouped into one line
// per run, and the legend that names each run's colour.
import type { Legend } from './svg/figure.js';
import { estimateTextWidth } from './text-width.js';

/** Beyond this many runs the legend lists the first ones and says how many more. */
export const MAX_LEGEND_ENTRIES = 60;

/** Up to this many runs the legend is one column at the right; more go under the chart. */
const RIGHT_LEGEND_RUNS = 16;

/** Rows grouped by their series, each series in the order it first appears. */
export function bySeries<T extends { series: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.series);
    if (group) group.push(row);
    else groups.set(row.series, [row]);
  }
  return groups;
}

/** Where the run legend of a chart `chartWidth` wide goes, and in how many columns under it. */
export function runLegendLayout(labels: string[], chartWidth: number): { orient: 'right' | 'bottom'; columns?: number } {
  if (labels.length <= RIGHT_LEGEND_RUNS) return { orient: 'right' };
  const widest = Math.max(...labels.map((label) => estimateTextWidth(label, 11)));
  return { orient: 'bottom', columns: Math.max(1, Math.floor((chartWidth + 120) / (widest + 34))) };
}

/** The legend "run": each run's label beside a stroke of its colour. */
export function runLegend(labels: string[], colours: string[], columns?: number): Legend {
  return {
    kind: 'symbols',
    title: 'run',
    entries: labels.map((label, i) => ({ label, shape: 'stroke', stroke: colours[i], strokeWidth: 2.5 })),
    columns,
    limit: MAX_LEGEND_ENTRIES,
  };
}
