// The report's building blocks: downsampling, log-axis handling, labels, the PNG encoder,
// number formatting and the data the charts are drawn from.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { axisKindsOf, colourAxis, describeAxes, facetAxes } from '../../src/output/report/axes.js';
import { boundaryImage, CLASS_SCALE, rampColour, spreadSelection, valueScaleOf } from '../../src/output/report/boundaries.js';
import { curvesSpec } from '../../src/output/report/curves.js';
import fc from 'fast-check';
import { sketchSeries } from '../../src/output/report/curve-sketch.js';
import { downsampleIndices, MAX_POINTS_PER_CURVE } from '../../src/output/report/downsample.js';
import { chooseXKey, finalCostSpec } from '../../src/output/report/final-cost.js';
import { escapeHtml } from '../../src/output/report/html.js';
import { runLabels, shortKeyNames } from '../../src/output/report/labels.js';
import { costKind, logTicks, offScaleLevel, spansDecades } from '../../src/output/report/log-scale.js';
import { formatDuration, formatNumber, parseNumber } from '../../src/output/report/numbers.js';
import { crc32, encodePng, tableCrc32 } from '../../src/output/report/png.js';
import type { ReportRun } from '../../src/output/report/result-folder.js';
import { estimateTextWidth } from '../../src/output/report/text-width.js';

function run(index: number, status: string, cost: number[], learningRate = index): ReportRun {
  return {
    run: index,
    params: [['train.learning_rate', learningRate]],
    label: `learning_rate = ${learningRate}`,
    status,
    epochs: cost.length,
    finalCost: cost[cost.length - 1],
    curve: { cost: sketchSeries(cost.map((_, i) => i), cost, MAX_POINTS_PER_CURVE, 1e6), testCost: null, sharpness: null, learningRate: null },
    boundary: null,
    points: null,
    classes: null,
  };
}

/** The rows a chart is drawn from. */
const rowsOf = (chart: { rows: object[] }) => chart.rows as unknown as Record<string, unknown>[];

describe('downsampleIndices', () => {
  it('keeps every point of a short curve', () => {
    expect(downsampleIndices([3, 2, 1], 400)).toEqual([0, 1, 2]);
  });

  it('thins a long curve to at most the limit, keeping both ends, early shape and every spike', () => {
    const n = 5000;
    const costs = Array.from({ length: n }, (_, e) => Math.exp(-e / 300) + 0.01);
    costs[3333] = 50; // a spike
    costs[4000] = 1e-6; // a dip
    const kept = downsampleIndices(costs, 400);
    expect(kept.length).toBeLessThanOrEqual(400);
    expect(kept.length).toBeGreaterThan(300);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(new Set(kept).size).toBe(kept.length);
    for (const index of [0, 1, 2, 3, 3333, 4000, n - 1]) expect(kept).toContain(index);
  });
});

/** downsampleIndices as it was written over a whole array, before it took one point at a time. */
function wholeCurveIndices(costs: number[], maxPoints: number): number[] {
  const n = costs.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  const logCount = Math.floor(maxPoints / 4);
  const logMax = Math.log(n - 1);
  for (let k = 0; k < logCount; k++) keep.add(Math.round(Math.exp((logMax * k) / (logCount - 1))));
  const buckets = Math.floor((maxPoints - logCount - 2) / 2);
  for (let b = 0; b < buckets; b++) {
    let low = -1;
    let high = -1;
    for (let i = Math.floor((b * n) / buckets); i < Math.floor(((b + 1) * n) / buckets); i++) {
      if (!Number.isFinite(costs[i])) continue;
      if (low < 0 || costs[i] < costs[low]) low = i;
      if (high < 0 || costs[i] > costs[high]) high = i;
    }
    if (low >= 0) keep.add(low);
    if (high >= 0) keep.add(high);
  }
  return [...keep].sort((a, b) => a - b);
}

