// summary.csv and curves.csv. Numbers are written with JavaScript's own shortest round-trip form
// (String(n)); nothing time- or machine-dependent goes in, so equal runs give equal bytes.
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../experiment/types.js';
import { AtomicTextStream, writeFileAtomic } from '../files/atomic.js';
import type { FinishedRun, RunRecord } from '../run/index.js';

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

export function summaryCsv(sweepKeys: string[], rows: FinishedRun[]): string {
  const header: Cell[] = ['run', ...sweepKeys, ...SUMMARY_TAIL_COLUMNS];
  const body = rows.map(({ index, params, facts: record }): Cell[] => [
    index,
    ...params.map(([, value]) => value),
    record.status,
    record.epochs,
    record.finalCost,
    record.minCost,
    record.trainAccuracy,
    record.testAccuracy,
    record.error,
  ]);
  return toCsv([header, ...body]);
}

export async function writeSummaryCsv(path: string, sweepKeys: string[], rows: FinishedRun[]): Promise<void> {
  await writeFileAtomic(path, summaryCsv(sweepKeys, rows));
}

/** The curve rows of one run, as CSV text without a header. */
export function curveRowsCsv(index: number, params: [string, SweepValue][], curve: RunRecord['curve'], withTestCost: boolean): string {
  const values = params.map(([, value]) => value);
  const { epoch, cost, testCost } = curve;
  const rows: Cell[][] = new Array(epoch.length);
  for (let k = 0; k < epoch.length; k++) {
    const row: Cell[] = [index, ...values, epoch[k], cost[k]];
    if (withTestCost) row.push(testCost ? testCost[k] : null);
    rows[k] = row;
  }
  return toCsv(rows);
}

/** curves.csv gets a test_cost column when any run holds out a test split. */
export function hasTestSplit(experiments: { dataset: { test_fraction?: number } }[]): boolean {
  return experiments.some((experiment) => (experiment.dataset.test_fraction ?? 0) > 0);
}

export function curvesHeaderCsv(sweepKeys: string[], withTestCost: boolean): string {
  return toCsv([['run', ...sweepKeys, 'epoch', 'cost', ...(withTestCost ? ['test_cost'] : [])]]);
}

/** Streams curves.csv run by run; the file appears only when the sweep commits it. */
export class CurvesCsvWriter {
  private readonly out: AtomicTextStream;

  constructor(path: string, private readonly sweepKeys: string[], private readonly withTestCost: boolean) {
    this.out = new AtomicTextStream(path);
  }

  async start(): Promise<void> {
    await this.out.write(curvesHeaderCsv(this.sweepKeys, this.withTestCost));
  }

  async append(run: FinishedRun, curve: RunRecord['curve']): Promise<void> {
    await this.out.write(curveRowsCsv(run.index, run.params, curve, this.withTestCost));
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}
