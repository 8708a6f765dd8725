// The report's curves, read a piece at a time and thinned as they are read: curves.csv (or, without
// it, the runs' curve files in runs/) in two passes, the first to count each run's points, the
// second to sketch them (curve-sketch.ts). Memory stays small whatever the curves' length.
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { lineBatches } from '../../files/lines.js';
// Not the run layer's index: that loads the engine, which the sweep's main thread never trains with.
import { curvePoints, curveRowBatches, parseCurveRow, type CurveColumns } from '../../run/curve-file.js';
import { SeriesSketcher, SharpnessSketcher } from './curve-sketch.js';
import { countsHeld, countsOf, CurvesSketcher, type Counts, type SketchedCurves } from './curves-sketcher.js';
import { pointsPerCurve } from './downsample.js';
import { parseNumber } from './numbers.js';
import { curvesLayout, headerCells, NotPlainCurves, scanPlainCurves, type CurveRow } from './plain-curves.js';
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
  const columns = curvesLayout(header);
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
  if (columns.trailing === null) return parsed;
  // Neither the run nor the numbers are ever quoted, so only the ends of the record are read.
  const trailing = columns.trailing;
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
      const header = headerCells(records[0]);
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

/**
 * The sketched curves of curves.csv by run, and whether it had test costs; null when the file does
 * not exist. `expectedPoints`: each run's points as its record says, which spares a first pass
 * counting them when the file agrees (plain curves.csv: the fast scan of plain-curves.ts).
 */
export async function readCurvesCsv(
  file: string,
  options: SketchOptions,
  expectedPoints: ReadonlyMap<number, number> | null = null,
): Promise<SketchedCurves | null> {
  try {
    await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    try {
      return await sketchCurves(scanPlainCurves.bind(null, file), options, expectedPoints);
    } catch (error) {
      if (!(error instanceof NotPlainCurves)) throw error;
    }
    return await sketchCurves(csvRecords(file), options, expectedPoints);
  } catch (error) {
    if (error instanceof CurvesFileError) throw error;
    throw new CurvesFileError(`${file}: ${(error as Error).message}`);
  }
}

/**
 * The rows of curves.csv: `visit` hears every record after the header (the row may be reused from
 * one call to the next), `afterBatch` the records so far after each read buffer; with `runOnly`
 * only the run and the sharpness need to be read. Returns whether the file has a test_cost column.
 */
type RowSource = (visit: (row: CurveRow) => void, afterBatch: ((records: number) => void) | undefined, runOnly: boolean) => Promise<boolean>;

/** Any curves.csv, through the CSV parser where its layout asks for it. */
function csvRecords(file: string): RowSource {
  const runRow: CurveRow = { run: NaN, epoch: NaN, cost: NaN, testCost: undefined, sharpness: undefined, learningRate: undefined };
  return (visit, afterBatch, runOnly) =>
    eachRecord(
      file,
      (record, reader) => {
        if (!runOnly || reader.withSharpness !== false) return visit(reader(record));
        runRow.run = runOf(record, reader);
        visit(runRow);
      },
      afterBatch,
    );
}

/**
 * Each run's series thinned as its rows come, which needs each run's number of points before it
 * starts: `expected` (from the run records) when given and right, else counted by a first pass.
 */
async function sketchCurves(rows: RowSource, options: SketchOptions, expected: ReadonlyMap<number, number> | null): Promise<SketchedCurves> {
  const say = options.onProgress;
  if (expected !== null) {
    const sketched = await sketchPass(rows, options, countsOf(expected), 0, (records) => say?.(`reading curves.csv: ${records} rows`));
    if (countsHeld(sketched, expected)) return { curves: sketched.curves, hasTestCost: sketched.hasTestCost };
  }
  const counts = new Map<number, Counts>();
  let total = 0;
  await rows(
    (row) => {
      let count = counts.get(row.run);
      if (!count) counts.set(row.run, (count = { rows: 0, sharpness: 0 }));
      count.rows++;
      if (row.sharpness != null && Number.isFinite(row.sharpness)) count.sharpness++;
    },
    (records) => say?.(`reading curves.csv: ${(total = records)} rows counted`),
    true,
  );
  const sharpnessBudget = pointsPerCurve([...counts.values()].filter((count) => count.sharpness > 0).length);
  const { curves, hasTestCost } = await sketchPass(rows, options, counts, sharpnessBudget, (records) => say?.(`drawing the curves: ${records} of ${total} rows`));
  return { curves, hasTestCost };
}

/** One pass over the rows, each run's series thinned for its count of points in `counts`. */
async function sketchPass(rows: RowSource, options: SketchOptions, counts: ReadonlyMap<number, Counts>, sharpnessBudget: number, afterBatch: (records: number) => void) {
  const sketcher = new CurvesSketcher(options, counts, sharpnessBudget);
  return sketcher.finish(await rows(sketcher.visit, afterBatch, false));
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
