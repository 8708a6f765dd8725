// Scales: from a data value to a pixel along an axis, with the ticks and tick labels the axis
// draws. Linear scales get round ticks (1, 2 or 5 times a power of ten, as d3 chooses them);
// log scales get the ticks their chart asks for (powers of ten, 1-2-5 steps; see log-scale.ts);
// a point scale places listed values evenly.

export type ScaleDef =
  | {
      type: 'linear';
      domain: [number, number];
      /** Widen the domain to round tick values. */
      nice?: boolean;
      /** Include zero in the domain. */
      zero?: boolean;
      /** Pixels kept free at both ends. */
      padding?: number;
    }
  | { type: 'log'; domain: [number, number]; padding?: number }
  | { type: 'point'; domain: string[]; padding?: number };

export interface Scale {
  readonly type: ScaleDef['type'];
  /** The pixel of a value (numbers for linear and log scales, the listed text for a point scale). */
  at(value: number | string): number;
  /** The values that get a tick, and their labels. */
  ticks: { value: number | string; label: string }[];
}

/** A round step for about `count` ticks over [start, stop]: 1, 2 or 5 times a power of ten. */
export function tickStep(start: number, stop: number, count: number): number {
  const raw = Math.abs(stop - start) / Math.max(1, count);
  let step = 10 ** Math.floor(Math.log10(raw));
  const error = raw / step;
  if (error >= Math.sqrt(50)) step *= 10;
  else if (error >= Math.sqrt(10)) step *= 5;
  else if (error >= Math.sqrt(2)) step *= 2;
  return step;
}

/** Multiples of `step` within [start, stop], computed from integers so 0.1 * 3 prints as 0.3 (and no -0). */
export function stepTicks(start: number, stop: number, step: number): number[] {
  const ticks: number[] = [];
  if (step >= 1) {
    for (let k = Math.ceil(start / step); k * step <= stop; k++) ticks.push(k * step + 0);
  } else {
    const inverse = Math.round(1 / step);
    for (let k = Math.ceil(start * inverse); k / inverse <= stop; k++) ticks.push(k / inverse + 0);
  }
  return ticks;
}

/** Decimals a label needs for ticks `step` apart. */
const decimalsFor = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/** A linear tick label: fixed decimals for the step, thousands grouped ("1,000", "0.25"). */
export function linearLabel(value: number, step: number): string {
  const fixed = value.toFixed(decimalsFor(step));
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (fraction === undefined ? grouped : `${grouped}.${fraction}`).replace(/^-(0(\.0+)?)$/, '$1');
}

/**
 * A log-axis label: plain decimals from 0.001 to 9999 ("0.02", "500"), a power of ten beyond
 * ("1e-5", "1e7") rather than "0.00001" or "10,000,000".
 */
export function logLabel(value: number): string {
  if (value >= 1e4 || value < 1e-3) return value.toExponential(0).replace('+', '');
  return String(Number(value.toPrecision(6)));
}

export interface ScaleOptions {
  /** Ticks to draw instead of the scale's own choice (numbers). */
  ticks?: number[];
  /** About how many ticks to aim for. */
  tickCount?: number;
  /** No ticks between whole numbers (epochs). */
  integer?: boolean;
  format?: (value: number) => string;
}

/** The scale of `def` over a range of `length` pixels; `flip` for a vertical axis (value up). */
export function makeScale(def: ScaleDef, length: number, flip: boolean, options: ScaleOptions = {}): Scale {
  const padding = def.padding ?? 0;
  const place = (unit: number) => (flip ? length - padding - unit * (length - 2 * padding) : padding + unit * (length - 2 * padding));
  const count = options.tickCount ?? Math.max(2, Math.ceil(length / 40));
  if (def.type === 'point') {
    const n = def.domain.length;
    const index = new Map(def.domain.map((value, i) => [value, i]));
    const at = (value: number | string) => place(n <= 1 ? 0.5 : (index.get(String(value)) ?? 0) / (n - 1));
    return { type: 'point', at, ticks: def.domain.map((value) => ({ value, label: value })) };
  }
  if (def.type === 'log') {
    const [low, high] = def.domain[0] === def.domain[1] ? [def.domain[0] / 2, def.domain[0] * 2] : def.domain;
    const [a, b] = [Math.log10(low), Math.log10(high)];
    const at = (value: number | string) => place((Math.log10(Number(value)) - a) / (b - a));
    let values = options.ticks;
    if (!values) {
      const step = tickStep(low, high, Math.min(count, 5));
      values = stepTicks(low, high, step).filter((value) => value > 0);
    }
    const format = options.format ?? logLabel;
    return { type: 'log', at, ticks: values.map((value) => ({ value, label: format(value) })) };
  }
  let [low, high] = def.domain;
  if (def.zero) {
    low = Math.min(0, low);
    high = Math.max(0, high);
  }
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) / 10;
    [low, high] = [low - pad, high + pad];
  }
  let step = tickStep(low, high, count);
  if (options.integer && step < 1) step = 1;
  if (def.nice !== false) {
    low = Math.floor(low / step) * step;
    high = Math.ceil(high / step) * step;
  }
  const at = (value: number | string) => place((Number(value) - low) / (high - low));
  const values = options.ticks ?? stepTicks(low, high, step);
  const format = options.format ?? ((value: number) => linearLabel(value, step));
  return { type: 'linear', at, ticks: values.map((value) => ({ value, label: format(value) })) };
}
