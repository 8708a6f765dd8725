// What the charts need to know about each swept key: how its values were given (a list, a
// spacing helper, a distribution of a random search), whether they are numbers, how many
// distinct values the runs have, and so which scale shows them best and whether the key can
// split a chart into a few panels.
import { asRecord, at, type Json } from './json.js';
import { spansDecades } from './log-scale.js';
import type { ReportRun } from './result-folder.js';

export type AxisKind = 'list' | 'named' | 'logspace' | 'linspace' | 'loguniform' | 'uniform' | 'int_uniform';

const SAMPLED: ReadonlySet<AxisKind> = new Set(['loguniform', 'uniform', 'int_uniform']);
const LOG_KINDS: ReadonlySet<AxisKind> = new Set(['loguniform', 'logspace']);
const LINEAR_KINDS: ReadonlySet<AxisKind> = new Set(['uniform', 'int_uniform', 'linspace']);

export interface SweptAxis {
  key: string;
  /** Position in the sweep keys (and in every run's params). */
  index: number;
  kind: AxisKind;
  /** Every run's value is a finite number. */
  numeric: boolean;
  /** Distinct values among the runs. */
  distinct: number;
  /** How a chart axis or colour scale shows the values. */
  scale: 'log' | 'linear' | 'ordinal';
  /** Drawn from a distribution (random search): every run has its own value. */
  sampled: boolean;
}

/** Most panels a chart is split into; a key with more values never splits one. */
export const MAX_PANELS = 12;

/** How each sweep key was written in the experiment (manifest: experiment.parsed.sweep). */
export function axisKindsOf(manifest: Json): Record<string, AxisKind> {
  const sweep = asRecord(at(manifest, 'experiment', 'parsed', 'sweep')) ?? {};
  const kinds: Record<string, AxisKind> = {};
  for (const [key, written] of Object.entries(sweep)) {
    if (Array.isArray(written)) kinds[key] = 'list';
    else {
      const helper = Object.keys(asRecord(written) ?? {})[0];
      kinds[key] = (['named', 'logspace', 'linspace', 'loguniform', 'uniform', 'int_uniform'] as const).find((kind) => kind === helper) ?? 'list';
    }
  }
  return kinds;
}

export function describeAxes(runs: ReportRun[], sweepKeys: string[], kinds: Record<string, AxisKind> = {}): SweptAxis[] {
  return sweepKeys.map((key, index) => {
    const values = runs.map((run) => run.params[index]?.[1]);
    const numeric = values.length > 0 && values.every((value) => typeof value === 'number' && Number.isFinite(value));
    const kind = kinds[key] ?? 'list';
    const positive = numeric && values.every((value) => (value as number) > 0);
    let scale: SweptAxis['scale'] = 'ordinal';
    if (numeric) {
      if (LOG_KINDS.has(kind)) scale = positive ? 'log' : 'linear';
      else if (LINEAR_KINDS.has(kind)) scale = 'linear';
      else scale = spansDecades(values as number[]) ? 'log' : 'linear';
    }
    return { key, index, kind, numeric, distinct: new Set(values.map(String)).size, scale, sampled: SAMPLED.has(kind) };
  });
}

/**
 * The keys (other than `exclude`) that split a chart into panels, in the order written: listed
 * values only, as long as the panels stay at most MAX_PANELS. Other keys share a panel.
 */
export function facetAxes(axes: SweptAxis[], exclude: readonly string[]): SweptAxis[] {
  const chosen: SweptAxis[] = [];
  let panels = 1;
  for (const axis of axes) {
    if (exclude.includes(axis.key) || axis.sampled || axis.distinct < 2) continue;
    if (panels * axis.distinct > MAX_PANELS) continue;
    panels *= axis.distinct;
    chosen.push(axis);
  }
  return chosen;
}

/**
 * The key whose value colours the cost curves of a large sweep: a numeric key with at least two
 * values, the learning rate if it is one, else the one with the most distinct values.
 */
export function colourAxis(axes: SweptAxis[]): SweptAxis | null {
  const numeric = axes.filter((axis) => axis.numeric && axis.distinct >= 2);
  const learningRate = numeric.find((axis) => axis.key.split('.').pop() === 'learning_rate');
  if (learningRate) return learningRate;
  return numeric.reduce<SweptAxis | null>((best, axis) => (best === null || axis.distinct > best.distinct ? axis : best), null);
}
