// Chart: each run's decision boundary, the network output over the plane of the two input
// features as a shaded map, with the data points on top; one small panel per run. For
// regression data (targets other than 0/1) the same map shows the predicted value instead. A
// network with one output per class (softmax) colours each spot by its predicted class, pale where
// the network is unsure and full where it is confident, for up to MAX_MAP_CLASSES classes.
import type { DecisionBoundary } from '../../run/index.js';
import { extent, formatNumber } from './numbers.js';
import { pngDataUrl } from './png.js';
import type { DataPoints, ReportRun } from './result-folder.js';
import type { AxisDef, Figure, Legend, Panel } from './svg/figure.js';

export const MAX_BOUNDARY_PANELS = 24;
export const MAX_POINTS_PER_PANEL = 300;
/** More classes than colours that can be told apart: no class maps. */
export const MAX_MAP_CLASSES = 10;
/** One colour per class (Tableau 10, as Vega's `tableau10` scheme). */
export const CLASS_COLOURS: readonly [number, number, number][] = [
  [78, 121, 167],
  [242, 142, 44],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 73],
  [175, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];
const WHITE: [number, number, number] = [255, 255, 255];

/** Low values (class 0) -> blue, the middle (undecided) -> near white, high values (class 1) -> orange. */
const RAMP: [number, number, number][] = [
  [43, 108, 176],
  [247, 247, 247],
  [221, 107, 32],
];
/** Cells where the network gave no number (a run that blew up). */
const NO_VALUE: [number, number, number] = [190, 190, 190];
const hex = (rgb: [number, number, number]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/**
 * What the shading means: for 0/1 targets the probability of class 1 on [0, 1]; for any other
 * targets (regression) the predicted value, over the range of the targets.
 */
export interface ValueScale {
  min: number;
  max: number;
  classification: boolean;
}

export const CLASS_SCALE: ValueScale = { min: 0, max: 1, classification: true };

/** Linear RGB interpolation between the ramp stops, as the legend's gradient blends them. */
export function rampColour(value: number, scale: ValueScale = CLASS_SCALE): [number, number, number] {
  const rgb: [number, number, number] = [0, 0, 0];
  writeRampColour(value, scale, rgb, 0);
  return rgb;
}

/** rampColour written into `out` at `at`: a map's thousands of cells make no arrays. */
function writeRampColour(value: number, scale: ValueScale, out: Uint8Array | number[], at: number): void {
  if (!Number.isFinite(value)) {
    out[at] = NO_VALUE[0];
    out[at + 1] = NO_VALUE[1];
    out[at + 2] = NO_VALUE[2];
    return;
  }
  const unit = scale.max > scale.min ? (value - scale.min) / (scale.max - scale.min) : 0.5;
  const t = Math.min(1, Math.max(0, unit)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const from = RAMP[i];
  const to = RAMP[i + 1];
  for (let c = 0; c < 3; c++) out[at + c] = Math.round(from[c] + (to[c] - from[c]) * f);
}

/** The map as a PNG: image row 0 is the top, the boundary's row 0 is at yMin (the bottom). */
export function boundaryImage(boundary: DecisionBoundary, scale: ValueScale = CLASS_SCALE): string {
  const n = boundary.resolution;
  const rgb = new Uint8Array(n * n * 3);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) writeRampColour(boundary.values[row * n + col], scale, rgb, ((n - 1 - row) * n + col) * 3);
  }
  return pngDataUrl(n, n, rgb);
}

/**
 * The colour of a spot predicted as class `c` with probability p out of k classes: the class
 * colour, blended into white as p falls from 1 (certain) to 1/k (no better than a guess).
 */
export function classColour(c: number, p: number, k: number): [number, number, number] {
  const rgb: [number, number, number] = [0, 0, 0];
  writeClassColour(c, p, k, rgb, 0);
  return rgb;
}

/** classColour written into `out` at `at`, as writeRampColour. */
function writeClassColour(c: number, p: number, k: number, out: Uint8Array | number[], at: number): void {
  const valid = Number.isFinite(p) && c >= 0 && c < CLASS_COLOURS.length;
  const colour = valid ? CLASS_COLOURS[c] : NO_VALUE;
  const confidence = valid ? Math.min(1, Math.max(0, k > 1 ? (p - 1 / k) / (1 - 1 / k) : 1)) : 1;
  for (let i = 0; i < 3; i++) out[at + i] = Math.round(WHITE[i] + (colour[i] - WHITE[i]) * confidence);
}

