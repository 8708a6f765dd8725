// The look shared by every chart and the page: one font stack with Arial metrics (see
// text-width.ts), quiet axes, and one colour and marker shape per run status.
import type { Config } from 'vega-lite';

export const CHART_FONT = 'Helvetica Neue, Helvetica, Arial, Liberation Sans, sans-serif';

export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#d0d0d0' },
  axis: {
    labelFontSize: 11,
    labelColor: '#333',
    titleFontSize: 12,
    titleFontWeight: 600,
    titleColor: '#222',
    gridColor: '#ececec',
    domainColor: '#999',
    tickColor: '#999',
    // Keep at least this many pixels between tick labels; Vega hides the ones that would crowd.
    labelSeparation: 6,
  },
  legend: {
    labelFontSize: 11,
    labelColor: '#222',
    titleFontSize: 12,
    titleFontWeight: 600,
    labelLimit: 0,
  },
  header: {
    labelFontSize: 11,
    labelColor: '#222',
    titleFontSize: 12,
    titleFontWeight: 600,
  },
};

/**
 * Labels of a log axis: plain decimals from 0.001 to 9999 ("0.02", "500"), powers of ten
 * beyond ("1e-5", "1e7") instead of "0.00001" or "10,000,000".
 */
export const LOG_AXIS_LABELS =
  "datum.value >= 1e4 || datum.value < 1e-3 ? replace(format(datum.value, '.0e'), '+', '') : format(datum.value, '~g')";

export interface StatusStyle {
  color: string;
  /** Vega symbol shape for charts. */
  shape: string;
}

// Ordered from good to bad; the chart legends follow this order.
export const STATUS_STYLES: Record<string, StatusStyle> = {
  converged: { color: '#2e7d32', shape: 'circle' },
  stalled: { color: '#8d6e63', shape: 'square' },
  slow: { color: '#c77c02', shape: 'diamond' },
  unstable: { color: '#7b3fa0', shape: 'triangle-up' },
  diverged: { color: '#c62828', shape: 'cross' },
  failed: { color: '#555555', shape: 'triangle-down' },
};
const OTHER_STATUS: StatusStyle = { color: '#888888', shape: 'circle' };

export function statusStyle(status: string): StatusStyle {
  return STATUS_STYLES[status] ?? OTHER_STATUS;
}

/** The statuses present, in the order of STATUS_STYLES, then any unknown words. */
export function orderedStatuses(present: Iterable<string>): string[] {
  const set = new Set(present);
  const known = Object.keys(STATUS_STYLES).filter((status) => set.has(status));
  const unknown = [...set].filter((status) => !(status in STATUS_STYLES)).sort();
  return [...known, ...unknown];
}

/** A CSS class name for a status word; unknown words share one class. */
export function statusClass(status: string): string {
  return status in STATUS_STYLES ? `status-${status}` : 'status-other';
}
