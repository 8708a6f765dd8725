// curves.csv is written by copying each run's curve file with the run's cells in front. Its bytes
// must be what writing every row with csv-stringify gives (how curves.csv was always written).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SweepValue } from '../../src/experiment/types.js';
import { CurvesCsvWriter, type CsvColumns } from '../../src/output/csv.js';
import { CurveFileWriter, factsOf, failedRecord, type FinishedRun } from '../../src/run/index.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rowsCsv = (rows: unknown[][]) =>
  stringify(rows, { cast: { boolean: (value) => String(value), number: (value) => String(value) } });

interface Curve {
  epochs: number[];
  costs: number[];
  testCosts: number[] | null;
  /** Beside each epoch; null where none was computed; the whole list null when not tracked. */
  sharpness: (number | null)[] | null;
  /** The rate of each epoch when it varies; null for a constant rate. */
  learningRates: number[] | null;
}

/** Writes a curve file as the engine hands points over: in pieces of `chunk`. */
function curveFile(name: string, curve: Curve, chunk: number): { path: string; points: number } {
  const path = join(dir, name);
  const writer = new CurveFileWriter(path);
  for (let start = 0; start < curve.epochs.length; start += chunk) {
    const end = Math.min(curve.epochs.length, start + chunk);
    const part = <T>(values: T[]) => values.slice(start, end);
    const computed = part(curve.epochs.map((epoch, k) => [epoch, curve.sharpness?.[k] ?? null] as const)).filter(([, value]) => value !== null);
    writer.append({
      count: end - start,
      epochs: Int32Array.from(part(curve.epochs)),
      costs: Float64Array.from(part(curve.costs)),
      testCosts: curve.testCosts ? Float64Array.from(part(curve.testCosts)) : null,
      learningRates: curve.learningRates ? Float64Array.from(part(curve.learningRates)) : null,
      sharpness: curve.sharpness
        ? {
            count: computed.length,
            epochs: Int32Array.from(computed.map(([epoch]) => epoch)),
            values: Float64Array.from(computed.map(([, value]) => value!)),
            iterations: new Int32Array(computed.length),
          }
        : null,
    });
  }
  return { path, points: writer.close().points };
}

const finished = (index: number, params: [string, SweepValue][], points: number): FinishedRun => ({
  index,
  params,
  facts: { ...factsOf(failedRecord('h', '1', '')), status: 'converged', error: null, points },
  reused: false,
});

describe('curves.csv from curve files', () => {
  const combinations: CsvColumns[] = [
    { testCost: false, sharpness: false, learningRate: false },
    { testCost: true, sharpness: false, learningRate: false },
    { testCost: false, sharpness: true, learningRate: false },
    { testCost: false, sharpness: false, learningRate: true },
    { testCost: true, sharpness: true, learningRate: true },
  ];
  for (const columns of combinations) {
    it(`has the bytes of csv-stringify rows, for awkward swept values and non-finite costs (${JSON.stringify(columns)})`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'gradgrid-curves-'));
      const sweepKeys = ['dataset.csv', 'train.learning_rate', 'flag', 'note'];
      const when = <T>(on: boolean, values: T) => (on ? values : null);
      const runs: { params: SweepValue[]; curve: Curve }[] = [
        {
          params: ['data/a,b.csv', 0.1, true, 'say "hi"'],
          curve: {
            epochs: [0, 7, 14, 20],
            costs: [0.25, 1e-300, 5e-324, 0.1 + 0.2],
            testCosts: when(columns.testCost, [0.5, NaN, 3, 1 / 3]),
            sharpness: when(columns.sharpness, [1.5, null, 2.25, NaN]),
            learningRates: when(columns.learningRate, [0.01, 0.05, 0.1, 0.07500000000000001]),
          },
        },
        // No test split, no tracking and a constant rate in this run, where the sweep has them:
        // empty cells, and its own rate in the learning_rate column.
        { params: ['multi\nline.csv', 1e21, false, null], curve: { epochs: [0, 1, 2], costs: [1, Infinity, NaN], testCosts: null, sharpness: null, learningRates: null } },
        {
          params: ['plain.csv', -0.5, true, ''],
          curve: { epochs: [0], costs: [-Infinity], testCosts: null, sharpness: when(columns.sharpness, [Infinity]), learningRates: null },
        },
      ];
      const baseRates = new Map(runs.map((_, i) => [i + 1, 0.3 * (i + 1)]));
      const out = join(dir, 'curves.csv');
      const writer = new CurvesCsvWriter(out, sweepKeys, columns, baseRates);
      await writer.start();
      const optional = [...(columns.testCost ? ['test_cost'] : []), ...(columns.sharpness ? ['sharpness'] : []), ...(columns.learningRate ? ['learning_rate'] : [])];
      let expected = rowsCsv([['run', ...sweepKeys, 'epoch', 'cost', ...optional]]);
      for (const [i, { params, curve }] of runs.entries()) {
        const file = curveFile(`${i}.curve.csv`, curve, 2);
        await writer.append(finished(i + 1, sweepKeys.map((key, k) => [key, params[k]]), file.points), file.path);
        expected += rowsCsv(
          curve.epochs.map((epoch, k) => [
            i + 1,
            ...params,
            epoch,
            curve.costs[k],
            ...(columns.testCost ? [curve.testCosts ? curve.testCosts[k] : null] : []),
            ...(columns.sharpness ? [curve.sharpness ? curve.sharpness[k] : null] : []),
            ...(columns.learningRate ? [curve.learningRates ? curve.learningRates[k] : baseRates.get(i + 1)] : []),
          ]),
        );
      }
      await writer.commit();
      expect(readFileSync(out, 'utf8')).toBe(expected);
    });
  }

  it('refuses a curve file that does not hold the points its record says', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradgrid-curves-'));
    const file = curveFile('a.curve.csv', { epochs: [0, 1], costs: [0.5, 0.4], testCosts: null, sharpness: null, learningRates: null }, 10);
    const writer = new CurvesCsvWriter(join(dir, 'curves.csv'), [], { testCost: false, sharpness: false, learningRate: false });
    await writer.start();
    await expect(writer.append(finished(1, [], 3), file.path)).rejects.toThrow(/holds 2 points, but the record of run 1 says 3/);
    await writer.abort();
  });
});
