// How a run is named on the charts: by its swept values, e.g. "learning_rate = 0.5" or
// "learning_rate = 0.5, seed = 2". Keys are shortened to their last part when that stays unique,
// long numbers to four significant digits (the table keeps them exact).
import type { SweepValue } from '../../experiment/types.js';
import { formatNumber } from './numbers.js';

/** Display names for the sweep keys: the last dotted part if no two keys share it, else the key as written. */
export function shortKeyNames(keys: string[]): string[] {
  const lastParts = keys.map((key) => key.split('.').pop() || key);
  const counts = new Map<string, number>();
  for (const part of lastParts) counts.set(part, (counts.get(part) ?? 0) + 1);
  return keys.map((key, i) => (counts.get(lastParts[i]) === 1 ? lastParts[i] : key));
}

/** A swept value as the CSV files write it (JavaScript's own number-to-string). */
export function formatSweepValue(value: SweepValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  return String(value);
}

/** Longer numbers than this (logspace values like 0.0031622776601683794) are shortened in labels. */
const LONG_NUMBER = 8;

/** A swept value for a chart label: as written, or to 4 significant digits when that is long. */
export function labelValue(value: SweepValue): string {
  const text = formatSweepValue(value);
  return typeof value === 'number' && text.length > LONG_NUMBER ? formatNumber(value) : text;
}

export function paramsLabel(params: [string, SweepValue][], shortNames: string[]): string {
  return params.map(([, value], i) => `${shortNames[i]} = ${labelValue(value)}`).join(', ');
}

/**
 * One label per run, unique (chart colours are keyed by label): the swept values, or "run k" for
 * a single unswept run; a repeated combination (a value listed twice) gets its run number prefixed.
 */
export function runLabels(runs: { run: number; params: [string, SweepValue][] }[], keys: string[]): string[] {
  const shortNames = shortKeyNames(keys);
  const labels = runs.map(({ run, params }) => (params.length > 0 ? paramsLabel(params, shortNames) : `run ${run}`));
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return labels.map((label, i) => (counts.get(label) === 1 ? label : `run ${runs[i].run}: ${label}`));
}
