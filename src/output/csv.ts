// summary.csv and curves.csv. Numbers are written with JavaScript's own shortest round-trip form
// (String(n)); nothing time- or machine-dependent goes in, so equal runs give equal bytes.
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../experiment/types.js';
import { AtomicTextStream, writeFileAtomic } from '../files/atomic.js';
import type { CurvesTap } from './curves-tap.js';
import { rateVaries, resolveSchedule } from '../nn/schedules.js';
import type { TrackSettings, TrainSettings } from '../nn/spec.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import { curveColumnsOf, curveRowBatches, type CurveColumns, type PlainCurve } from '../run/curve-file.js';
import { PrefixedLineReader } from '../files/lines.js';
import type { FinishedRun } from '../run/run-record.js';

export type Cell = number | string | boolean | null | undefined;

export const toCsv = (rows: Cell[][]): string =>
  stringify(rows, {
    cast: {
      boolean: (value) => String(value),
      number: (value) => String(value),
    },
  });

/** After `run` and the sweep keys; optional columns follow them and `hash` ends every row, so these positions never move. */
export const SUMMARY_TAIL_COLUMNS = [
  'status', 'epochs', 'final_cost', 'min_cost', 'train_accuracy', 'test_accuracy', 'error',
] as const;

/** Always the last column of summary.csv: the run's hash, the key into runs/<hash>.json. */
export const SUMMARY_HASH_COLUMN = 'hash';

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
    'run', ...sweepKeys, ...SUMMARY_TAIL_COLUMNS, ...(columns.sharpness ? SUMMARY_SHARPNESS_COLUMNS : []), ...extra.map((column) => column.name), SUMMARY_HASH_COLUMN,
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
    row.push(record.hash);
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
/**
 * What stands before each curve row of a run in curves.csv: its index and swept values, as CSV
 * cells, and the comma before the epoch. The rest of the row is the run's curve file row as it is.
 */
export function curveRowPrefix(index: number, params: [string, SweepValue][]): string {
  const cells = toCsv([[index, ...params.map(([, value]) => value)]]);
  return `${cells.slice(0, -1)},`;
}

const OPTIONAL_COLUMNS: (keyof CurveColumns)[] = ['testCost', 'sharpness', 'learningRate'];

/** Whether a curve file with `file`'s columns has every column the sweep's rows have: its rows go in as they are. */
export function rowsAsTheyAre(columns: CurveColumns, file: CurveColumns): boolean {
  return OPTIONAL_COLUMNS.every((key) => !columns[key] || file[key]);
}

/**
 * A curve file row in the sweep's columns: as it is when the run has every optional column the
 * sweep has; else with a filler where it has none: an empty cell (no test split, no sharpness), or
 * the run's constant learning rate in a sweep where other runs' rates vary.
 */
export function curveRowIn(columns: CurveColumns, file: CurveColumns, baseLearningRate?: number): (row: string) => string {
  const filler: Record<keyof CurveColumns, string> = {
    testCost: '',
    sharpness: '',
    learningRate: baseLearningRate === undefined ? '' : String(baseLearningRate),
  };
  if (rowsAsTheyAre(columns, file)) return (row) => row;
  const wanted = OPTIONAL_COLUMNS.filter((key) => columns[key]);
  const missing = wanted.filter((key) => !file[key]);
  // The missing columns all come after the ones the file has: they are a suffix.
  const firstMissing = wanted.indexOf(missing[0]);
  if (wanted.slice(firstMissing).every((key) => !file[key])) {
    const suffix = missing.map((key) => `,${filler[key]}`).join('');
    return (row) => `${row}${suffix}`;
  }
  return (row) => {
    const cells = row.split(',');
    const out = [cells[0], cells[1]];
    let next = 2;
    for (const key of OPTIONAL_COLUMNS) {
      const has = file[key];
      const cell = has ? cells[next++] : filler[key];
      if (columns[key]) out.push(cell);
    }
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
  baseLearningRate?: number,
): AsyncGenerator<{ text: string; rows: number }> {
  const prefix = curveRowPrefix(run.index, run.params);
  let points = 0;
  const reader = new PrefixedLineReader(curveFile);
  try {
    const header = reader.firstLine();
    const fileColumns = header === null ? null : curveColumnsOf(header);
    if (fileColumns !== null && rowsAsTheyAre(columns, fileColumns)) {
      for (const { text, lines } of reader.prefixedLines(prefix)) {
        points += lines;
        yield { text, rows: lines };
      }
      checkPoints(run, curveFile, points);
      return;
    }
  } finally {
    reader.close();
  }
  // Rows to change, or no curve file: read as text (which says what is wrong with the file).
  for await (const batch of curveRowBatches(curveFile)) {
    const inColumns = curveRowIn(columns, batch.columns, baseLearningRate);
    points += batch.rows.length;
    let text = '';
    for (const row of batch.rows) text += `${prefix}${inColumns(row)}\n`;
    yield { text, rows: batch.rows.length };
  }
  checkPoints(run, curveFile, points);
}

function checkPoints(run: FinishedRun, curveFile: string, points: number): void {
  if (points !== run.facts.points) {
    throw new Error(`${curveFile} holds ${points} points, but the record of run ${run.index} says ${run.facts.points}`);
  }
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

  /**
   * `baseLearningRates`: each run's train.learning_rate by run index (see curveRowIn); `tap` hears
   * the text written and each run's point count before its rows.
   */
  constructor(
    path: string,
    private readonly sweepKeys: string[],
    private readonly columns: CsvColumns,
    private readonly baseLearningRates: ReadonlyMap<number, number> = new Map(),
    private readonly tap?: CurvesTap,
  ) {
    this.out = new AtomicTextStream(path);
  }

  async start(): Promise<void> {
    await this.write(curvesHeaderCsv(this.sweepKeys, this.columns));
  }

  /**
   * Copies a run's curve file (none for a failed run); `onRows` hears how many rows are written so
   * far. `curve`: the same curve as numbers, which the tap then takes instead of the rows' text.
   */
  async append(run: FinishedRun, curveFile: string | null, onRows?: (rows: number) => void, curve?: PlainCurve | null): Promise<void> {
    if (curveFile === null) return;
    this.tap?.expect(run.index, run.facts.points);
    const asNumbers = curve !== null && curve !== undefined && curve.costs.length === run.facts.points && this.plain();
    let rows = 0;
    for await (const batch of curvesCsvRows(run, curveFile, this.columns, this.baseLearningRates.get(run.index))) {
      await (asNumbers ? this.out.write(batch.text) : this.write(batch.text));
      rows += batch.rows;
      onRows?.(rows);
    }
    if (asNumbers) this.tap?.curve(run.index, curve);
  }

  /** Rows of run, keys, epoch and cost only: the rows of a plain curve as they are. */
  private plain(): boolean {
    return !this.columns.testCost && !this.columns.sharpness && !this.columns.learningRate;
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  private write(text: string): Promise<void> {
    this.tap?.write(text);
    return this.out.write(text);
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}
