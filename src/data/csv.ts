// CSV datasets: a header row naming the columns, one example per row, numeric feature cells.
// The target is the column named by `target`, by default the last column. With `positive` the
// target holds class labels and becomes 1 where it equals `positive`, 0 elsewhere; with `classes`
// (one output per class) every label is a class, in the order of classes.ts (Y holds the class
// index, `classNames` the labels); otherwise the target must be numeric and is used as it is
// (0/1 labels, class indices or a regression).
// Every problem is a DatasetError naming the file, the 1-based line (header = row 1) and the column.

import { parse } from 'csv-parse/sync';
import { classesOfLabels } from './classes.js';
import { readDataFile } from './data-files.js';
import { DatasetError, throwProblems, type DatasetProblem } from './errors.js';
import { readNumber } from './numbers.js';
import { didYouMean, quoteList } from './suggest.js';
import type { LabelledData } from './types.js';

export interface CsvSelection {
  features?: readonly string[];
  target?: string;
  positive?: string;
  /** Read the target as class labels (see classes.ts). */
  classes?: boolean;
}

interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * `file` names the data in messages; the bytes are read from it unless given (a sweep reads each
 * file once and hands the same bytes to every run).
 */
export function loadCsvDataset(file: string, selection: CsvSelection = {}, bytes?: Uint8Array): LabelledData {
  const rows = readRows(file, bytes ?? readDataFile(file).bytes);
  if (rows.length === 0) throw new DatasetError('the CSV file is empty; expected a header row naming the columns', { file, setting: ['csv'] });
  const [headerRow, ...dataRows] = rows;
  const header = checkHeader(file, headerRow);
  if (dataRows.length === 0) {
    throw new DatasetError(`the CSV file has a header (${quoteList(header)}) but no data rows`, { file, setting: ['csv'] });
  }

  const { target, targetIndex, features, featureIndices } = selectColumns(file, header, selection);
  if (selection.target === undefined) refuseLabelColumns(file, header, dataRows, featureIndices, target);
  const m = dataRows.length;
  const x = new Float64Array(features.length * m);
  const y = new Float64Array(m);
  let positiveSeen = false;
  // The labels that map to 0: with exactly one, class 0 has a name of its own.
  const otherLabels = new Set<string>();
  const labels: string[] = [];
  dataRows.forEach(({ line, cells }, i) => {
    checkWidth(file, header, line, cells);
    featureIndices.forEach((column, f) => {
      x[f * m + i] = numericCell(file, line, header[column], cells[column]);
    });
    const label = cells[targetIndex];
    if (selection.classes === true) {
      if (label.trim() === '') throw new DatasetError('the target cell is empty', { file, row: line, column: target });
      labels.push(label.trim());
    } else if (selection.positive === undefined) {
      y[i] = numericTarget(file, line, target, label);
    } else {
      if (label.trim() === '') throw new DatasetError('the target cell is empty', { file, row: line, column: target, setting: ['csv'] });
      const isPositive = sameLabel(label, selection.positive);
      positiveSeen ||= isPositive;
      if (!isPositive && otherLabels.size < 2) otherLabels.add(label.trim());
      y[i] = isPositive ? 1 : 0;
    }
  });

  if (selection.positive !== undefined && !positiveSeen) {
    const labels = [...new Set(dataRows.map((r) => r.cells[targetIndex].trim()))];
    const shown = labels.length > 20 ? [...labels.slice(0, 20), '...'] : labels;
    throw new DatasetError(
      `\`positive\` "${selection.positive}" never occurs in the target column${didYouMean(selection.positive, labels)}; ` +
        `its values are ${quoteList(shown)}`,
      { file, column: target, setting: ['positive'] },
    );
  }

  const data: LabelledData = {
    x: { rows: features.length, cols: m, data: x },
    y: { rows: 1, cols: m, data: y },
    featureNames: [...features],
    targetName: target,
    ...(selection.positive === undefined ? {} : { classNames: classNamesOf(selection.positive, otherLabels) }),
  };
  if (selection.classes === true) {
    const { names, index } = classesOfLabels(labels);
    data.y.data.set(index);
    data.classNames = names;
  }
  return data;
}

/** Names for targets 0 and 1: the other label when there is only one, else "not <positive>". */
export function classNamesOf(positive: string, otherLabels: ReadonlySet<string>): [string, string] {
  const name = positive.trim();
  return [otherLabels.size === 1 ? [...otherLabels][0] : `not ${name}`, name];
}

