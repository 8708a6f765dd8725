// A run's cost curve on disk: runs/<hash>.curve.csv beside the run's record, written by the thread
// that trains it while it trains (the engine hands the points over in pieces), so no curve is ever
// whole in memory, however many epochs it has. One row per recorded epoch:
//
//     epoch,cost[,test_cost][,sharpness][,learning_rate]
//     0,0.12965...
//
// with test_cost when the run holds out test data, sharpness when it tracks it (empty where it was
// not computed), learning_rate when a schedule or warmup makes the rate vary. The numbers are
// written exactly as curves.csv writes them (JavaScript's shortest round-trip form; NaN, Infinity
// and -Infinity as those words), so curves.csv is these rows with the run's index and swept values
// in front.
import { closeSync, openSync, writeSync } from 'node:fs';
import { lineBatches } from '../files/lines.js';
import type { RecordedPoints } from '../nn/index.js';

export const CURVE_FILE_SUFFIX = '.curve.csv';

/** The optional columns of a curve file (and of curves.csv). */
export interface CurveColumns {
  testCost: boolean;
  sharpness: boolean;
  learningRate: boolean;
}

const OPTIONAL: [keyof CurveColumns, string][] = [
  ['testCost', 'test_cost'],
  ['sharpness', 'sharpness'],
  ['learningRate', 'learning_rate'],
];

export const curveFileHeader = (columns: CurveColumns) =>
  ['epoch', 'cost', ...OPTIONAL.filter(([key]) => columns[key]).map(([, name]) => name)].join(',');

/** The columns a curve file's header line names, or null when it is not a curve file's header. */
export function curveColumnsOf(header: string): CurveColumns | null {
  const [epoch, cost, ...rest] = header.split(',');
  if (epoch !== 'epoch' || cost !== 'cost') return null;
  const columns: CurveColumns = { testCost: false, sharpness: false, learningRate: false };
  let next = 0;
  for (const [key, name] of OPTIONAL) {
    if (rest[next] === name) {
      columns[key] = true;
      next++;
    }
  }
  return next === rest.length ? columns : null;
}

/**
 * Writes a curve file as the points come; synchronous, for the training thread. Its columns are
 * those of the first points (the engine hands over test costs, sharpness and learning rates when
 * the run has them); the file is created then.
 */
export class CurveFileWriter {
  private fd = -1;
  private columns: CurveColumns | null = null;
  private bytes = 0;
  private points = 0;

  constructor(private readonly path: string) {}

  append({ count, epochs, costs, testCosts, sharpness, learningRates }: RecordedPoints): void {
    if (this.columns === null) {
      this.columns = { testCost: testCosts !== null, sharpness: sharpness !== null, learningRate: learningRates !== null };
      this.fd = openSync(this.path, 'w');
      this.write(`${curveFileHeader(this.columns)}\n`);
    }
    const { testCost, learningRate } = this.columns;
    let text = '';
    // The sharpness values belong to some of these epochs, in the same order: one merge. The cell
    // stays empty where none was computed.
    let k = 0;
    for (let i = 0; i < count; i++) {
      text += `${epochs[i]},${costs[i]}`;
      if (testCost) text += `,${testCosts ? testCosts[i] : ''}`;
      if (sharpness) {
        if (k < sharpness.count && sharpness.epochs[k] === epochs[i]) text += `,${sharpness.values[k++]}`;
        else text += ',';
      }
      if (learningRate) text += `,${learningRates ? learningRates[i] : ''}`;
      text += '\n';
    }
    this.points += count;
    this.write(text);
  }

  /** Closes the file (if any point came); returns the points and bytes written. */
  close(): { points: number; bytes: number } {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    return { points: this.points, bytes: this.bytes };
  }

  private write(text: string): void {
    const buffer = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < buffer.length; ) offset += writeSync(this.fd, buffer, offset);
    this.bytes += buffer.length;
  }
}

/**
 * A run's curve as numbers, for a curve with no optional column: what the sweep's report sketches
 * from while the runs train (output/report/live-curves.ts), instead of parsing curves.csv's text.
 */
