// The compact table printed at the end of a sweep: swept values, status, final cost, accuracy.
import type { FinishedRun } from '../run/index.js';

const MAX_ROWS = 40;

const formatCost = (value: number | string | null) =>
  typeof value === 'number' && Number.isFinite(value) ? value.toPrecision(4) : String(value ?? '');
const formatPercent = (value: number | null) => (value === null ? '' : `${Number(value.toFixed(1))}%`);

export function formatRunTable(sweepKeys: string[], rows: FinishedRun[]): string {
  const header = ['run', ...sweepKeys, 'status', 'epochs', 'final cost', 'train acc', 'test acc'];
  const shown = rows.length > MAX_ROWS ? rows.slice(0, MAX_ROWS) : rows;
  const hasTest = rows.some((row) => row.facts.testAccuracy !== null);
  const body = shown.map(({ index, params, facts: record }) => [
    String(index),
    ...params.map(([, value]) => String(value)),
    record.status,
    String(record.epochs),
    formatCost(record.finalCost),
    formatPercent(record.trainAccuracy),
    formatPercent(record.testAccuracy),
  ]);
  const table = [header, ...body].map((cells) => (hasTest ? cells : cells.slice(0, -1)));
  const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
  const lines = table.map((cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  if (rows.length > shown.length) lines.push(`... ${rows.length - shown.length} more runs in summary.csv`);
  return lines.join('\n');
}
