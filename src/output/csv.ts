// summary.csv and curves.csv. Numbers are written with JavaScript's own shortest round-trip form
// (String(n)); nothing time- or machine-dependent goes in, so equal runs give equal bytes.
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../experiment/types.js';
import { AtomicTextStream, writeFileAtomic } from '../files/atomic.js';
import type { TrackSettings } from '../nn/spec.js';
import type { FinishedRun, RunCurve } from '../run/index.js';

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

/** The curve rows of one run, as CSV text without a header. */
export function curveRowsCsv(index: number, params: [string, SweepValue][], curve: RunCurve, columns: CsvColumns): string {
  const values = params.map(([, value]) => value);
  const { epoch, cost, testCost, sharpness } = curve;
  const rows: Cell[][] = new Array(epoch.length);
  for (let k = 0; k < epoch.length; k++) {
    const row: Cell[] = [index, ...values, epoch[k], cost[k]];
    if (columns.testCost) row.push(testCost ? testCost[k] : null);
    if (columns.sharpness) row.push(sharpness ? sharpness[k] : null);
    rows[k] = row;
  }
  return toCsv(rows);
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

  async append(run: FinishedRun, curve: RunCurve): Promise<void> {
    await this.out.write(curveRowsCsv(run.index, run.params, curve, this.columns));
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}
