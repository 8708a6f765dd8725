// A run's cost curve on disk: runs/<hash>.curve.csv beside the run's record, written by the thread
// that trains it while it trains (the engine hands the points over in pieces), so no curve is ever
// whole in memory, however many epochs it has. One row per recorded epoch:
//
//     epoch,cost[,test_cost][,sharpness]
//     0,0.12965...
//
// with test_cost when the run holds out test data and sharpness when it tracks it (empty where it
// was not computed). The numbers are written exactly as curves.csv writes them (JavaScript's
// shortest round-trip form; NaN, Infinity and -Infinity as those words), so curves.csv is these
// rows with the run's index and swept values in front.
import { closeSync, openSync, writeSync } from 'node:fs';
import { lineBatches } from '../files/lines.js';
import type { RecordedPoints } from '../nn/index.js';

export const CURVE_FILE_SUFFIX = '.curve.csv';

/** The optional columns of a curve file (and of curves.csv). */
export interface CurveColumns {
  testCost: boolean;
  sharpness: boolean;
}

export const curveFileHeader = ({ testCost, sharpness }: CurveColumns) =>
  `epoch,cost${testCost ? ',test_cost' : ''}${sharpness ? ',sharpness' : ''}`;

/** The columns a curve file's header line names, or null when it is not a curve file's header. */
export function curveColumnsOf(header: string): CurveColumns | null {
  for (const testCost of [false, true]) {
    for (const sharpness of [false, true]) {
      if (header === curveFileHeader({ testCost, sharpness })) return { testCost, sharpness };
    }
  }
  return null;
}

/** Writes a curve file as the points come; synchronous, for the training thread. */
export class CurveFileWriter {
  private readonly fd: number;
  private bytes = 0;
  private points = 0;

  constructor(
    path: string,
    private readonly columns: CurveColumns,
  ) {
    this.fd = openSync(path, 'w');
    this.write(`${curveFileHeader(columns)}\n`);
  }

  append({ count, epochs, costs, testCosts, sharpness }: RecordedPoints): void {
    let text = '';
    // The sharpness values belong to some of these epochs, in the same order: one merge. The cell
    // stays empty where none was computed.
    let k = 0;
    for (let i = 0; i < count; i++) {
      text += `${epochs[i]},${costs[i]}`;
      if (this.columns.testCost) text += `,${testCosts ? testCosts[i] : ''}`;
      if (this.columns.sharpness) {
        if (sharpness && k < sharpness.count && sharpness.epochs[k] === epochs[i]) text += `,${sharpness.values[k++]}`;
        else text += ',';
      }
      text += '\n';
    }
    this.points += count;
    this.write(text);
  }

  /** Closes the file; returns the points and bytes written. */
  close(): { points: number; bytes: number } {
    closeSync(this.fd);
    return { points: this.points, bytes: this.bytes };
  }

  private write(text: string): void {
    const buffer = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < buffer.length; ) offset += writeSync(this.fd, buffer, offset);
    this.bytes += buffer.length;
  }
}

export interface CurvePoint {
  epoch: number;
  cost: number;
  /** null when the curve has no test cost. */
  testCost: number | null;
  /** null where none was computed, or when the run did not track it. */
  sharpness: number | null;
}

/** One data row of a curve file with the given columns, as numbers. */
export function parseCurveRow(row: string, columns: CurveColumns): CurvePoint {
  const cells = row.split(',');
  let next = 2;
  const number = (cell: string | undefined) => (cell === undefined || cell === '' ? null : Number(cell));
  const testCost = columns.testCost ? number(cells[next++]) : null;
  const sharpness = columns.sharpness ? number(cells[next++]) : null;
  return { epoch: Number(cells[0]), cost: Number(cells[1]), testCost, sharpness };
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
        throw new Error(`${path} is not a curve file (its first line is not "epoch,cost[,test_cost][,sharpness]")`);
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
