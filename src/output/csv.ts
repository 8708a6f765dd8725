// summary.csv and curves.csv. Numbers are written with JavaScript's own shortest round-trip form
// (String(n)); nothing time- or machine-dependent goes in, so equal runs give equal bytes.
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../experiment/types.js';
import { AtomicTextStream, writeFileAtomic } from '../files/atomic.js';
import { rateVaries, resolveSchedule } from '../nn/schedules.js';
import type { TrackSettings, TrainSettings } from '../nn/spec.js';
import type { FinishedRun, RunCurve } from '../run/index.js';

export type Cell = number | string | boolean | null | undefined;

export const toCsv = (rows: Cell[][]): string =>
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
  /** curves.csv: learning_rate, when a run has a schedule or warmup. */
  learningRate: boolean;
}

/** Which optional columns the runs of `experiments` need. */
export function csvColumns(
  experiments: { dataset: { test_fraction?: number }; track?: TrackSettings; train: Pick<TrainSettings, 'schedule' | 'warmup_epochs'> }[],
): CsvColumns {
  return {
    testCost: experiments.some((experiment) => (experiment.dataset.test_fraction ?? 0) > 0),
    sharpness: experiments.some((experiment) => experiment.track?.sharpness !== undefined),
    learningRate: experiments.some(({ train }) => varyingRate(train)),
  };
}

/** A schedule or warmup makes the rate vary (an invalid schedule fails its run; it records no rates). */
function varyingRate(train: Pick<TrainSettings, 'schedule' | 'warmup_epochs'>): boolean {
  try {
    return rateVaries(resolveSchedule(train.schedule), train.warmup_epochs ?? 0);
  } catch {
    return false;
  }
}

/** Each run's train.learning_rate by run index: the learning_rate cells of runs at a constant rate. */
export function baseLearningRates(runs: { index: number; experiment: { train: { learning_rate: number } } }[]): Map<number, number> {
  return new Map(runs.map((run) => [run.index, run.experiment.train.learning_rate]));
}

/** A column summary.csv gains after all others for one kind of sweep (a search's verdicts). */
export interface ExtraColumn {
  name: string;
  cell(run: FinishedRun): Cell;
}

export function summaryCsv(sweepKeys: string[], rows: FinishedRun[], columns: Pick<CsvColumns, 'sharpness'>, extra: ExtraColumn[] = []): string {
  const header: Cell[] = [
    'run', ...sweepKeys, ...SUMMARY_TAIL_COLUMNS, ...(columns.sharpness ? SUMMARY_SHARPNESS_COLUMNS : []), ...extra.map((column) => column.name),
  ];
  const body = rows.map((run): Cell[] => {
    const { index, params, facts: record } = run;
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
    for (const column of extra) row.push(column.cell(run));
    return row;
  });
  return toCsv([header, ...body]);
}

export async function writeSummaryCsv(
  path: string,
  sweepKeys: string[],
  rows: FinishedRun[],
  columns: Pick<CsvColumns, 'sharpness'>,
  extra: ExtraColumn[] = [],
): Promise<void> {
  await writeFileAtomic(path, summaryCsv(sweepKeys, rows, columns, extra));
}

/**
 * The curve rows of one run, as CSV text without a header. The learning_rate cells hold the rate
 * of each recorded epoch, or the run's constant rate when it has no schedule or warmup.
 */
export function curveRowsCsv(
  index: number,
  params: [string, SweepValue][],
  curve: RunCurve,
  columns: CsvColumns,
  baseLearningRate?: number,
): string {
  const values = params.map(([, value]) => value);
  const { epoch, cost, testCost, sharpness, learningRate } = curve;
  const rows: Cell[][] = new Array(epoch.length);
  for (let k = 0; k < epoch.length; k++) {
    const row: Cell[] = [index, ...values, epoch[k], cost[k]];
    if (columns.testCost) row.push(testCost ? testCost[k] : null);
    if (columns.sharpness) row.push(sharpness ? sharpness[k] : null);
    if (columns.learningRate) row.push(learningRate ? learningRate[k] : baseLearningRate);
    rows[k] = row;
  }
  return toCsv(rows);
}

export function curvesHeaderCsv(sweepKeys: string[], columns: CsvColumns): string {
  return toCsv([
    [
      'run',
      ...sweepKeys,
      'epoch',
      'cost',
      ...(columns.testCost ? ['test_cost'] : []),
      ...(columns.sharpness ? ['sharpness'] : []),
      ...(columns.learningRate ? ['learning_rate'] : []),
    ],
  ]);
}

/** Streams curves.csv run by run; the file appears only when the sweep commits it. */
export class CurvesCsvWriter {
  private readonly out: AtomicTextStream;

  /** `baseLearningRates`: each run's train.learning_rate by run index (see curveRowsCsv). */
  constructor(
    path: string,
    private readonly sweepKeys: string[],
    private readonly columns: CsvColumns,
    private readonly baseLearningRates: ReadonlyMap<number, number> = new Map(),
  ) {
    this.out = new AtomicTextStream(path);
  }

  async start(): Promise<void> {
    await this.out.write(curvesHeaderCsv(this.sweepKeys, this.columns));
  }

  async append(run: FinishedRun, curve: RunCurve): Promise<void> {
    await this.out.write(curveRowsCsv(run.index, run.params, curve, this.columns, this.baseLearningRates.get(run.index)));
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}
