// curves.csv as gradgrid writes it, scanned a read buffer at a time without cutting it into line
// and cell strings: the run is the first cell, the numbers (epoch, cost, [test_cost], [sharpness],
// [learning_rate]) the last ones, and nothing is quoted. Each row is read from the ends of its line,
// the same cells converted by the same functions as read-curves.ts's row reader, so the numbers
// are the same; anything else (a quote anywhere, a line without those cells, another column order)
// stops the scan with NotPlainCurves, and the caller reads the file with the CSV parser instead.
// Reading xor-lr's 30 000 rows back this way took a third of the time of splitting them.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { parseNumber } from './numbers.js';

/** Bytes read at a time (as files/lines.ts). */
const READ_SIZE = 1 << 16;

export class NotPlainCurves extends Error {}

/** One record's cells as numbers; undefined for a column the file does not have, null for an empty cell. */
export interface CurveRow {
  run: number;
  epoch: number;
  cost: number;
  testCost: number | null | undefined;
  sharpness: number | null | undefined;
  learningRate: number | null | undefined;
}

/** Where the columns a curve needs are, and whether they are laid out as gradgrid writes them. */
export interface CurvesLayout {
  run: number;
  epoch: number;
  cost: number;
  test: number;
  sharpness: number;
  learningRate: number;
  /** Run first; epoch, cost, [test_cost], [sharpness], [learning_rate] last: the cells read from the end. */
  trailing: number | null;
  /** Cells in the header. */
  cells: number;
}

export function curvesLayout(header: string[]): CurvesLayout {
  const at = (name: string) => header.indexOf(name);
  const layout = { run: at('run'), epoch: at('epoch'), cost: at('cost'), test: at('test_cost'), sharpness: at('sharpness'), learningRate: at('learning_rate') };
  const tail = [
    'epoch',
    'cost',
    ...(layout.test >= 0 ? ['test_cost'] : []),
    ...(layout.sharpness >= 0 ? ['sharpness'] : []),
    ...(layout.learningRate >= 0 ? ['learning_rate'] : []),
  ];
  const gradgrid = layout.run === 0 && layout.epoch >= 0 && layout.cost >= 0 && header.slice(-tail.length).join(',') === tail.join(',');
  return { ...layout, trailing: gradgrid ? tail.length : null, cells: header.length };
}

/** The header line's cells, as the CSV parser reads them (a byte-order mark dropped). */
export function headerCells(line: string): string[] {
  return (parse(line.replace(/^\uFEFF/, '')) as string[][])[0] ?? [];
}

/**
 * Calls `visit` with every record after the header of a plain curves.csv (one row object, refilled
 * for each record: read it before returning), and `afterBatch` with the records so far after each
 * read buffer. With `runOnly`, only the run (and the sharpness, when the file has it) is filled in.
 * Returns whether the header has a test_cost column. Throws NotPlainCurves as said above.
 */
export async function scanPlainCurves(
  file: string,
  visit: (row: CurveRow) => void,
  afterBatch: ((records: number) => void) | undefined,
  runOnly: boolean,
): Promise<boolean> {
  const parser = new PlainCurvesParser(visit, runOnly);
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: READ_SIZE })) {
    parser.push(chunk as string);
    afterBatch?.(parser.records);
  }
  const withTest = parser.end();
  afterBatch?.(parser.records);
  return withTest;
}

/**
 * The same reading of a plain curves.csv given as text in pieces, in order (pieces may end
 * anywhere): push() each, then end(). Either throws NotPlainCurves as said above.
 */
export class PlainCurvesParser {
  private layout: CurvesLayout | null = null;
  private carry = '';
  private readonly row: CurveRow = { run: NaN, epoch: NaN, cost: NaN, testCost: undefined, sharpness: undefined, learningRate: undefined };
  /** Records read so far. */
  records = 0;

  constructor(
    private readonly visit: (row: CurveRow) => void,
    private readonly runOnly: boolean,
  ) {}

