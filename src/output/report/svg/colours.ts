// Colour schemes of the charts: Tableau 10 for runs without an order, viridis for ordered values.

export const TABLEAU10 = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

// Viridis at eleven even steps (as matplotlib defines it); colours between are blended in RGB.
const VIRIDIS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'];

const rgbOf = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const hexOf = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** Viridis at t in [0, 1]: dark purple at 0, yellow at 1. */
export function viridis(t: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(position));
  const f = position - i;
  const [a, b] = [rgbOf(VIRIDIS[i]), rgbOf(VIRIDIS[i + 1])];
  return hexOf(a.map((c, k) => c + (b[k] - c) * f));
}
