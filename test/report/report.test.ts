// The report built from result folders in the documented format (see fixture.ts).
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildReportHtml, ReportInputError, writeReport } from '../../src/output/report/index.js';
import { renderReportPage } from '../../src/output/report/page.js';
import { readResultFolder } from '../../src/output/report/read-folder.js';
import { makeResultFolder } from './fixture.js';

const made: string[] = [];
async function folder(options: Parameters<typeof makeResultFolder>[0] = {}) {
  const result = await makeResultFolder(options);
  made.push(result.dir);
  return result;
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The default fixture folder and its report, built once for the tests that only read them. */
let standard: { folder: Awaited<ReturnType<typeof makeResultFolder>>; html: string };
beforeAll(async () => {
  const folder = await makeResultFolder();
  standard = { folder, html: renderReportPage(await readResultFolder(folder.dir)) };
});
afterAll(async () => {
  await rm(standard.folder.dir, { recursive: true, force: true });
});

/** The markup of one <figure data-chart="name">, or undefined. */
function figure(html: string, name: string): string | undefined {
  const start = html.indexOf(`<figure class="chart" data-chart="${name}"`);
  return start < 0 ? undefined : html.slice(start, html.indexOf('</figure>', start));
}

const ariaLabels = (markup: string, role: string) =>
  [...markup.matchAll(new RegExp(`<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${role}"`, 'g'))].map((m) => m[1]);
const legendLabels = (markup: string) =>
  [...markup.matchAll(/<g class="mark-text role-legend-label"[^>]*>(?:<text[^>]*>([^<]*)<\/text>)+/g)].map((m) => m[1]);

describe('buildReportHtml', () => {
  it('draws the cost curves of every run, labelled by learning rate, with a cross where the diverged run stopped', () => {
    const { html, folder: { runs } } = standard;

    const curves = figure(html, 'curves')!;
    expect(curves).toContain('<svg');
    expect(curves).toContain('data-series="4"');
    expect(ariaLabels(curves, 'line mark')).toEqual([
      'run 1: learning_rate = 0.1',
      'run 2: learning_rate = 1',
      'run 3: learning_rate = 10',
      'run 4: learning_rate = 100',
    ]);
    expect(legendLabels(curves)).toEqual(
      expect.arrayContaining(['learning_rate = 0.1', 'learning_rate = 1', 'learning_rate = 10', 'learning_rate = 100', 'diverged: stopped here']),
    );
    expect(runs.find((run) => run.run === 4)?.status).toBe('diverged');
    expect(ariaLabels(curves, 'point')).toEqual(['run 4: learning_rate = 100']);
    // The estimated text widths leave room for every label: nothing is cut short with an ellipsis.
    expect(html).not.toContain('…');
  });

  it('plots the final cost against a log learning-rate axis, one marker per run', () => {
    const { html } = standard;
    const finalCost = figure(html, 'final-cost')!;
    expect(finalCost).toContain('data-x="train.learning_rate"');
    expect(finalCost).toContain('data-x-scale="log"');
    expect(ariaLabels(finalCost, 'point')).toHaveLength(4);
    expect(legendLabels(finalCost)).toEqual(['converged', 'slow', 'unstable', 'diverged']);
  });

  it('shows one decision-boundary map per run with the data points, as embedded PNG images', () => {
    const { html } = standard;
    const boundaries = figure(html, 'boundaries')!;
    expect(boundaries).toContain('data-panels="4"');
    expect(boundaries.match(/<image [^>]*href="data:image\/png;base64,/g)).toHaveLength(4);
    // 60 points in each of 4 panels, drawn as circles.
    expect(boundaries.match(/<path transform="translate\([^)]*\)" d="M[^"]*A/g)?.length).toBeGreaterThanOrEqual(240);
    expect(boundaries).toContain('Grey cells');
  });

  it('includes the summary table, the experiment YAML and the manifest facts', async () => {
    const { html } = standard;
    const source = JSON.parse(await readFile(join(standard.folder.dir, 'manifest.json'), 'utf8')).experiment.source as string;
    expect(html).toContain(`<pre class="source">${source.replace(/"/g, '&quot;')}</pre>`);
    expect(html.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr/g)).toHaveLength(4);
    expect(html).toContain('<span class="status status-diverged">diverged</span>');
    for (const fact of ['v20.20.2', 'gradgrid 0.1.0', '2025-11-25 11:20:00 UTC', '3.5 s', '<dt>Workers</dt><dd>2</dd>', '<dt>Seed</dt><dd>48</dd>', '<dt>Complete</dt><dd>yes</dd>']) {
      expect(html).toContain(fact);
    }
    expect(html).toContain('1 converged, 1 slow, 1 unstable, 1 diverged');
  });

  it('loads nothing from outside the file', () => {
    const { html } = standard;
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)/i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  });

  it('draws a held-out test cost chart when curves.csv has test costs', async () => {
    const withTest = await buildReportHtml((await folder({ testSplit: true })).dir);
    expect(ariaLabels(figure(withTest, 'test-curves')!, 'line mark')).toHaveLength(4);
    expect(figure(standard.html, 'test-curves')).toBeUndefined();
  });

  it('for real-valued targets, shades the predicted value over the range of the targets', async () => {
    const html = await buildReportHtml((await folder({ regression: true })).dir);
    expect(html).toContain('<h2>Prediction maps</h2>');
    expect(figure(html, 'boundaries')).toContain('target / output');
    expect(html).not.toContain('Decision boundaries');
  });

  it('without a runs/ folder, leaves out the decision boundaries and says why', async () => {
    const { dir } = await folder({ runsFolder: false });
    const html = await buildReportHtml(dir);
    expect(figure(html, 'boundaries')).toBeUndefined();
    expect(html).toContain('The run records (the runs/ folder) are missing');
    expect(figure(html, 'curves')).toContain('data-series="4"');
  });

  it('without curves.csv, takes the curves from the run records', async () => {
    const { dir } = await folder();
    await rm(join(dir, 'curves.csv'));
    const html = await buildReportHtml(dir);
    expect(html).toContain('curves.csv not found: the cost curves are taken from the run records.');
    expect(ariaLabels(figure(html, 'curves')!, 'line mark')).toHaveLength(4);
  });

  it('without two-dimensional data, has no decision-boundary section at all', async () => {
    const { dir } = await folder({ twoDimensional: false });
    const html = await buildReportHtml(dir);
    expect(html).not.toContain('id="boundaries"');
  });

  it('with several sweep keys, draws one final-cost panel per value of the other keys', async () => {
    const { dir } = await folder({ sweep: { seed: [1, 2, 3], 'train.learning_rate': [0.1, 1, 100] }, epochs: 50 });
    const html = await buildReportHtml(dir);
    const finalCost = figure(html, 'final-cost')!;
    expect(finalCost).toContain('data-x="train.learning_rate"');
    expect(finalCost).toContain('One panel per value of seed.');
    for (const seed of [1, 2, 3]) expect(finalCost).toContain(`>seed = ${seed}</text>`);
    expect(ariaLabels(figure(html, 'curves')!, 'line mark')).toContain('run 4: seed = 2, learning_rate = 0.1');
  });

  it('uses the first swept key when the learning rate is not swept, and skips the chart without a sweep', async () => {
    const seeds = await buildReportHtml((await folder({ sweep: { seed: [1, 2, 3] } })).dir);
    expect(figure(seeds, 'final-cost')).toContain('data-x="seed"');
    expect(figure(seeds, 'final-cost')).toContain('data-x-scale="linear"');

    const single = await buildReportHtml((await folder({ sweep: {} })).dir);
    expect(figure(single, 'final-cost')).toBeUndefined();
    expect(ariaLabels(figure(single, 'curves')!, 'line mark')).toEqual(['run 1: run 1']);
  });

  it('colours the curves of a large sweep by the learning rate and splits them into a panel per listed value', async () => {
    const rates = [0.01, 0.03, 0.1, 0.3, 1, 3, 10];
    const { dir } = await folder({ sweep: { 'train.learning_rate': rates, 'model.1': ['sigmoid', 'tanh'] }, epochs: 40 });
    const curves = figure(await buildReportHtml(dir), 'curves')!;
    expect(curves).toContain('data-colour="train.learning_rate" data-colour-scale="log" data-panels="2"');
    expect(curves).toContain('<linearGradient');
    const gradientLabels = /role-legend-label"[^>]*>((?:<text[^>]*>[^<]*<\/text>)+)/.exec(curves)![1];
    expect([...gradientLabels.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(['0.01', '0.1', '1', '10']);
    expect(curves).toContain('One panel per value of model.1.');
    expect(ariaLabels(curves, 'line mark')).toHaveLength(14);
    // Up to 12 runs: one named colour per run, as before.
    const few = figure(await buildReportHtml((await folder({ sweep: { 'train.learning_rate': rates.slice(0, 6), 'model.1': ['sigmoid', 'tanh'] }, epochs: 40 })).dir), 'curves')!;
    expect(few).not.toContain('data-colour=');
    expect(legendLabels(few)).toContain('learning_rate = 0.03, 1 = tanh');
  });

  it('plots random-search samples as unjoined points on the scale of their distribution, without a panel per sample', async () => {
    // Sampled values: a log-uniform learning rate within one decade, and a sampled width.
    const rates = [0.52, 0.61, 0.77, 0.93, 1.1, 1.4, 1.9];
    const { dir } = await folder({
      sweep: { 'train.learning_rate': rates, 'model.0.linear': [2, 3] },
      sweepAsWritten: { 'train.learning_rate': { loguniform: [0.5, 2] }, 'model.0.linear': { int_uniform: [2, 3] } },
      epochs: 40,
    });
    const html = await buildReportHtml(dir);
    const finalCost = figure(html, 'final-cost')!;
    expect(finalCost).toContain('data-x-scale="log"');
    expect(ariaLabels(finalCost, 'point')).toHaveLength(14);
    expect(finalCost).not.toContain('aria-roledescription="line mark"');
    expect(finalCost).not.toContain('One panel per value');
    expect(finalCost).toContain('Runs that differ in model.0.linear share the chart, so the markers are not joined by a line.');
    const curves = figure(html, 'curves')!;
    expect(curves).toContain('data-colour="train.learning_rate" data-colour-scale="log"');
    expect(curves).not.toContain('data-panels=');
  });

  it('warns when the sweep is incomplete', async () => {
    const { dir } = await folder({ complete: false });
    expect(await buildReportHtml(dir)).toContain('Incomplete sweep.');
  });

  it('escapes markup from every user file', async () => {
    const attack = '<img src=x onerror=alert(1)>';
    const { dir } = await folder({
      description: '<script>alert("description")</script>',
      sweep: { 'model.0.init': [attack, 'xavier'] },
      sourceComment: '</pre><script>alert("source")</script>',
    });
    const html = await buildReportHtml(dir);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;description&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(&quot;source&quot;)&lt;/script&gt;');
    // In the table, and in the chart legends drawn by Vega.
    expect(html).toContain('<td class="text">&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(legendLabels(figure(html, 'curves')!)).toContain('init = &lt;img src=x onerror=alert(1)&gt;');
  });

  it('names the missing file when the folder is not a result folder', async () => {
    const { dir } = await folder();
    await rm(join(dir, 'manifest.json'));
    await expect(buildReportHtml(dir)).rejects.toThrow(ReportInputError);
    await expect(buildReportHtml(dir)).rejects.toThrow(/manifest\.json not found/);
  });
});

describe('writeReport', () => {
  it('writes report.html into the folder, replacing an older one, and leaves no temporary file', async () => {
    const { dir } = await folder();
    await writeFile(join(dir, 'report.html'), 'old');
    const path = await writeReport(dir);
    expect(path).toBe(join(dir, 'report.html'));
    const html = await readFile(path, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Deterministic: building again gives the same page (compared as a boolean to keep failures short).
    expect(html === (await buildReportHtml(dir))).toBe(true);
    expect((await readdir(dir)).filter((name) => name.includes('tmp'))).toEqual([]);
  });
});

/** The report's <section id="..."> markup. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start));
}

async function editJson(path: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(path, JSON.stringify(value));
}

describe('what the report says about the sweep', () => {
  it('"About this sweep" says "swept" for a swept layer width, never the width written in the file', async () => {
    const { dir } = await folder({ sweep: { 'model.0.linear': [2, 4, 8] } });
    const about = section(await buildReportHtml(dir), 'about');
    expect(about).toContain('<dt>Model</dt><dd>linear swept (xavier) → sigmoid → linear 1 (xavier) → sigmoid</dd>');
    expect(about).not.toContain('linear 3');
  });

  it('the headline names the best converged run, and an unstable run that ended lower beside it', async () => {
    const { dir } = await folder();
    // Run 3 (learning rate 10) is unstable; give it the lowest final cost of all.
    const summaryPath = join(dir, 'summary.csv');
    const rows = (await readFile(summaryPath, 'utf8')).split('\n');
    const cells = rows[3].split(',');
    expect(cells[2]).toBe('unstable');
    cells[4] = '1e-7';
    rows[3] = cells.join(',');
    await writeFile(summaryPath, rows.join('\n'));
    const html = await buildReportHtml(dir);
    const lead = html.slice(html.indexOf('<p class="lead">'), html.indexOf('</p>', html.indexOf('<p class="lead">')));
    expect(lead).toMatch(/Best converged run: final cost [\d.e-]+ with learning_rate = 1\. learning_rate = 10 ended lower \(1e-7\) but is unstable, not converged\./);
    const best = section(html, 'runs').match(/<tr class="best" title="([^"]*)"><td class="num">(\d+)</);
    expect(best?.slice(1)).toEqual(['best converged run', '2']);
  });

  it('"run it again" names the output folder: the --out of the sweep, else results/<name>', async () => {
    const { dir } = await folder();
    expect(section(await buildReportHtml(dir), 'experiment')).toContain('<code>npm run sweep -- experiments/xor-lr.yaml --out results/xor-lr</code>');
    await editJson(join(dir, 'manifest.json'), (manifest) => {
      manifest.command = ['sweep', 'experiments/xor-lr.yaml', '--out', 'my results', '--workers', '2'];
    });
    expect(section(await buildReportHtml(dir), 'experiment')).toContain(`<code>npm run sweep -- experiments/xor-lr.yaml --out &#39;my results&#39;</code>`);
  });

  it('labels the decision-boundary axes with the data columns and the classes with their labels, from the manifest', async () => {
    const { dir } = await folder();
    await editJson(join(dir, 'manifest.json'), (manifest) => {
      const [points] = manifest.point_sets as Record<string, unknown>[];
      points.features = ['petal_length', 'petal_width'];
      points.classes = ['not virginica', 'virginica'];
    });
    const html = await buildReportHtml(dir);
    const boundaries = figure(html, 'boundaries')!;
    expect(boundaries).toContain('>petal_length</text>');
    expect(boundaries).toContain('>petal_width</text>');
    expect(boundaries).not.toContain('>x1</text>');
    expect(legendLabels(boundaries).concat([...boundaries.matchAll(/<text[^>]*>([^<]*virginica)<\/text>/g)].map((m) => m[1]))).toEqual(
      expect.arrayContaining(['not virginica', 'virginica']),
    );
    expect(section(html, 'boundaries')).toContain('blue for class 0 (not virginica), orange for class 1 (virginica)');
  });
});
