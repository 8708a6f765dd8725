// Reads curves.csv into numbers per run, fast enough for a 1 000-run sweep recorded every epoch
// (five million rows): the file is read in large chunks and scanned once, character by
// character, taking only the run, epoch and number columns (cost, test_cost, sharpness,
// learning_rate); swept values (which may be
// quoted, with commas or line breaks inside) are stepped over. A general CSV parser spends
// tens of seconds on such a file; this takes about one.
import { open } from 'node:fs/promises';
import { parseNumber } from './numbers.js';
import type { RunCurve } from './result-folder.js';

const CHUNK_BYTES = 8 * 1024 * 1024;
const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

/** A Float64Array that grows by doubling; `values()` trims it to its length. */
class GrowingSeries {
  private data = new Float64Array(256);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

interface GrowingCurve {
  epoch: GrowingSeries;
  cost: GrowingSeries;
  testCost: GrowingSeries | null;
  sharpness: GrowingSeries | null;
  learningRate: GrowingSeries | null;
}

export class CurvesCsvError extends Error {}

export interface CurvesCsv {
  curves: Map<number, RunCurve>;
  /** True when a test_cost column holds at least one value. */
  hasTestCost: boolean;
}

/** The cells of one record: [start, end) of each field, quotes included. */
type Fields = number[];

/**
 * Finds the record starting at `from`: fills `fields` with pairs of cell bounds and returns where
 * the next record starts, or -1 when the text ends inside the record (more text is needed).
 */
function scanRecord(text: string, from: number, atEnd: boolean, fields: Fields): number {
  fields.length = 0;
  let i = from;
  const n = text.length;
  for (;;) {
    const start = i;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) return -1;
        if (text.charCodeAt(i) === QUOTE) {
          if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) i += 2;
          else if (i + 1 >= n && !atEnd) return -1; // cannot tell "" from the closing quote yet
          else {
            i++;
            break;
          }
        } else i++;
      }
    }
    let c = 0;
    while (i < n && (c = text.charCodeAt(i)) !== COMMA && c !== NEWLINE) i++;
    if (i >= n && !atEnd) return -1;
    const end = i > start && text.charCodeAt(i - 1) === RETURN && (i >= n || c === NEWLINE) ? i - 1 : i;
    fields.push(start, end);
    if (i >= n) return n;
    i++;
    if (c === NEWLINE) return i;
  }
}

function cellText(text: string, fields: Fields, column: number): string | undefined {
  if (column < 0 || 2 * column >= fields.length) return undefined;
  const start = fields[2 * column];
  const end = fields[2 * column + 1];
  if (end - start >= 2 && text.charCodeAt(start) === QUOTE) return text.slice(start + 1, end - 1).replace(/""/g, '"');
  return text.slice(start, end);
}

/** Reads `file`; null when it does not exist. CurvesCsvError when its header lacks run, epoch or cost. */
export async function readCurvesCsv(file: string, options: { chunkBytes?: number } = {}): Promise<CurvesCsv | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const growing = new Map<number, GrowingCurve>();
  let hasTestCost = false;
  let columns: { run: number; epoch: number; cost: number; test: number; sharpness: number; learningRate: number } | null = null;
  const optional = (index: number) => (index >= 0 ? new GrowingSeries() : null);
  const fields: Fields = [];
  const buffer = Buffer.alloc(options.chunkBytes ?? CHUNK_BYTES);
  let carry = '';
  let fileStart = true;
  let lastRun = NaN;
  let curve: GrowingCurve | undefined;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      const atEnd = bytesRead === 0;
      // latin1 maps each byte to one character: the separators and the digits of the numbers read
      // here are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character.
      const text = carry + buffer.toString('latin1', 0, bytesRead);
      let at = 0;
      if (fileStart) {
        if (text.length < 3 && !atEnd) {
          carry = text;
          continue;
        }
        // A byte-order mark (EF BB BF) some editors put first is not part of the header.
        if (text.charCodeAt(0) === 0xef && text.charCodeAt(1) === 0xbb && text.charCodeAt(2) === 0xbf) at = 3;
        fileStart = false;
      }
      while (at < text.length) {
        const next = scanRecord(text, at, atEnd, fields);
        if (next < 0) break;
        const blank = fields.length === 2 && fields[0] === fields[1];
        if (!blank) {
          if (columns === null) {
            const names = Array.from({ length: fields.length / 2 }, (_, k) => cellText(text, fields, k) ?? '');
            columns = {
              run: names.indexOf('run'),
              epoch: names.indexOf('epoch'),
              cost: names.indexOf('cost'),
              test: names.indexOf('test_cost'),
              sharpness: names.indexOf('sharpness'),
              learningRate: names.indexOf('learning_rate'),
            };
            if (columns.run < 0 || columns.epoch < 0 || columns.cost < 0) throw new CurvesCsvError(`${file}: expected the columns run, epoch and cost`);
          } else {
            const run = Number(cellText(text, fields, columns.run));
            if (run !== lastRun) {
              curve = growing.get(run);
              if (!curve) {
                curve = {
                  epoch: new GrowingSeries(),
                  cost: new GrowingSeries(),
                  testCost: optional(columns.test),
                  sharpness: optional(columns.sharpness),
                  learningRate: optional(columns.learningRate),
                };
                growing.set(run, curve);
              }
              lastRun = run;
            }
            curve!.epoch.push(Number(cellText(text, fields, columns.epoch)));
            curve!.cost.push(parseNumber(cellText(text, fields, columns.cost)) ?? NaN);
            if (curve!.testCost) {
              const testCost = parseNumber(cellText(text, fields, columns.test));
              if (testCost !== null) hasTestCost = true;
              curve!.testCost.push(testCost ?? NaN);
            }
            curve!.sharpness?.push(parseNumber(cellText(text, fields, columns.sharpness)) ?? NaN);
            curve!.learningRate?.push(parseNumber(cellText(text, fields, columns.learningRate)) ?? NaN);
          }
        }
        at = next;
      }
      carry = text.slice(at);
      if (atEnd) break;
    }
  } finally {
    await handle.close();
  }
  const curves = new Map<number, RunCurve>();
  for (const [run, grown] of growing) {
    curves.set(run, {
      epoch: grown.epoch.values(),
      cost: grown.cost.values(),
      testCost: grown.testCost?.values() ?? null,
      sharpness: grown.sharpness?.values() ?? null,
      learningRate: grown.learningRate?.values() ?? null,
    });
  }
  return { curves, hasTestCost };
}
