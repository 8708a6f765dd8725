// A chart as the report draws it: one or more grids of panels stacked top to bottom, each panel
// with its axes and layers of marks, and legends beside or under them. `renderFigure` lays it out
// from estimated text widths and writes one self-contained SVG element; the same figure always
// gives the same text.
import { axisMarks, bottomAxisHeight, fitText, gridLines, leftAxisWidth, panelAxes, type AxisDef, type PanelAxes } from './axis.js';
import { legendMarks, legendSize, type Legend } from './legend.js';
import { element, group, px, text } from './markup.js';
import { AXIS, FONT, HEADER, LEGEND, PADDING, PANEL_GAP } from './style.js';
import { symbolPath, type Shape } from './symbols.js';

export type { AxisDef } from './axis.js';
export type { Legend, LegendEntry } from './legend.js';

/** A polyline through data points (x, y). `label` names it for screen readers and tests. */
export interface LineMark {
  type: 'line';
  points: [number, number][];
  colour: string;
  width: number;
  dash?: number[];
  label?: string;
}

export interface SymbolMark {
  type: 'symbol';
  x: number | string;
  y: number | string;
  shape: Shape;
  size: number;
  fill: string;
  stroke?: string;
  strokeWidth?: number;
  opacity?: number;
  label?: string;
}

/** An image stretched over a rectangle of data coordinates. */
export interface ImageMark {
  type: 'image';
  href: string;
  x: [number, number];
  y: [number, number];
  opacity: number;
}

/** A horizontal line across the panel at a data value. */
export interface RuleMark {
  type: 'rule';
  y: number;
  colour: string;
  width: number;
  dash?: number[];
  opacity?: number;
}

/** Text at a data point, or at the panel's left edge when x is null; dx/dy shift it in pixels. */
export interface TextMark {
  type: 'text';
  x: number | string | null;
  y: number | string;
  text: string;
  dx?: number;
  dy?: number;
  size: number;
  weight?: number;
  colour: string;
  anchor?: 'start' | 'middle' | 'end';
  baseline?: 'alphabetic' | 'middle' | 'top';
}

export type Mark = LineMark | SymbolMark | ImageMark | RuleMark | TextMark;

/** Marks drawn together, in a group named like Vega's ("mark-line role-mark"). */
export interface Layer {
  kind: 'line' | 'symbol' | 'image' | 'rule' | 'text';
  marks: Mark[];
}

export interface Panel {
  /** Header lines above the panel (small multiples). */
  title?: string[];
  layers: Layer[];
  /** An axis of its own instead of the grid's (an independent scale). */
  x?: AxisDef;
  y?: AxisDef;
}

export interface PanelGrid {
  panels: Panel[];
  columns: number;
  /** The plot area of each panel, in pixels. */
  width: number;
  height: number;
  x: AxisDef;
  y: AxisDef;
  /** A heading over the whole grid. */
  title?: string;
  /** Longest header line in pixels. */
  headerLimit?: number;
}

export interface Figure {
  grids: PanelGrid[];
  legends: Legend[];
  legendOrient: 'right' | 'bottom';
  /** Makes the ids inside this SVG unique in the page. */
  idPrefix: string;
  /** What the chart shows, for screen readers. */
  description: string;
}

const GRID_SPACING = 24;

interface PlacedGrid {
  grid: PanelGrid;
  axes: PanelAxes[];
  left: number;
  header: number;
  bottom: number;
  title: number;
  width: number;
  height: number;
}

function placeGrid(grid: PanelGrid): PlacedGrid {
  const axes = grid.panels.map((panel) => panelAxes(panel.x ?? grid.x, panel.y ?? grid.y, grid.width, grid.height));
  const left = Math.ceil(Math.max(0, ...axes.map((a) => leftAxisWidth(a, true))));
  const bottom = Math.ceil(Math.max(0, ...axes.map(bottomAxisHeight)));
  const lines = Math.max(0, ...grid.panels.map((panel) => panel.title?.length ?? 0));
  const header = lines > 0 ? lines * HEADER.lineHeight + 6 : 0;
  const title = grid.title ? AXIS.titleSize + 10 : 0;
  const columns = Math.max(1, Math.min(grid.columns, grid.panels.length));
  const rows = Math.ceil(grid.panels.length / columns);
  const cellWidth = left + grid.width + PANEL_GAP;
  const cellHeight = header + grid.height + bottom + PANEL_GAP;
  return { grid, axes, left, header, bottom, title, width: columns * cellWidth - PANEL_GAP, height: title + rows * cellHeight - PANEL_GAP };
}

