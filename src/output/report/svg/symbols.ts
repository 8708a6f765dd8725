// Marker shapes as SVG paths centred on (0, 0), sized by area in square pixels as Vega sizes its
// symbols (the shape fills a square of side sqrt(size)). A shape is a name or a custom path drawn
// in the square from -1 to 1, as Vega's custom symbols are.
import { px } from './markup.js';

export type Shape = 'circle' | 'square' | 'diamond' | 'triangle-up' | 'triangle-down' | 'cross' | 'stroke' | string;

const polygon = (points: [number, number][], r: number) =>
  `M${points.map(([x, y]) => `${px(x * r)},${px(y * r)}`).join('L')}Z`;

const H = Math.sqrt(3) / 2;
const UNIT_SHAPES: Record<string, [number, number][]> = {
  square: [[-1, -1], [1, -1], [1, 1], [-1, 1]],
  diamond: [[-1, 0], [0, -1], [1, 0], [0, 1]],
  'triangle-up': [[0, -H], [-1, H], [1, H]],
  'triangle-down': [[0, H], [-1, -H], [1, -H]],
  // A plus sign, as Vega's "cross".
  cross: [[-1, -0.4], [-1, 0.4], [-0.4, 0.4], [-0.4, 1], [0.4, 1], [0.4, 0.4], [1, 0.4], [1, -0.4], [0.4, -0.4], [0.4, -1], [-0.4, -1], [-0.4, -0.4]],
};

/** The path of `shape` with area `size`. */
export function symbolPath(shape: Shape, size: number): string {
  const r = Math.sqrt(size) / 2;
  if (shape === 'circle') return `M${px(r)},0A${px(r)},${px(r)},0,1,1,${px(-r)},0A${px(r)},${px(r)},0,1,1,${px(r)},0`;
  if (shape === 'stroke') return `M${px(-r)},0L${px(r)},0`;
  const unit = UNIT_SHAPES[shape];
  if (unit) return polygon(unit, r);
  // A custom path in the unit square: scale its numbers.
  return shape.replace(/-?\d*\.?\d+(?:e-?\d+)?/g, (number) => px(Number(number) * r));
}
