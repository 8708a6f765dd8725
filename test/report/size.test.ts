// A large sweep still gives a small report: 100 runs whose curves are longer than their share of
// the chart (1 000 epochs each, curves.csv with 100 000 rows) must stay well under 5 MB, thanks to
// curve downsampling and PNG maps. Each curve is thinned to 400 drawn points, so longer curves give
// the same page (`npm run bench` measures the report of 5 000 epochs per run).
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportHtml } from '../../src/output/report/index.js';
import { makeResultFolder } from './fixture.js';

const MAX_BYTES = 5 * 1024 * 1024;
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report size', () => {
  it('stays under 5 MB for 100 runs of thinned curves, still drawing every run', async () => {
    const learningRates = Array.from({ length: 25 }, (_, i) => Number((10 ** (-2 + (4 * i) / 24)).toPrecision(3)));
    const folder = await makeResultFolder({ epochs: 1000, sweep: { 'train.learning_rate': learningRates, seed: [1, 2, 3, 4] } });
    dir = folder.dir;
    expect(folder.runs).toHaveLength(100);

    const html = await buildReportHtml(dir);
    const bytes = Buffer.byteLength(html, 'utf8');
    console.log(`report of 100 runs x 1000 epochs: ${(bytes / 1024 / 1024).toFixed(2)} MB`);
    expect(bytes).toBeLessThan(MAX_BYTES);

    expect(html.match(/aria-roledescription="line mark"/g)?.length).toBeGreaterThanOrEqual(100);
    expect(html).toContain('data-series="100"');
    expect(html).toContain('data-panels="24"');
    expect(html).toContain('Showing 24 of 100 runs');
    expect(html).toContain('Long curves are thinned to at most 400 points');
  });
});
