// The sharpness chart's data: each run's sharpness where it was computed, its stability threshold
// beside it, and what is left out (thresholds far above everything, optimizers without one).
import { describe, expect, it } from 'vitest';
import type { ReportRun } from '../../src/output/report/result-folder.js';
import { sharpnessSpec } from '../../src/output/report/sharpness.js';
import { sketchSeries, sketchSharpness } from '../../src/output/report/curve-sketch.js';
import { MAX_POINTS_PER_CURVE } from '../../src/output/report/downsample.js';

function run(index: number, learningRate: number, sharpness: number[], optimizer?: unknown): ReportRun {
  const epochs = sharpness.map((_, i) => i);
  return {
    run: index,
    params: [['train.learning_rate', learningRate]],
    label: `learning_rate = ${learningRate}`,
    status: 'converged',
    epochs: sharpness.length,
    finalCost: 0.1,
    curve: {
      cost: sketchSeries(epochs, sharpness.map(() => 0.1), MAX_POINTS_PER_CURVE, null),
      testCost: null,
      sharpness: sketchSharpness(epochs, sharpness, MAX_POINTS_PER_CURVE),
      learningRate: null,
    },
    boundary: null,
    points: null,
    train: { learning_rate: learningRate, ...(optimizer === undefined ? {} : { optimizer }) },
  };
}

type Row = { kind: string; label: string; epoch: number; value: number };
const rowsOf = (chart: { rows: object[] }) => chart.rows as unknown as Row[];

describe('sharpnessSpec', () => {
  it('draws the computed points and 2/η beside them, skipping epochs without a value', () => {
    const chart = sharpnessSpec([run(1, 10, [0.1, NaN, 0.15, NaN, 0.18])], { orderedColours: true })!;
    const rows = rowsOf(chart);
    expect(rows.filter((row) => row.kind === 'sharpness λmax').map((row) => [row.epoch, row.value])).toEqual([[0, 0.1], [2, 0.15], [4, 0.18]]);
    expect(rows.filter((row) => row.kind === 'stability threshold 2/η').map((row) => [row.epoch, row.value])).toEqual([[0, 0.2], [2, 0.2], [4, 0.2]]);
    expect(chart.formulas).toEqual(['2/η']);
    expect(chart.yScale).toBe('linear');
  });

  it('uses a log axis across decades, and leaves out thresholds far above every sharpness', () => {
    const chart = sharpnessSpec([run(1, 0.001, [0.1, 0.2]), run(2, 1, [0.1, 0.3]), run(3, 40, [0.02, 0.05])], { orderedColours: true })!;
    expect(chart.farThresholds).toEqual(['learning_rate = 0.001']);
    const thresholds = rowsOf(chart).filter((row) => row.kind !== 'sharpness λmax');
    expect(new Set(thresholds.map((row) => row.value))).toEqual(new Set([2, 0.05]));
    expect(chart.yScale).toBe('log');
  });

  it('follows the optimizer: momentum moves the line, adaptive ones have none', () => {
    const chart = sharpnessSpec([run(1, 1, [0.5, 0.6], { name: 'momentum', beta: 0.5 }), run(2, 1, [0.5, 0.6], 'adam')], { orderedColours: false })!;
    const thresholds = rowsOf(chart).filter((row) => row.kind !== 'sharpness λmax');
    expect(thresholds.map((row) => row.value)).toEqual([3, 3]);
    expect(thresholds[0].kind).toBe('stability threshold 2(1+β)/η');
    expect(chart.withoutThreshold).toEqual([{ label: 'learning_rate = 1', reason: expect.stringMatching(/^none for adam/) }]);
  });

  it('is null when no run has a sharpness', () => {
    expect(sharpnessSpec([run(1, 1, [NaN, NaN])], { orderedColours: true })).toBeNull();
  });
});