describe('thinning one point at a time', () => {
  it('keeps the same points as thinning the whole curve', () => {
    const value = fc.oneof(fc.double({ min: -1, max: 100, noNaN: true }), fc.constantFrom(NaN, Infinity, 0, 1));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3000 }), fc.integer({ min: 30, max: 400 }), (costs, maxPoints) => {
        expect(downsampleIndices(costs, maxPoints)).toEqual(wholeCurveIndices(costs, maxPoints));
      }),
      { numRuns: 300 },
    );
  });

  it('a sketch counts over the whole curve what a log axis cannot show, and its highest drawable cost', () => {
    const costs = Array.from({ length: 5000 }, (_, e) => Math.exp(-e / 300) + 0.01);
    costs[10] = 0;
    costs[20] = -1;
    costs[30] = 5e6;
    costs[4999] = NaN;
    const sketch = sketchSeries(costs.map((_, e) => e * 2), costs, 400, 1e6);
    expect(sketch.points).toBe(5000);
    expect(sketch.omitted).toBe(3);
    expect(sketch.highest).toBe(costs[0]);
    expect(sketch.epoch).toEqual(wholeCurveIndices(costs, 400).map((i) => i * 2));
    expect(sketch.cost.at(-1)).toBeNaN();
  });
});

describe('log axis handling', () => {
  it('sorts costs into drawable, non-positive and off-scale', () => {
    expect(costKind(0.5, 1e6)).toBe('drawable');
    expect(costKind(0, 1e6)).toBe('non-positive');
    expect(costKind(-1, null)).toBe('non-positive');
    expect(costKind(NaN, null)).toBe('off-scale');
    expect(costKind(Infinity, null)).toBe('off-scale');
    expect(costKind(2e6, 1e6)).toBe('off-scale');
    expect(costKind(2e6, null)).toBe('drawable');
  });

  it('puts off-scale points at the power of ten at least one decade above the highest drawable value', () => {
    expect(offScaleLevel(0.7)).toBe(10);
    expect(offScaleLevel(1)).toBe(10);
    expect(offScaleLevel(3e4)).toBe(1e6);
    expect(offScaleLevel(null)).toBe(1);
  });

  it('chooses a log axis for values spanning decades, with ticks at round values', () => {
    expect(spansDecades([0.1, 1, 10, 100])).toBe(true);
    expect(spansDecades([1, 2, 3])).toBe(false);
    expect(spansDecades([0, 1, 100])).toBe(false);
    expect(logTicks(0.015, 70)).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(logTicks(0.0165, 1)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.2, 0.7)).toBeUndefined();
  });
});

describe('curvesSpec', () => {
  it('leaves out costs a log axis cannot show and draws a blown-up end off the scale with a cross', () => {
    const chart = curvesSpec([run(1, 'converged', [1, 0.5, 0, -1, 0.1]), run(2, 'diverged', [1, 30, NaN])], {
      which: 'cost',
      maxCost: 1e6,
      orderedColours: true,
    })!;
    expect(chart.seriesCount).toBe(2);
    expect(chart.omittedPoints).toBe(2);
    expect(chart.hasOffScale).toBe(true);
    const rows = rowsOf(chart);
    expect(rows.filter((row) => row.series === 'run 1: learning_rate = 1').map((row) => row.cost)).toEqual([1, 0.5, 0.1]);
    expect(rows.filter((row) => row.kind === 'line' && row.series === 'run 2: learning_rate = 2').map((row) => row.cost)).toEqual([1, 30, 1000]);
    expect(rows.filter((row) => row.kind === 'stop')).toEqual([{ kind: 'stop', series: 'run 2: learning_rate = 2', label: 'learning_rate = 2', epoch: 2, cost: 1000 }]);
  });

  it('draws nothing when no cost can be drawn', () => {
    expect(curvesSpec([run(1, 'failed', [])], { which: 'cost', maxCost: null, orderedColours: false })).toBeNull();
  });
});

describe('finalCostSpec', () => {
  it('puts the learning rate on the x axis, whatever its position among the sweep keys', () => {
    expect(chooseXKey(['seed', 'train.learning_rate'])).toBe('train.learning_rate');
    expect(chooseXKey(['seed', 'model.0.init'])).toBe('seed');
    expect(chooseXKey([])).toBeNull();
  });

  it('draws diverged runs off the scale and leaves out runs without a final cost', () => {
    const runs = [run(1, 'slow', [0.7, 0.6], 0.1), run(2, 'converged', [0.7, 0.001], 1), run(3, 'diverged', [0.7, NaN], 100)];
    runs.push({ ...run(4, 'failed', [], 1000), finalCost: null });
    const chart = finalCostSpec(runs, ['train.learning_rate'], 1e6)!;
    expect(chart.xScale).toBe('log');
    expect(chart.omittedRuns).toBe(1);
    const points = rowsOf(chart).filter((row) => row.kind === 'run');
    expect(points.map((row) => [row.x, row.cost, row.status])).toEqual([
      [0.1, 0.6, 'slow'],
      [1, 0.001, 'converged'],
      [100, 10, 'diverged'],
    ]);
  });
});