export interface PlainCurve {
  epochs: Int32Array;
  costs: Float64Array;
}

/**
 * Copies the points of a plain curve (epoch and cost only) of at most `limit` points as they are
 * recorded; gives up, holding nothing, on any other curve.
 */
export class PlainCurveKeeper {
  private epochs: Int32Array;
  private costs: Float64Array;
  private count = 0;
  private plain = true;

  /** `expected`: the points the run records if it goes to its last epoch. */
  constructor(
    expected: number,
    private readonly limit: number,
  ) {
    const size = Math.max(0, Math.min(expected, limit));
    this.epochs = new Int32Array(size);
    this.costs = new Float64Array(size);
  }

  add({ count, epochs, costs, testCosts, learningRates, sharpness }: RecordedPoints): void {
    if (!this.plain) return;
    const total = this.count + count;
    if (testCosts !== null || learningRates !== null || sharpness !== null || total > this.limit) {
      this.plain = false;
      this.epochs = new Int32Array(0);
      this.costs = new Float64Array(0);
      return;
    }
    if (total > this.costs.length) {
      const size = Math.min(this.limit, Math.max(total, 2 * this.costs.length));
      const grownEpochs = new Int32Array(size);
      const grownCosts = new Float64Array(size);
      grownEpochs.set(this.epochs.subarray(0, this.count));
      grownCosts.set(this.costs.subarray(0, this.count));
      this.epochs = grownEpochs;
      this.costs = grownCosts;
    }
    this.epochs.set(epochs.subarray(0, count), this.count);
    this.costs.set(costs.subarray(0, count), this.count);
    this.count = total;
  }

  /** The curve, or null when it was not a plain one within the limit. */
  curve(): PlainCurve | null {
    if (!this.plain) return null;
    return { epochs: this.epochs.subarray(0, this.count), costs: this.costs.subarray(0, this.count) };
  }
}

export interface CurvePoint {
  epoch: number;
  cost: number;
  /** null when the curve has no test cost. */
  testCost: number | null;
  /** null where none was computed, or when the run did not track it. */
  sharpness: number | null;
  /** null when the run's rate is constant (no learning_rate column). */
  learningRate: number | null;
}

/** One data row of a curve file with the given columns, as numbers. */
export function parseCurveRow(row: string, columns: CurveColumns): CurvePoint {
  const cells = row.split(',');
  let next = 2;
  const number = (cell: string | undefined) => (cell === undefined || cell === '' ? null : Number(cell));
  const testCost = columns.testCost ? number(cells[next++]) : null;
  const sharpness = columns.sharpness ? number(cells[next++]) : null;
  const learningRate = columns.learningRate ? number(cells[next++]) : null;
  return { epoch: Number(cells[0]), cost: Number(cells[1]), testCost, sharpness, learningRate };
}

/** A batch of data rows of a curve file, as text. */
export interface CurveRows {
  rows: string[];
  /** The file's optional columns. */
  columns: CurveColumns;
}

/**
 * The data rows of a curve file as text, a batch at a time (the header is checked and left out).
 * Throws when the file is missing or is not a curve file.
 */
export async function* curveRowBatches(path: string): AsyncGenerator<CurveRows> {
  let columns: CurveColumns | null = null;
  for await (const rows of lineBatches(path)) {
    if (columns === null) {
      const header = rows.shift() ?? '';
      columns = curveColumnsOf(header);
      if (columns === null) {
        throw new Error(`${path} is not a curve file (its first line is not "epoch,cost[,test_cost][,sharpness][,learning_rate]")`);
      }
    }
    if (rows.length) yield { rows, columns };
  }
  if (columns === null) throw new Error(`${path} is empty`);
}

/** The points of a curve file one at a time. */
export async function* curvePoints(path: string): AsyncGenerator<CurvePoint> {
  for await (const { rows, columns } of curveRowBatches(path)) for (const row of rows) yield parseCurveRow(row, columns);
}
