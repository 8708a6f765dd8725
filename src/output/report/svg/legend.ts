// Legends: a list of symbols with labels (one column at the right of a chart, or several columns
// under it), or a colour gradient with labelled values. Each legend knows its size before it is
// drawn, so the layout can place it.
import { estimateTextWidth } from '../text-width.js';
import { element, group, px, text } from './markup.js';
import { makeScale } from './scale.js';
import { LEGEND } from './style.js';
import { symbolPath, type Shape } from './symbols.js';

export interface LegendEntry {
  label: string;
  shape: Shape;
  size?: number;
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
  dash?: number[];
}

export interface SymbolLegend {
  kind: 'symbols';
  title: string | null;
  entries: LegendEntry[];
  /** Columns (a legend under the chart); one by default. */
  columns?: number;
  /** Entries shown at most; the rest are counted in a last line. */
  limit?: number;
}

export interface GradientLegend {
  kind: 'gradient';
  title: string | null;
  /** The colour at t in [0, 1] along the bar, low to high. */
  colourAt: (t: number) => string;
  domain: [number, number];
  scale: 'linear' | 'log';
  /** Values to label, and their labels. */
  labels: { value: number; label: string }[];
  length: number;
  thickness: number;
}

export type Legend = SymbolLegend | GradientLegend;

const titleHeight = (legend: Legend) => (legend.title ? LEGEND.titleSize + 6 : 0);
const titleWidth = (legend: Legend) => (legend.title ? estimateTextWidth(legend.title, LEGEND.titleSize, true) : 0);

function shownEntries(legend: SymbolLegend): { entries: LegendEntry[]; more: number } {
  const limit = legend.limit ?? legend.entries.length;
  return { entries: legend.entries.slice(0, limit), more: Math.max(0, legend.entries.length - limit) };
}

function entryWidth(legend: SymbolLegend): number {
  return LEGEND.symbolWidth + 6 + Math.max(0, ...legend.entries.map((entry) => estimateTextWidth(entry.label, LEGEND.labelSize)));
}

export function legendSize(legend: Legend): { width: number; height: number } {
  if (legend.kind === 'gradient') {
    const labels = Math.max(0, ...legend.labels.map((label) => estimateTextWidth(label.label, LEGEND.labelSize)));
    return { width: Math.max(titleWidth(legend), legend.thickness + 6 + labels), height: titleHeight(legend) + legend.length + 6 };
  }
  const { entries, more } = shownEntries(legend);
  const columns = Math.max(1, legend.columns ?? 1);
  const rows = Math.ceil(entries.length / columns) + (more > 0 ? 1 : 0);
  return { width: Math.max(titleWidth(legend), columns * (entryWidth(legend) + 12) - 12), height: titleHeight(legend) + rows * LEGEND.rowHeight };
}

function titleMark(legend: Legend): string {
  if (!legend.title) return '';
  return group('mark-text role-legend-title', [text(0, 0, legend.title, { size: LEGEND.titleSize, weight: LEGEND.titleWeight, colour: LEGEND.labelColour, baseline: 'top' })]);
}

/** The legend with its top-left corner at (x, y); `id` names its gradient in the page. */
export function legendMarks(legend: Legend, x: number, y: number, id: string): string {
  const top = titleHeight(legend);
  const body = legend.kind === 'gradient' ? gradientBody(legend, top, id) : symbolBody(legend, top);
  return group('mark-group role-legend', [titleMark(legend), body], { transform: `translate(${px(x)},${px(y)})`, 'aria-label': legend.title ?? 'legend' });
}

function symbolBody(legend: SymbolLegend, top: number): string {
  const { entries, more } = shownEntries(legend);
  const columns = Math.max(1, legend.columns ?? 1);
  const columnWidth = entryWidth(legend) + 12;
  const rows = entries.map((entry, i) => {
    const x = (i % columns) * columnWidth;
    const y = top + Math.floor(i / columns) * LEGEND.rowHeight + LEGEND.rowHeight / 2;
    const isLine = entry.shape === 'stroke';
    const symbol = element('path', {
      transform: `translate(${px(x + LEGEND.symbolWidth / 2)},${px(y)})`,
      d: symbolPath(entry.shape, entry.size ?? (isLine ? 196 : 100)),
      fill: isLine ? 'none' : (entry.fill ?? 'none'),
      stroke: entry.stroke ?? 'none',
      'stroke-width': entry.strokeWidth,
      'stroke-dasharray': entry.dash?.join(','),
    });
    const label = text(x + LEGEND.symbolWidth + 6, y, entry.label, { size: LEGEND.labelSize, colour: LEGEND.labelColour, baseline: 'middle' });
    return group('mark-group role-legend-entry', [group('mark-symbol role-legend-symbol', [symbol]), group('mark-text role-legend-label', [label])]);
  });
  if (more > 0) {
    const y = top + Math.ceil(entries.length / columns) * LEGEND.rowHeight + LEGEND.rowHeight / 2;
    rows.push(group('mark-text role-legend-more', [text(0, y, `… ${more} more`, { size: LEGEND.labelSize, colour: LEGEND.labelColour, baseline: 'middle' })]));
  }
  return rows.join('');
}

function gradientBody(legend: GradientLegend, top: number, id: string): string {
  const stops = Array.from({ length: 11 }, (_, i) => element('stop', { offset: px(i / 10), 'stop-color': legend.colourAt(i / 10) }));
  // The bar runs upwards: low values at the bottom, as on a y axis.
  const gradient = element('linearGradient', { id, x1: 0, x2: 0, y1: 1, y2: 0 }, stops);
  const bar = element('rect', { x: 0, y: top, width: legend.thickness, height: legend.length, fill: `url(#${id})`, stroke: '#bbb', 'stroke-width': 0.5 });
  // The bar spans exactly the domain: labels sit where their values are on it.
  const def = legend.scale === 'log' ? { type: 'log' as const, domain: legend.domain } : { type: 'linear' as const, domain: legend.domain, nice: false };
  const scale = makeScale(def, legend.length, true, { ticks: legend.labels.map((label) => label.value) });
  const labels = legend.labels.map((label) =>
    text(legend.thickness + 6, top + scale.at(label.value), label.label, { size: LEGEND.labelSize, colour: LEGEND.labelColour, baseline: 'middle' }),
  );
  return `<defs>${gradient}</defs>${group('mark-group role-legend-gradient', [bar])}${group('mark-text role-legend-label', labels)}`;
}