/** A class map as a PNG (rows as in boundaryImage). */
export function classBoundaryImage(boundary: DecisionBoundary & { classes: number[] }, k: number): string {
  const n = boundary.resolution;
  const rgb = new Uint8Array(n * n * 3);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const cell = row * n + col;
      writeClassColour(boundary.classes[cell], boundary.values[cell], k, rgb, ((n - 1 - row) * n + col) * 3);
    }
  }
  return pngDataUrl(n, n, rgb);
}

/** Class data (every target 0 or 1) or not; without points, maps whose outputs all lie in [0, 1] count as classes. */
export function valueScaleOf(points: DataPoints | null, boundaries: DecisionBoundary[]): ValueScale {
  const values = points
    ? points.y
    : boundaries.flatMap((b) => b.values.filter(Number.isFinite)).sort((a, b) => a - b);
  if (values.length === 0) return CLASS_SCALE;
  if (points ? values.every((v) => v === 0 || v === 1) : values.every((v) => v >= 0 && v <= 1)) return CLASS_SCALE;
  // Outputs of a blown-up run can be astronomically large: without targets, leave out the extremes.
  const [lo, hi] = points ? extent(values) : [values[Math.floor(values.length * 0.02)], values[Math.ceil(values.length * 0.98) - 1]];
  return { min: lo, max: hi > lo ? hi : lo + 1, classification: false };
}

/** Bigger dots for small data sets (the four XOR points), smaller ones for hundreds. */
const pointSize = (count: number) => (count <= 20 ? 70 : count <= 100 ? 36 : 22);

export interface BoundariesChart {
  figure: Figure;
  shownRuns: number;
  runsWithBoundary: number;
  /** Points drawn per panel, out of all points. */
  pointsShown: number;
  pointsTotal: number;
  /** Some shown map has cells without a number. */
  hasNoValueCells: boolean;
  /** What the shading shows. */
  valueScale: ValueScale;
  /** The class names when the maps are coloured by class (one output per class), else null. */
  classes: string[] | null;
}

/** At most `limit` items, evenly spread from the first to the last, so every part of the grid shows. */
export function spreadSelection<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  return Array.from({ length: limit }, (_, k) => items[Math.round((k * (items.length - 1)) / (limit - 1))]);
}

function pointSubset(points: DataPoints | null): { x: [number, number]; y: number }[] {
  if (!points) return [];
  const n = points.x.length;
  const count = Math.min(n, MAX_POINTS_PER_PANEL);
  return Array.from({ length: count }, (_, k) => {
    const i = Math.floor((k * n) / count);
    return { x: points.x[i], y: points.y[i] };
  });
}

/** The targets of every distinct data set among `runs`, as one set of points for the value scale. */
function allPoints(runs: ReportRun[]): DataPoints | null {
  const distinct = [...new Set(runs.map((run) => run.points).filter((points): points is DataPoints => points !== null))];
  if (distinct.length <= 1) return distinct[0] ?? null;
  return { x: distinct.flatMap((points) => points.x), y: distinct.flatMap((points) => points.y) };
}

/** The class names when every run with a map predicts one of at most MAX_MAP_CLASSES named classes. */
export function mapClasses(runs: ReportRun[]): string[] | null {
  const first = runs[0]?.classes ?? null;
  if (first === null || first.length > MAX_MAP_CLASSES) return null;
  const same = runs.every((run) => run.boundary?.classes !== undefined && run.classes?.join('\u0000') === first.join('\u0000'));
  return same ? first : null;
}

/**
 * One panel per run (at most MAX_BOUNDARY_PANELS), each with the run's own data points. Null when
 * no run has a map, or when the runs predict more than MAX_MAP_CLASSES classes.
 */
export function boundariesSpec(runs: ReportRun[], featureNames: [string, string], classNames: string[] | null = null): BoundariesChart | null {
  const withBoundary = runs.filter((run) => run.boundary !== null);
  if (withBoundary.length === 0) return null;
  if (withBoundary.some((run) => run.boundary!.classes !== undefined)) return classBoundariesSpec(withBoundary, featureNames);
  const shown = spreadSelection(withBoundary, MAX_BOUNDARY_PANELS);
  const bounds = shown.map((run) => run.boundary!);
  const valueScale = valueScaleOf(allPoints(shown), bounds);
  const middle = (valueScale.min + valueScale.max) / 2;
  const nameOf = (value: number, label: string) =>
    valueScale.classification && classNames?.length === 2 && (value === 0 || value === 1) ? classNames[value] : label;
  const panels = panelsSpec(shown, featureNames, {
    image: (boundary) => boundaryImage(boundary, valueScale),
    pointColour: (point) => hex(rampColour(point.y, valueScale)),
    legend: {
      kind: 'gradient',
      title: valueScale.classification ? 'class / output' : 'target / output',
      colourAt: (t) => hex(rampColour(valueScale.min + t * (valueScale.max - valueScale.min), valueScale)),
      domain: [valueScale.min, valueScale.max],
      scale: 'linear',
      // Classes from labels: named (0 and 1 keep the middle value's place).
      labels: [valueScale.min, middle, valueScale.max].map((value) => ({ value, label: nameOf(value, formatNumber(value, 3)) })),
      length: 120,
      thickness: 14,
    },
  });
  return { ...panels, runsWithBoundary: withBoundary.length, valueScale, classes: null };
}

