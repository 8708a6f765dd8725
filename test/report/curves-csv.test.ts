// The fast curves.csv reader gives exactly what a general CSV parser gives, whatever the chunk
// boundaries: quoted swept values with commas, quotes and line breaks, CRLF line ends, a byte
// order mark, empty test costs and non-finite costs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { readCurvesCsv } from '../../src/output/report/curves-csv.js';
import { parseNumber } from '../../src/output/report/numbers.js';

const dir = mkdtempSync(join(tmpdir(), 'gradgrid-curves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What csv-parse reads: per run, the epochs, costs and test costs as numbers. */
function reference(text: string) {
  const [header, ...rows] = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  const [run, epoch, cost, test] = ['run', 'epoch', 'cost', 'test_cost'].map((name) => header.indexOf(name));
  const curves = new Map<number, { epoch: number[]; cost: number[]; testCost: number[] | null }>();
  for (const row of rows) {
    const key = Number(row[run]);
    if (!curves.has(key)) curves.set(key, { epoch: [], cost: [], testCost: test >= 0 ? [] : null });
    const curve = curves.get(key)!;
    curve.epoch.push(Number(row[epoch]));
    curve.cost.push(parseNumber(row[cost]) ?? NaN);
    curve.testCost?.push(parseNumber(row[test]) ?? NaN);
  }
  return curves;
}

const TRICKY = [
  '\ufeffrun,model,"train.learning_rate",epoch,cost,test_cost',
  '1,"deep, wide",0.1,0,0.5,0.6',
  '1,"deep, wide",0.1,1,0.25,',
  '2,"say ""hi""\nthere",1e-3,0,NaN,Infinity',
  '2,"say ""hi""\nthere",1e-3,1,-Infinity,1.5e-310',
  '',
  '3,plain,7,0,1,2\r',
  '3,plain,7,1,0.1,0.2\r',
  '3,"é ü 🍕",7,2,0.01,0.02',
].join('\n');

describe('curves.csv reader', () => {
  it('reads what csv-parse reads, for every chunk size', async () => {
    const file = join(dir, 'tricky.csv');
    writeFileSync(file, TRICKY);
    const expected = reference(TRICKY);
    for (const chunkBytes of [1, 2, 3, 5, 7, 11, 16, 64, 1 << 20]) {
      const read = await readCurvesCsv(file, { chunkBytes });
      expect(read!.hasTestCost).toBe(true);
      const actual = new Map([...read!.curves].map(([run, curve]) => [run, { epoch: Array.from(curve.epoch), cost: Array.from(curve.cost), testCost: curve.testCost ? Array.from(curve.testCost) : null }]));
      expect(actual, `chunks of ${chunkBytes} bytes`).toEqual(expected);
    }
  });

  it('reads a file without a test_cost column or a final line break, and names missing columns', async () => {
    const file = join(dir, 'plain.csv');
    writeFileSync(file, 'run,epoch,cost\n1,0,0.5\n1,1,0.25');
    const read = await readCurvesCsv(file, { chunkBytes: 4 });
    expect(read!.hasTestCost).toBe(false);
    expect(Array.from(read!.curves.get(1)!.cost)).toEqual([0.5, 0.25]);
    expect(read!.curves.get(1)!.testCost).toBeNull();
    expect(read!.curves.get(1)!.sharpness).toBeNull();
    // Tracked runs: sharpness (empty where not computed) and the learning rate of each epoch.
    writeFileSync(file, 'run,epoch,cost,sharpness,learning_rate\n1,0,0.5,3.5,0.1\n1,1,0.25,,0.05\n');
    const tracked = (await readCurvesCsv(file, { chunkBytes: 5 }))!.curves.get(1)!;
    expect(Array.from(tracked.sharpness!)).toEqual([3.5, NaN]);
    expect(Array.from(tracked.learningRate!)).toEqual([0.1, 0.05]);
    writeFileSync(file, 'run,step,cost\n1,0,0.5\n');
    await expect(readCurvesCsv(file)).rejects.toThrow(/expected the columns run, epoch and cost/);
    expect(await readCurvesCsv(join(dir, 'missing.csv'))).toBeNull();
  });
});
