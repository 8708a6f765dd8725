// The stability-limit chart's data: every probe at its grid point with its verdict, the limit of
// each grid point that found one as a bar (and in the close-ups), and the table of stability.csv.
import { describe, expect, it } from 'vitest';
import type { ReportRun, StabilityPoint } from '../../src/output/report/result-folder.js';
import { sketchSeries } from '../../src/output/report/curve-sketch.js';
import { MAX_POINTS_PER_CURVE } from '../../src/output/report/downsample.js';
import { LIMIT_MARK, PROBE_BEYOND, PROBE_FAILED, PROBE_STABLE, stabilitySpec, stabilityTableHtml } from '../../src/output/report/stability.js';

function probe(index: number, optimizer: string, learningRate: number, beyondLimit: boolean | null): ReportRun {
  return {
    run: index,
    params: [['train.optimizer', optimizer], ['train.learning_rate', learningRate]],
    label: `optimizer = ${optimizer}, learning_rate = ${learningRate}`,
    status: beyondLimit ? 'diverged' : 'converged',
    epochs: 10,
    finalCost: 0.1,
    curve: { cost: sketchSeries([], [], MAX_POINTS_PER_CURVE, null), testCost: null, sharpness: null, learningRate: null },
    boundary: null,
    points: null,
    beyondLimit,
  };
}

const point = (cell: string, stableMax: number | null, unstableMin: number | null, outcome: string, note = ''): StabilityPoint => ({
  cells: [cell],
  key: 'train.learning_rate',
  stableMax,
  unstableMin,
  probes: 3,
  outcome,
  note,
});

type Row = { point: string; mark: string; value: number; zoom: boolean };
const rowsOf = (chart: { rows: object[] }) => chart.rows as unknown as Row[];

describe('stabilitySpec', () => {
  const runs = [
    probe(1, 'sgd', 0.1, false),
    probe(2, 'sgd', 0.2, false),
    probe(3, 'sgd', 0.25, true),
    probe(4, 'adam', 1, true),
    probe(5, 'adam', 10, null),
  ];
  const points = [point('sgd', 0.2, 0.25, 'bracketed'), point('adam', null, 1, 'low_beyond_limit', 'already beyond the limit at low = 1')];

  it('places every probe at its grid point with its verdict, and a limit bar where one was found', () => {
    const chart = stabilitySpec(points, runs, ['train.optimizer'])!;
    const rows = rowsOf(chart);
    expect(rows.filter((row) => row.mark !== LIMIT_MARK).map((row) => [row.point, row.value, row.mark])).toEqual([
      ['optimizer = sgd', 0.1, PROBE_STABLE],
      ['optimizer = sgd', 0.2, PROBE_STABLE],
      ['optimizer = sgd', 0.25, PROBE_BEYOND],
      ['optimizer = adam', 1, PROBE_BEYOND],
      ['optimizer = adam', 10, PROBE_FAILED],
    ]);
    expect(rows.filter((row) => row.mark === LIMIT_MARK).map((row) => [row.point, row.value])).toEqual([['optimizer = sgd', 0.2]]);
    // Close-ups: within a factor 1.3 of the limit (0.1 is not), and only where a limit was found.
    expect(rows.filter((row) => row.zoom).map((row) => row.value)).toEqual([0.2, 0.25, 0.2]);
    expect(chart).toMatchObject({ points: ['optimizer = sgd', 'optimizer = adam'], probes: 5, limits: 1 });
  });

  it('tables stability.csv with the outcome in words and the note', () => {
    const html = stabilityTableHtml(points, ['train.optimizer']);
    expect(html).toContain('<td>optimizer = adam</td>');
    expect(html).toContain('<td>below low</td><td>already beyond the limit at low = 1</td>');
    expect(html).toContain('<td>found</td>');
  });

  it('draws nothing without a probe or a limit', () => {
    expect(stabilitySpec([], runs, ['train.optimizer'])).toBeNull();
    expect(stabilitySpec([point('sgd', null, null, 'interrupted')], [], ['train.optimizer'])).toBeNull();
  });
});