describe('swept axes', () => {
  /** Runs over the given sweep (a grid, first key outermost). */
  function gridRuns(sweep: Record<string, (number | string)[]>): ReportRun[] {
    let points: [string, number | string][][] = [[]];
    for (const [key, values] of Object.entries(sweep)) points = points.flatMap((point) => values.map((value): [string, number | string][] => [...point, [key, value]]));
    return points.map((params, i) => ({ ...run(i + 1, 'converged', [1, 0.5]), params }));
  }

  it('reads how each key was written from the manifest', () => {
    const manifest = { experiment: { parsed: { sweep: { a: [1, 2], b: { logspace: [1, 10, 3] }, c: { loguniform: [1, 2] }, d: { named: { x: 1 } }, e: { int_uniform: [1, 5] } } } } };
    expect(axisKindsOf(manifest)).toEqual({ a: 'list', b: 'logspace', c: 'loguniform', d: 'named', e: 'int_uniform' });
    expect(axisKindsOf({})).toEqual({});
  });

  it('takes the scale from the distribution or spacing, else from the values', () => {
    const runs = gridRuns({ lr: [0.5, 1.5], width: [2, 300], name: ['a', 'b'] });
    const axes = describeAxes(runs, ['lr', 'width', 'name'], { lr: 'loguniform', width: 'int_uniform' });
    expect(axes.map((axis) => [axis.key, axis.scale, axis.sampled, axis.distinct])).toEqual([
      ['lr', 'log', true, 2],
      ['width', 'linear', true, 2],
      ['name', 'ordinal', false, 2],
    ]);
    expect(describeAxes(gridRuns({ width: [2, 300] }), ['width'])[0].scale).toBe('log'); // a list spanning decades
  });

  it('splits into panels by listed keys only, at most 12 panels, and colours by the learning rate first', () => {
    const runs = gridRuns({ seed: [1, 2, 3], 'train.learning_rate': [0.1, 1], init: ['he', 'xavier', 'plain', 'zeros', 'a'], units: [4, 8] });
    const axes = describeAxes(runs, ['seed', 'train.learning_rate', 'init', 'units'], { units: 'int_uniform' });
    expect(colourAxis(axes)?.key).toBe('train.learning_rate');
    // seed (3 panels) fits; init would make 15; units is sampled.
    expect(facetAxes(axes, ['train.learning_rate']).map((axis) => axis.key)).toEqual(['seed']);
    const withoutRate = gridRuns({ seed: [1, 2, 3], init: ['he', 'xavier'], units: [4, 8] });
    expect(colourAxis(describeAxes(withoutRate, ['seed', 'init', 'units']))?.key).toBe('seed');
    expect(colourAxis(describeAxes(gridRuns({ init: ['he', 'xavier'] }), ['init']))).toBeNull();
  });
});

describe('labels', () => {
  it('shortens sweep keys to their last part unless two keys share it', () => {
    expect(shortKeyNames(['train.learning_rate', 'seed'])).toEqual(['learning_rate', 'seed']);
    expect(shortKeyNames(['model.0.init', 'model.2.init', 'seed'])).toEqual(['model.0.init', 'model.2.init', 'seed']);
  });

  it('names runs by their swept values and keeps names unique', () => {
    const keys = ['train.learning_rate', 'seed'];
    expect(runLabels([{ run: 1, params: [['train.learning_rate', 0.5], ['seed', 2]] }], keys)).toEqual(['learning_rate = 0.5, seed = 2']);
    expect(
      runLabels(
        [
          { run: 1, params: [['train.learning_rate', 1]] },
          { run: 2, params: [['train.learning_rate', 1]] },
        ],
        ['train.learning_rate'],
      ),
    ).toEqual(['run 1: learning_rate = 1', 'run 2: learning_rate = 1']);
    expect(runLabels([{ run: 1, params: [] }], [])).toEqual(['run 1']);
    // Long logspace values are shortened for the legend; short ones stay exactly as written.
    expect(runLabels([{ run: 1, params: [['train.learning_rate', 0.0031622776601683794]] }], ['train.learning_rate'])).toEqual(['learning_rate = 0.003162']);
    expect(runLabels([{ run: 1, params: [['train.learning_rate', 1e-7]] }], ['train.learning_rate'])).toEqual(['learning_rate = 1e-7']);
  });
});

