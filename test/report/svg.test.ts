// The report's SVG drawing kit: scales and their ticks, labels, symbols, legends and the layout
// of a whole figure.
import { describe, expect, it } from 'vitest';
import { fitText, thinLabels } from '../../src/output/report/svg/axis.js';
import { viridis } from '../../src/output/report/svg/colours.js';
import { renderFigure, type Figure } from '../../src/output/report/svg/figure.js';
import { legendSize } from '../../src/output/report/svg/legend.js';
import { linearLabel, logLabel, makeScale, stepTicks, tickStep } from '../../src/output/report/svg/scale.js';
import { symbolPath } from '../../src/output/report/svg/symbols.js';
import { estimateTextWidth } from '../../src/output/report/text-width.js';

describe('scales', () => {
  it('steps ticks by 1, 2 or 5 times a power of ten, with exact decimals', () => {
    expect(tickStep(0, 5000, 16)).toBe(200);
    expect(tickStep(0, 5000, 5)).toBe(1000);
    expect(tickStep(0, 1, 10)).toBe(0.1);
    expect(tickStep(0, 7, 4)).toBe(2);
    expect(stepTicks(0, 1, 0.1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(stepTicks(-0.15, 1.15, 0.5)).toEqual([0, 0.5, 1]);
  });

  it('labels linear ticks with the decimals of their step and log ticks as plain numbers or powers of ten', () => {
    expect(linearLabel(1000, 200)).toBe('1,000');
    expect(linearLabel(0.25, 0.05)).toBe('0.25');
    expect(linearLabel(-0, 0.5)).toBe('0.0');
    expect(linearLabel(-1e-17, 0.5)).toBe('0.0');
    expect(['1e-5', '0.001', '0.02', '500', '1e4', '1e7']).toEqual([1e-5, 0.001, 0.02, 500, 1e4, 1e7].map(logLabel));
  });

  it('maps a linear domain widened to round ticks, a log domain by decades and listed values evenly', () => {
    const linear = makeScale({ type: 'linear', domain: [0.3, 9.2] }, 100, false, { tickCount: 5 });
    expect(linear.ticks.map((tick) => tick.value)).toEqual([0, 2, 4, 6, 8, 10]);
    expect([linear.at(0), linear.at(5), linear.at(10)]).toEqual([0, 50, 100]);
    const log = makeScale({ type: 'log', domain: [0.01, 100] }, 400, true, { ticks: [0.01, 1, 100] });
    // Upwards: the lowest value at the bottom of the range.
    expect([log.at(0.01), log.at(1), log.at(100)]).toEqual([400, 200, 0]);
    expect(log.ticks.map((tick) => tick.label)).toEqual(['0.01', '1', '100']);
    const point = makeScale({ type: 'point', domain: ['a', 'b', 'c'], padding: 10 }, 120, false);
    expect(['a', 'b', 'c'].map((value) => point.at(value))).toEqual([10, 60, 110]);
    const padded = makeScale({ type: 'log', domain: [0.1, 10], padding: 12 }, 124, false);
    expect([padded.at(0.1), padded.at(10)]).toEqual([12, 112]);
  });

  it('integer axes never step below 1 (epochs)', () => {
    const epochs = makeScale({ type: 'linear', domain: [0, 3] }, 600, false, { integer: true });
    expect(epochs.ticks.map((tick) => tick.value)).toEqual([0, 1, 2, 3]);
  });
});

describe('text', () => {
  it('keeps every other tick label, then every fourth, until none crowd the next', () => {
    expect(thinLabels([0, 50, 100], [30, 30, 30], 6)).toEqual([true, true, true]);
    expect(thinLabels([0, 20, 40, 60, 80], [30, 30, 30, 30, 30], 6)).toEqual([true, false, true, false, true]);
    expect(thinLabels([0, 10, 20, 30, 40], [30, 30, 30, 30, 30], 6)).toEqual([true, false, false, false, true]);
  });

  it('cuts a label to its limit with an ellipsis, and leaves one that fits alone', () => {
    expect(fitText('learning_rate = 0.1', 11, 200)).toBe('learning_rate = 0.1');
    const cut = fitText('a rather long label for a small panel', 11, 80);
    expect(cut.endsWith('…')).toBe(true);
    expect(estimateTextWidth(cut, 11)).toBeLessThanOrEqual(80);
  });
});

describe('symbols and colours', () => {
  it('draws shapes in a square of side sqrt(size), custom paths scaled from the unit square', () => {
    expect(symbolPath('circle', 100)).toBe('M5,0A5,5,0,1,1,-5,0A5,5,0,1,1,5,0');
    expect(symbolPath('square', 16)).toBe('M-2,-2L2,-2L2,2L-2,2Z');
    expect(symbolPath('stroke', 36)).toBe('M-3,0L3,0');
    expect(symbolPath('M-0.12,-1L0.12,-1L0.12,1L-0.12,1Z', 400)).toBe('M-1.2,-10L1.2,-10L1.2,10L-1.2,10Z');
    expect(symbolPath('cross', 100).match(/L/g)).toHaveLength(11);
  });

  it('runs viridis from dark purple to yellow', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(0.5)).toBe('#21918c');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(0.05)).toBe('#461365');
  });
});

