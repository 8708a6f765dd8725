// curves.csv read back for the report: the fast scan of a plain file (plain-curves.ts), the single
// pass that takes each run's count of points from the run records, and the sketches made from the
// file's text while a sweep writes it (live-curves.ts) must sketch exactly what the CSV parser's two
// passes sketch, and must give way to them for anything else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeldCurvesTap } from '../../src/output/curves-tap.js';
import { pointsPerCurve } from '../../src/output/report/downsample.js';
import { LiveCurveSketches } from '../../src/output/report/live-curves.js';
import { readCurvesCsv, type SketchOptions } from '../../src/output/report/read-curves.js';
import { RandomState } from '../../src/nn/rng.js';
import { scanPlainCurves, NotPlainCurves } from '../../src/output/report/plain-curves.js';
import { tempFolder } from '../helpers/temp-folders.js';

const options: SketchOptions = { budget: 40, maxCost: 0.24 };

/** The same file with its header's first cell quoted: the CSV parser reads it the same, the fast scan never. */
const quotedHeader = (text: string) => text.replace(/^run,/, '"run",');

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Rows of `runs` runs of `points` points each, with costs that cover every kind of cell. */
function curvesText(runs: number, points: number, columns: { test?: boolean; sharpness?: boolean; rate?: boolean; keys?: number }): string {
  const keys = columns.keys ?? 1;
  const header = ['run', ...Array.from({ length: keys }, (_, k) => `key${k}`), 'epoch', 'cost'];
  if (columns.test) header.push('test_cost');
  if (columns.sharpness) header.push('sharpness');
  if (columns.rate) header.push('learning_rate');
  const special = ['NaN', 'Infinity', '-Infinity', '0', '-0.5', '1e-300', ' 0.25 '];
  const lines = [header.join(',')];
  for (let run = 1; run <= runs; run++) {
    for (let epoch = 0; epoch < points; epoch++) {
      const cost = epoch % 97 === 13 ? special[(epoch + run) % special.length] : String(0.3 / (1 + epoch * run * 0.01));
      const cells = [String(run), ...Array.from({ length: keys }, (_, k) => String(run * 10 + k)), String(epoch), cost];
      if (columns.test) cells.push(epoch % 5 === 0 ? '' : String(cost === 'NaN' ? 'NaN' : 0.2 / (1 + epoch)));
      if (columns.sharpness) cells.push(epoch % 7 === 0 ? String(2 + Math.sin(epoch)) : '');
      if (columns.rate) cells.push(String(0.1 * (1 + (epoch % 3))));
      lines.push(cells.join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Each run's points in a curves text. */
function pointsOf(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const run = Number(line.slice(0, line.indexOf(',')));
    counts.set(run, (counts.get(run) ?? 0) + 1);
  }
  return counts;
}

async function readBothWays(text: string, expected: Map<number, number> | null = null) {
  const dir = tempFolder();
  const plain = write(dir, 'plain.csv', text);
  let records = 0;
  await scanPlainCurves(plain, () => records++, undefined, false);
  expect(records).toBe([...pointsOf(text).values()].reduce((a, b) => a + b, 0));
  const fast = await readCurvesCsv(plain, options, expected);
  const parsed = await readCurvesCsv(write(dir, 'quoted.csv', quotedHeader(text)), options);
  return { fast, parsed };
}

describe('reading curves.csv back', () => {
  const layouts = {
    'cost only': {},
    'no sweep key': { keys: 0 },
    'two sweep keys': { keys: 2 },
    'test costs': { test: true },
    'sharpness and learning rates': { sharpness: true, rate: true },
    'every column': { test: true, sharpness: true, rate: true },
  };
  for (const [name, columns] of Object.entries(layouts)) {
    it(`scans a plain file as the CSV parser reads it: ${name}`, async () => {
      // 3 000 rows: more than one read buffer.
      const text = curvesText(3, 1000, columns);
      const { fast, parsed } = await readBothWays(text);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(parsed);
      // The counts from the records give the same sketch in one pass.
      expect((await readBothWays(text, pointsOf(text))).fast).toEqual(parsed);
    });
  }

  it('takes the counting pass when the records say other counts, or miss a run', async () => {
    const text = curvesText(3, 300, { test: true });
    const { parsed } = await readBothWays(text);
    const wrong = pointsOf(text);
    wrong.set(2, 299);
    expect((await readBothWays(text, wrong)).fast).toEqual(parsed);
    const missing = pointsOf(text);
    missing.delete(3);
    expect((await readBothWays(text, missing)).fast).toEqual(parsed);
  });

  it('reads runs whose rows are not together, CRLF line ends, blank lines and a last line without its newline', async () => {
    const lines = curvesText(2, 200, {}).trimEnd().split('\n');
    const [header, ...rows] = lines;
    const shuffled = [header, ...rows.filter((_, i) => i % 2 === 0), '', ...rows.filter((_, i) => i % 2 === 1)];
    const variants = [shuffled.join('\n'), `${lines.join('\r\n')}\r\n`, `${lines.join('\n\n')}\n`, lines.join('\n')];
    for (const text of variants) {
      const { fast, parsed } = await readBothWays(text, pointsOf(text));
      expect(fast).toEqual(parsed);
    }
  });

  it('gives way to the CSV parser for quoted cells, malformed lines and other column orders', async () => {
    const dir = tempFolder();
    const plain = curvesText(2, 50, {});
    const odd = [
      plain.replace('\n1,10,3,', '\n1,"1,0",3,'),
      plain.replace('\n1,10,3,', '\n1,10,3,0.5,'),
      plain.replace('\n1,10,3,', '\n,10,3,'),
      plain.replace(/^run,key0,epoch,cost/, 'key0,run,epoch,cost'),
      '',
    ];
    for (const text of odd) {
      const path = write(dir, 'odd.csv', text);
      await expect(scanPlainCurves(path, () => undefined, undefined, false)).rejects.toBeInstanceOf(NotPlainCurves);
      const read = await readCurvesCsv(path, options, pointsOf(text)).catch((error: Error) => error.message);
      const parsed = await readCurvesCsv(path, options).catch((error: Error) => error.message);
      expect(read).toEqual(parsed);
    }
  });
});

/** The text in pieces cut at random places, as a writer hands it over (each run's count before its rows). */
function feed(tap: { expect(run: number, points: number): void; write(text: string): void }, text: string, seed: number): void {
  const rs = new RandomState(seed);
  const [header, ...lines] = text.split('\n');
  tap.write(`${header}\n`);
  const counts = pointsOf(text);
  let run = NaN;
  let piece = '';
  for (const line of lines) {
    const lineRun = Number(line.slice(0, line.indexOf(',')));
    if (line !== '' && lineRun !== run) {
      if (piece) tap.write(piece);
      piece = '';
      run = lineRun;
      tap.expect(run, counts.get(run)!);
    }
    piece += `${line}\n`;
    if (rs.randomSample() < 0.01) {
      const cut = Math.floor(rs.randomSample() * piece.length);
      tap.write(piece.slice(0, cut));
      piece = piece.slice(cut);
    }
  }
  if (piece) tap.write(piece.replace(/\n$/, text.endsWith('\n') ? '\n' : ''));
}

describe("a sweep's curves sketched as curves.csv is written", () => {
  const runs = 3;
  const settings = { budget: pointsPerCurve(runs), maxCost: 0.24 };

  it('are the curves read back from the file, when held before the report attaches and after', async () => {
    for (const columns of [{}, { test: true }, { test: true, rate: true, keys: 2 }]) {
      const text = curvesText(runs, 700, columns);
      const dir = tempFolder();
      const fromFile = await readCurvesCsv(write(dir, 'curves.csv', text), settings);
      const live = new LiveCurveSketches(runs, 0.24);
      feed(live, text, 1);
      expect(live.curvesFor(settings)).toEqual(fromFile);
      // Held by the tap until the report's module is there, then passed on.
      const tap = new HeldCurvesTap();
      const late = new LiveCurveSketches(runs, 0.24);
      let writes = 0;
      const attachLate = (piece: string) => {
        if (++writes === 4) expect(tap.attach(late)).toBe(true);
        tap.write(piece);
      };
      feed({ expect: (run, points) => tap.expect(run, points), write: attachLate }, text, 2);
      expect(writes).toBeGreaterThan(4);
      expect(late.curvesFor(settings)).toEqual(fromFile);
    }
  });

  it('are the same when some runs come as numbers from their workers, held by the tap or not', async () => {
    const text = curvesText(runs, 700, {});
    const fromFile = await readCurvesCsv(write(tempFolder(), 'curves.csv', text), settings);
    const [header, ...lines] = text.trimEnd().split('\n');
    const rowsOf = (run: number) => lines.filter((line) => line.startsWith(`${run},`));
    // What a worker sends: the doubles its rows were written from. "0" may have been -0.
    const numbersOf = (run: number) => {
      const cells = rowsOf(run).map((line) => line.split(','));
      const costs = Float64Array.from(cells, (cell) => (cell[3] === '0' ? -0 : Number(cell[3].trim())));
      expect(costs.some((cost) => Object.is(cost, -0))).toBe(true);
      return { epochs: Int32Array.from(cells, (cell) => Number(cell[2])), costs };
    };
    for (const heldFirst of [false, true]) {
      const live = new LiveCurveSketches(runs, 0.24);
      const tap = new HeldCurvesTap();
      if (!heldFirst) expect(tap.attach(live)).toBe(true);
      tap.write(`${header}\n`);
      for (let run = 1; run <= runs; run++) {
        tap.expect(run, rowsOf(run).length);
        if (run === 2) tap.write(`${rowsOf(run).join('\n')}\n`);
        else tap.curve(run, numbersOf(run));
      }
      if (heldFirst) expect(tap.attach(live)).toBe(true);
      expect(live.curvesFor(settings)).toEqual(fromFile);
    }
    // Numbers cannot stand for rows with a test cost column.
    const withTest = new LiveCurveSketches(runs, 0.24);
    withTest.write(`${curvesText(runs, 5, { test: true }).split('\n')[0]}\n`);
    withTest.expect(1, 700);
    withTest.curve(1, numbersOf(1));
    expect(withTest.curvesFor(settings)).toBeNull();
  });

  it('are not offered for other thinning settings, a file that is not plain, or runs with other counts', () => {
    const text = curvesText(runs, 300, {});
    const live = new LiveCurveSketches(runs, 0.24);
    feed(live, text, 3);
    expect(live.curvesFor({ ...settings, budget: settings.budget - 1 })).toBeNull();
    expect(live.curvesFor({ ...settings, maxCost: null })).toBeNull();
    expect(live.curvesFor(settings)).not.toBeNull();
    const quoted = new LiveCurveSketches(runs, 0.24);
    feed(quoted, text.replace('\n1,10,3,', '\n1,"10",3,'), 4);
    expect(quoted.curvesFor(settings)).toBeNull();
    const miscounted = new LiveCurveSketches(runs, 0.24);
    feed({ expect: (run, points) => miscounted.expect(run, run === 2 ? points + 1 : points), write: (piece) => miscounted.write(piece) }, text, 5);
    expect(miscounted.curvesFor(settings)).toBeNull();
    const withSharpness = new LiveCurveSketches(runs, 0.24);
    feed(withSharpness, curvesText(runs, 300, { sharpness: true }), 6);
    expect(withSharpness.curvesFor(settings)).toBeNull();
  });

  it('are given up by a tap that had to hold too much text before the report attached', () => {
    const tap = new HeldCurvesTap();
    tap.write('x'.repeat(9_000_000));
    expect(tap.attach(new LiveCurveSketches(1, null))).toBe(false);
  });
});
