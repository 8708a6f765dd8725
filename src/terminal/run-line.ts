// The progress line of a finished run.
import type { RunOutcome } from '../sweep/launcher.js';

/** A progress line for a finished run: "run 3 train.learning_rate=0.5: converged (stored)". */
export function describeRun({ spec, record, reused }: RunOutcome, run: string, after = ''): string {
  const values = spec.params.map(([key, value]) => `${key}=${value}`).join(' ');
  return `${run}${values ? ` ${values}` : ''}: ${record.status}${after}${reused ? ' (stored)' : ''}`;
}