describe('renderFigure', () => {
  const figure = (label: string): Figure => ({
    grids: [
      {
        panels: [
          { title: ['a'], layers: [{ kind: 'line', marks: [{ type: 'line', points: [[0, 1], [10, 0.01]], colour: '#123456', width: 2, label: `run 1: ${label}` }] }] },
          { title: ['b'], layers: [{ kind: 'symbol', marks: [{ type: 'symbol', x: 5, y: 0.1, shape: 'cross', size: 100, fill: 'red', label: 'run 2' }] }] },
        ],
        columns: 2,
        width: 200,
        height: 120,
        x: { title: 'epoch', scale: { type: 'linear', domain: [0, 10] }, integer: true },
        y: { title: 'cost', scale: { type: 'log', domain: [0.01, 1] }, ticks: [0.01, 0.1, 1] },
      },
    ],
    legends: [
      { kind: 'symbols', title: 'run', entries: [{ label, shape: 'stroke', stroke: '#123456' }] },
      { kind: 'gradient', title: 'rate', colourAt: viridis, domain: [0.01, 1], scale: 'log', labels: [{ value: 0.01, label: '0.01' }, { value: 1, label: '1' }], length: 100, thickness: 10 },
    ],
    legendOrient: 'right',
    idPrefix: 'chart',
    description: 'a test chart',
  });

  it('writes one self-contained SVG, the same every time, naming its marks and escaping every label', () => {
    const svg = renderFigure(figure('<b>&'));
    expect(svg).toBe(renderFigure(figure('<b>&')));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('aria-label="run 1: &lt;b&gt;&amp;" role="graphics-symbol" aria-roledescription="line mark"');
    expect(svg).toContain('aria-label="run 2" role="graphics-symbol" aria-roledescription="point"');
    expect(svg).toContain('<g class="mark-text role-legend-label"><text');
    expect(svg).toContain('>&lt;b&gt;&amp;</text>');
    expect(svg).not.toContain('<b>');
    // The gradient's id carries the figure's prefix, so two charts in one page cannot share it.
    expect(svg).toContain('<linearGradient id="chart-2"');
    expect(svg).toContain('fill="url(#chart-2)"');
    expect([...svg.matchAll(/<g class="mark-text role-title-text"><text[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['a', 'b']);
  });

  it('sizes the SVG to hold both panels and the legends beside them', () => {
    const svg = renderFigure(figure('x'));
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(width).toBeGreaterThan(2 * 200 + legendSize(figure('x').legends[0]).width);
    expect(height).toBeGreaterThan(120 + legendSize(figure('x').legends[1]).height / 2);
  });
});

describe('gradient legends', () => {
  it('place each label at its value along the bar, the ends at the ends', () => {
    const svg = renderFigure({
      grids: [],
      legends: [{ kind: 'gradient', title: null, colourAt: viridis, domain: [1.15, 6.73], scale: 'linear', labels: [1.15, 3.94, 6.73].map((value) => ({ value, label: String(value) })), length: 120, thickness: 14 }],
      legendOrient: 'right',
      idPrefix: 'g',
      description: 'a legend',
    });
    const bar = /<rect x="0" y="([\d.]+)" width="14" height="120"/.exec(svg);
    expect(bar).not.toBeNull();
    const top = Number(bar![1]);
    const ys = [...svg.matchAll(/<text x="20" y="([\d.]+)"[^>]*>([\d.]+)<\/text>/g)].map((m) => [m[2], Number(m[1]) - top]);
    expect(ys).toEqual([['1.15', 120], ['3.94', 60], ['6.73', 0]]);
  });
});
