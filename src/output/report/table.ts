// The summary table: summary.csv as written, one row per run, status as a coloured badge and
// long numbers shortened (the exact value stays in the cell's tooltip).
import { escapeHtml } from './html.js';
import { formatNumber, parseNumber } from './numbers.js';
import type { ResultFolder } from './result-folder.js';
import { statusClass } from './theme.js';

/** Columns whose numbers are shortened for reading; swept values are shown exactly as written. */
const MEASURE_COLUMNS = new Set(['final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'final_sharpness', 'max_sharpness']);
const NUMERIC_COLUMNS = new Set(['run', 'epochs', ...MEASURE_COLUMNS]);

/** Index of the row with the lowest final cost among runs that neither diverged nor failed. */
function bestRow(folder: ResultFolder): number {
  let best = -1;
  let bestCost = Infinity;
  folder.runs.forEach((run, i) => {
    if (run.status === 'diverged' || run.status === 'failed') return;
    if (run.finalCost !== null && Number.isFinite(run.finalCost) && run.finalCost < bestCost) {
      best = i;
      bestCost = run.finalCost;
    }
  });
  return best;
}

function cellHtml(column: string, text: string, sweepKey: boolean): string {
  if (column === 'status') return `<td><span class="status ${statusClass(text)}">${escapeHtml(text)}</span></td>`;
  const number = parseNumber(text);
  const numeric = number !== null && (NUMERIC_COLUMNS.has(column) || sweepKey || !Number.isNaN(Number(text)));
  if (!numeric) return `<td>${escapeHtml(text)}</td>`;
  if (MEASURE_COLUMNS.has(column) && formatNumber(number) !== text) {
    return `<td class="num" title="${escapeHtml(text)}">${escapeHtml(formatNumber(number))}</td>`;
  }
  return `<td class="num">${escapeHtml(text)}</td>`;
}

export function summaryTableHtml(folder: ResultFolder): string {
  const { header, rows } = folder.summary;
  const sweepKeys = new Set(folder.sweepKeys);
  const best = bestRow(folder);
  const head = header
    .map((column) => `<th scope="col"${NUMERIC_COLUMNS.has(column) || sweepKeys.has(column) ? ' class="num"' : ''}>${escapeHtml(column)}</th>`)
    .join('');
  const body = rows
    .map((row, i) => {
      const cells = header.map((column, c) => cellHtml(column, row[c] ?? '', sweepKeys.has(column))).join('');
      return `<tr${i === best ? ' class="best" title="lowest final cost"' : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="summary">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}