  push(piece: string): void {
    const text = this.carry + piece;
    if (text.includes('"')) throw new NotPlainCurves();
    let from = 0;
    if (this.layout === null) {
      const end = text.indexOf('\n');
      if (end < 0) {
        this.carry = text;
        return;
      }
      this.layout = plainLayout(text.slice(0, end));
      from = end + 1;
    }
    const last = text.lastIndexOf('\n');
    if (last >= from) this.records += readLines(text, from, last, this.layout, this.row, this.visit, this.runOnly);
    this.carry = text.slice(Math.max(from, last + 1));
  }

  /** Whether the header has been read and names no optional column: epoch and cost are the last cells. */
  hasPlainColumns(): boolean {
    const layout = this.layout;
    return layout !== null && layout.trailing === 2 && layout.test < 0 && layout.sharpness < 0 && layout.learningRate < 0;
  }

  /** Reads a last line without its newline; returns whether the header has a test_cost column. */
  end(): boolean {
    const carry = this.carry;
    this.carry = '';
    if (this.layout === null) {
      if (carry === '') throw new NotPlainCurves();
      this.layout = plainLayout(carry);
    } else if (carry !== '') {
      this.records += readLines(`${carry}\n`, 0, carry.length, this.layout, this.row, this.visit, this.runOnly);
    }
    return this.layout.test >= 0;
  }
}

/**
 * parseNumber of a cell, by way of Number alone for the cells that are plain numbers: Number skips
 * the same white space as trim, and only "", white space, "NaN" and text that is no number (NaN or
 * 0 from Number) need parseNumber's rules.
 */
function cellNumber(cell: string): number | null {
  const value = Number(cell);
  return value !== 0 && !Number.isNaN(value) ? value : parseNumber(cell);
}

function plainLayout(headerLine: string): CurvesLayout {
  const layout = curvesLayout(headerCells(headerLine));
  if (layout.trailing === null) throw new NotPlainCurves();
  return layout;
}

/** Reads the lines of text[from, last) (last: a newline); returns how many records they held. */
function readLines(text: string, from: number, last: number, layout: CurvesLayout, row: CurveRow, visit: (row: CurveRow) => void, runOnly: boolean): number {
  const trailing = layout.trailing as number;
  const withTest = layout.test >= 0;
  const withSharpness = layout.sharpness >= 0;
  const withRate = layout.learningRate >= 0;
  // Unquoted cells hold no comma: every line has exactly the header's commas, the numbers after
  // the first `numbersAfter` of them.
  const commas = layout.cells - 1;
  const numbersAfter = commas - trailing;
  const at = new Int32Array(commas + 1);
  let records = 0;
  for (let start = from; start <= last; ) {
    const end = text.indexOf('\n', start);
    if (end > start) {
      // An empty line is no record, as for the CSV reader; any other line must have its cells.
      let comma = start - 1;
      for (let k = 0; k < commas; k++) {
        comma = text.indexOf(',', comma + 1);
        if (comma < 0 || comma >= end) throw new NotPlainCurves();
        at[k] = comma;
      }
      const beyond = text.indexOf(',', comma + 1);
      if (at[0] === start || (beyond >= 0 && beyond < end)) throw new NotPlainCurves();
      at[commas] = end;
      row.run = Number(text.slice(start, at[0]));
      // The trailing cells, epoch, cost, then the optional ones in header order: cell i of them
      // runs from after comma numbersAfter + i to the next comma (or the line's end).
      const cell = numbersAfter;
      if (withSharpness) {
        const k = cell + (withTest ? 3 : 2);
        row.sharpness = cellNumber(text.slice(at[k] + 1, at[k + 1]));
      }
      if (!runOnly) {
        row.epoch = Number(text.slice(at[cell] + 1, at[cell + 1]));
        row.cost = cellNumber(text.slice(at[cell + 1] + 1, at[cell + 2])) ?? NaN;
        row.testCost = withTest ? cellNumber(text.slice(at[cell + 2] + 1, at[cell + 3])) : undefined;
        row.learningRate = withRate ? cellNumber(text.slice(at[commas - 1] + 1, end)) : undefined;
      }
      visit(row);
      records++;
    }
    start = end + 1;
  }
  return records;
}
