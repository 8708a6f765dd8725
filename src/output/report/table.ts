// The summary table: summary.csv as written, one row per run, status as a coloured badge and
// long numbers shortened (the exact value stays in the cell's tooltip).
import { bestRun } from './best-run.js';
import { escapeHtml } from './html.js';
import { formatNumber, parseNumber } from './numbers.js';
import type { ResultFolder } from './result-folder.js';
import { statusClass } from './theme.js';

/** Columns whose numbers are shortened for reading; swept values are shown exactly as written. */
const MEASURE_COLUMNS = new Set(['final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'final_sharpness', 'max_sharpness']);
const NUMERIC_COLUMNS = new Set(['run', 'epochs', ...MEASURE_COLUMNS]);

/** Index of the row the headline names (best-run.ts), or -1. */
function bestRow(folder: ResultFolder): { index: number; title: string } {
  const best = bestRun(folder.runs);
  if (!best) return { index: -1, title: '' };
  return { index: folder.runs.indexOf(best.run), title: best.kind === 'converged' ? 'best converged run' : 'lowest final cost' };
}

function cellHtml(column: string, text: string, sweepKey: boolean): string {
  if (column === 'status') return `<td><span class="status ${statusClass(text)}">${escapeHtml(text)}</span></td>`;
  const number = parseNumber(text);
  const numeric = number !== null && (NUMERIC_COLUMNS.has(column) || sweepKey || !Number.isNaN(Number(text)));
  // Words wrap (an error message can be long); numbers and the status never do.
  if (!numeric) return `<td class="text${column === 'error' ? ' error' : ''}">${escapeHtml(text)}</td>`;
  if (MEASURE_COLUMNS.has(column) && formatNumber(number) !== text) {
    return `<td class="num" title="${escapeHtml(text)}">${escapeHtml(formatNumber(number))}</td>`;
  }
  return `<td class="num">${escapeHtml(text)}</td>`;
}

/** A column name that may break after its dots and underscores when the table is short of room. */
const headerHtml = (column: string) => escapeHtml(column).replace(/([._])/g, '$1<wbr>');

/** summary.csv's columns that the page leaves out: the hash is a key for tools, and too wide to read. */
const HIDDEN_COLUMNS = new Set(['hash']);

export function summaryTableHtml(folder: ResultFolder): string {
  const sweepKeys = new Set(folder.sweepKeys);
  const shown = folder.summary.header.map((column, c) => [column, c] as const).filter(([column]) => sweepKeys.has(column) || !HIDDEN_COLUMNS.has(column));
  const header = shown.map(([column]) => column);
  const rows = folder.summary.rows.map((row) => shown.map(([, c]) => row[c]));
  const best = bestRow(folder);
  const head = header
    .map((column) => `<th scope="col"${NUMERIC_COLUMNS.has(column) || sweepKeys.has(column) ? ' class="num"' : ''}>${headerHtml(column)}</th>`)
    .join('');
  const body = rows
    .map((row, i) => {
      const cells = header.map((column, c) => cellHtml(column, row[c] ?? '', sweepKeys.has(column))).join('');
      return `<tr${i === best.index ? ` class="best" title="${best.title}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="summary">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}
