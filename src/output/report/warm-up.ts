// A first render warms the charting code up: Vega-Lite's compiler, Vega's parser and dataflow and
// its SVG writer run far slower the first time (lazy set-up inside the libraries, and code not yet
// compiled by V8) than every time after. The report thread (report-worker.ts) renders these small
// charts, whose output nobody sees, while the sweep trains, so that report.html's own charts are
// the second ones drawn. The charts use what the report's use: layers, a log scale, a legend,
// facets-like concatenation, rules, points and a raster of rectangles.
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLite } from './vega-render.js';
import { CHART_CONFIG } from './theme.js';

function curvesSpec(): TopLevelSpec {
  const values = [];
  for (let run = 0; run < 3; run++) {
    for (let epoch = 0; epoch < 40; epoch++) values.push({ series: `run ${run}`, epoch, cost: Math.exp(-epoch / (5 + run)) + 1e-3 });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    width: 200,
    height: 120,
    data: { values },
    layer: [
      {
        mark: { type: 'line', clip: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
          y: { field: 'cost', type: 'quantitative', scale: { type: 'log' }, title: 'cost' },
          color: { field: 'series', type: 'nominal', legend: { title: 'run' } },
        },
      },
      { mark: { type: 'point', shape: 'cross' }, transform: [{ filter: 'datum.epoch === 39' }], encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'cost', type: 'quantitative', scale: { type: 'log' } } } },
      { mark: 'rule', encoding: { y: { datum: 0.01 } } },
    ],
  } as TopLevelSpec;
}

function rasterSpec(): TopLevelSpec {
  const values = [];
  for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) values.push({ x: i, y: j, p: (i * j) / 121, panel: i < 6 ? 'a' : 'b' });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    data: { values },
    hconcat: ['a', 'b'].map((panel) => ({
      width: 80,
      height: 80,
      transform: [{ filter: `datum.panel === '${panel}'` }],
      mark: 'rect',
      encoding: {
        x: { field: 'x', type: 'ordinal', axis: null },
        y: { field: 'y', type: 'ordinal', axis: null },
        color: { field: 'p', type: 'quantitative', scale: { scheme: 'viridis' } },
      },
    })),
  } as TopLevelSpec;
}

/** Renders the warm-up charts and throws their SVG away. */
export async function warmUpCharts(): Promise<void> {
  await renderVegaLite(curvesSpec(), 'warm-up-curves');
  await renderVegaLite(rasterSpec(), 'warm-up-raster');
}
