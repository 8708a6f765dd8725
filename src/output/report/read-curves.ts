// The report's curves, read a piece at a time and thinned as they are read: curves.csv (or, without
// it, the runs' curve files in runs/) in two passes, the first to count each run's points, the
// second to sketch them (curve-sketch.ts). Memory stays small whatever the curves' length.
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { lineBatches } from '../../files/lines.js';
import { curvePoints, curveRowBatches, parseCurveRow, type CurveColumns } from '../../run/index.js';
import { SeriesSketcher, SharpnessSketcher } from './curve-sketch.js';
import { pointsPerCurve } from './downsample.js';
import { parseNumber } from './numbers.js';
import type { RunCurve } from './result-folder.js';

export class CurvesFileError extends Error {}

export interface SketchOptions {
  /** Points each curve may draw (pointsPerCurve of the number of runs). */
  budget: number;
  /** divergence.max_cost: costs above it are drawn off the scale. */
  maxCost: number | null;
  /** Hears how far the reading is, a read buffer at a time. */
  onProgress?: (what: string) => void;
}

interface CurveRow {
  run: number;
  epoch: number;
  cost: number;
  /** undefined without a test_cost column; null for an empty cell. */
  testCost: number | null | undefined;
  /** undefined without a sharpness column; null for an empty cell (not computed there). */
  sharpness: number | null | undefined;
  /** undefined without a learning_rate column. */
  learningRate: number | null | undefined;
}

const quotes = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
};

/** CSV records a batch at a time: lines joined again where a quoted value holds a newline. */
async function* recordBatches(path: string): AsyncGenerator<string[]> {
  let open: string | null = null;
  for await (const lines of lineBatches(path)) {
    const records: string[] = [];
    for (const line of lines) {
      if (open !== null) {
        open += `\n${line}`;
        if (quotes(line) % 2 === 1) {
          records.push(open);
          open = null;
        }
      } else if (line.includes('"') && quotes(line) % 2 === 1) {
        open = line;
      } else if (line !== '') {
        records.push(line);
      }
    }
    if (records.length) yield records;
  }
  if (open !== null) yield [open];
}

/** Turns one record into a row: fast from the ends for curves.csv as gradgrid writes it, else parsed. */
type RowReader = ((record: string) => CurveRow) & { runFirst?: boolean; withSharpness?: boolean };

function rowReaderFor(header: string[], file: string): RowReader {
  const at = (name: string) => header.indexOf(name);
  const columns = { run: at('run'), epoch: at('epoch'), cost: at('cost'), test: at('test_cost'), sharpness: at('sharpness'), learningRate: at('learning_rate') };
  if (columns.run < 0 || columns.epoch < 0 || columns.cost < 0) throw new CurvesFileError(`${file}: expected the columns run, epoch and cost`);
  const optional = (cells: string[], index: number) => (index >= 0 ? parseNumber(cells[index]) : undefined);
  const parsed: RowReader = (record) => {
    const cells = (parse(record) as string[][])[0] ?? [];
    return {
      run: Number(cells[columns.run]),
      epoch: Number(cells[columns.epoch]),
      cost: parseNumber(cells[columns.cost]) ?? NaN,
      testCost: optional(cells, columns.test),
      sharpness: optional(cells, columns.sharpness),
      learningRate: optional(cells, columns.learningRate),
    };
  };
  // curves.csv as gradgrid writes it: run first; epoch, cost, [test_cost], [sharpness], [learning_rate] last.
  const tail = [
    'epoch',
    'cost',
    ...(columns.test >= 0 ? ['test_cost'] : []),
    ...(columns.sharpness >= 0 ? ['sharpness'] : []),
    ...(columns.learningRate >= 0 ? ['learning_rate'] : []),
  ];
  const gradgridLayout = columns.run === 0 && header.slice(-tail.length).join(',') === tail.join(',');
  if (!gradgridLayout) return parsed;
  // Neither the run nor the numbers are ever quoted, so only the ends of the record are read.
  const trailing = tail.length;
  const withTest = columns.test >= 0;
  const withSharpness = columns.sharpness >= 0;
  const withRate = columns.learningRate >= 0;
  const fast: RowReader = (record) => {
    const first = record.indexOf(',');
    let start = record.length;
    for (let k = 0; k < trailing && start > 0; k++) start = record.lastIndexOf(',', start - 1);
    const numbers = record.slice(start + 1);
    if (first < 0 || start < first || numbers.includes('"')) return parsed(record);
    const cells = numbers.split(',');
    return {
      run: Number(record.slice(0, first)),
      epoch: Number(cells[0]),
      cost: parseNumber(cells[1]) ?? NaN,
      testCost: withTest ? parseNumber(cells[2]) : undefined,
      sharpness: withSharpness ? parseNumber(cells[withTest ? 3 : 2]) : undefined,
      learningRate: withRate ? parseNumber(cells[cells.length - 1]) : undefined,
    };
  };
  fast.runFirst = true;
  fast.withSharpness = withSharpness;
  return fast;
}

/**
 * Every record of curves.csv after the header, a batch at a time, to `visit` with the row reader
 * its header calls for; returns whether the file has a test_cost column.
 */
async function eachRecord(
  file: string,
  visit: (record: string, reader: RowReader) => void,
  afterBatch?: (records: number) => void,
): Promise<boolean> {
  let reader: RowReader | null = null;
  let withTest = false;
  let seen = 0;
  for await (const records of recordBatches(file)) {
    let start = 0;
    if (!reader) {
      const header = (parse(records[0].replace(/^\uFEFF/, '')) as string[][])[0] ?? [];
      reader = rowReaderFor(header, file);
      withTest = header.includes('test_cost');
      start = 1;
    }
    for (let i = start; i < records.length; i++) visit(records[i], reader);
    seen += records.length - start;
    afterBatch?.(seen);
  }
  if (!reader) throw new CurvesFileError(`${file}: empty (expected the columns run, epoch and cost)`);
  return withTest;
}

