// A run's curve kept as numbers for the sweep's report (PlainCurveKeeper): the very numbers its curve
// file's rows are read back as, and nothing for a curve the report cannot take as numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGrid, parseExperiment } from '../../src/experiment/index.js';
import { executeRun, executeRunKeepingCurve, PlainCurveKeeper } from '../../src/run/index.js';
import type { RecordedPoints } from '../../src/nn/index.js';
import { tempFolder } from '../helpers/temp-folders.js';
import { xorExperiment } from '../helpers/xor-experiment.js';

/** xor-lr's network at two rates, every second epoch recorded: one run to its end, one that diverges. */
function xorRuns() {
  const loaded = parseExperiment(xorExperiment('k', 300, 'train.learning_rate', [0.5, 5000]), 'k.yaml', {
    overrides: ['divergence.max_cost=0.24', 'train.record_every=2'],
  });
  return expandGrid(loaded, { engineVersion: '1' });
}

/** The rows of a curve file, as the report reads them back. */
function fileNumbers(path: string) {
  const rows = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
  return { epochs: rows.map((row) => Number(row.split(',')[0])), costs: rows.map((row) => Number(row.split(',')[1])) };
}

describe('a run keeping its curve as numbers', () => {
  it('keeps what its curve file holds, for a run to its end and for one that diverged, and changes nothing else', () => {
    for (const spec of xorRuns()) {
      const dir = tempFolder();
      const { record, curve } = executeRunKeepingCurve(spec, new Map(), join(dir, 'kept.curve.csv'), 1000);
      const plainRecord = executeRun(spec, new Map(), join(dir, 'plain.curve.csv'));
      expect({ ...record, wallMs: 0 }).toEqual({ ...plainRecord, wallMs: 0 });
      expect(readFileSync(join(dir, 'kept.curve.csv'), 'utf8')).toBe(readFileSync(join(dir, 'plain.curve.csv'), 'utf8'));
      const fromFile = fileNumbers(join(dir, 'kept.curve.csv'));
      expect(curve).not.toBeNull();
      expect(Array.from(curve!.epochs)).toEqual(fromFile.epochs);
      expect(Array.from(curve!.costs)).toEqual(fromFile.costs);
      expect(curve!.costs.length).toBe(record.points);
    }
    // 0.5 trains all 300 epochs (every second one recorded, and the last: 151 points); 5000 diverges long before.
    const [slow, wild] = xorRuns().map((spec) => executeRunKeepingCurve(spec, new Map(), join(tempFolder(), 'c.csv'), 1000));
    expect(slow.curve!.costs.length).toBe(151);
    expect(wild.record.status).toBe('diverged');
    expect(wild.curve!.costs.length).toBeLessThan(151);
  });

  it('keeps nothing past its limit, when not asked, or for a curve with more columns than epoch and cost', () => {
    const [spec] = xorRuns();
    const dir = tempFolder();
    expect(executeRunKeepingCurve(spec, new Map(), join(dir, 'a.csv'), 150).curve).toBeNull();
    expect(executeRunKeepingCurve(spec, new Map(), join(dir, 'b.csv'), 0).curve).toBeNull();
    const points = (count: number, withTest: boolean): RecordedPoints => ({
      count,
      epochs: Int32Array.from({ length: count + 3 }, (_, i) => i),
      costs: Float64Array.from({ length: count + 3 }, (_, i) => 1 / (i + 1)),
      testCosts: withTest ? new Float64Array(count + 3) : null,
      learningRates: null,
      sharpness: null,
    });
    const keeper = new PlainCurveKeeper(4, 100);
    keeper.add(points(3, false));
    keeper.add(points(5, false));
    expect(Array.from(keeper.curve()!.epochs)).toEqual([0, 1, 2, 0, 1, 2, 3, 4]);
    expect(Array.from(keeper.curve()!.costs)).toEqual([1, 1 / 2, 1 / 3, 1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]);
    keeper.add(points(2, true));
    expect(keeper.curve()).toBeNull();
  });
});