describe('decision-boundary images', () => {
  it('encodes a valid PNG whose pixels read back', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const png = encodePng(2, 2, rgb);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2, 2]);
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect([...raw]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30]);
  });

  it("checks each chunk with the CRC-32 of PNG's specification, by zlib or by the table alike", () => {
    // Bit by bit, as the specification writes it.
    const reference = (bytes: Uint8Array) => {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251);
    for (const bytes of [new Uint8Array(0), Buffer.from('IEND'), data]) {
      expect(crc32(bytes)).toBe(reference(bytes));
      expect(tableCrc32(bytes)).toBe(reference(bytes));
    }
    const png = encodePng(1, 1, new Uint8Array([1, 2, 3]));
    // Every PNG ends with the same IEND chunk: length 0, its type, CRC ae 42 60 82.
    expect([...png.subarray(png.length - 12)]).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  });

  it('colours output 0 blue, 1 orange, 0.5 near white and missing values grey', () => {
    expect(rampColour(0)).toEqual([43, 108, 176]);
    expect(rampColour(1)).toEqual([221, 107, 32]);
    expect(rampColour(0.5)).toEqual([247, 247, 247]);
    expect(rampColour(NaN)).toEqual([190, 190, 190]);
    expect(rampColour(7)).toEqual(rampColour(1));
  });

  it('shades regression outputs over the range of the targets', () => {
    const scale = valueScaleOf({ x: [[0, 0], [1, 1], [2, 2]], y: [1.5, 4, 6] }, []);
    expect(scale).toEqual({ min: 1.5, max: 6, classification: false });
    expect(rampColour(3.75, scale)).toEqual(rampColour(0.5));
    expect(rampColour(100, scale)).toEqual(rampColour(1));
    expect(valueScaleOf({ x: [[0, 0], [1, 1]], y: [0, 1] }, [])).toEqual(CLASS_SCALE);
    // Without points, maps with outputs inside [0, 1] are taken for class probabilities.
    expect(valueScaleOf(null, [{ xMin: 0, xMax: 1, yMin: 0, yMax: 1, resolution: 1, values: [0.3] }])).toEqual(CLASS_SCALE);
  });

  it('draws the map with its first row (yMin) at the bottom of the image', () => {
    const url = boundaryImage({ xMin: 0, xMax: 1, yMin: 0, yMax: 1, resolution: 2, values: [0, 0, 1, 1] });
    const png = Buffer.from(url.replace('data:image/png;base64,', ''), 'base64');
    const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
    expect([...raw.subarray(1, 4)]).toEqual(rampColour(1)); // top row: values of row 1
    expect([...raw.subarray(8, 11)]).toEqual(rampColour(0)); // bottom row: values of row 0
  });

  it('spreads a limited selection over the whole grid', () => {
    const items = Array.from({ length: 100 }, (_, i) => i + 1);
    const chosen = spreadSelection(items, 24);
    expect(chosen).toHaveLength(24);
    expect(chosen[0]).toBe(1);
    expect(chosen[23]).toBe(100);
    expect(spreadSelection([1, 2], 24)).toEqual([1, 2]);
  });
});

describe('text and numbers', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('reads number cells, including the way JavaScript writes non-finite numbers', () => {
    expect(parseNumber('0.25')).toBe(0.25);
    expect(parseNumber('NaN')).toBeNaN();
    expect(parseNumber('Infinity')).toBe(Infinity);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('abc')).toBeNull();
  });

  it('formats numbers and durations for people', () => {
    expect(formatNumber(0.0009210166430616655)).toBe('9.21e-4');
    expect(formatNumber(0.1234567)).toBe('0.1235');
    expect(formatNumber(1e6)).toBe('1e6');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
  });

  it('estimates text widths like an Arial-metric font, narrower for digits than for capitals', () => {
    // Liberation Sans draws "learning_rate = 0.1" at 11 px about 100 px wide.
    expect(estimateTextWidth('learning_rate = 0.1', 11)).toBeGreaterThan(90);
    expect(estimateTextWidth('learning_rate = 0.1', 11)).toBeLessThan(110);
    expect(estimateTextWidth('1111', 10)).toBeLessThan(estimateTextWidth('WWWW', 10));
    expect(estimateTextWidth('run', 12, true)).toBeGreaterThan(estimateTextWidth('run', 12));
  });
});
