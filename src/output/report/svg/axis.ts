// Axes of one panel: grid lines, the domain line, ticks, tick labels (thinned where they would
// crowd, as Vega's label overlap removal does) and the title. Sizes come from the text-width
// estimate, so the layout can make room before anything is drawn.
import { estimateTextWidth } from '../text-width.js';
import { element, group, px, text } from './markup.js';
import { makeScale, type Scale, type ScaleDef, type ScaleOptions } from './scale.js';
import { AXIS } from './style.js';

export interface AxisDef extends ScaleOptions {
  title: string | null;
  scale: ScaleDef;
  /** Tick labels (default true). */
  labels?: boolean;
  /** Longest tick label in pixels; longer ones are cut with an ellipsis. */
  labelLimit?: number;
}

/** `label` cut to `limit` pixels with an ellipsis (nothing cut when it fits). */
export function fitText(label: string, size: number, limit: number | undefined, bold = false): string {
  if (limit === undefined || estimateTextWidth(label, size, bold) <= limit) return label;
  let cut = label;
  while (cut.length > 1 && estimateTextWidth(`${cut}…`, size, bold) > limit) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Which tick labels to draw: every other one, then every fourth, ... until none crowd the next. */
export function thinLabels(positions: number[], extents: number[], separation: number): boolean[] {
  const n = positions.length;
  for (let stride = 1; stride <= Math.max(1, n); stride *= 2) {
    const kept: number[] = [];
    for (let i = 0; i < n; i += stride) kept.push(i);
    const crowded = kept.some((i, k) => k > 0 && Math.abs(positions[i] - positions[kept[k - 1]]) < (extents[i] + extents[kept[k - 1]]) / 2 + separation);
    if (!crowded) return positions.map((_, i) => kept.includes(i));
  }
  return positions.map((_, i) => i === 0);
}

/** A panel's two scales, with the tick labels they draw (cut to their limit) and their widths. */
export interface PanelAxes {
  x: Scale;
  y: Scale;
  xDef: AxisDef;
  yDef: AxisDef;
  xLabels: string[];
  yLabels: string[];
  xLabelWidths: number[];
  yLabelWidths: number[];
}

export function panelAxes(xDef: AxisDef, yDef: AxisDef, width: number, height: number): PanelAxes {
  const x = makeScale(xDef.scale, width, false, xDef);
  const y = makeScale(yDef.scale, height, true, yDef);
  const labelsOf = (scale: Scale, def: AxisDef) => (def.labels === false ? [] : scale.ticks.map((tick) => fitText(tick.label, AXIS.labelSize, def.labelLimit)));
  const xLabels = labelsOf(x, xDef);
  const yLabels = labelsOf(y, yDef);
  const widths = (labels: string[]) => labels.map((label) => estimateTextWidth(label, AXIS.labelSize));
  return { x, y, xDef, yDef, xLabels, yLabels, xLabelWidths: widths(xLabels), yLabelWidths: widths(yLabels) };
}

/** Pixels the left axis takes (labels, ticks, title), measured from the plot's left edge. */
export function leftAxisWidth(axes: PanelAxes, withTitle: boolean): number {
  const widest = Math.max(0, ...axes.yLabelWidths);
  return AXIS.tick + AXIS.labelPad + widest + (withTitle && axes.yDef.title ? AXIS.titlePad + AXIS.titleSize : 0);
}

/** Pixels the bottom axis takes below the plot. */
export function bottomAxisHeight(axes: PanelAxes): number {
  const labels = axes.xDef.labels === false ? 0 : AXIS.labelSize + 2;
  return AXIS.tick + AXIS.labelPad + labels + (axes.xDef.title ? AXIS.titlePad + AXIS.titleSize : 0);
}

/** Grid lines behind the marks. */
export function gridLines(axes: PanelAxes, width: number, height: number): string {
  const lines: string[] = [];
  if (axes.xDef.scale.type !== 'point') {
    for (const tick of axes.x.ticks) lines.push(`M${px(axes.x.at(tick.value))},0V${px(height)}`);
  }
  if (axes.yDef.scale.type !== 'point') {
    for (const tick of axes.y.ticks) lines.push(`M0,${px(axes.y.at(tick.value))}H${px(width)}`);
  }
  if (lines.length === 0) return '';
  return group('mark-rule role-axis-grid', [element('path', { d: lines.join(''), fill: 'none', stroke: AXIS.gridColour, 'stroke-width': 1 })], { 'aria-hidden': 'true' });
}

/** The bottom and left axes, drawn over the plot's frame. */
export function axisMarks(axes: PanelAxes, width: number, height: number, withYTitle: boolean): string {
  const labelStyle = { size: AXIS.labelSize, colour: AXIS.labelColour };
  const titleStyle = { size: AXIS.titleSize, weight: AXIS.titleWeight, colour: AXIS.titleColour, anchor: 'middle' as const };
  const parts: string[] = [];

  // x: ticks down from the bottom edge, labels centred under them.
  const { xLabels, yLabels } = axes;
  const xPositions = axes.x.ticks.map((tick) => axes.x.at(tick.value));
  const xKeep = thinLabels(xPositions, axes.xLabelWidths, AXIS.labelSeparation);
  const xTicks = xPositions.map((x) => `M${px(x)},${px(height)}v${AXIS.tick}`).join('');
  const xTexts = xLabels.flatMap((label, i) => (xKeep[i] ? [text(xPositions[i], height + AXIS.tick + AXIS.labelPad, label, { ...labelStyle, anchor: 'middle', baseline: 'top' })] : []));
  const xTitleY = height + AXIS.tick + AXIS.labelPad + (xLabels.length ? AXIS.labelSize + 2 : 0) + AXIS.titlePad;
  parts.push(
    group('mark-group role-axis', [
      element('path', { d: `M0,${px(height)}H${px(width)}${xTicks}`, fill: 'none', stroke: AXIS.domainColour }),
      group('mark-text role-axis-label', xTexts),
      axes.xDef.title ? group('mark-text role-axis-title', [text(width / 2, xTitleY, axes.xDef.title, { ...titleStyle, baseline: 'top' })]) : '',
    ], { 'aria-label': axes.xDef.title ? `X-axis: ${axes.xDef.title}` : 'X-axis' }),
  );

  // y: ticks left of the left edge, labels right-aligned against them.
  const yPositions = axes.y.ticks.map((tick) => axes.y.at(tick.value));
  const yKeep = thinLabels(yPositions, yLabels.map(() => AXIS.labelSize), AXIS.labelSeparation / 2);
  const yTicks = axes.yDef.labels === false ? '' : yPositions.map((y) => `M0,${px(y)}h${-AXIS.tick}`).join('');
  const yTexts = yLabels.flatMap((label, i) => (yKeep[i] ? [text(-AXIS.tick - AXIS.labelPad, yPositions[i], label, { ...labelStyle, anchor: 'end', baseline: 'middle' })] : []));
  const widest = Math.max(0, ...axes.yLabelWidths);
  const yTitleX = -(AXIS.tick + AXIS.labelPad + widest + AXIS.titlePad);
  parts.push(
    group('mark-group role-axis', [
      element('path', { d: `M0,0V${px(height)}${yTicks}`, fill: 'none', stroke: AXIS.domainColour }),
      group('mark-text role-axis-label', yTexts),
      withYTitle && axes.yDef.title ? group('mark-text role-axis-title', [text(yTitleX, height / 2, axes.yDef.title, { ...titleStyle, rotate: -90 })]) : '',
    ], { 'aria-label': axes.yDef.title ? `Y-axis: ${axes.yDef.title}` : 'Y-axis' }),
  );
  return parts.join('');
}

