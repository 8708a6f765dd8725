// The table of stability limits printed at the end of a stability-limit search: one line per grid
// point with the largest stable value found and the smallest value beyond the limit.
import type { StabilityRow } from '../search/index.js';

const MAX_ROWS = 40;

const formatValue = (value: number | null) => (value === null ? '' : Number(value.toPrecision(6)).toString());

const OUTCOME_WORDS: Record<StabilityRow['outcome'], string> = {
  bracketed: 'found',
  low_beyond_limit: 'below low',
  high_stable: 'above high',
  failed: 'failed',
  interrupted: 'interrupted',
};

export function formatStabilityTable(sweepKeys: string[], key: string, rows: StabilityRow[]): string {
  const header = [...sweepKeys, 'stable max', 'unstable min', 'probes', 'limit'];
  const shown = rows.length > MAX_ROWS ? rows.slice(0, MAX_ROWS) : rows;
  const body = shown.map((row) => [
    ...row.params.map(([, value]) => String(value)),
    formatValue(row.stableMax),
    formatValue(row.unstableMin),
    String(row.probes),
    OUTCOME_WORDS[row.outcome],
  ]);
  const table = [header, ...body];
  const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const lines = table.map((cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  if (rows.length > shown.length) lines.push(`... ${rows.length - shown.length} more grid points in stability.csv`);
  const notes = rows.filter((row) => row.note !== '').slice(0, MAX_ROWS);
  const noteLines = notes.map((row) => `  ${row.params.length ? `${row.params.map(([k, v]) => `${k}=${v}`).join(' ')}: ` : ''}${row.note}`);
  return [`Stability limit of ${key} (the largest stable value lies between stable max and unstable min):`, ...lines, ...noteLines].join('\n');
}