function lineMark(mark: LineMark, axes: PanelAxes): string {
  if (mark.points.length === 0) return '';
  const d = mark.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(axes.x.at(x))},${px(axes.y.at(y))}`).join('');
  return element('path', {
    'aria-label': mark.label,
    role: mark.label ? 'graphics-symbol' : undefined,
    'aria-roledescription': mark.label ? 'line mark' : undefined,
    d,
    fill: 'none',
    stroke: mark.colour,
    'stroke-width': mark.width,
    'stroke-dasharray': mark.dash?.join(','),
    'stroke-linejoin': 'round',
  });
}

function symbolMark(mark: SymbolMark, axes: PanelAxes): string {
  return element('path', {
    'aria-label': mark.label,
    role: mark.label ? 'graphics-symbol' : undefined,
    'aria-roledescription': mark.label ? 'point' : undefined,
    transform: `translate(${px(axes.x.at(mark.x))},${px(axes.y.at(mark.y))})`,
    d: symbolPath(mark.shape, mark.size),
    fill: mark.fill,
    stroke: mark.stroke,
    'stroke-width': mark.strokeWidth,
    opacity: mark.opacity,
  });
}

function imageMark(mark: ImageMark, axes: PanelAxes): string {
  const [x0, x1] = mark.x.map((x) => axes.x.at(x));
  const [y0, y1] = mark.y.map((y) => axes.y.at(y));
  return element('image', {
    x: Math.min(x0, x1),
    y: Math.min(y0, y1),
    width: Math.abs(x1 - x0),
    height: Math.abs(y1 - y0),
    preserveAspectRatio: 'none',
    opacity: mark.opacity,
    href: mark.href,
  });
}

function ruleMark(mark: RuleMark, axes: PanelAxes, width: number): string {
  const y = px(axes.y.at(mark.y));
  return element('path', { d: `M0,${y}H${px(width)}`, stroke: mark.colour, 'stroke-width': mark.width, 'stroke-dasharray': mark.dash?.join(','), opacity: mark.opacity });
}

function textMark(mark: TextMark, axes: PanelAxes): string {
  const x = (mark.x === null ? 0 : axes.x.at(mark.x)) + (mark.dx ?? 0);
  const y = axes.y.at(mark.y) + (mark.dy ?? 0);
  return text(x, y, mark.text, { size: mark.size, weight: mark.weight, colour: mark.colour, anchor: mark.anchor, baseline: mark.baseline });
}

function drawLayer(layer: Layer, axes: PanelAxes, width: number): string {
  const marks = layer.marks.map((mark) => {
    switch (mark.type) {
      case 'line':
        return lineMark(mark, axes);
      case 'symbol':
        return symbolMark(mark, axes);
      case 'image':
        return imageMark(mark, axes);
      case 'rule':
        return ruleMark(mark, axes, width);
      case 'text':
        return textMark(mark, axes);
    }
  });
  return group(`mark-${layer.kind} role-mark`, marks);
}

function drawGrid(placed: PlacedGrid, x0: number, y0: number): string {
  const { grid, axes, left, header, bottom, title } = placed;
  const columns = Math.max(1, Math.min(grid.columns, grid.panels.length));
  const parts: string[] = [];
  if (grid.title) {
    parts.push(group('mark-text role-title-text', [text(placed.width / 2, 0, grid.title, { size: AXIS.titleSize, weight: AXIS.titleWeight, colour: AXIS.titleColour, anchor: 'middle', baseline: 'top' })]));
  }
  grid.panels.forEach((panel, i) => {
    const column = i % columns;
    const row = Math.floor(i / columns);
    const originX = column * (left + grid.width + PANEL_GAP) + left;
    const originY = title + row * (header + grid.height + bottom + PANEL_GAP) + header;
    const headerLines = (panel.title ?? []).map((line, k) =>
      text(grid.width / 2, -header + k * HEADER.lineHeight + 2, fitText(line, HEADER.size, grid.headerLimit ?? grid.width + left), { size: HEADER.size, colour: HEADER.colour, anchor: 'middle', baseline: 'top' }),
    );
    const frame = element('rect', { width: grid.width, height: grid.height, fill: 'none', stroke: AXIS.frameColour });
    parts.push(
      group('mark-group role-scope cell', [
        group('mark-text role-title-text', headerLines),
        gridLines(axes[i], grid.width, grid.height),
        frame,
        ...panel.layers.map((layer) => drawLayer(layer, axes[i], grid.width)),
        axisMarks(axes[i], grid.width, grid.height, column === 0 || panel.y !== undefined),
      ], { transform: `translate(${px(originX)},${px(originY)})` }),
    );
  });
  return group('mark-group role-frame', parts, { transform: `translate(${px(x0)},${px(y0)})` });
}

/** The figure as one <svg> element. */
export function renderFigure(figure: Figure): string {
  const placed = figure.grids.map(placeGrid);
  const gridsWidth = Math.max(0, ...placed.map((p) => p.width));
  const gridsHeight = placed.reduce((sum, p) => sum + p.height, 0) + GRID_SPACING * Math.max(0, placed.length - 1);
  const sizes = figure.legends.map(legendSize);
  const parts: string[] = [element('rect', { width: '100%', height: '100%', fill: 'white' })];

  let y = PADDING;
  for (const p of placed) {
    parts.push(drawGrid(p, PADDING, y));
    y += p.height + GRID_SPACING;
  }
  let width = PADDING + gridsWidth + PADDING;
  let height = PADDING + gridsHeight + PADDING;
  if (figure.legends.length > 0) {
    if (figure.legendOrient === 'right') {
      const x = PADDING + gridsWidth + LEGEND.gap;
      let top = PADDING + (placed[0]?.title ?? 0) + (placed[0]?.header ?? 0);
      figure.legends.forEach((legend, i) => {
        parts.push(legendMarks(legend, x, top, `${figure.idPrefix}-${i + 1}`));
        top += sizes[i].height + LEGEND.gap;
      });
      width = Math.max(width, x + Math.max(...sizes.map((s) => s.width)) + PADDING);
      height = Math.max(height, top - LEGEND.gap + PADDING);
    } else {
      let top = PADDING + gridsHeight + LEGEND.gap;
      figure.legends.forEach((legend, i) => {
        parts.push(legendMarks(legend, PADDING, top, `${figure.idPrefix}-${i + 1}`));
        top += sizes[i].height + LEGEND.gap / 2;
      });
      width = Math.max(width, PADDING + Math.max(...sizes.map((s) => s.width)) + PADDING);
      height = top - LEGEND.gap / 2 + PADDING;
    }
  }
  width = Math.ceil(width);
  height = Math.ceil(height);
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'marks',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'graphics-document',
      'aria-roledescription': 'visualization',
      'aria-label': figure.description,
      'font-family': FONT,
    },
    parts,
  );
}
