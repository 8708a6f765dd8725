// stability.csv: the result of a stability-limit search, one row per grid point in grid order —
// its sweep values, the searched key, the bracket (stable_max, unstable_min), how many probes it
// took, how the search ended, and a note where the numbers alone do not say enough.
import { writeFileAtomic } from '../files/atomic.js';
import type { StabilityRow } from '../search/index.js';
import { toCsv, type Cell } from './csv.js';

export const STABILITY_FILE = 'stability.csv';
export const STABILITY_COLUMNS = ['key', 'stable_max', 'unstable_min', 'probes', 'outcome', 'note'] as const;

export function stabilityCsv(sweepKeys: string[], rows: StabilityRow[]): string {
  const header: Cell[] = [...sweepKeys, ...STABILITY_COLUMNS];
  const body = rows.map((row): Cell[] => [
    ...row.params.map(([, value]) => value),
    row.key,
    row.stableMax,
    row.unstableMin,
    row.probes,
    row.outcome,
    row.note,
  ]);
  return toCsv([header, ...body]);
}

export async function writeStabilityCsv(path: string, sweepKeys: string[], rows: StabilityRow[]): Promise<void> {
  await writeFileAtomic(path, stabilityCsv(sweepKeys, rows));
}
