// The end-of-sweep message about failed runs: the first failure's own message, so the cause is on
// the screen, and how many other runs failed the same way (same message up to the numbers in it).
import type { FinishedRun } from '../run/index.js';
import { plural } from '../text/plural.js';

/** Messages that differ only in their numbers (a run index, a size) count as the same failure. */
const shapeOf = (message: string) => message.replace(/\d+(\.\d+)?(e[+-]?\d+)?/gi, '#');

const runs = (n: number) => plural(n, 'run');

/** Lines for stderr, or null when no run failed. */
export function formatFailures(rows: FinishedRun[]): string | null {
  const failed = rows.filter((row) => row.facts.status === 'failed');
  if (failed.length === 0) return null;
  const [first, ...others] = failed;
  const message = first.facts.error ?? 'no message';
  const same = others.filter((row) => shapeOf(row.facts.error ?? 'no message') === shapeOf(message)).length;
  const different = others.length - same;
  const values = first.params.map(([key, value]) => `${key}=${value}`).join(' ');
  const lines = [
    `${failed.length} of ${runs(rows.length)} failed. Run ${first.index}${values ? ` (${values})` : ''} failed: ${message}`,
  ];
  const rest: string[] = [];
  if (same > 0) rest.push(`${same} other ${same === 1 ? 'run' : 'runs'} failed the same way`);
  if (different > 0) rest.push(`${different} ${same > 0 ? '' : 'other '}${different === 1 ? 'run' : 'runs'} failed differently`);
  lines.push(`${rest.length ? `${rest.join(', ')}; see` : 'See'} the error column of summary.csv.`);
  return lines.join('\n');
}
