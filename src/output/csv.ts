// summary.csv and curves.csv. Numbers are written with JavaScript's own shortest round-trip form
// (String(n)); nothing time- or machine-dependent goes in, so equal runs give equal bytes.
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../experiment/types.js';
import { AtomicTextStream, writeFileAtomic } from '../files/atomic.js';
import type { TrackSettings } from '../nn/spec.js';
import { curveRowBatches, type CurveColumns, type FinishedRun } from '../run/index.js';

export type Cell = number | string | boolean | null | undefined;

const toCsv = (rows: Cell[][]): string =>
  stringify(rows, {
    cast: {
      boolean: (value) => String(value),
      number: (value) => String(value),
    },
  });

export const SUMMARY_TAIL_COLUMNS = [
  'status', 'epochs', 'final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'error',
] as const;

/** Columns summary.csv gains after the others when the runs track their sharpness. */
export const SUMMARY_SHARPNESS_COLUMNS = ['final_sharpness', 'max_sharpness'] as const;

/**
 * The optional columns of the CSV files, decided once per sweep from its resolved runs: an
 * experiment that uses neither a test split nor tracking gets exactly the columns it always had.
 */
export interface CsvColumns {
  /** curves.csv: test_cost. */
  testCost: boolean;
  /** curves.csv: sharpness; summary.csv: final_sharpness, max_sharpness. */
  sharpness: boolean;
}

/** Which optional columns the runs of `experiments` need. */
export function csvColumns(experiments: { dataset: { test_fraction?: number }; track?: TrackSettings }[]): CsvColumns {
  return {
    testCost: experiments.some((experiment) => (experiment.dataset.test_fraction ?? 0) > 0),
    sharpness: experiments.some((experiment) => experiment.track?.sharpness !== undefined),
  };
}

export function summaryCsv(sweepKeys: string[], rows: FinishedRun[], columns: Pick<CsvColumns, 'sharpness'>): string {
  const header: Cell[] = ['run', ...sweepKeys, ...SUMMARY_TAIL_COLUMNS, ...(columns.sharpness ? SUMMARY_SHARPNESS_COLUMNS : [])];
  const body = rows.map(({ index, params, facts: record }): Cell[] => {
    const row: Cell[] = [
      index,
      ...params.map(([, value]) => value),
      record.status,
      record.epochs,
      record.finalCost,
      record.minCost,
      record.trainAccuracy,
      record.testAccuracy,
      record.error,
    ];
    if (columns.sharpness) row.push(record.finalSharpness ?? null, record.maxSharpness ?? null);
    return row;
  });
  return toCsv([header, ...body]);
}

export async function writeSummaryCsv(path: string, sweepKeys: string[], rows: FinishedRun[], columns: Pick<CsvColumns, 'sharpness'>): Promise<void> {
  await writeFileAtomic(path, summaryCsv(sweepKeys, rows, columns));
}

/**
 * What stands before each curve row of a run in curves.csv: its index and swept values, as CSV
 * cells, and the comma before the epoch. The rest of the row is the run's curve file row as it is.
 */
export function curveRowPrefix(index: number, params: [string, SweepValue][]): string {
  const cells = toCsv([[index, ...params.map(([, value]) => value)]]);
  return `${cells.slice(0, -1)},`;
}

/**
 * A curve file row in the sweep's columns: as it is when the run has every optional column the
 * sweep has, else with empty cells where it has none (a run without a test split in a sweep with one).
 */
export function curveRowIn(columns: CurveColumns, file: CurveColumns): (row: string) => string {
  if (file.testCost === columns.testCost && file.sharpness === columns.sharpness) return (row) => row;
  if (!file.sharpness && !columns.sharpness) return (row) => `${row},`;
  if (file.testCost === columns.testCost) return (row) => `${row},`;
  return (row) => {
    const cells = row.split(',');
    const out = [cells[0], cells[1]];
    let next = 2;
    if (columns.testCost) out.push(file.testCost ? cells[next++] : '');
    if (columns.sharpness) out.push(file.sharpness ? cells[next++] : '');
    return out.join(',');
  };
}

/**
 * The curves.csv rows of one run, a batch at a time, from its curve file: prefix + row (in the
 * sweep's columns). Checks the run's point count.
 */
export async function* curvesCsvRows(
  run: FinishedRun,
  curveFile: string,
  columns: CsvColumns,
): AsyncGenerator<{ text: string; rows: number }> {
  const prefix = curveRowPrefix(run.index, run.params);
  let points = 0;
  for await (const batch of curveRowBatches(curveFile)) {
    const inColumns = curveRowIn(columns, batch.columns);
    points += batch.rows.length;
    let text = '';
    for (const row of batch.rows) text += `${prefix}${inColumns(row)}\n`;
    yield { text, rows: batch.rows.length };
  }
  if (points !== run.facts.points) {
    throw new Error(`${curveFile} holds ${points} points, but the record of run ${run.index} says ${run.facts.points}`);
  }
}

export function curvesHeaderCsv(sweepKeys: string[], columns: CsvColumns): string {
  return toCsv([
    ['run', ...sweepKeys, 'epoch', 'cost', ...(columns.testCost ? ['test_cost'] : []), ...(columns.sharpness ? ['sharpness'] : [])],
  ]);
}

/** Streams curves.csv run by run; the file appears only when the sweep commits it. */
export class CurvesCsvWriter {
  private readonly out: AtomicTextStream;

  constructor(path: string, private readonly sweepKeys: string[], private readonly columns: CsvColumns) {
    this.out = new AtomicTextStream(path);
  }

  async start(): Promise<void> {
    await this.out.write(curvesHeaderCsv(this.sweepKeys, this.columns));
  }

  /** Copies a run's curve file (none for a failed run); `onRows` hears how many rows are written so far. */
  async append(run: FinishedRun, curveFile: string | null, onRows?: (rows: number) => void): Promise<void> {
    if (curveFile === null) return;
    let rows = 0;
    for await (const batch of curvesCsvRows(run, curveFile, this.columns)) {
      await this.out.write(batch.text);
      rows += batch.rows;
      onRows?.(rows);
    }
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}