/** The maps of networks with one output per class: each spot in its predicted class's colour. */
function classBoundariesSpec(withBoundary: ReportRun[], featureNames: [string, string]): BoundariesChart | null {
  const classes = mapClasses(withBoundary);
  if (classes === null) return null;
  const k = classes.length;
  const shown = spreadSelection(withBoundary, MAX_BOUNDARY_PANELS);
  const panels = panelsSpec(shown, featureNames, {
    image: (boundary) => classBoundaryImage(boundary as DecisionBoundary & { classes: number[] }, k),
    pointColour: (point) => hex(CLASS_COLOURS[point.y] ?? NO_VALUE),
    legend: { kind: 'symbols', title: 'class', entries: classes.map((name, c) => ({ label: name, shape: 'circle', fill: hex(CLASS_COLOURS[c]), size: 70 })) },
  });
  return { ...panels, runsWithBoundary: withBoundary.length, valueScale: CLASS_SCALE, classes };
}

/** What the value maps and the class maps draw differently. */
interface PanelStyle {
  /** The map of one run, as an image URL. */
  image(boundary: DecisionBoundary): string;
  /** A data point's colour, from its target. */
  pointColour(point: { x: [number, number]; y: number }): string;
  legend: Legend;
}

/** The panels of the shown runs' maps with their data points on top, and what they show. */
function panelsSpec(
  shown: ReportRun[],
  featureNames: [string, string],
  style: PanelStyle,
): Pick<BoundariesChart, 'figure' | 'shownRuns' | 'pointsShown' | 'pointsTotal' | 'hasNoValueCells'> {
  const subsets = new Map(shown.map((run) => [run.points, pointSubset(run.points)]));
  const largest = Math.max(0, ...[...subsets.values()].map((subset) => subset.length));
  const bounds = shown.map((run) => run.boundary!);
  const xDomain: [number, number] = [Math.min(...bounds.map((b) => b.xMin)), Math.max(...bounds.map((b) => b.xMax))];
  const yDomain: [number, number] = [Math.min(...bounds.map((b) => b.yMin)), Math.max(...bounds.map((b) => b.yMax))];

  const panels: Panel[] = shown.map((run) => {
    const b = run.boundary!;
    const points = subsets.get(run.points)!;
    return {
      // One line per swept value and one for the status.
      title: [...run.label.split(', '), run.status],
      layers: [
        { kind: 'image', marks: [{ type: 'image', href: style.image(b), x: [b.xMin, b.xMax], y: [b.yMin, b.yMax], opacity: 0.8 }] },
        {
          kind: 'symbol',
          marks: points.map((point) => ({
            type: 'symbol' as const,
            x: point.x[0],
            y: point.x[1],
            shape: 'circle',
            size: pointSize(largest),
            fill: style.pointColour(point),
            stroke: '#1a1a1a',
            strokeWidth: 0.7,
          })),
        },
      ],
    };
  });
  const x: AxisDef = { title: featureNames[0], scale: { type: 'linear', domain: xDomain, nice: false }, tickCount: 4 };
  const y: AxisDef = { title: featureNames[1], scale: { type: 'linear', domain: yDomain, nice: false }, tickCount: 4 };
  const figure: Figure = {
    grids: [{ panels, columns: Math.min(4, shown.length), width: 160, height: 160, x, y, headerLimit: 170 }],
    legends: [style.legend],
    legendOrient: 'right',
    idPrefix: 'boundaries',
    description: 'Decision map of each shown run over the two input features, with the data points',
  };
  return {
    figure,
    shownRuns: shown.length,
    pointsShown: largest,
    pointsTotal: Math.max(0, ...shown.map((run) => run.points?.x.length ?? 0)),
    hasNoValueCells: bounds.some((b) => b.values.some((value) => !Number.isFinite(value))),
  };
}
