// End to end: the sweep command as a user runs it, on real YAML files in temporary folders
// (the shipped examples are swept in examples.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expandGrid, loadExperimentFile, prepareDataset } from '../../src/index.js';
import { scatterPoints } from '../../src/data/index.js';
import { readManifest } from '../../src/output/manifest.js';
import type { SymbolMark } from '../../src/output/report/svg/figure.js';
import { boundariesSpec } from '../../src/output/report/boundaries.js';
import { buildReportHtml } from '../../src/output/report/index.js';
import { readResultFolder } from '../../src/output/report/read-folder.js';
import { runCli, workspace } from '../helpers/cli.js';
import { sweepInProcess } from '../helpers/in-process.js';
import { verifyInProcess } from '../helpers/in-process-commands.js';
import { tempFolder } from '../helpers/temp-folders.js';

describe('gradgrid sweep', () => {
  it('reports a typo with file, line, column and a suggestion, exits 2 and writes nothing', async () => {
    const dir = workspace();
    const file = join(dir, 'typo.yaml');
    writeFileSync(
      file,
      readFileSync(join(dir, 'experiments/xor-lr.yaml'), 'utf8')
        .replace('name: xor-lr', 'name: typo')
        .replace('  learning_rate: 1\n', '  learning_rte: 1\n'),
    );
    const result = await runCli(['sweep', 'typo.yaml', '--no-report'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/typo\.yaml:17:3/);
    expect(result.stderr).toContain('learning_rate');
    expect(result.stderr).toMatch(/did you mean/i);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('a sweep too small to gain from more workers runs on one; its report is the page writeReport writes', async () => {
    // Eight runs of a few milliseconds each: one worker, whatever the number of cores.
    const dir = workspace();
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--out', 'out'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('8 runs of xor-lr on 1 worker ->');
    const out = join(dir, 'out');
    expect((await readManifest(out)).workers).toBe(1);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(await buildReportHtml(out));
  });

  it('validate checks without running', async () => {
    const dir = workspace();
    const ok = await runCli(['validate', 'experiments/xor-lr.yaml'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('8 runs');
    expect(existsSync(join(dir, 'results'))).toBe(false);
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nloss: squared_error\nmodel: [sigmod]\ndataset: {builtin: xor}\ntrain: {epochs: 10, learning_rate: 1}\n');
    const bad = await runCli(['validate', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:3:\d+/);
    expect(bad.stderr).toContain('"sigmoid"');
  });

  it('rejects bad arguments with exit code 2', async () => {
    const dir = workspace();
    const result = await runCli(['sweep', 'experiments/xor-lr.yaml', '--workers', '0'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--workers');
    const missing = await runCli(['sweep', 'nope.yaml', '--no-report'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml');
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});

describe('run identity: the settings, the engine and the data, never the folder', () => {
  const CSV = 'x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.5,0.2,0\n';
  const EXPERIMENT = `name: ident
seed: 3
dataset: { csv: data/d.csv, target: y }
model: [{ linear: 3 }, tanh, { linear: 1 }, sigmoid]
loss: bce
train: { epochs: 200, learning_rate: 1 }
sweep:
  train.learning_rate: [0.5, 2]
`;
  const TWO_DATASETS = `name: two-datasets
seed: 2
dataset: { builtin: gaussians, samples: 40 }
model: [{ linear: 4 }, tanh, { linear: 1 }, sigmoid]
loss: bce
train: { epochs: 100, learning_rate: 0.5 }
sweep:
  dataset.builtin: [gaussians, circle]
`;
  const sweep = ['sweep', 'e.yaml', '--out', 'out', '--workers', '2', '--quiet'];

  /** A folder holding the experiment and its CSV (in data/) as a user keeps them. */
  function project(dir = tempFolder()): string {
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data/d.csv'), CSV);
    writeFileSync(join(dir, 'e.yaml'), EXPERIMENT);
    return dir;
  }

  let first: string;
  let second: string;
  let builtin: string;

  beforeAll(async () => {
    [first, second, builtin] = [project(), project(), tempFolder()];
    writeFileSync(join(builtin, 'e.yaml'), TWO_DATASETS);
    // The first through the CLI, whose manifest must hold paths as written (relative to its folder);
    // the others in-process, where only their hashes, runs and report are read.
    const [cli, ...inProcess] = await Promise.all([
      runCli([...sweep, '--no-report'], { cwd: first }),
      sweepInProcess(second, 'e.yaml', { out: 'out', workers: 2 }),
      sweepInProcess(builtin, 'e.yaml', { out: 'out', workers: 2, report: true }),
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(inProcess).toEqual([0, 0]);
  });

  it('the same experiment and CSV in two folders give the same run hashes, with paths as written', async () => {
    const [a, b] = await Promise.all([readManifest(join(first, 'out')), readManifest(join(second, 'out'))]);
    const hashes = a.runs.map((run) => run.hash);
    expect(new Set(hashes).size).toBe(2);
    expect(b.runs.map((run) => run.hash)).toEqual(hashes);
    const digest = createHash('sha256').update(CSV).digest('hex');
    for (const run of a.runs) {
      expect(run.csv_digest).toBe(digest);
      expect(run.experiment.dataset.csv).toBe('data/d.csv');
    }
    expect(readFileSync(join(first, 'out/manifest.json'), 'utf8')).not.toContain(first);
    expect(readdirSync(join(first, 'out/data'))).toEqual([`${digest}.csv`]);
  });

  it('expandGrid (the library API) gives the hashes the CLI wrote, for CSV data and for builtin data', async () => {
    for (const folder of [first, builtin]) {
      const manifest = await readManifest(join(folder, 'out'));
      const runs = expandGrid(loadExperimentFile(join(folder, 'e.yaml')));
      expect(runs.map((run) => run.hash)).toEqual(manifest.runs.map((run) => run.hash));
    }
  });

  it('a result folder copied elsewhere is resumed with every run reused, and verify passes there without the original CSV', async () => {
    // The copy and its experiment sit elsewhere, one folder deeper than before (cp -r).
    const elsewhere = tempFolder();
    project(join(elsewhere, 'project'));
    cpSync(join(second, 'out'), join(elsewhere, 'moved'), { recursive: true });
    expect(await sweepInProcess(elsewhere, 'project/e.yaml', { out: 'moved' })).toBe(0);
    const manifest = await readManifest(join(elsewhere, 'moved'));
    expect(manifest.runs.map((run) => run.reused)).toEqual([true, true]);
    for (const name of ['summary.csv', 'curves.csv']) {
      expect(readFileSync(join(elsewhere, 'moved', name)).equals(readFileSync(join(second, 'out', name))), name).toBe(true);
    }
    // Without any copy of the CSV but the result folder's own data/<digest>.csv.
    rmSync(join(second, 'data'), { recursive: true });
    rmSync(join(elsewhere, 'project/data'), { recursive: true });
    const verify = await verifyInProcess(elsewhere, 'moved');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/verified 2 run/);
  });

  it('a sweep over two builtin datasets draws each run\'s own points on its boundary panel', async () => {
    const out = join(builtin, 'out');
    const manifest = await readManifest(out);
    const sets = manifest.point_sets ?? [];
    expect(sets).toHaveLength(2);
    expect(manifest.runs.map((run) => run.points)).toEqual([0, 1]);
    expect(sets[0]).not.toEqual(sets[1]);
    for (const run of manifest.runs) {
      expect(sets[run.points!]).toEqual(scatterPoints(prepareDataset(run.experiment.dataset)));
    }

    // The boundary chart of the report: each panel's point rows are its run's own points.
    const folder = await readResultFolder(out);
    const chart = boundariesSpec(folder.runs, folder.featureNames)!;
    expect(chart.shownRuns).toBe(2);
    const panels = chart.figure.grids[0].panels;
    expect(panels).toHaveLength(2);
    for (const [i, panel] of panels.entries()) {
      const points = panel.layers.filter((layer) => layer.kind === 'symbol').flatMap((layer) => layer.marks) as SymbolMark[];
      const own = sets[manifest.runs[i].points!];
      expect(points.map((mark) => [mark.x, mark.y])).toEqual(own.x);
      // Class 0 blue, class 1 orange: the ends of the map's ramp.
      expect(points.map((mark) => mark.fill)).toEqual(own.y.map((y) => (y === 0 ? '#2b6cb0' : '#dd6b20')));
    }
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-panels="2"');
  });
});