/** The run column of a record: the first cell when curves.csv is laid out as gradgrid writes it. */
function runOf(record: string, reader: RowReader): number {
  if (reader.runFirst) {
    const comma = record.indexOf(',');
    if (comma > 0 && record.charCodeAt(0) !== 34) return Number(record.slice(0, comma));
  }
  return reader(record).run;
}

/** Points per run: rows, and computed sharpness values. */
interface Counts {
  rows: number;
  sharpness: number;
}

interface Sketchers {
  cost: SeriesSketcher;
  testCost: SeriesSketcher | null;
  sharpness: SharpnessSketcher | null;
  learningRate: SeriesSketcher | null;
}

/**
 * The sketched curves of curves.csv by run, and whether it had test costs; null when the file does
 * not exist.
 */
export async function readCurvesCsv(
  file: string,
  options: SketchOptions,
): Promise<{ curves: Map<number, RunCurve>; hasTestCost: boolean } | null> {
  try {
    await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const say = options.onProgress;
  try {
    // First pass: how many points each run has (the thinning must know before it starts).
    const counts = new Map<number, Counts>();
    let total = 0;
    await eachRecord(
      file,
      (record, reader) => {
        const needsRow = reader.withSharpness !== false;
        const row = needsRow ? reader(record) : null;
        const run = row ? row.run : runOf(record, reader);
        let count = counts.get(run);
        if (!count) counts.set(run, (count = { rows: 0, sharpness: 0 }));
        count.rows++;
        if (row?.sharpness != null && Number.isFinite(row.sharpness)) count.sharpness++;
      },
      (rows) => say?.(`reading curves.csv: ${(total = rows)} rows counted`),
    );
    const sharpnessBudget = pointsPerCurve([...counts.values()].filter((count) => count.sharpness > 0).length);
    // Second pass: each run's series, thinned as they come.
    const sketchers = new Map<number, Sketchers>();
    let hasTestCost = false;
    const withTest = await eachRecord(
      file,
      (record, reader) => {
        const row = reader(record);
        let sketcher = sketchers.get(row.run);
        if (!sketcher) {
          const count = counts.get(row.run) ?? { rows: 0, sharpness: 0 };
          const costs = () => new SeriesSketcher(count.rows, options.budget, options.maxCost);
          sketcher = {
            cost: costs(),
            testCost: row.testCost === undefined ? null : costs(),
            sharpness: row.sharpness === undefined ? null : new SharpnessSketcher(count.sharpness, sharpnessBudget),
            learningRate: row.learningRate === undefined ? null : new SeriesSketcher(count.rows, options.budget, null),
          };
          sketchers.set(row.run, sketcher);
        }
        sketcher.cost.push(row.epoch, row.cost);
        if (sketcher.testCost && row.testCost !== undefined) {
          if (row.testCost !== null) hasTestCost = true;
          sketcher.testCost.push(row.epoch, row.testCost ?? NaN);
        }
        sketcher.sharpness?.push(row.epoch, row.sharpness ?? NaN, row.learningRate ?? NaN);
        sketcher.learningRate?.push(row.epoch, row.learningRate ?? NaN);
      },
      (rows) => say?.(`drawing the curves: ${rows} of ${total} rows`),
    );
    const curves = new Map<number, RunCurve>();
    for (const [run, sketcher] of sketchers) {
      curves.set(run, {
        cost: sketcher.cost.finish(),
        testCost: withTest ? sketcher.testCost?.finish() ?? null : null,
        sharpness: sketcher.sharpness?.finish() ?? null,
        learningRate: sketcher.learningRate?.finish() ?? null,
      });
    }
    return { curves, hasTestCost };
  } catch (error) {
    if (error instanceof CurvesFileError) throw error;
    throw new CurvesFileError(`${file}: ${(error as Error).message}`);
  }
}

/**
 * The sketched curve of a run's curve file (runs/<hash>.curve.csv), or null when it cannot be
 * read. `sharpnessBudget`: the points each sharpness line may draw.
 */
export async function readCurveFile(path: string, options: SketchOptions, sharpnessBudget: number): Promise<RunCurve | null> {
  try {
    let n = 0;
    let computed = 0;
    let columns: CurveColumns | null = null;
    for await (const batch of curveRowBatches(path)) {
      columns = batch.columns;
      n += batch.rows.length;
      if (columns.sharpness) for (const row of batch.rows) if (Number.isFinite(parseCurveRow(row, columns).sharpness ?? NaN)) computed++;
    }
    const cost = new SeriesSketcher(n, options.budget, options.maxCost);
    const testCost = columns?.testCost ? new SeriesSketcher(n, options.budget, options.maxCost) : null;
    const sharpness = columns?.sharpness ? new SharpnessSketcher(computed, sharpnessBudget) : null;
    const learningRate = columns?.learningRate ? new SeriesSketcher(n, options.budget, null) : null;
    for await (const point of curvePoints(path)) {
      cost.push(point.epoch, point.cost);
      testCost?.push(point.epoch, point.testCost ?? NaN);
      sharpness?.push(point.epoch, point.sharpness ?? NaN, point.learningRate ?? NaN);
      learningRate?.push(point.epoch, point.learningRate ?? NaN);
    }
    return {
      cost: cost.finish(),
      testCost: testCost?.finish() ?? null,
      sharpness: sharpness?.finish() ?? null,
      learningRate: learningRate?.finish() ?? null,
    };
  } catch {
    return null;
  }
}
