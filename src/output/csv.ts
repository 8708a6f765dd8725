// summary.csv and curves.csv. Numbers are written with JavaScript's own shortest round-trip form
// (String(n)); nothing time- or machine-dependent goes in, so equal runs give equal bytes.
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../experiment/types.js';
import { AtomicTextStream, writeFileAtomic } from '../files/atomic.js';
import type { TrainSettings } from '../nn/index.js';
import { rateVaries, resolveSchedule } from '../nn/schedules.js';
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

/** The optional columns of curves.csv. */
export interface CurveColumns {
  testCost: boolean;
  learningRate: boolean;
}

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

/**
 * The curve rows of one run, as CSV text without a header. The learning_rate cells hold the rate
 * of each recorded epoch, or the run's constant rate when it has no schedule or warmup.
 */
export function curveRowsCsv(
  index: number,
  params: [string, SweepValue][],
  curve: RunRecord['curve'],
  columns: CurveColumns,
  baseLearningRate?: number,
): string {
  const values = params.map(([, value]) => value);
  const { epoch, cost, testCost, learningRate } = curve;
  const rows: Cell[][] = new Array(epoch.length);
  for (let k = 0; k < epoch.length; k++) {
    const row: Cell[] = [index, ...values, epoch[k], cost[k]];
    if (columns.testCost) row.push(testCost ? testCost[k] : null);
    if (columns.learningRate) row.push(learningRate ? learningRate[k] : baseLearningRate);
    rows[k] = row;
  }
  return toCsv(rows);
}

/** curves.csv gets a test_cost column when any run holds out a test split. */
export function hasTestSplit(experiments: { dataset: { test_fraction?: number } }[]): boolean {
  return experiments.some((experiment) => (experiment.dataset.test_fraction ?? 0) > 0);
}

/** curves.csv gets a learning_rate column when any run has a schedule or warmup. */
export function hasVaryingRate(experiments: { train: Pick<TrainSettings, 'schedule' | 'warmup_epochs'> }[]): boolean {
  return experiments.some(({ train }) => {
    try {
      return rateVaries(resolveSchedule(train.schedule), train.warmup_epochs ?? 0);
    } catch {
      return false; // an invalid schedule fails its run; it records no rates
    }
  });
}

/** Each run's train.learning_rate by run index: the learning_rate cells of runs at a constant rate. */
export function baseLearningRates(runs: { index: number; experiment: { train: { learning_rate: number } } }[]): Map<number, number> {
  return new Map(runs.map((run) => [run.index, run.experiment.train.learning_rate]));
}

export function curveColumns(experiments: { dataset: { test_fraction?: number }; train: Pick<TrainSettings, 'schedule' | 'warmup_epochs'> }[]): CurveColumns {
  return { testCost: hasTestSplit(experiments), learningRate: hasVaryingRate(experiments) };
}

export function curvesHeaderCsv(sweepKeys: string[], columns: CurveColumns): string {
  return toCsv([
    ['run', ...sweepKeys, 'epoch', 'cost', ...(columns.testCost ? ['test_cost'] : []), ...(columns.learningRate ? ['learning_rate'] : [])],
  ]);
}

/** Streams curves.csv run by run; the file appears only when the sweep commits it. */
export class CurvesCsvWriter {
  private readonly out: AtomicTextStream;

  /** `baseLearningRates`: each run's train.learning_rate by run index (see curveRowsCsv). */
  constructor(
    path: string,
    private readonly sweepKeys: string[],
    private readonly columns: CurveColumns,
    private readonly baseLearningRates: ReadonlyMap<number, number> = new Map(),
  ) {
    this.out = new AtomicTextStream(path);
  }

  async start(): Promise<void> {
    await this.out.write(curvesHeaderCsv(this.sweepKeys, this.columns));
  }

  async append(run: FinishedRun, curve: RunRecord['curve']): Promise<void> {
    await this.out.write(curveRowsCsv(run.index, run.params, curve, this.columns, this.baseLearningRates.get(run.index)));
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}
