// One colour and marker shape per run status, shared by the charts and the page.
export interface StatusStyle {
  color: string;
  /** Marker shape in the charts (see svg/symbols.ts). */
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