/** The target and feature columns; every problem with the names given is reported at once. */
function selectColumns(file: string, header: string[], selection: CsvSelection) {
  const problems: DatasetProblem[] = [];
  const target = selection.target ?? header[header.length - 1];
  const targetIndex = header.indexOf(target);
  if (targetIndex < 0) problems.push(missingColumn(file, header, target, 'target', ['target']));
  const features = selection.features ?? header.filter((_, i) => i !== targetIndex);
  if (features.length === 0) {
    problems.push({ problem: `no feature columns: the file has only the target column "${target}"`, file, setting: ['csv'] });
  }
  const featureIndices = features.map((name, i) => {
    const index = header.indexOf(name);
    if (index < 0) problems.push(missingColumn(file, header, name, 'feature', ['features', i]));
    else if (index === targetIndex) {
      problems.push({ problem: `"${name}" is the target column and cannot also be a feature`, file, column: name, setting: ['features', i] });
    } else if (features.indexOf(name) !== i) {
      problems.push({ problem: `feature "${name}" is listed twice in \`features\``, file, column: name, setting: ['features', i] });
    }
    return index;
  });
  throwProblems(problems);
  return { target, targetIndex, features, featureIndices };
}

function readRows(file: string, bytes: Uint8Array): CsvRow[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    const { lines, message } = error as { lines?: number; message: string };
    throw new DatasetError(`the file is not valid CSV: ${message}`, { file, setting: ['csv'], ...(lines ? { row: lines } : {}) });
  }
  return records.map(({ record, info }) => ({
    // info.lines is where the record ends; a quoted cell may span lines, so count back.
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    cells: record,
  }));
}

function checkHeader(file: string, { line, cells }: CsvRow): string[] {
  cells.forEach((name, i) => {
    if (name === '') throw new DatasetError(`header column ${i + 1} has no name`, { file, row: line, setting: ['csv'] });
    if (cells.indexOf(name) !== i) {
      throw new DatasetError(`the header names column "${name}" twice`, { file, row: line, column: name, setting: ['csv'] });
    }
  });
  return cells;
}

function missingColumn(file: string, header: string[], name: string, role: 'target' | 'feature', setting: (string | number)[]): DatasetProblem {
  return {
    problem: `${role} column "${name}" is not in the header${didYouMean(name, header)}; the columns are ${quoteList(header)}`,
    file,
    row: 1,
    column: name,
    setting,
  };
}

function checkWidth(file: string, header: string[], line: number, cells: string[]): void {
  if (cells.length === header.length) return;
  const missing = cells.length < header.length;
  throw new DatasetError(
    `the row has ${cells.length} cells but the header has ${header.length} columns` +
      (missing ? ` (no value for "${header[cells.length]}")` : ''),
    { file, row: line, setting: ['csv'], ...(missing ? { column: header[cells.length] } : {}) },
  );
}

function numericCell(file: string, line: number, column: string, text: string): number {
  const reading = readNumber(text);
  if (!reading.ok) throw new DatasetError(`${reading.problem}; feature cells must be numbers`, { file, row: line, column, setting: ['csv'] });
  return reading.value;
}

/**
 * A feature column of words only is most likely the labels, in a file whose target column is not
 * the last one: say which column was taken as the target, and how to choose another.
 */
function refuseLabelColumns(file: string, header: string[], rows: CsvRow[], featureIndices: number[], target: string): void {
  for (const column of featureIndices) {
    const filled = rows.filter((row) => row.cells[column] !== undefined && row.cells[column].trim() !== '');
    if (filled.length === 0 || !filled.every((row) => isWord(row.cells[column]))) continue;
    const name = header[column];
    throw new DatasetError(
      `"${filled[0].cells[column].trim()}" is not a number; feature cells must be numbers, and column "${name}" holds only words. ` +
        `The target was taken from the last column, "${target}" (the default): if "${name}" holds the labels, ` +
        `set \`target: ${name}\` (and \`positive\` to the label that maps to 1)`,
      { file, row: filled[0].line, column: name, setting: ['target'] },
    );
  }
}

function numericTarget(file: string, line: number, column: string, text: string): number {
  const reading = readNumber(text);
  if (reading.ok) return reading.value;
  const hint = reading.kind === 'not-a-number' ? '; for class labels set `positive` to the class that maps to 1' : '';
  throw new DatasetError(`${reading.problem}; the target must be numeric${hint}`, {
    file,
    row: line,
    column,
    setting: reading.kind === 'not-a-number' ? ['positive'] : ['csv'],
  });
}

/** Labels match as text, or as numbers when both are numeric ("1" and "1.0"). */
function sameLabel(label: string, positive: string): boolean {
  const a = label.trim();
  const b = positive.trim();
  if (a === b) return true;
  const na = readNumber(a);
  const nb = readNumber(b);
  return na.ok && nb.ok && na.value === nb.value;
}

function isWord(text: string): boolean {
  const reading = readNumber(text);
  return !reading.ok && reading.kind === 'not-a-number';
}
